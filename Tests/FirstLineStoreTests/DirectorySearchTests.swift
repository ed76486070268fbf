import FirstLineCore
import Foundation
import Testing

@testable import FirstLineStore

/// The directory search behind the console's intake form, and the change stamp behind its live refresh,
/// on SQLite and PostgreSQL alike.
@Suite("Directory search and change stamps")
struct DirectorySearchTests {
    @Test("a part of a name, an e-mail or a department finds the employee, in any script; wildcards are literal",
          arguments: StorageKind.tested)
    func search(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        var kim = try await db.findOrCreateEmployee(displayName: "김민지", email: "minji.kim@example.com", at: Fixed.now)
        kim.department = "재무팀"
        kim = try await db.updateEmployee(kim)
        var sato = try await db.findOrCreateEmployee(displayName: "佐藤 花子", email: "hanako.sato@example.com", at: Fixed.now)
        sato.department = "経理部"
        sato = try await db.updateEmployee(sato)
        var ana = try await db.findOrCreateEmployee(displayName: "Ana Lopez", email: "ana@example.com", at: Fixed.now)
        ana.department = "Sales 50%_off"
        ana = try await db.updateEmployee(ana)

        #expect(try await db.searchEmployees("민지", limit: 20) == [kim])
        #expect(try await db.searchEmployees("佐藤", limit: 20) == [sato])
        #expect(try await db.searchEmployees("経理", limit: 20) == [sato], "by department")
        #expect(try await db.searchEmployees("MINJI.KIM@", limit: 20) == [kim], "e-mail without case")
        #expect(try await db.searchEmployees("ana lop", limit: 20) == [ana], "name without case")
        #expect(try await db.searchEmployees("example.com", limit: 20).map(\.displayName) == ["Ana Lopez", "佐藤 花子", "김민지"]
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }, "ordered by name")
        #expect(try await db.searchEmployees("example.com", limit: 2).count == 2)
        #expect(try await db.searchEmployees("50%_", limit: 20) == [ana], "% and _ are the characters themselves")
        #expect(try await db.searchEmployees("%", limit: 20) == [ana])
        #expect(try await db.searchEmployees("_", limit: 20) == [ana])
        #expect(try await db.searchEmployees("   ", limit: 20).isEmpty, "a blank search finds nobody rather than everyone")
        #expect(try await db.searchEmployees("nobody-like-this", limit: 20).isEmpty)
    }

    @Test("the change stamp is the newest ticket event, and moves when a ticket changes", arguments: StorageKind.tested)
    func changeStamp(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        #expect(try await db.latestTicketEventID() == 0)
        let employee = try await db.findOrCreateEmployee(displayName: "Bo", email: nil, at: Fixed.now)
        let ticket = try await db.createTicket(NewTicket(
            requesterID: employee.id!, channel: .phone, subject: "Printer", category: .hardware, priority: .p3,
            createdBy: .agent("ana")), at: Fixed.now)
        let created = try await db.latestTicketEventID()
        #expect(created > 0)
        _ = try await db.addNote(number: ticket.number, text: "called back", actor: .agent("ana"), at: Fixed.later(seconds: 60))
        let noted = try await db.latestTicketEventID()
        #expect(noted > created)
        #expect(try await db.history(number: ticket.number).last?.id == noted)
    }
}
