import Crypto
import FirstLineCore
import FirstLineServer
import Foundation
import HTTPTypes
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import FirstLineStore

/// The package root, found from this file: `Tests/FirstLineServerTests/<file>.swift` is three levels down.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The shipped knowledge base and intents: the tests run on the real product content.
    static let knowledgeBase = root.appendingPathComponent("KnowledgeBase", isDirectory: true)
    static let intents = root.appendingPathComponent("Intents", isDirectory: true)
}

/// One test's world: a unique temporary folder holding a real SQLite file, a clock that moves only when
/// told to, and the configuration pointing at the shipped content. Removed when the test ends.
struct TestEnvironment: Sendable {
    let folder: URL
    let clock: ManualClock
    var configuration: ServerConfiguration

    /// A fixed, ordinary working day (Tuesday 2025-03-04 10:00 in Seoul), so due times are deterministic.
    static let start = Date(timeIntervalSince1970: 1_741_050_000)

    var databasePath: String { folder.appendingPathComponent("firstline.sqlite").path }

    /// Runs `body` in a fresh environment and removes its folder afterwards, whatever happens.
    static func with<T>(_ body: (TestEnvironment) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("firstline-server-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = ServerConfiguration()
        configuration.knowledgeBase = Repository.knowledgeBase
        configuration.intents = Repository.intents
        // The shipped content does not change during a test; polling it would only add wall-clock waits.
        configuration.contentCheckInterval = nil
        return try await body(TestEnvironment(folder: folder, clock: ManualClock(start), configuration: configuration))
    }

    /// Opens the database file, as the server does at start (a new pool each time: a "restart").
    func openDatabase() throws -> AppDatabase {
        try AppDatabase.open(path: databasePath)
    }

    func dependencies(_ database: AppDatabase) -> ServerDependencies {
        ServerDependencies(database: database, clock: clock, logger: Self.quietLogger)
    }

    /// The real composition root, on this environment's database and clock.
    func makeApplication(database: AppDatabase) -> some ApplicationProtocol {
        FirstLineApplication.build(configuration: configuration, dependencies: dependencies(database))
    }

    /// Opens the file, builds a new application on it, runs `body` against it (`.router` or `.live`), then
    /// closes the database: one server lifetime.
    func withServer<T: Sendable>(
        _ setup: TestingSetup = .router,
        _ body: @Sendable (any TestClientProtocol, AppDatabase) async throws -> T
    ) async throws -> T {
        let database = try openDatabase()
        defer { try? database.close() }
        let app = makeApplication(database: database)
        return try await app.test(setup) { client in try await body(client, database) }
    }

    /// Tests do not bootstrap the logging system; they just keep the server quiet.
    static let quietLogger: Logger = {
        var logger = Logger(label: "firstline.tests", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        return logger
    }()
}

// MARK: - The web chat API as a client sees it (design §6)

/// `POST /api/v1/chat/messages` answer, decoded by the contract rather than by the server's own types.
struct ChatAnswer: Decodable, Sendable {
    struct Button: Decodable, Sendable, Equatable {
        var action: String
        var label: String
    }

    struct Article: Decodable, Sendable, Equatable {
        var id: String
        var title: String
        var score: Double
    }

    struct Reply: Decodable, Sendable {
        var text: String
        var buttons: [Button]
        var articles: [Article]
    }

    var session: String
    var replies: [Reply]
    var state: String
    var ticket: String?
    /// Whether the body had a `ticket` key at all (the contract says "the open ticket's number or null").
    var hasTicketKey: Bool

    enum CodingKeys: String, CodingKey {
        case session, replies, state, ticket
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        session = try container.decode(String.self, forKey: .session)
        replies = try container.decode([Reply].self, forKey: .replies)
        state = try container.decode(String.self, forKey: .state)
        ticket = try container.decodeIfPresent(String.self, forKey: .ticket)
        hasTicketKey = container.contains(.ticket)
    }

    /// The last reply that carries buttons: what the employee would press next.
    var buttons: [Button] { replies.last(where: { !$0.buttons.isEmpty })?.buttons ?? [] }
    var allText: String { replies.map(\.text).joined(separator: "\n") }
    var articleIDs: [String] { replies.flatMap(\.articles).map(\.id) }

    /// The article shown with Solved / Still broken, read from its `broken:<id>` button.
    var shownArticle: String? {
        buttons.lazy.compactMap { button -> String? in
            guard button.action.hasPrefix("broken:") else { return nil }
            return String(button.action.dropFirst("broken:".count))
        }.first
    }
}

/// `GET /api/v1/chat/messages` answer.
struct PollAnswer: Decodable, Sendable {
    var session: String
    var replies: [ChatAnswer.Reply]
}

/// `{"error": {"code", "message"}}`.
struct ErrorAnswer: Decodable, Sendable {
    struct Detail: Decodable, Sendable {
        var code: String
        var message: String
    }

    var error: Detail
}

enum JSON {
    static func string(_ object: [String: String]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(String(buffer: buffer).utf8))
    }
}

/// `POST /api/v1/chat/sessions` answer.
struct IssuedSession: Decodable {
    var session: String
}

extension TestClientProtocol {
    static var jsonHeaders: HTTPFields { [.contentType: "application/json"] }

