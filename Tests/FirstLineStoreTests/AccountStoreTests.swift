import FirstLineCore
import Foundation
import GRDB
import Testing

@testable import FirstLineStore

/// The `account` table (migration v5-accounts) and the queue query of the agent API.
@Suite("accounts and the ticket queue")
struct AccountStoreTests {
    @Test("names are unique regardless of case; employee accounts need an existing employee", arguments: StorageKind.tested)
    func accountRules(kind: StorageKind) async throws {
        // Given a store with one employee and one agent account
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let database = store.database
        let employee = try await database.findOrCreateEmployee(displayName: "Bo", email: nil, at: Fixed.now)
        let ana = try await database.createAccount(NewAccount(name: "Ana", role: .agent, tokenHash: "h1"), at: Fixed.now)

        // Then it is found by hash and by name in any case, and the name cannot be taken again
        #expect(try await database.account(tokenHash: "h1") == ana)
        #expect(try await database.account(name: "ANA") == ana)
        await #expect(throws: StoreError.duplicate(.account, "ana")) {
            try await database.createAccount(NewAccount(name: "ana", role: .editor, tokenHash: "h2"), at: Fixed.now)
        }
        await #expect(throws: StoreError.invalidValue("an employee account needs an employee")) {
            try await database.createAccount(NewAccount(name: "bo", role: .employee, tokenHash: "h3"), at: Fixed.now)
        }
        await #expect(throws: StoreError.notFound(.employee, "999")) {
            try await database.createAccount(NewAccount(name: "bo", role: .employee, tokenHash: "h3", employeeID: 999), at: Fixed.now)
        }
        // The schema itself refuses an employee account without an employee, whatever the code does.
        await #expect(throws: (any Error).self) {
            try await store.execute("INSERT INTO account (name, role, tokenHash, createdAt) VALUES ('x', 'employee', 'h4', '2025-06-15 15:06:40')")
        }
        let bo = try await database.createAccount(
            NewAccount(name: "bo", role: .employee, tokenHash: "h3", employeeID: employee.id), at: Fixed.now)
        #expect(bo.employeeID == employee.id)

        // When an account is disabled, twice
        let disabled = try await database.disableAccount(name: "ana", at: Fixed.later(seconds: 60))
        let again = try await database.disableAccount(name: "ana", at: Fixed.later(seconds: 120))

        // Then the first time counts, and the account is still found (the caller refuses it)
        #expect(disabled.disabledAt == Fixed.later(seconds: 60))
        #expect(again.disabledAt == Fixed.later(seconds: 60))
        #expect(try await database.account(tokenHash: "h1")?.isDisabled == true)
        #expect(try await database.accounts().map(\.name) == ["Ana", "bo"])
    }

    @Test("several changes to one ticket are applied all or none", arguments: StorageKind.tested)
    func updatesAreAtomic(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let database = store.database
        let employee = try await database.findOrCreateEmployee(displayName: "Bo", email: "bo@example.com", at: Fixed.now)
        let ticket = try await database.createTicket(
            NewTicket(requesterID: employee.id!, channel: .phone, subject: "s", category: .hardware, priority: .p3), at: Fixed.now)
        let actor = TicketActor.agent("ana")

        // A valid change followed by an invalid one: nothing is applied
        await #expect(throws: StoreError.self) {
            try await database.update([
                TicketUpdate(ticketNumber: ticket.number, change: .priority(.p1, firstResponseDueAt: nil, resolutionDueAt: nil), actor: actor),
                TicketUpdate(ticketNumber: ticket.number, change: .rating(9), actor: actor),
            ], at: Fixed.now)
        }
        #expect(try await database.ticket(number: ticket.number)?.priority == .p3)
        #expect(try await database.history(number: ticket.number).count == 1)

        // Two valid changes: two events
        let changed = try await database.update([
            TicketUpdate(ticketNumber: ticket.number, change: .priority(.p1, firstResponseDueAt: nil, resolutionDueAt: nil), actor: actor),
            TicketUpdate(ticketNumber: ticket.number, change: .assignee("ana"), actor: actor),
        ], at: Fixed.later(seconds: 5))
        #expect(changed.priority == .p1 && changed.assignee == "ana")
        #expect(try await database.history(number: ticket.number).map(\.kind) == [.created, .priority, .assignee])

        // The same e-mail, in another case, is the same employee
        #expect(try await database.findOrCreateEmployee(displayName: "B.", email: "BO@example.com", at: Fixed.now).id == employee.id)
        #expect(try await database.findOrCreateEmployee(displayName: "Bo", email: nil, at: Fixed.now).id != employee.id)
    }
}
