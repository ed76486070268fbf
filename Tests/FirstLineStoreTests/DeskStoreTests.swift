import FirstLineCore
import Foundation
import GRDB
import Testing

@testable import FirstLineStore

/// The desk's rows (design §5): routing applied in one transaction, timers that survive a reopen of
/// the file, approvals created with their ticket, and the directory import.
@Suite("desk store: routing, timers, approvals, directory")
struct DeskStoreTests {
    static let calendar = BusinessCalendar.twentyFourSeven(timeZone: TimeZone(identifier: "Asia/Seoul")!)
    static let router = try! TicketRouter(
        teams: [Team(id: "desk", categories: Set(ArticleCategory.allCases), memberIDs: ["ana", "bo"], strategy: .roundRobin)],
        agents: [Agent(id: "ana", capacity: 1, calendar: calendar), Agent(id: "bo", capacity: 1, calendar: calendar)],
        defaultTeamID: "desk", reassignAfterMinutes: 30)

    func newTicket(_ db: any HelpdeskStore, requester: Int64, subject: String, approval: Bool = false,
                   at time: Date = Fixed.now) async throws -> Ticket {
        try await db.createTicket(NewTicket(requesterID: requester, channel: .web, subject: subject, category: .hardware,
                                            priority: .p3, needsApproval: approval), at: time)
    }

    /// Routes every unrouted ticket and drains the queues, as the desk's pass does.
    func routeAll(_ db: any HelpdeskStore, at now: Date, router: TicketRouter = Self.router) async throws -> [RoutingDecision] {
        try await db.route(at: now, reassignAfter: 1800) { snapshot in
            router.marking(away: snapshot.awayAgentIDs)
                .pass(state: snapshot.state, arrivals: snapshot.unrouted, dueReassignments: snapshot.dueReassignments, now: now)
        }.decisions
    }

    @Test("tickets are assigned in turn up to capacity, the rest queue, and a closed ticket frees a place", arguments: StorageKind.tested)
    func assignQueueDrain(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, _) = try await db.makeEmployeeAndConversation()
        let first = try await newTicket(db, requester: employee.id!, subject: "one")
        let second = try await newTicket(db, requester: employee.id!, subject: "two")
        let third = try await newTicket(db, requester: employee.id!, subject: "three")

        let decisions = try await routeAll(db, at: Fixed.now)
        #expect(decisions.count == 3)
        #expect(try await db.ticket(number: first.number)?.assignee == "ana")
        #expect(try await db.ticket(number: second.number)?.assignee == "bo")
        let waiting = try #require(try await db.ticket(number: third.number))
        #expect(waiting.team == "desk" && waiting.assignee == nil)
        #expect(try await store.count("routingCursor") == 1)

        // A second pass changes nothing: everything is where it belongs.
        #expect(try await routeAll(db, at: Fixed.later(seconds: 60)).isEmpty)

