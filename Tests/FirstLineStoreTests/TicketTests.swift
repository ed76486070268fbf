import FirstLineCore
import Foundation
import GRDB
import Testing

@testable import FirstLineStore

@Suite("Tickets and their history")
struct TicketTests {
    @Test("every ticket change writes one history row with before and after", arguments: StorageKind.tested)
    func changesWriteHistory(kind: StorageKind) async throws {
        // Given a new P3 ticket
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, conversation) = try await db.makeEmployeeAndConversation()
        let ticket = try await db.createTicket(
            NewTicket(
                requesterID: employee.id!, conversationID: conversation.id, channel: .slack, subject: "VPN down",
                category: .network, priority: .p3, transcript: "employee: VPN down"),
            at: Fixed.now)
        let agent = TicketActor.agent("ana")

        // When an agent works it through its lifecycle
        _ = try await db.changeStatus(number: ticket.number, to: .open, actor: agent, at: Fixed.later(seconds: 10))
        _ = try await db.changePriority(
            number: ticket.number, to: .p1, resolutionDueAt: Fixed.later(seconds: 3_600), actor: agent, at: Fixed.later(seconds: 20))
        _ = try await db.changeCategory(number: ticket.number, to: .access, actor: agent, at: Fixed.later(seconds: 30))
        _ = try await db.changeTeam(number: ticket.number, to: "Network", actor: .system, at: Fixed.later(seconds: 35))
        _ = try await db.changeAssignee(number: ticket.number, to: "ana", actor: agent, at: Fixed.later(seconds: 40))
        _ = try await db.appendMessage(number: ticket.number, text: "Rebooting the gateway", actor: agent, at: Fixed.later(seconds: 50))
        _ = try await db.addNote(number: ticket.number, text: "gateway fw 1.2", actor: agent, at: Fixed.later(seconds: 55))
        _ = try await db.changePriority(number: ticket.number, to: .p1, actor: agent, at: Fixed.later(seconds: 56))  // no change
        _ = try await db.changeStatus(number: ticket.number, to: .resolved, actor: agent, note: "fixed", at: Fixed.later(seconds: 60))
        let final = try await db.rate(number: ticket.number, rating: 5, actor: .employee(employee.id!), at: Fixed.later(seconds: 70))

        // Then the history lists each change once, in order, with before → after and who
        let history = try await db.history(number: ticket.number)
        #expect(history.map(\.kind) == [.created, .status, .priority, .category, .team, .assignee, .message, .note, .status, .rating])
        #expect(history.map(\.before) == [nil, "new", "P3", "network", nil, nil, nil, nil, "open", nil])
        #expect(history.map(\.after) == ["new", "open", "P1", "access", "Network", "ana", nil, nil, "resolved", "5"])
        #expect(history[0].actor == .employee(employee.id!))
        #expect(history[0].note == "employee: VPN down")
        #expect(history[4].actor == .system)
        #expect(history[6].note == "Rebooting the gateway")
        #expect(history[8].note == "fixed")
        #expect(history.last?.createdAt == Fixed.later(seconds: 70))

