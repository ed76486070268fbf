import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A refused request answers with the right 4xx and `{"error": {"code", "message"}}`, and stores
/// nothing at all (design §6: "none of these stores anything").
@Suite("web chat API: bad input")
struct BadInputTests {
    struct BadRequest: Sendable, CustomTestStringConvertible {
        var name: String
        var body: @Sendable (_ session: String) -> String
        var status: HTTPResponse.Status
        var code: String?

        var testDescription: String { name }
    }


    static func text(_ text: String, session: String) -> String { JSON.string(["session": session, "text": text]) }

    static let requests: [BadRequest] = [
        BadRequest(name: "empty text", body: { text("", session: $0) }, status: .unprocessableContent, code: "empty_text"),
        BadRequest(name: "whitespace-only text", body: { text(" \n\t\u{3000} ", session: $0) },
                   status: .unprocessableContent, code: "empty_text"),
        BadRequest(name: "a 100 KB message", body: { text(String(repeating: "a", count: 100 * 1024), session: $0) },
                   status: .contentTooLarge, code: "body_too_large"),
        BadRequest(name: "text of 2001 characters", body: { text(String(repeating: "a", count: 2001), session: $0) },
                   status: .unprocessableContent, code: "text_too_long"),
        BadRequest(name: "text of 2001 Korean characters", body: { text(String(repeating: "가", count: 2001), session: $0) },
                   status: .unprocessableContent, code: "text_too_long"),
        BadRequest(name: "invalid JSON", body: { _ in ##"{"session": "s", "text": "#"## }, status: .badRequest,
                   code: "invalid_json"),
        BadRequest(name: "not an object", body: { _ in #"["hello"]"# }, status: .badRequest),
        BadRequest(name: "empty body", body: { _ in "" }, status: .badRequest),
        BadRequest(name: "missing session", body: { _ in #"{"text": "printer is jammed"}"# }, status: .badRequest,
                   code: "invalid_request"),
        BadRequest(name: "session of the wrong type", body: { _ in #"{"session": 42, "text": "printer is jammed"}"# },
                   status: .badRequest, code: "invalid_request"),
        BadRequest(name: "empty session", body: { _ in text("printer is jammed", session: "") }, status: .badRequest,
                   code: "invalid_request"),
        BadRequest(name: "session of 129 characters",
                   body: { _ in text("printer is jammed", session: String(repeating: "s", count: 129)) },
                   status: .badRequest, code: "invalid_request"),
        BadRequest(name: "session with a control character", body: { _ in text("printer is jammed", session: "a\u{7}b") },
                   status: .badRequest, code: "invalid_request"),
        BadRequest(name: "both text and action",
                   body: { JSON.string(["session": $0, "text": "printer is jammed", "action": "human"]) },
                   status: .badRequest, code: "invalid_request"),
        BadRequest(name: "neither text nor action", body: { JSON.string(["session": $0]) }, status: .badRequest,
                   code: "invalid_request"),
        BadRequest(name: "unknown button action", body: { JSON.string(["session": $0, "action": "explode"]) },
                   status: .badRequest, code: "unknown_button"),
        BadRequest(name: "button with a malformed article id",
                   body: { JSON.string(["session": $0, "action": "solved:../../etc"]) },
                   status: .badRequest, code: "unknown_button"),
        BadRequest(name: "rating out of range", body: { JSON.string(["session": $0, "action": "rate:6"]) },
                   status: .badRequest, code: "unknown_button"),
        BadRequest(name: "text for a session the server never issued",
                   body: { _ in text("printer is jammed", session: "made-up-\(UUID().uuidString)") },
                   status: .notFound, code: "unknown_session"),
        BadRequest(name: "valid button for an unknown session",
                   body: { _ in JSON.string(["session": "never-seen-\(UUID().uuidString)", "action": "human"]) },
                   status: .notFound, code: "unknown_session"),
    ]

    @Test("is refused and stores nothing", arguments: requests)
    func refused(_ request: BadRequest) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                // One real conversation first, so "nothing stored" is measured on a live database; a session that
                // has talked to the bot and one just issued: refusals must touch neither.
                let knownSession = try await client.newSession()
                _ = try await client.chat(session: knownSession, text: "printer is jammed")
                let before = try await RowCounts.of(database)
                #expect(before["conversation"] == 1)

                for session in [knownSession, try await client.newSession()] {
                    let response = try await client.postChat(request.body(session))
                    expectError(response, request.status, code: request.code)
                    let after = try await RowCounts.of(database)
                    #expect(after == before, "stored something: \(before) → \(after)")
                }
                // The conversation is where it was: the refused request did not reach the engine.
                let known = try await client.press(session: knownSession, action: "solved:printer-paper-jam")
                #expect(known.state == "closed")
            }
        }
    }

    @Test("the limits themselves are accepted: 2000 characters, text padded with spaces; issued sessions carry 256 random bits")
    func limitsAccepted() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let longText = String(repeating: "printer ", count: 250)   // 2000 characters
                #expect(longText.count == 2000)
                let long = try await client.chat(session: try await client.newSession(), text: longText)
                #expect(!long.replies.isEmpty)

                // 2000 characters once the surrounding whitespace is trimmed.
                let paddedSession = try await client.newSession()
                let padded = try await client.chat(session: paddedSession, text: "   " + String(repeating: "a", count: 2000) + "\n\n")
                #expect(padded.session == paddedSession)
                #expect(try await database.conversation(platform: .web, conversationKey: WebChatKey.conversationKey(paddedSession)) != nil)

                // `ws_` and 43 base64url characters (32 random bytes), a different one each time.
                var issued = Set<String>()
                for _ in 0..<50 { issued.insert(try await client.newSession()) }
                #expect(issued.count == 50)
                let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                #expect(issued.allSatisfy { $0.hasPrefix("ws_") && $0.count == 46 && $0.dropFirst(3).allSatisfy(alphabet.contains) })

                // A 128-character session the server never issued is unknown, and stores nothing.
                let before = try await RowCounts.of(database)
                expectError(try await client.postChat(Self.text("printer is jammed", session: String(repeating: "s", count: 128))),
                            .notFound, code: "unknown_session")
                #expect(try await RowCounts.of(database) == before)
            }
        }
    }

    @Test("GET messages without a session is 400, with an unknown one 404, and stores nothing")
    func pollRefused() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let knownSession = try await client.newSession()
                _ = try await client.chat(session: knownSession, text: "printer is jammed")
                let before = try await RowCounts.of(database)

                expectError(try await client.execute(uri: "/api/v1/chat/messages", method: .get), .badRequest,
                            code: "invalid_request")
                expectError(try await client.execute(uri: "/api/v1/chat/messages?session=nobody-here", method: .get),
                            .notFound, code: "unknown_session")
                let tooLong = String(repeating: "s", count: 129)
                expectError(try await client.execute(uri: "/api/v1/chat/messages?session=\(tooLong)", method: .get),
                            .badRequest, code: "invalid_request")
                #expect(try await RowCounts.of(database) == before)

                // The known session polls fine (its replies came in the POST response).
                #expect(try await client.poll(session: knownSession).replies.isEmpty)
            }
        }
    }

    @Test("an unknown route is 404")
    func unknownRoute() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, _ in
                let response = try await client.execute(uri: "/api/v1/nothing", method: .get)
                #expect(response.status == .notFound)
            }
        }
    }
}