        // Ana resolves hers: the queued ticket goes to her, with the reason in the history.
        _ = try await db.update(TicketUpdate(ticketNumber: first.number, change: .status(.resolved, note: nil), actor: .agent("ana")),
                                at: Fixed.later(seconds: 120))
        let drained = try await routeAll(db, at: Fixed.later(seconds: 180))
        #expect(drained == [.assigned(ticketID: third.number, agentID: "ana", teamID: "desk", reason: .dequeued(.roundRobin))])
        let history = try await db.history(number: third.number)
        #expect(history.contains { $0.kind == .assignee && $0.after == "ana" && $0.note?.contains("from the queue") == true })
    }

    @Test("an assignee who does not act in time loses the ticket and is not given it again", arguments: StorageKind.tested)
    func reassignment(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, _) = try await db.makeEmployeeAndConversation()
        let ticket = try await newTicket(db, requester: employee.id!, subject: "silent")
        _ = try await routeAll(db, at: Fixed.now)
        #expect(try await db.ticket(number: ticket.number)?.assignee == "ana")
        let timers = try await db.pendingTimers(ticketID: ticket.id!)
        #expect(timers.map(\.kind) == [.reassign])
        #expect(timers.first?.dueAt == Fixed.later(seconds: 1800))

        // Not yet due: nothing moves.
        #expect(try await routeAll(db, at: Fixed.later(seconds: 1799)).isEmpty)
        // Due, and ana never wrote: bo gets it, ana is remembered.
        let decisions = try await routeAll(db, at: Fixed.later(seconds: 1800))
        #expect(decisions == [.assigned(ticketID: ticket.number, agentID: "bo", teamID: "desk", reason: .reassigned(from: "ana", .roundRobin))])
        #expect(try await store.count("ticketPassOver") == 1)
        // Bo replies within his window: the next check finds him active and leaves the ticket with him.
        _ = try await db.update(TicketUpdate(ticketNumber: ticket.number, change: .message("on it"), actor: .agent("bo")),
                                at: Fixed.later(seconds: 1900))
        #expect(try await routeAll(db, at: Fixed.later(seconds: 3600)).isEmpty)
        #expect(try await db.ticket(number: ticket.number)?.assignee == "bo")
    }

    @Test("an away agent gets nothing; a request waiting for approval is not routed until approved", arguments: StorageKind.tested)
    func awayAndApproval(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, _) = try await db.makeEmployeeAndConversation()
        try await db.setPresence(agentID: "ana", online: false, at: Fixed.now)
        let request = try await newTicket(db, requester: employee.id!, subject: "Photoshop licence", approval: true)
        let plain = try await newTicket(db, requester: employee.id!, subject: "mouse")
        _ = try await routeAll(db, at: Fixed.now)
        #expect(try await db.ticket(number: plain.number)?.assignee == "bo")
        #expect(try await db.ticket(number: request.number)?.team == nil, "held until approved")
        #expect(try await db.unrequestedApprovals().map(\.ticket.number) == [request.number])
        // The queue can say which tickets are held: only the request has an approval, and it is pending.
        #expect(try await db.approvalStatuses(ticketIDs: [request.id!, plain.id!]) == [request.id!: .pending])
        #expect(try await db.approvalStatuses(ticketIDs: []).isEmpty)

        let asked = try await db.recordApprovalRequest(ticketID: request.id!, reminder: false, note: "asked", conversationID: nil,
                                                       messages: [], outbox: [], nextReminderAt: Fixed.later(seconds: 600),
                                                       timerID: nil, at: Fixed.now)
        #expect(asked)
        #expect(try await db.unrequestedApprovals().isEmpty)
        #expect(try await db.dueTimers(at: Fixed.later(seconds: 600), kinds: [.approvalReminder]).count == 1)

        _ = try await db.decideApproval(ticketNumber: request.number, approve: true, by: .employee(99), note: nil,
                                        at: Fixed.later(seconds: 60))
        #expect(try await db.dueTimers(at: Fixed.later(seconds: 600), kinds: [.approvalReminder]).isEmpty, "reminders stop")
        #expect(try await db.approvalStatuses(ticketIDs: [request.id!]) == [request.id!: .approved])
        await #expect(throws: StoreError.self) {
            _ = try await db.decideApproval(ticketNumber: request.number, approve: false, by: .employee(99), note: nil,
                                            at: Fixed.later(seconds: 70))
        }
        try await db.setPresence(agentID: "ana", online: true, at: Fixed.later(seconds: 80))
        _ = try await routeAll(db, at: Fixed.later(seconds: 90))
        #expect(try await db.ticket(number: request.number)?.assignee == "ana")
        let approvalEvents = try await db.history(number: request.number).filter { $0.kind == .approval }
        #expect(approvalEvents.map(\.after) == ["requested", "approved"])
        // The minute spent waiting for the manager does not count against the SLA.
        let facts = try await db.clockFacts(number: request.number)
        #expect(facts.facts.pauses == [SLAPause(start: Fixed.now, end: Fixed.later(seconds: 60))])
    }

    @Test("a refusal thrown while routing rolls the pass back and reaches the caller unchanged", arguments: StorageKind.tested)
    func refusalRollsBack(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, _) = try await db.makeEmployeeAndConversation()
        let ticket = try await newTicket(db, requester: employee.id!, subject: "not queued yet")
        // The ticket has no team, so it is not in any queue: claiming it is refused.
        await #expect(throws: RoutingError.ticketNotQueued(ticket.number)) {
            _ = try await db.route(at: Fixed.now, reassignAfter: 1800, actor: .agent("ana")) { snapshot in
                try Self.router.claim(ticketID: ticket.number, agentID: "ana", state: snapshot.state)
            }
        }
        #expect(try await db.ticket(number: ticket.number)?.assignee == nil)
        #expect(try await db.history(number: ticket.number).count == 1)
    }

    @Test("a rejected request is closed with the reason in its history", arguments: StorageKind.tested)
    func rejection(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, _) = try await db.makeEmployeeAndConversation()
        let request = try await newTicket(db, requester: employee.id!, subject: "admin rights", approval: true)
        let closed = try await db.decideApproval(ticketNumber: request.number, approve: false, by: .employee(7),
                                                 note: "not for this role", at: Fixed.later(seconds: 5))
        #expect(closed.status == .closed)
        let history = try await db.history(number: request.number)
        #expect(history.contains { $0.kind == .approval && $0.after == "rejected" && $0.note == "not for this role" })
        #expect(history.contains { $0.kind == .status && $0.after == "closed" })
    }

    @Test("SLA timers are rows: rescheduling replaces the pending ones, and they are still there after reopening the file")
    func timersSurviveReopen() async throws {
        let folder = TestStore.makeTemporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("firstline.sqlite").path
        var db = try AppDatabase.open(path: path)
        let (employee, _) = try await db.makeEmployeeAndConversation()
        let ticket = try await newTicket(db, requester: employee.id!, subject: "printer")
        let alarms = [SLAAlarmTime(metric: .firstResponse, alarm: .warning, at: Fixed.later(seconds: 100)),
                      SLAAlarmTime(metric: .firstResponse, alarm: .breach, at: Fixed.later(seconds: 200))]
        try await db.rescheduleSLA(ticketID: ticket.id!, alarms: alarms, firstResponseDue: Fixed.later(seconds: 199),
                                   resolutionDue: nil, at: Fixed.now)
        try await db.rescheduleSLA(ticketID: ticket.id!, alarms: alarms, firstResponseDue: Fixed.later(seconds: 199),
                                   resolutionDue: nil, at: Fixed.now)
        #expect(try await db.pendingTimers(ticketID: ticket.id!).count == 2, "the second schedule replaced the first")
        try db.close()

        db = try AppDatabase.open(path: path)
        defer { try? db.close() }
        let due = try await db.dueTimers(at: Fixed.later(seconds: 150), kinds: DeskTimer.Kind.allCases)
        #expect(due.map(\.kind) == [.firstResponseWarning])
        let update = TicketUpdate(ticketNumber: ticket.number, change: .slaAlarm(metric: "firstResponse", alarm: "warning"),
                                  actor: .system, note: "80%")
        #expect(try await db.fire(timerID: due[0].id!, updates: [update], outbox: [], at: Fixed.later(seconds: 150)))
        #expect(try await db.fire(timerID: due[0].id!, updates: [update], outbox: [], at: Fixed.later(seconds: 151)) == false,
                "a timer fires once")
        let facts = try await db.clockFacts(number: ticket.number)
        #expect(facts.firedAlarms == ["firstResponse:warning"])
        #expect(facts.ticket.firstResponseDueAt == Fixed.later(seconds: 199))
    }

    @Test("status history becomes SLA pauses", arguments: StorageKind.tested)
    func pausesFromHistory(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, _) = try await db.makeEmployeeAndConversation()
        let ticket = try await newTicket(db, requester: employee.id!, subject: "vpn")
        for (offset, status) in [(60.0, TicketStatus.waiting), (600, .open), (700, .waiting)] {
            _ = try await db.update(TicketUpdate(ticketNumber: ticket.number, change: .status(status, note: nil), actor: .agent("ana")),
                                    at: Fixed.later(seconds: offset))
        }
        let facts = try await db.clockFacts(number: ticket.number)
        #expect(facts.facts.pauses == [SLAPause(start: Fixed.later(seconds: 60), end: Fixed.later(seconds: 600)),
                                       SLAPause(start: Fixed.later(seconds: 700))])
    }

    @Test("the directory import creates, updates, adopts chat-only employees and links managers, all or nothing", arguments: StorageKind.tested)
    func directoryImport(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        // Minsu chatted on Slack before the import.
        let chatOnly = try await db.findOrCreateEmployee(platform: .slack, platformUserID: "U0MINSU", displayName: "minsu",
                                                         at: Fixed.now)
        let entries = [
            DirectoryEntry(directoryID: "E1", name: "박지영", email: "jiyoung@example.com", department: "IT"),
            DirectoryEntry(directoryID: "E2", name: "김민수", email: "minsu@example.com", department: "Sales", managerDirectoryID: "E1",
                           identities: [(.slack, "U0MINSU"), (.line, "Uline-minsu")]),
        ]
        let summary = try await db.importDirectory(entries, at: Fixed.now)
        #expect(summary == DirectoryImportSummary(created: 1, updated: 1, identitiesLinked: 1), "Slack was already his")
        let minsu = try #require(try await db.employee(directoryID: "E2"))
        #expect(minsu.id == chatOnly.id, "the chat-only employee is completed, not duplicated")
        #expect(minsu.displayName == "김민수")
        #expect(minsu.managerEmployeeID == (try await db.employee(directoryID: "E1"))?.id)
        #expect(try await db.employee(platform: .line, platformUserID: "Uline-minsu")?.id == minsu.id)

        // A re-import updates in place.
        let again = try await db.importDirectory(entries, at: Fixed.later(seconds: 10))
        #expect(again.created == 0 && again.updated == 2)
        #expect(try await store.count("employee") == 2)

        // An unknown manager rolls the whole import back.
        let before = try await store.count("employee")
        await #expect(throws: StoreError.self) {
            _ = try await db.importDirectory([DirectoryEntry(directoryID: "E3", name: "New"),
                                              DirectoryEntry(directoryID: "E4", name: "Other", managerDirectoryID: "E404")],
                                             at: Fixed.later(seconds: 20))
        }
        #expect(try await store.count("employee") == before)
        // An identity of another directory person is not moved.
        await #expect(throws: StoreError.self) {
            _ = try await db.importDirectory([DirectoryEntry(directoryID: "E5", name: "Thief", identities: [(.slack, "U0MINSU")])],
                                             at: Fixed.later(seconds: 30))
        }
    }
}
