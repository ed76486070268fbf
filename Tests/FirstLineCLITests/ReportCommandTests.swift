import FirstLineCLI
import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import Testing

/// `firstline report` (issue: console, point 5) on a real SQLite file: the table, JSON and CSV
/// forms, and clear errors for bad dates.
@Suite("firstline report")
struct ReportCommandTests {
    static func seeded() async throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("firstline.sqlite").path
        let database = try AppDatabase.open(path: path)
        let employee = try await database.findOrCreateEmployee(platform: .web, platformUserID: "w1", displayName: "Web", at: Date())
        // Monday 2 March 2026, 10:00 in Seoul; answered and resolved an hour later.
        let created = Date(timeIntervalSince1970: 1_772_413_200)
        let ticket = try await database.createTicket(NewTicket(requesterID: employee.id!, channel: .web, subject: "VPN is down",
                                                               category: .network, priority: .p2), at: created)
        _ = try await database.update(TicketUpdate(ticketNumber: ticket.number, change: .message("Try again now"),
                                                   actor: .agent("ana")), at: created.addingTimeInterval(1800))
        _ = try await database.update(TicketUpdate(ticketNumber: ticket.number, change: .status(.resolved, note: nil),
                                                   actor: .agent("ana")), at: created.addingTimeInterval(3600))
        return folder
    }

    @Test("table, JSON and CSV of the same day")
    func formats() async throws {
        let folder = try await Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("firstline.sqlite").path
        let arguments = ["report", "--from", "2026-03-02", "--to", "2026-03-02", "--db", db, "--time-zone", "Asia/Seoul"]

        let table = await AgentUsersCommandTests.run(arguments)
        #expect(table.code == 0, "\(table.errors)")
        let text = table.output.joined(separator: "\n")
        #expect(text.contains("2026-03-02 – 2026-03-02 (Asia/Seoul)"))
        #expect(text.contains("tickets resolved"))
        #expect(text.contains("agent ana: assigned 0, resolved 1, median 60.0 min"), "\(text)")

        let json = await AgentUsersCommandTests.run(arguments + ["--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.output.joined().utf8)) as? [String: Any]
        let current = object?["current"] as? [String: Any]
        #expect((current?["tickets"] as? [String: Any])?["resolved"] as? Int == 1)
        #expect((current?["first_response"] as? [String: Any])?["median_minutes"] as? Double == 30)

        let csv = await AgentUsersCommandTests.run(arguments + ["--format", "csv"])
        #expect(csv.output.joined().contains("tickets_resolved,1\r\n"))
    }

    @Test("bad dates and formats are usage errors that read nothing")
    func refusals() async throws {
        for arguments in [["report", "--from", "2026-03-32", "--to", "2026-03-02"], ["report", "--from", "2026-03-05", "--to", "2026-03-02"],
                          ["report", "--from", "2026-03-01", "--to", "2026-03-02", "--format", "xml"],
                          ["report", "--from", "2026-03-01", "--to", "2026-03-02", "--time-zone", "Mars/Olympus"],
                          ["report", "--to", "2026-03-02"]] {
            let run = await AgentUsersCommandTests.run(arguments + ["--db", "/nonexistent/never/created.sqlite"])
            #expect(run.code == 2, "\(arguments): \(run.code) \(run.errors)")
            #expect(!FileManager.default.fileExists(atPath: "/nonexistent/never"))
        }
    }
}
