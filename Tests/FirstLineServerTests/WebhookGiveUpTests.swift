import FirstLineCore
import FirstLineMessengers
import FirstLineServer
import FirstLineTestSupport
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

/// Issue 6 §4: a message the platform keeps refusing is given up after the configured age, and
/// the agents learn it from a note on the conversation's open ticket.
@Suite("Outbox: giving up", .serialized)
struct WebhookGiveUpTests {
    @Test("a reply that cannot be delivered within the maximum age is given up with a ticket note")
    func givesUpWithTicketNote() async throws {
        var retry = RetryPolicy()
        retry.initialDelay = 0.2
        retry.maximumDelay = 0.4
        retry.maximumAge = 1.5
        try await WebhookWorld.with(.slackOnly, retry: retry) { world in
            // Given an escalated Slack conversation with an open ticket
            let question = WebhookSigning.slackDM(eventID: "EvGIVE1", text: "VPN이 안 돼요", ts: "1700000200.000100")
            #expect(try await world.client.slack("events", body: question).status == .ok)
            try await world.settle()
            for (index, action) in ["human", "blocks:yes"].enumerated() {
                let press = WebhookSigning.slackButton(value: action, actionTS: "1700000201.00000\(index)")
                #expect(try await world.client.slack("actions", body: press, form: true).status == .ok)
                try await world.settle()
            }
            let ticket = try #require(try await world.database.read { db in try Ticket.fetchOne(db) })

            // When the platform refuses everything from now on and the employee asks for a status
            await world.fake.failNext(.serverError(), count: 1000)
            let status = WebhookSigning.slackDM(eventID: "EvGIVE2", text: "내 티켓 상태 알려줘", ts: "1700000202.000100")
            #expect(try await world.client.slack("events", body: status).status == .ok)

            // Then the reply is marked failed and the ticket carries a note saying so
            let failed = try await world.eventually("the undeliverable reply to be given up") { () -> OutboxMessage? in
                try await world.outboxRows().first { $0.status == .failed }
            }
            #expect(failed.lastError?.hasPrefix("gave up") == true)
            let note = try await world.eventually("the ticket note") { () -> TicketEvent? in
                try await world.database.history(number: ticket.number).first { $0.kind == .note }
            }
            #expect((note.after ?? note.note ?? "").contains("could not be delivered"))

            // And /metrics counts it, next to the webhook events that were accepted
            let metrics = try await world.client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: metrics.body)
            #expect(text.contains(#"firstline_outbox_given_up_total{platform="slack"} 1"#), "\(text)")
            #expect(text.contains(#"firstline_webhook_events_total{platform="slack",result="accepted"} 4"#))
            #expect(text.contains("firstline_tickets_open 1"))
            #expect(text.contains("# TYPE firstline_outbox_deliveries_total counter"))
        }
    }

    @Test("Telegram /start is greeted (a join event reaches the engine)")
    func startIsGreeted() async throws {
        try await WebhookWorld.with { world in
            let start = WebhookSigning.telegramText(updateID: 990_001, text: "/start")
            #expect(try await world.client.telegram(body: start).status == .ok)
            try await world.settle()
            #expect(try await world.inboxCount() == 1)
            let sent = await world.fake.calls(pathContaining: "sendMessage").map(TelegramPost.init)
            #expect(sent.count == 1)
            #expect(sent.first?.text.isEmpty == false)
        }
    }
}
