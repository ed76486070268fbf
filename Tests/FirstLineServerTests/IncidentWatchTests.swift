import FirstLineCore
import FirstLineServer
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import FirstLineStore

/// Outages through the real server (issue: outages, points 1 and 5): a burst of web chat reports in
/// three languages, the watch's pass on the same file and clock, the agents' notice and the API.
@Suite("incident watch: a burst of similar reports becomes one suspected incident, decided through the API")
struct IncidentWatchTests {
    static let agents = AgentChannel(platform: .slack, conversationKey: "slack:C0AGENTS")
    static let reports = ["VPN이 안 돼요", "VPN 연결이 안 돼요", "VPNにつながりません", "VPNが使えません", "VPN is down",
                          "can't connect to the VPN"]

    /// A watch on the server's file and clock, as the server's worker runs it.
    static func watch(_ env: TestEnvironment, _ database: AppDatabase) -> IncidentWatch {
        let parts = FirstLineApplication.makeParts(configuration: env.configuration, dependencies: env.dependencies(database))
        return IncidentWatch(store: database, thresholds: env.configuration.incidents, clock: env.clock,
                             logger: TestEnvironment.quietLogger, agentChannel: agents, library: parts.library)
    }

    static func withServer<T: Sendable>(_ body: @Sendable (TestEnvironment, any TestClientProtocol, AppDatabase) async throws -> T)
        async throws -> T {
        try await TestEnvironment.with { base in
            var env = base
            env.configuration.adminToken = testAdminToken
            // The tests drive the watch themselves, on the clock.
            env.configuration.incidentInterval = .seconds(3600)
            let captured = env
            return try await env.withServer { client, database in try await body(captured, client, database) }
        }
    }

    @Test("12 employees reporting the VPN in ko, ja and en raise one incident and one notice; the API confirms it once")
    func burst() async throws {
        try await Self.withServer { env, client, database in
            var sessions: [String] = []
            for _ in 0..<12 { sessions.append(try await client.newSession()) }
            for index in 0..<12 {
                let answer = try await client.chat(session: sessions[index], text: Self.reports[index % Self.reports.count])
                #expect(answer.shownArticle == "vpn-connect", "\(answer.allText.prefix(120))")
                env.clock.advance(by: 20)
            }
            // Three of them ask for a person: their tickets are the "me too" ones to link.
            var tickets: [String] = []
            for index in 0..<3 {
                var answer = try await client.press(session: sessions[index], action: "human")
                if answer.ticket == nil { answer = try await client.press(session: sessions[index], action: "blocks:yes") }
                tickets.append(try #require(answer.ticket))
            }
            let watch = Self.watch(env, database)
            let raised = try await watch.check()
            #expect(raised.map(\.topic) == ["article:vpn-connect"])
            #expect(raised.first?.reporters == 12)
            #expect(try await watch.check().isEmpty, "a second pass raises nothing new")

            let notices = try await database.read { db in
                try OutboxMessage.filter(Column("conversationKey") == Self.agents.conversationKey).fetchAll(db)
            }
            #expect(notices.count == 1)
            #expect(notices.first?.idempotencyKey == "incident:INC-1:suspected")
            #expect(notices.first?.payload.contains("12 employees") == true, "\(notices.first?.payload ?? "")")
            #expect(notices.first?.payload.contains("incident-confirm:INC-1") == true, "Confirm is a button in the channel")
            #expect(notices.first?.payload.contains("incident-dismiss:INC-1") == true)
            // Nothing was said to the employees.
            #expect(try await database.transcript(session: sessions[0]).allSatisfy { !$0.text.contains("INC-") })

            #expect(try await client.api(.get, "/api/v1/incidents", token: nil).status == .unauthorized)
            let list = try await client.apiJSON(.get, "/api/v1/incidents?open=true", token: testAdminToken)
            #expect(list["count"] as? Int == 1)
            #expect(list[array: "incidents"].first?[string: "status"] == "suspected")
            let confirmed = try await client.apiJSON(.post, "/api/v1/incidents/INC-1/confirm", token: testAdminToken)
            #expect(confirmed[string: "status"] == "confirmed")
            #expect(confirmed[string: "decided_by"] != nil)
            #expect(confirmed["linked_tickets"] as? [String] == tickets)
            let history = try await client.apiJSON(.get, "/api/v1/tickets/\(tickets[0])/history", token: testAdminToken)
            #expect(history[array: "history"].contains { $0[string: "after"] == "INC-1" }, "\(history)")
            #expect(try await client.api(.post, "/api/v1/incidents/INC-1/dismiss", token: testAdminToken).status == .conflict)
            #expect(try await client.api(.get, "/api/v1/incidents/INC-99", token: testAdminToken).status == .notFound)
            #expect(try await client.api(.get, "/api/v1/incidents?open=maybe", token: testAdminToken).status == .unprocessableContent)
        }
    }

    @Test("nine reporters, or twelve spread over an hour, raise nothing")
    func belowThreshold() async throws {
        try await Self.withServer { env, client, database in
            for index in 0..<9 {
                _ = try await client.chat(session: try await client.newSession(), text: Self.reports[index % Self.reports.count])
                env.clock.advance(by: 30)
            }
            let watch = Self.watch(env, database)
            #expect(try await watch.check().isEmpty)
            // Three more, but 20 minutes later: the first nine have left the 10-minute window.
            env.clock.advance(by: 1200)
            for index in 9..<12 {
                _ = try await client.chat(session: try await client.newSession(), text: Self.reports[index % Self.reports.count])
            }
            #expect(try await watch.check().isEmpty)
            #expect(try await client.apiJSON(.get, "/api/v1/incidents", token: testAdminToken)["count"] as? Int == 0)
        }
    }
}
