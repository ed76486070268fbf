import FirstLineCore
import FirstLineServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

/// `GET /api/v1/reports` and `GET /api/v1/tickets.csv` through the real server (issue: console,
/// point 5): a day of real traffic (an article solved, a chat ticket answered, resolved and rated,
/// a phone call) read back as figures; bad periods refused with the field named.
@Suite("reports API and tickets CSV")
struct ReportsAPITests {
    @Test("a day's traffic gives its figures, with the day before beside it")
    func figures() async throws {
        try await TestEnvironment.withAgentServer { env, client, database in
            let agent = try await issueToken(database, name: "ana", role: .agent)
            try await database.issueChatSessions(["rep-1", "rep-2"])
            // Solved by an article.
            _ = try await client.chat(session: "rep-1", text: "VPN is down")
            _ = try await client.press(session: "rep-1", action: "solved:vpn-connect")
            // A chat ticket, answered, resolved and rated 4.
            _ = try await client.chat(session: "rep-2", text: "the printer has a paper jam")
            var answer = try await client.press(session: "rep-2", action: "human")
            if answer.ticket == nil { answer = try await client.press(session: "rep-2", action: "blocks:yes") }
            let number = try #require(answer.ticket)
            env.clock.advance(by: 600)
            _ = try await client.apiJSON(.post, "/api/v1/tickets/\(number)/replies", token: agent,
                                         body: jsonBody(["text": "Open tray 2 and pull the sheet out."]), expect: .created)
            env.clock.advance(by: 600)
            _ = try await client.apiJSON(.post, "/api/v1/tickets/\(number)/resolve", token: agent, body: jsonBody(["note": "done"]))
            _ = try await client.press(session: "rep-2", action: "rate:4")
            // A phone call whose subject would be a formula in a spreadsheet.
            _ = try await client.apiJSON(.post, "/api/v1/tickets", token: agent, body: jsonBody([
                "employee": ["name": "Kim Minji", "email": "minji.kim@example.com"], "channel": "phone",
                "subject": "=HYPERLINK(\"http://evil.example\",\"click\")", "category": "hardware", "priority": "P3",
            ]), expect: .created)

            // The server's clock starts on Tuesday 4 March 2025, 10:00 in Seoul.
            let json = try await client.apiJSON(.get, "/api/v1/reports?from=2025-03-04&to=2025-03-04", token: agent)
            #expect(json[string: "from"] == "2025-03-04" && json[string: "to"] == "2025-03-04")
            #expect(json[string: "time_zone"] == "Asia/Seoul")
            let current = json[object: "current"]
            #expect(current[object: "tickets"]["opened"] as? Int == 2)
            #expect(current[object: "tickets"]["resolved"] as? Int == 1)
            #expect(current[object: "tickets"]["first_contact_resolved"] as? Int == 1)
            #expect(current[object: "deflection"]["confirmed"] as? Int == 1)
            #expect(current[object: "first_response"]["count"] as? Int == 1)
            #expect(current[object: "first_response"]["median_minutes"] as? Double == 10)
            #expect(current[object: "resolution"]["median_minutes"] as? Double == 20)
            #expect(current["average_rating"] as? Double == 4)
            let intake = (current["by_intake"] as? [[String: Any]] ?? []).map { "\($0["key"] ?? ""):\($0["count"] ?? "")" }
            #expect(Set(intake) == ["web:1", "phone:1"])
            // Nobody was assigned: the agent who resolved it carries it.
            let agents = current["agents"] as? [[String: Any]] ?? []
            #expect(agents.first?["agent"] as? String == "ana")
            #expect(agents.first?["resolved"] as? Int == 1)
            #expect(agents.first?["average_rating"] as? Double == 4)
            #expect(json[object: "previous"][object: "tickets"]["opened"] as? Int == 0)
            #expect(json[object: "definitions"][string: "first_contact_resolved"]?.contains("at most one reply") == true)

            let csv = try await client.api(.get, "/api/v1/tickets.csv?from=2025-03-04&to=2025-03-04", token: agent)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = String(buffer: csv.body).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 3)
            #expect(lines.first?.hasPrefix("number,created_at,channel,intake") == true)
            #expect(lines.last?.hasSuffix(#","'=HYPERLINK(""http://evil.example"",""click"")""#) == true, "\(lines.last ?? "")")
        }
    }

    @Test("bad periods and missing rights are refused, naming the field")
    func refusals() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let agent = try await issueToken(database, name: "ana", role: .agent)
            let editor = try await issueToken(database, name: "ed", role: .editor)
            #expect(try await client.api(.get, "/api/v1/reports?from=2025-03-01&to=2025-03-02", token: nil).status == .unauthorized)
            #expect(try await client.api(.get, "/api/v1/reports?from=2025-03-01&to=2025-03-02", token: editor).status == .forbidden)
            for (query, field) in [("to=2025-03-02", "from"), ("from=2025-03-01", "to"), ("from=2025-13-01&to=2025-03-02", "from"),
                                   ("from=2025-02-30&to=2025-03-02", "from"), ("from=2025-03-05&to=2025-03-02", "to"),
                                   ("from=2024-01-01&to=2025-03-02", "to"), ("from=2025-03-01&to=2025-03-02&tz=Mars/Olympus", "tz"),
                                   ("from=20250301&to=2025-03-02", "from")] {
                let response = try await client.api(.get, "/api/v1/reports?\(query)", token: agent)
                #expect(response.status == .unprocessableContent, "\(query)")
                #expect(String(buffer: response.body).contains(field), "\(query): \(String(buffer: response.body))")
            }
            #expect(try await client.api(.get, "/api/v1/tickets.csv?from=x&to=y", token: agent).status == .unprocessableContent)
            let tokyo = try await client.apiJSON(.get, "/api/v1/reports?from=2025-03-01&to=2025-03-31&tz=Asia/Tokyo", token: agent)
            #expect(tokyo[string: "time_zone"] == "Asia/Tokyo")
            #expect((tokyo[object: "current"]["backlog"] as? [Any])?.count == 31)
        }
    }

    @Test("the gap report clusters what the knowledge base did not settle; editors and admins only")
    func gaps() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let editor = try await issueToken(database, name: "ed", role: .editor)
            let agent = try await issueToken(database, name: "ana", role: .agent)
            try await database.issueChatSessions(["gap-0", "gap-1", "gap-2", "gap-vpn"])
            for (index, text) in ["where can I get a parking permit", "my parking permit expired", "주차 등록은 어디서 하나요"].enumerated() {
                _ = try await client.chat(session: "gap-\(index)", text: text)
            }
            _ = try await client.chat(session: "gap-vpn", text: "VPN is down")
            _ = try await client.press(session: "gap-vpn", action: "broken:vpn-connect")
            let json = try await client.apiJSON(.get, "/api/v1/reports/gaps?from=2025-03-04&to=2025-03-04", token: editor)
            #expect((json["messages"] as? Int ?? 0) >= 4, "\(json)")
            let clusters = json["clusters"] as? [[String: Any]] ?? []
            let parking = clusters.first { ($0["examples"] as? [String])?.contains("my parking permit expired") == true }
            #expect(parking?["count"] as? Int ?? 0 >= 2, "\(clusters)")
            #expect((parking?["kinds"] as? [String: Int])?["out_of_scope"] ?? 0 >= 2)
            #expect(try await client.api(.get, "/api/v1/reports/gaps?from=2025-03-04&to=2025-03-04", token: agent).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/reports/gaps?from=2025-03-04", token: editor).status == .unprocessableContent)
        }
    }
}
