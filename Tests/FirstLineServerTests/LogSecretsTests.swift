import FirstLineCore
import FirstLineMessengers
import FirstLineServer
import FirstLineTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import FirstLineStore

/// Issue 15, point 5: the main paths — a webhook of each platform answered through its API, a platform
/// failing and retried, the web chat, the agents' API with a token, a refused login — run with known
/// secrets and a logger that keeps everything down to trace; no secret, token or session appears in
/// any record (message, metadata or source), and nothing the employee wrote is logged at info or above.
@Suite("logs: structured, no secret at any level, no message text at info")
struct LogSecretsTests {
    /// Every record at every level, rendered as one line of text each.
    final class Capture: Sendable {
        struct Record: Sendable {
            var level: Logger.Level
            var text: String
            var metadata: [String: String]
        }

        let records = NIOLockedValueBox<[Record]>([])

        var logger: Logger {
            var logger = Logger(label: "firstline.tests.secrets") { _ in Handler(capture: self) }
            logger.logLevel = .trace
            return logger
        }

        struct Handler: LogHandler {
            let capture: Capture
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
                     file: String, function: String, line: UInt) {
                let merged = self.metadata.merging(metadata ?? [:]) { $1 }.mapValues(\.description)
                let text = "\(level) \(source) \(message) " + merged.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
                capture.records.withLockedValue { $0.append(Record(level: level, text: text, metadata: merged)) }
            }
        }
    }

    @Test("every main path at trace level: none of the secrets in any log output")
    func noSecretInLogs() async throws {
        let capture = Capture()
        let adminToken = "fl_log-test-bootstrap-admin-token-0123456789"
        let employeeWords = ["パスワードを忘れました", "printer is jammed", "my laptop screen is flickering badly"]
        var secrets = [WebhookSigning.slackSecret, WebhookSigning.slackToken, WebhookSigning.telegramToken,
                       WebhookSigning.telegramSecret, WebhookSigning.lineSecret, WebhookSigning.lineToken,
                       WebhookSigning.worksSecret, "client-secret", adminToken, "PRIVATE KEY"]
        let collected = NIOLockedValueBox<[String]>([])
        try await WebhookWorld.with(adminToken: adminToken, logger: capture.logger) { world in
            let client = world.client
            // A webhook of each platform, answered through its API (the fake records the calls).
            #expect(try await client.slack("events", body: WebhookSigning.slackDM(eventID: "EvLog1", text: employeeWords[1],
                                                                                 ts: "1700000000.000100")).status == .ok)
            #expect(try await client.telegram(body: WebhookSigning.telegramText(updateID: 900, text: employeeWords[0])).status == .ok)
            #expect(try await client.line(body: WebhookSigning.lineText(eventID: "01HLOGLINE00000000000000", text: employeeWords[0],
                                                                        replyToken: "rt-log-1")).status == .ok)
            #expect(try await client.lineWorks(body: WebhookSigning.lineWorksText(text: employeeWords[1])).status == .ok)
            try await world.settle()
            _ = try await world.calls("/sendMessage", atLeast: 1)
            // A platform that fails once: the retry is logged, with nothing of the request in it.
            await world.fake.failNext(.serverError(), pathContaining: "chat.postMessage")
            #expect(try await client.slack("events", body: WebhookSigning.slackDM(eventID: "EvLog2", text: employeeWords[2],
                                                                                 ts: "1700000000.000200")).status == .ok)
            try await world.settle()
            // Bad signatures and secrets are refused (and logged as refusals, not with what was presented).
            expectError(try await client.telegram(body: WebhookSigning.telegramText(updateID: 901, text: "hi"),
                                                  secret: WebhookSigning.telegramSecret + "-wrong"), .unauthorized)
            expectError(try await client.slack("events", body: WebhookSigning.slackDM(eventID: "EvLog3", text: "hi", ts: "1.2"),
                                               signature: "v0=" + String(repeating: "ab", count: 32)), .unauthorized)

            // The web chat: a session, a message, a poll by query, the history, an escalation.
            let session = try await client.newSession()
            collected.withLockedValue { $0.append(session) }
            _ = try await client.chat(session: session, text: employeeWords[2])
            _ = try await client.poll(session: session)
            _ = try await client.execute(uri: "/api/v1/chat/history?session=\(session)", method: .get)
            _ = try await client.press(session: session, action: "human")
            let filed = try await client.press(session: session, action: "blocks:yes")
            let number = try #require(filed.ticket)

            // The agents' API: an account created with the bootstrap token, then used; a refused login.
            let created = try await client.apiJSON(.post, "/api/v1/users", token: adminToken,
                                                   body: jsonBody(["name": "ana", "role": "agent"]), expect: .created)
            let agentToken = try #require(created[string: "token"])
            collected.withLockedValue { $0.append(agentToken) }
            #expect(try await client.api(.get, "/api/v1/me", token: agentToken).status == .ok)
            #expect(try await client.api(.post, "/api/v1/tickets/\(number)/claim", token: agentToken).status == .ok)
            #expect(try await client.api(.post, "/api/v1/tickets/\(number)/replies", token: agentToken,
                                         body: jsonBody(["text": "I am on it"])).status == .created)
            let wrong = "fl_log-test-wrong-token-9876543210"
            collected.withLockedValue { $0.append(wrong) }
            expectError(try await client.api(.get, "/api/v1/me", token: wrong), .unauthorized)
            // The agent's reply waits for the page's poll (web rows are delivered by the chat API).
            #expect(try await client.poll(session: session).replies.contains { $0.text.contains("I am on it") })
        }
        secrets += collected.withLockedValue { $0 }
        let records = capture.records.withLockedValue { $0 }
        // The paths did log: request lines with their ids, turns with conversation ids, agent actions with tickets.
        #expect(records.count > 50, "\(records.count) records")
        #expect(records.contains { $0.metadata["hb.request.id"] != nil && $0.metadata["http.path"] != nil })
        #expect(records.contains { $0.metadata["conversation.id"] != nil })
        #expect(records.contains { $0.metadata["http.path"] == "/api/v1/chat/history" }, "the poll's path is logged, its query is not")
        #expect(records.contains { $0.level >= .info && $0.metadata["ticket"] != nil })
        for secret in secrets {
            let leaks = records.filter { $0.text.contains(secret) }
            #expect(leaks.isEmpty, "'\(secret.prefix(12))…' in \(leaks.count) record(s): \(leaks.first?.text.prefix(300) ?? "")")
        }
        for words in employeeWords {
            let leaks = records.filter { $0.level >= .info && $0.text.contains(words) }
            #expect(leaks.isEmpty, "message text at info: \(leaks.first?.text.prefix(300) ?? "")")
        }
    }
}
