import FirstLineCore
import FirstLineServer
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

/// Major incidents through the real server (issue: outages, points 2–6): a replayed burst, the
/// agent's confirmation, the "me too" reports linked and told instead of filed, known-issue notices
/// in three languages, and the resolution told once to everyone linked, across a restart.
@Suite("major incidents: linked reports, notices and the resolution broadcast")
struct MajorIncidentTests {
    static let reports = IncidentWatchTests.reports + ["VPN 접속이 안 됩니다", "VPNに接続できない", "the VPN won't connect"]

    static func environment(_ base: TestEnvironment) -> TestEnvironment {
        var env = base
        env.configuration.adminToken = testAdminToken
        env.configuration.incidentInterval = .seconds(3600)
        return env
    }

    static func broadcaster(_ env: TestEnvironment, _ database: AppDatabase) -> IncidentBroadcaster {
        let parts = FirstLineApplication.makeParts(configuration: env.configuration, dependencies: env.dependencies(database))
        return IncidentBroadcaster(store: database, conversations: parts.conversations, clock: env.clock,
                                   logger: TestEnvironment.quietLogger)
    }

    static func ticketCount(_ database: AppDatabase) async throws -> Int {
        try await database.read { db in try Ticket.fetchCount(db) }
    }

    @Test("50 reports in ko/ja/en over 10 minutes raise one incident, posted once; confirmed, the next 10 are linked and told, not filed")
    func burstConfirmLinkAndTell() async throws {
        try await TestEnvironment.with { base in
            let env = Self.environment(base)
            try await env.withServer { client, database in
                try await database.issueChatSessions((0..<60).map { "report-\($0)" } + ["report-ko", "report-ja"])
                let watch = IncidentWatchTests.watch(env, database)
                var raised: [Incident] = []
                // The worker's pass every 30 s of the replay: 50 reports, one every 12 s.
                for index in 0..<50 {
                    _ = try await client.chat(session: "report-\(index)", text: Self.reports[index % Self.reports.count])
                    env.clock.advance(by: 12)
                    if index % 3 == 2 { raised += try await watch.check() }
                }
                raised += try await watch.check()
                #expect(raised.count == 1)
                let posted = try await database.read { db in
                    try OutboxMessage.filter(Column("idempotencyKey").like("incident:%:suspected")).fetchCount(db)
                }
                #expect(posted == 1)
                // Two of the first reporters already asked for a person: their tickets are "me too".
                for index in 0..<2 {
                    var answer = try await client.press(session: "report-\(index)", action: "human")
                    if answer.ticket == nil { answer = try await client.press(session: "report-\(index)", action: "blocks:yes") }
                    #expect(answer.ticket != nil)
                }
                let ticketsBefore = try await Self.ticketCount(database)
                let confirmed = try await client.apiJSON(.post, "/api/v1/incidents/INC-1/confirm", token: testAdminToken)
                #expect((confirmed["linked_tickets"] as? [String])?.count == 2)
                // Their owners are told at once, in their language (report-0 wrote Korean, report-1 Korean too).
                for index in 0..<2 {
                    let told = try await client.poll(session: "report-\(index)")
                    #expect(told.replies.contains { $0.text.contains("장애 INC-1") }, "\(told.replies.map(\.text))")
                }

                // The next ten, in three languages: linked and told at once, no article, no ticket.
                for index in 50..<60 {
                    let answer = try await client.chat(session: "report-\(index)", text: Self.reports[index % Self.reports.count])
                    #expect(answer.allText.contains("INC-1"), "\(answer.allText)")
                    #expect(answer.shownArticle == nil)
                    #expect(answer.ticket == nil)
                    #expect(answer.buttons.map(\.action) == ["other"])
                }
                let ko = try await client.chat(session: "report-ko", text: "VPN이 안 돼요")
                #expect(ko.allText.contains("IT팀이 해결하고 있어요"), "\(ko.allText)")
                let ja = try await client.chat(session: "report-ja", text: "VPNにつながりません")
                #expect(ja.allText.contains("IT担当が対応しています"), "\(ja.allText)")
                #expect(try await Self.ticketCount(database) == ticketsBefore)
                // The same employee again: still linked once.
                let again = try await client.chat(session: "report-50", text: "VPN still down")
                #expect(again.allText.contains("still being worked on"), "\(again.allText)")

                var detail = try await client.apiJSON(.get, "/api/v1/incidents/INC-1", token: testAdminToken)
                #expect(detail["linked_reports"] as? Int == 12)
                #expect(detail["affected"] as? Int == 14)

                // "This is something else": out of the incident, on to an ordinary ticket.
                var other = try await client.press(session: "report-51", action: "other")
                if other.ticket == nil, other.buttons.contains(where: { $0.action == "blocks:yes" }) {
                    other = try await client.press(session: "report-51", action: "blocks:no")
                }
                #expect(other.ticket != nil, "\(other.allText)")
                #expect(try await Self.ticketCount(database) == ticketsBefore + 1)
                detail = try await client.apiJSON(.get, "/api/v1/incidents/INC-1", token: testAdminToken)
                #expect(detail["affected"] as? Int == 13)
                // Typed instead of pressed, in Korean.
                let typed = try await client.chat(session: "report-ko", text: "다른 문제예요")
                #expect(!typed.allText.contains("INC-1"), "\(typed.allText)")
            }
        }
    }