    /// A session issued by the server (`POST /api/v1/chat/sessions`): the chat API refuses made-up ones.
    func newSession(sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let response = try await execute(uri: "/api/v1/chat/sessions", method: .post)
        try #require(response.status == .created, "POST sessions: \(String(buffer: response.body))", sourceLocation: sourceLocation)
        return try JSON.decode(IssuedSession.self, response.body).session
    }

    /// Posts a raw body to the chat endpoint.
    func postChat(_ body: String) async throws -> TestResponse {
        try await execute(uri: "/api/v1/chat/messages", method: .post, headers: Self.jsonHeaders,
                          body: ByteBuffer(string: body))
    }

    /// Sends a text and requires a 200 with a body that follows the contract.
    func chat(session: String, text: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ChatAnswer {
        try await ok(postChat(JSON.string(["session": session, "text": text])), session: session,
                     sourceLocation: sourceLocation)
    }

    /// Presses a button and requires a 200 with a body that follows the contract.
    func press(session: String, action: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ChatAnswer {
        try await ok(postChat(JSON.string(["session": session, "action": action])), session: session,
                     sourceLocation: sourceLocation)
    }

    func poll(session: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> PollAnswer {
        let query = session.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? session
        let response = try await execute(uri: "/api/v1/chat/messages?session=\(query)", method: .get)
        try #require(response.status == .ok, "GET messages: \(String(buffer: response.body))", sourceLocation: sourceLocation)
        return try JSON.decode(PollAnswer.self, response.body)
    }

    private func ok(_ response: TestResponse, session: String, sourceLocation: SourceLocation) throws -> ChatAnswer {
        try #require(response.status == .ok, "chat: \(String(buffer: response.body))", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        let answer = try JSON.decode(ChatAnswer.self, response.body)
        #expect(answer.session == session, sourceLocation: sourceLocation)
        #expect(answer.hasTicketKey, "'ticket' must be present, null when no ticket is open", sourceLocation: sourceLocation)
        #expect(DialoguePhase(rawValue: answer.state) != nil, "unknown state \(answer.state)", sourceLocation: sourceLocation)
        return answer
    }
}

/// Checks a refusal: the status, `{"error": {"code", "message"}}` with the code, and a JSON content type.
func expectError(_ response: TestResponse, _ status: HTTPResponse.Status, code: String? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == status, "body: \(String(buffer: response.body).prefix(300))", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    guard let error = try? JSON.decode(ErrorAnswer.self, response.body) else {
        Issue.record("not an error body: \(String(buffer: response.body).prefix(300))", sourceLocation: sourceLocation)
        return
    }
    if let code { #expect(error.error.code == code, sourceLocation: sourceLocation) }
    #expect(!error.error.message.isEmpty, sourceLocation: sourceLocation)
}

// MARK: - Reading the store

/// Row counts of every table a chat message can write to.
struct RowCounts: Equatable, Sendable, CustomStringConvertible {
    var counts: [String: Int]

    static let tables = ["inbox", "message", "conversation", "employee", "identity", "outbox", "suggestion", "ticket",
                         "ticketEvent"]

    static func of(_ database: AppDatabase) async throws -> RowCounts {
        try await database.read { db in
            var counts: [String: Int] = [:]
            for table in tables {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? -1
            }
            return RowCounts(counts: counts)
        }
    }

    subscript(table: String) -> Int { counts[table] ?? -1 }

    var description: String { Self.tables.map { "\($0)=\(counts[$0] ?? -1)" }.joined(separator: " ") }
}

extension AppDatabase {
    /// The web chat conversation of `session` (filed under its hash) and its transcript.
    func transcript(session: String) async throws -> [ConversationMessage] {
        guard let conversation = try await conversation(platform: .web, conversationKey: WebChatKey.conversationKey(session)),
              let id = conversation.id else {
            return []
        }
        return try await messages(conversationID: id)
    }
}

/// A ticket number as design §5 writes it.
var ticketNumberPattern: Regex<Substring> { #/HD-\d{6}/# }

func ticketNumbers(in text: String) -> [String] {
    text.matches(of: ticketNumberPattern).map { String($0.output) }
}

extension ChatSessionRepository {
    /// Records `names` as sessions the server issued (as `POST /api/v1/chat/sessions` would, by
    /// the SHA-256 of each), so that a test can keep readable session names across many turns.
    func issueChatSessions(_ names: [String], at now: Date = Date()) async throws {
        for name in names {
            try await createChatSession(keyHash: WebChatKey.hash(name), at: now)
        }
    }
}
