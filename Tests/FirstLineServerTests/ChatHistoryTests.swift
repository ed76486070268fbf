import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The web chat page opened again shows the conversation so far, and an employee may give a name
/// and an e-mail that their tickets show (issue 16, point 1).
@Suite("web chat: history on reload, name and e-mail")
struct ChatHistoryTests {
    struct HistoryAnswer: Decodable {
        struct Line: Decodable {
            var author: String
            var text: String
            var buttons: [ChatAnswer.Button]
            var at: String
        }

        var session: String
        var messages: [Line]
        var state: String
        var ticket: String?
    }

    struct ProfileAnswer: Decodable {
        var session: String
        var name: String
        var email: String?
    }

    static let questions: [(Language, String)] = [
        (.ko, "프린터에 종이가 걸렸어요"), (.ja, "プリンターで紙詰まりが起きました"), (.en, "paper is jammed in the printer"),
    ]

    static func history(_ client: some TestClientProtocol, session: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/chat/history?session=\(session)", method: .get)
    }

    static func profile(_ client: some TestClientProtocol, _ body: [String: String]) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/chat/profile", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: JSON.string(body)))
    }

    @Test("the history is the transcript in order, bot lines with their buttons", arguments: questions)
    func historyOnReload(_ language: Language, _ question: String) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, _ in
                let session = try await client.newSession()
                let first = try await client.chat(session: session, text: question)
                let button = try #require(first.replies.last?.buttons.first)
                let second = try await client.press(session: session, action: button.action)

                let response = try await Self.history(client, session: session)
                #expect(response.status == .ok)
                let history = try JSON.decode(HistoryAnswer.self, response.body)
                #expect(history.session == session)
                #expect(history.state == second.state)
                let expected = [("employee", question)] + first.replies.map { ("bot", $0.text) }
                    + [("employee", "[\(button.action)]")] + second.replies.map { ("bot", $0.text) }
                #expect(history.messages.map(\.author) == expected.map(\.0))
                #expect(history.messages.map(\.text) == expected.map(\.1))
                // The buttons come back as they were offered, so the page can show what was pressed.
                #expect(history.messages[first.replies.count].buttons == first.replies.last?.buttons)
            }
        }
    }

    @Test("a message waiting for the page's poll is in the history and not shown again by the poll")
    func waitingRowsAreDelivered() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                _ = try await client.chat(session: session, text: "VPN is not connecting")
                let conversation = try #require(try await database.conversation(platform: .web, conversationKey: WebChatKey.conversationKey(session)))
                let conversationID = try #require(conversation.id)
                let payload = #"{"reply":{"text":"ana: I reset your VPN profile","buttons":[],"articles":[]}}"#
                _ = try await database.appendMessage(NewMessage(direction: .outbound, author: .agent,
                                                                text: "ana: I reset your VPN profile", payload: payload),
                                                     conversationID: conversationID, at: env.clock.now())
                _ = try await database.enqueue([NewOutboxMessage(platform: .web, conversationKey: WebChatKey.conversationKey(session),
                                                                 idempotencyKey: "test:agent:1", payload: payload)],
                                               at: env.clock.now())
                let history = try JSON.decode(HistoryAnswer.self, try await Self.history(client, session: session).body)
                #expect(history.messages.last?.author == "agent")
                #expect(history.messages.last?.text == "ana: I reset your VPN profile")
                #expect(try await client.poll(session: session).replies.isEmpty)
            }
        }
    }

    @Test("an unknown session has no history, and a bad one is refused")
    func unknownSession() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, _ in
                expectError(try await Self.history(client, session: "never-seen"), .notFound, code: "unknown_session")
                expectError(try await client.execute(uri: "/api/v1/chat/history", method: .get), .badRequest, code: "invalid_request")
            }
        }
    }

    @Test("name and e-mail given in the page become the ticket's requester", arguments: [
        ("김민지", "minji.kim@example.com"), ("山田花子", "hanako.yamada@example.jp"), ("Ana Lima", "ana@example.com"),
    ])
    func profileNamesTheRequester(_ name: String, _ email: String) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                _ = try await client.chat(session: session, text: "my laptop will not turn on")
                let response = try await Self.profile(client, ["session": session, "name": "  \(name) ", "email": email])
                #expect(response.status == .ok)
                let saved = try JSON.decode(ProfileAnswer.self, response.body)
                #expect(saved.name == name && saved.email == email)

                _ = try await client.press(session: session, action: "human")
                let answered = try await client.press(session: session, action: "blocks:yes")
                let number = try #require(answered.ticket)
                let employee = try #require(try await database.employee(platform: .web, platformUserID: WebChatKey.conversationKey(session)))
                #expect(employee.displayName == name && employee.email == email)
                let employeeID = try #require(employee.id)
                let ticket = try #require(try await database.ticket(number: number))
                #expect(ticket.requesterID == employeeID)
            }
        }
    }

    @Test("a bad name or e-mail is refused and changes nothing; a profile needs a conversation")
    func badProfile() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                expectError(try await Self.profile(client, ["session": session, "name": "Ana"]), .notFound, code: "unknown_session")
                _ = try await client.chat(session: session, text: "hello")
                let before = try await database.employee(platform: .web, platformUserID: WebChatKey.conversationKey(session))
                expectError(try await Self.profile(client, ["session": session, "email": "not an address"]),
                            .unprocessableContent, code: "invalid_field")
                expectError(try await Self.profile(client, ["session": session, "name": String(repeating: "가", count: 101)]),
                            .unprocessableContent, code: "invalid_field")
                expectError(try await Self.profile(client, ["session": session, "name": "a\u{7}b"]),
                            .unprocessableContent, code: "invalid_field")
                #expect(try await database.employee(platform: .web, platformUserID: WebChatKey.conversationKey(session)) == before)
            }
        }
    }
}
