import FirstLineCore
import FirstLineServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

/// Behind a company's sign-on proxy the web chat knows who is writing (issue 16, point 1):
/// `web_chat.sign_on_header` names the header that carries the person's e-mail or directory id.
@Suite("web chat behind the company's sign-on: the directory identity is the requester")
struct WebSignOnTests {
    static let header = "X-Forwarded-Email"
    static let people = [
        DirectoryEntry(directoryID: "E100", name: "김민지", email: "minji.kim@example.com"),
        DirectoryEntry(directoryID: "E200", name: "山田花子", email: "hanako.yamada@example.jp"),
        DirectoryEntry(directoryID: "E300", name: "Ana <Lima>", email: "ana@example.com"),
    ]

    static func withSignOnServer(_ body: @Sendable @escaping (any TestClientProtocol, AppDatabase) async throws -> Void) async throws {
        try await TestEnvironment.with { base in
            var env = base
            env.configuration.webChatSignOnHeader = header
            try await env.withServer { client, database in
                _ = try await database.importDirectory(people, at: TestEnvironment.start)
                try await body(client, database)
            }
        }
    }

    static func send(_ client: some TestClientProtocol, as person: String?, _ fields: [String: String]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let person { headers[HTTPField.Name(header)!] = person }
        return try await client.execute(uri: "/api/v1/chat/messages", method: .post, headers: headers,
                                        body: ByteBuffer(string: JSON.string(fields)))
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, as person: String?) async throws -> TestResponse {
        var headers = HTTPFields()
        if let person { headers[HTTPField.Name(header)!] = person }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    @Test("the signed-in person's ticket shows them as the requester, whatever they write in",
          arguments: [("minji.kim@example.com", "노트북이 안 켜져요", "김민지"),
                      ("HANAKO.YAMADA@example.jp", "ノートパソコンの電源が入りません", "山田花子"),
                      ("E300", "my laptop will not turn on", "Ana <Lima>")])
    func signedInRequester(_ signedIn: String, _ question: String, _ name: String) async throws {
        try await Self.withSignOnServer { client, database in
            let session = try await client.newSession()
            let first = try await Self.send(client, as: signedIn, ["session": session, "text": question])
            #expect(first.status == .ok)
            _ = try await Self.send(client, as: signedIn, ["session": session, "action": "human"])
            let blocks = try await Self.send(client, as: signedIn, ["session": session, "action": "blocks:yes"])
            let answer = try JSON.decode(ChatAnswer.self, blocks.body)
            let number = try #require(answer.ticket, "\(answer.allText)")

            let ticket = try #require(try await database.ticket(number: number))
            let requester = try #require(try await database.employee(id: ticket.requesterID))
            #expect(requester.displayName == name)
            #expect(requester.directoryID != nil, "the directory person, not a new anonymous one")
            #expect(try await database.employee(platform: .web, platformUserID: WebChatKey.conversationKey(session))?.id == requester.id)
        }
    }

    @Test("another signed-in person cannot read, write to or press buttons in someone else's session")
    func sessionsAreThePersons() async throws {
        try await Self.withSignOnServer { client, database in
            let session = try await client.newSession()
            #expect(try await Self.send(client, as: "minji.kim@example.com", ["session": session, "text": "VPN이 안 돼요"]).status == .ok)
            let transcript = try await database.messages(conversationID: try #require(
                try await database.conversation(platform: .web, conversationKey: WebChatKey.conversationKey(session))?.id))

            let intruder = "ana@example.com"
            expectError(try await Self.send(client, as: intruder, ["session": session, "text": "show me"]), .notFound,
                        code: "unknown_session")
            expectError(try await Self.send(client, as: intruder, ["session": session, "action": "human"]), .notFound,
                        code: "unknown_session")
            expectError(try await Self.get(client, "/api/v1/chat/messages?session=\(session)", as: intruder), .notFound,
                        code: "unknown_session")
            expectError(try await Self.get(client, "/api/v1/chat/history?session=\(session)", as: intruder), .notFound,
                        code: "unknown_session")
            // Nothing of the attempts was stored.
            let after = try await database.messages(conversationID: try #require(
                try await database.conversation(platform: .web, conversationKey: WebChatKey.conversationKey(session))?.id))
            #expect(after.count == transcript.count)
            // The owner still reads their own history.
            #expect(try await Self.get(client, "/api/v1/chat/history?session=\(session)", as: "minji.kim@example.com").status == .ok)
        }
    }

    @Test("the page greets the signed-in person (escaped) instead of asking for a name; the profile cannot override the sign-on")
    func pageAndProfile() async throws {
        try await Self.withSignOnServer { client, _ in
            let page = String(buffer: try await Self.get(client, "/chat", as: "E300").body)
            #expect(page.contains("Ana &lt;Lima&gt; · ana@example.com"))
            #expect(!page.contains("Ana <Lima>"))
            #expect(!page.contains(#"<form id="profile-form">"#))
            let anonymous = String(buffer: try await Self.get(client, "/chat", as: nil).body)
            #expect(anonymous.contains(#"<form id="profile-form">"#))

            let profileSession = try await client.newSession()
            #expect(try await Self.send(client, as: "E300", ["session": profileSession, "text": "hello"]).status == .ok)
            let response = try await client.execute(
                uri: "/api/v1/chat/profile", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name(Self.header)!: "E300"],
                body: ByteBuffer(string: JSON.string(["session": profileSession, "name": "Someone Else"])))
            expectError(response, .conflict)
        }
    }

    @Test("a header that is no identity is refused and stores nothing; without the header the chat stays anonymous")
    func badHeaderAndAnonymous() async throws {
        try await Self.withSignOnServer { client, database in
            let bad = try await client.newSession(), anonymous = try await client.newSession()
            expectError(try await Self.send(client, as: "not an@address", ["session": bad, "text": "hello"]), .badRequest)
            expectError(try await Self.send(client, as: "@@", ["session": bad, "text": "hello"]), .badRequest)
            #expect(try await database.conversation(platform: .web, conversationKey: WebChatKey.conversationKey(bad)) == nil)

            #expect(try await Self.send(client, as: nil, ["session": anonymous, "text": "hello"]).status == .ok)
            let employee = try #require(try await database.employee(platform: .web, platformUserID: WebChatKey.conversationKey(anonymous)))
            #expect(employee.directoryID == nil && employee.email == nil)
        }
    }

    @Test("an unknown directory id keeps one requester across sessions, named by the sign-on")
    func unknownDirectoryID() async throws {
        try await Self.withSignOnServer { client, database in
            let a = try await client.newSession(), b = try await client.newSession()
            #expect(try await Self.send(client, as: "contractor-7", ["session": a, "text": "hello"]).status == .ok)
            #expect(try await Self.send(client, as: "contractor-7", ["session": b, "text": "hello"]).status == .ok)
            let first = try #require(try await database.employee(platform: .web, platformUserID: WebChatKey.conversationKey(a)))
            #expect(first.displayName == "contractor-7")
            #expect(try await database.employee(platform: .web, platformUserID: WebChatKey.conversationKey(b))?.id == first.id)
        }
    }
}
