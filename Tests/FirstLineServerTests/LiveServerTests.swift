import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The same application on a real loopback socket (`.live` binds an ephemeral port on localhost).
@Suite("web chat API over a real socket")
struct LiveServerTests {
    @Test("health, a chat question and a bad request over HTTP on a real port")
    func liveChat() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer(.live) { client, database in
                let port = try #require(client.port, "the live client knows the port it connected to")
                #expect(port > 0)

                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)

                let session = try await client.newSession()
                let answer = try await client.chat(session: session, text: "VPN이 안 돼요")
                #expect(answer.replies.first?.articles.first?.id == "vpn-connect" || answer.articleIDs.contains("vpn-connect"),
                        "\(answer.articleIDs)")
                #expect(answer.ticket == nil)
                #expect(try await database.conversation(platform: .web, conversationKey: WebChatKey.conversationKey(session)) != nil)

                let before = try await RowCounts.of(database)
                expectError(try await client.postChat(JSON.string(["session": session, "text": "   "])),
                            .unprocessableContent, code: "empty_text")
                expectError(try await client.postChat(JSON.string(["session": session, "action": "explode"])),
                            .badRequest, code: "unknown_button")
                expectError(try await client.postChat(##"{"session": "#"##), .badRequest, code: "invalid_json")
                #expect(try await RowCounts.of(database) == before)

                // The connection is still usable after the refusals.
                let solved = try await client.press(session: session,
                                                    action: "solved:\(answer.shownArticle ?? "vpn-connect")")
                #expect(solved.state == DialoguePhase.closed.rawValue)
            }
        }
    }

    @Test("a body over the chat limit is 413 over a real socket, and stores nothing")
    func liveOversizedBody() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer(.live) { client, database in
                let before = try await RowCounts.of(database)
                let body = JSON.string(["session": "live-big", "text": String(repeating: "a", count: 100 * 1024)])
                expectError(try await client.postChat(body), .contentTooLarge, code: "body_too_large")
                #expect(try await RowCounts.of(database) == before)
            }
        }
    }
}