        // And the ticket shows the current picture
        #expect(try await db.ticket(number: ticket.number) == final)
        #expect(final.status == .resolved)
        #expect(final.priority == .p1)
        #expect(final.resolutionDueAt == Fixed.later(seconds: 3_600))
        #expect(final.firstRespondedAt == Fixed.later(seconds: 50))
        #expect(final.resolvedAt == Fixed.later(seconds: 60))
        #expect(final.rating == 5)
        #expect(final.updatedAt == Fixed.later(seconds: 70))
    }

    @Test("forbidden transitions, bad ratings and unknown numbers are refused and write nothing", arguments: StorageKind.tested)
    func refusedChanges(kind: StorageKind) async throws {
        // Given a closed ticket
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, _) = try await db.makeEmployeeAndConversation()
        let ticket = try await db.createTicket(
            NewTicket(requesterID: employee.id!, channel: .email, subject: "Mail", category: .email, priority: .p4), at: Fixed.now)
        _ = try await db.changeStatus(number: ticket.number, to: .closed, actor: .system, at: Fixed.later(seconds: 1))

        // When someone tries to reopen it, rate it 6, or touch a ticket that does not exist
        await #expect(throws: StoreError.invalidTransition(.ticket, id: ticket.number, from: "closed", to: "open")) {
            try await db.changeStatus(number: ticket.number, to: .open, actor: .bot, at: Fixed.later(seconds: 2))
        }
        await #expect(throws: StoreError.invalidValue("rating 6 of \(ticket.number) is outside 1...5")) {
            try await db.rate(number: ticket.number, rating: 6, actor: .employee(employee.id!), at: Fixed.later(seconds: 2))
        }
        await #expect(throws: StoreError.notFound(.ticket, "HD-999999")) {
            try await db.changeAssignee(number: "HD-999999", to: "bo", actor: .bot, at: Fixed.now)
        }
        await #expect(throws: StoreError.notFound(.ticket, "HD-999999")) { try await db.history(number: "HD-999999") }
        await #expect(throws: StoreError.notFound(.employee, "999")) {
            try await db.createTicket(NewTicket(requesterID: 999, channel: .visit, subject: "x", category: .general, priority: .p4), at: Fixed.now)
        }

        // Then only "created" and "closed" are in the history, and closing set the resolution time
        #expect(try await db.history(number: ticket.number).map(\.kind) == [.created, .status])
        #expect(try await db.ticket(number: ticket.number)?.resolvedAt == Fixed.later(seconds: 1))
        #expect(try await store.count("ticket") == 1)
    }

    @Test("open tickets are listed per requester and per conversation", arguments: StorageKind.tested)
    func openTickets(kind: StorageKind) async throws {
        // Given Ana with three tickets, one resolved, and Bo with one
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (ana, conversation) = try await db.makeEmployeeAndConversation()
        let (bo, _) = try await db.makeEmployeeAndConversation(userID: "U2", channel: "D2")
        var numbers: [String] = []
        for subject in ["one", "two", "three"] {
            let new = NewTicket(
                requesterID: ana.id!, conversationID: conversation.id, channel: .slack, subject: subject, category: .software,
                priority: .p3)
            numbers.append(try await db.createTicket(new, at: Fixed.now).number)
        }
        _ = try await db.createTicket(
            NewTicket(requesterID: bo.id!, channel: .phone, subject: "bo", category: .hardware, priority: .p2), at: Fixed.now)

        // When the third is resolved and the second is waiting on Ana
        _ = try await db.changeStatus(number: numbers[2], to: .resolved, actor: .agent("lee"), at: Fixed.later(seconds: 1))
        _ = try await db.changeStatus(number: numbers[1], to: .waiting, actor: .agent("lee"), at: Fixed.later(seconds: 1))

        // Then her open tickets are the first two, oldest first, and the conversation's newest open one is the second
        #expect(try await db.openTickets(requesterID: ana.id!).map(\.subject) == ["one", "two"])
        #expect(try await db.openTicket(conversationID: conversation.id!)?.number == numbers[1])
        #expect(try await db.openTickets(requesterID: bo.id!).map(\.channel) == [.phone])
        // The queue's filters by category and by how the request came in, alone and together.
        #expect(try await db.tickets(matching: TicketQuery(category: .hardware), now: Fixed.now).map(\.subject) == ["bo"])
        #expect(try await db.tickets(matching: TicketQuery(channel: .slack), now: Fixed.now).count == 3)
        #expect(try await db.tickets(matching: TicketQuery(category: .software, channel: .phone), now: Fixed.now).isEmpty)
        #expect(numbers == ["HD-000001", "HD-000002", "HD-000003"])
        #expect(try await db.ticket(number: "HD-000404") == nil)
    }

    @Test("the database refuses UPDATE and DELETE on ticket history", arguments: StorageKind.tested)
    func historyIsAppendOnly(kind: StorageKind) async throws {
        // Given a ticket with its "created" event
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, _) = try await db.makeEmployeeAndConversation()
        let ticket = try await db.createTicket(
            NewTicket(requesterID: employee.id!, channel: .web, subject: "x", category: .general, priority: .p4), at: Fixed.now)
        let before = try await db.history(number: ticket.number)

        // When raw SQL tries to rewrite or erase it
        let update = await #expect(throws: StoreError.self) {
            try await store.execute("UPDATE ticketEvent SET actor = 'agent:mallory'")
        }
        let delete = await #expect(throws: StoreError.self) {
            try await store.execute("DELETE FROM ticketEvent")
        }

        // Then both are aborted by the triggers (SQLite's trigger code; PostgreSQL's restrict_violation) and the
        // history is unchanged
        for error in [update, delete] {
            guard case let .database(code, message)? = error else {
                Issue.record("expected a database error, got \(String(describing: error))")
                continue
            }
            #expect(message.contains("ticketEvent is append-only"))
            #expect(code == (kind == .postgres ? 23001 : ResultCode.SQLITE_CONSTRAINT_TRIGGER.rawValue))
        }
        #expect(try await db.history(number: ticket.number) == before)
    }

    @Test("ticket numbers are HD- and six digits derived from the id")
    func numberFormat() {
        #expect(Ticket.number(forID: 1) == "HD-000001")
        #expect(Ticket.number(forID: 42) == "HD-000042")
        #expect(Ticket.number(forID: 1_234_567) == "HD-1234567")
    }

    @Test("the status lifecycle allows reopening a resolved ticket but not a closed one")
    func lifecycle() {
        #expect(TicketStatus.resolved.canTransition(to: .open))
        #expect(TicketStatus.waiting.canTransition(to: .open))
        #expect(!TicketStatus.closed.canTransition(to: .open))
        #expect(!TicketStatus.open.canTransition(to: .new))
        #expect(TicketStatus.openStatuses == [.new, .open, .waiting])
    }
}