    @Test("a dismissed incident links nothing: the next reports get the article as before")
    func dismissStopsLinking() async throws {
        try await TestEnvironment.with { base in
            let env = Self.environment(base)
            try await env.withServer { client, database in
                try await database.issueChatSessions((0..<12).map { "d-\($0)" } + ["d-new"])
                for index in 0..<12 {
                    _ = try await client.chat(session: "d-\(index)", text: Self.reports[index % Self.reports.count])
                    env.clock.advance(by: 20)
                }
                #expect(try await IncidentWatchTests.watch(env, database).check().count == 1)
                _ = try await client.apiJSON(.post, "/api/v1/incidents/INC-1/dismiss", token: testAdminToken)
                let answer = try await client.chat(session: "d-new", text: "VPN is down")
                #expect(answer.shownArticle == "vpn-connect")
                #expect(!answer.allText.contains("INC-1"))
                #expect(try await client.api(.post, "/api/v1/incidents/INC-1/resolve", token: testAdminToken, body: "{}").status
                    == .conflict)
            }
        }
    }

    @Test("a declared incident's notice is told first, in the employee's language or with a note; edited and ended through the API")
    func notices() async throws {
        try await TestEnvironment.with { base in
            let env = Self.environment(base)
            try await env.withServer { client, database in
                try await database.issueChatSessions(["n-en", "n-ko", "n-ko2", "n-ja", "n-en2", "n-after"])
                let body = #"{"article": "vpn-connect", "notice": {"en": "The VPN gateway is down; use the web portal meanwhile."}}"#
                let declared = try await client.apiJSON(.post, "/api/v1/incidents", token: testAdminToken, body: body,
                                                        expect: .created)
                #expect(declared[string: "status"] == "confirmed")
                let en = try await client.chat(session: "n-en", text: "VPN is down")
                #expect(en.allText.hasPrefix("From the IT team: The VPN gateway is down"), "\(en.allText)")
                let ko = try await client.chat(session: "n-ko", text: "VPN이 안 돼요")
                #expect(ko.allText.contains("The VPN gateway is down"))
                #expect(ko.allText.contains("(이 안내는 영어로만 작성되어 있어요.)"), "\(ko.allText)")

                _ = try await client.apiJSON(.put, "/api/v1/incidents/INC-1/notice", token: testAdminToken,
                                             body: #"{"ko": "VPN 장비 점검 중이에요. 웹 포털을 이용해 주세요.", "ja": "VPN装置を点検中です。"}"#)
                let ko2 = try await client.chat(session: "n-ko2", text: "VPN 연결이 안 돼요")
                #expect(ko2.allText.hasPrefix("IT팀 안내: VPN 장비 점검 중이에요."), "\(ko2.allText)")
                #expect(!ko2.allText.contains("영어로만"))
                let ja = try await client.chat(session: "n-ja", text: "VPNが使えません")
                #expect(ja.allText.hasPrefix("IT担当からのお知らせ：VPN装置を点検中です。"), "\(ja.allText)")

                _ = try await client.apiJSON(.delete, "/api/v1/incidents/INC-1/notice", token: testAdminToken)
                let plain = try await client.chat(session: "n-en2", text: "can't connect to the VPN")
                #expect(plain.allText.hasPrefix("This is a known problem"), "\(plain.allText)")

                // Bad input changes nothing.
                let bad: [(HTTPRequest.Method, String, String?, HTTPResponse.Status)] = [
                    (.post, "/api/v1/incidents", #"{"article": "no-such-article"}"#, .unprocessableContent),
                    (.post, "/api/v1/incidents", #"{"article": "vpn-connect", "term": "sap"}"#, .unprocessableContent),
                    (.post, "/api/v1/incidents", #"{"term": "the mail server"}"#, .unprocessableContent),
                    (.post, "/api/v1/incidents", #"{"article": "vpn-connect"}"#, .conflict),
                    (.post, "/api/v1/incidents", "not json", .badRequest),
                    (.put, "/api/v1/incidents/INC-1/notice", "{}", .unprocessableContent),
                    (.put, "/api/v1/incidents/INC-1/notice", #"{"en": "\#(String(repeating: "x", count: 1001))"}"#,
                     .unprocessableContent),
                    (.post, "/api/v1/incidents/INC-1/link", #"{"ticket": "HD-404"}"#, .notFound),
                    (.post, "/api/v1/incidents/INC-7/resolve", "{}", .notFound),
                ]
                for (method, path, body, status) in bad {
                    let response = try await client.api(method, path, token: testAdminToken, body: body)
                    #expect(response.status == status, "\(method) \(path) \(body ?? ""): \(String(buffer: response.body))")
                }
                let big = String(repeating: "a", count: 20_000)
                #expect(try await client.api(.post, "/api/v1/incidents", token: testAdminToken,
                                             body: #"{"term": "\#(big)"}"#).status == .contentTooLarge)
                let list = try await client.apiJSON(.get, "/api/v1/incidents", token: testAdminToken)
                #expect(list["count"] as? Int == 1)
                let resolved = try await client.apiJSON(.post, "/api/v1/incidents/INC-1/resolve", token: testAdminToken,
                                                        body: #"{"note": {"en": "Fixed."}}"#)
                #expect(resolved[string: "status"] == "resolved")
                #expect(resolved[string: "resolved_by"] != nil)
                #expect(try await client.api(.put, "/api/v1/incidents/INC-1/notice", token: testAdminToken,
                                             body: #"{"en": "late"}"#).status == .conflict)
                let after = try await client.chat(session: "n-after", text: "VPN is down")
                #expect(after.shownArticle == "vpn-connect", "a resolved incident is no longer told")
            }
        }
    }

    @Test("resolving tells each of 60 linked conversations once, in their language, though the server stops half-way; their tickets are resolved and rated once")
    func resolutionBroadcastAcrossRestart() async throws {
        try await TestEnvironment.with { base in
            let env = Self.environment(base)
            let languages: [(String, String)] = [("VPN이 안 돼요", "해결됐어요"), ("VPNにつながりません", "復旧しました"),
                                                 ("VPN is down", "is fixed")]
            // First process: a ticket opened before the incident, the incident, 59 reports, the resolution, half the broadcast.
            let ticket: String = try await env.withServer { client, database in
                try await database.issueChatSessions(["b-ticket"] + (0..<59).map { "b-\($0)" })
                var answer = try await client.chat(session: "b-ticket", text: "VPN is down")
                answer = try await client.press(session: "b-ticket", action: "human")
                if answer.ticket == nil { answer = try await client.press(session: "b-ticket", action: "blocks:yes") }
                let number = try #require(answer.ticket)
                _ = try await client.apiJSON(.post, "/api/v1/incidents", token: testAdminToken, body: #"{"article": "vpn-connect"}"#,
                                             expect: .created)
                _ = try await client.apiJSON(.post, "/api/v1/incidents/INC-1/link", token: testAdminToken,
                                             body: #"{"ticket": "\#(number)"}"#)
                for index in 0..<59 {
                    let told = try await client.chat(session: "b-\(index)", text: languages[index % 3].0)
                    #expect(told.allText.contains("INC-1"))
                }
                #expect(try await client.apiJSON(.get, "/api/v1/incidents/INC-1", token: testAdminToken)["affected"] as? Int == 60)
                // Resolved in the store, not through the API, so that the server's own worker is not woken:
                // this broadcaster alone tells 25 and the process stops, as a crash would leave it.
                let resolved = try await database.resolveIncident(
                    id: 1, note: IncidentNote(ko: "게이트웨이를 교체했어요.", en: "The gateway was replaced."), by: "lead",
                    at: env.clock.now())
                #expect(resolved.status == .resolved)
                #expect(try await Self.broadcaster(env, database).pass(limit: 25) == 25)
                return number
            }
            // Second process on the same file: its worker's first pass and this broadcaster race for the
            // other 35 (as two replicas would); each employee is still told once.
            try await env.withServer { client, database in
                let broadcaster = Self.broadcaster(env, database)
                #expect(try await broadcaster.pass() <= 35)
                #expect(try await broadcaster.pass() == 0)
                let keys = try await database.read { db in
                    try String.fetchAll(db, sql: "SELECT idempotencyKey FROM outbox WHERE idempotencyKey LIKE 'incident:INC-1:resolved:%'")
                }
                let firstMessages = keys.filter { $0.hasSuffix(":1") }
                #expect(firstMessages.count == 60)
                #expect(Set(firstMessages).count == 60)
                for index in 0..<59 {
                    let transcript = try await database.transcript(session: "b-\(index)")
                    let fixed = transcript.filter { $0.author == .bot && $0.text.contains("INC-1") && $0.text.contains(languages[index % 3].1) }
                    #expect(fixed.count == 1, "b-\(index): \(transcript.map(\.text))")
                }
                let ko = try await database.transcript(session: "b-0")
                #expect(ko.contains { $0.text.contains("게이트웨이를 교체했어요.") })
                let ja = try await database.transcript(session: "b-1")
                // No Japanese note was written: the English one stands in.
                #expect(ja.contains { $0.text.contains("The gateway was replaced.") })

                let detail = try await client.apiJSON(.get, "/api/v1/tickets/\(ticket)", token: testAdminToken)
                #expect((detail["ticket"] as? [String: Any])?[string: "status"] == "resolved")
                let history = (detail["history"] as? [[String: Any]]) ?? []
                #expect(history.contains { $0[string: "note"]?.hasPrefix("resolved with the major incident INC-1") == true })
                let rating = try await client.poll(session: "b-ticket")
                #expect(rating.replies.contains { $0.buttons.contains { $0.action == "rate:5" } }, "\(rating.replies.map(\.text))")
                let rated = try await client.press(session: "b-ticket", action: "rate:5")
                #expect(rated.state == "closed")
                let incident = try await client.apiJSON(.get, "/api/v1/incidents/INC-1", token: testAdminToken)
                #expect(incident["told"] as? Int == 60)
                // Resolved is final.
                #expect(try await client.api(.post, "/api/v1/incidents/INC-1/resolve", token: testAdminToken, body: "{}").status
                    == .conflict)
            }
        }
    }
}
