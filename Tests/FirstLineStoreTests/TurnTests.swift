import FirstLineCore
import Foundation
import Testing

@testable import FirstLineStore

@Suite("commitTurn: one transaction per dialogue turn")
struct TurnTests {
    /// The turn that escalates: reply with the ticket number, open the ticket, queue the reply.
    func escalation(_ conversation: Conversation, inboxEventID: Int64?, key: String, at now: Date) -> TurnCommit {
        TurnCommit(
            conversationID: conversation.id!, state: #"{"name":"ticketOpen"}"#, language: .en, now: now,
            inboxEventID: inboxEventID,
            messages: [
                NewMessage(direction: .inbound, author: .employee, text: "still broken, need a person"),
                NewMessage(direction: .outbound, author: .bot, text: "Ticket \(NewTicket.numberPlaceholder) is open."),
            ],
            newTicket: NewTicket(
                requesterID: conversation.employeeID, channel: TicketChannel(conversation.platform), subject: "Printer jam",
                category: .hardware, priority: .p3, transcript: "employee: printer jams", firstResponseDueAt: now.addingTimeInterval(3_600),
                createdBy: .bot),
            ticketAppends: [
                TurnCommit.TicketAppend(ticketNumber: NewTicket.numberPlaceholder, text: "still broken, need a person", actor: .bot)
            ],
            outbox: [
                NewOutboxMessage(
                    platform: conversation.platform, conversationKey: conversation.conversationKey, idempotencyKey: key,
                    payload: #"{"text":"Ticket \#(NewTicket.numberPlaceholder) is open."}"#)
            ])
    }

    @Test("tickets created by turns are numbered HD-000001, HD-000002, …", arguments: StorageKind.tested)
    func ticketNumbers(kind: StorageKind) async throws {
        // Given two employees' conversations and one pending inbox event
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (_, first) = try await db.makeEmployeeAndConversation()
        let (_, second) = try await db.makeEmployeeAndConversation(userID: "U2", channel: "D2")
        _ = try await db.record(platform: .slack, eventID: "Ev1", conversationKey: "D1", payload: "{}", receivedAt: Fixed.now)
        let event = try await db.pending(limit: 1)[0]

        // When each conversation escalates
        let one = try await db.commitTurn(escalation(first, inboxEventID: event.id, key: "Ev1#0", at: Fixed.later(seconds: 1)))
        let two = try await db.commitTurn(escalation(second, inboxEventID: nil, key: "Ev2#0", at: Fixed.later(seconds: 2)))

        // Then the tickets are numbered in order and the number reached the reply, the transcript and the outbox
        #expect(one.ticket?.number == "HD-000001")
        #expect(two.ticket?.number == "HD-000002")
        #expect(one.ticket?.conversationID == first.id)
        #expect(one.ticket?.channel == .slack)
        #expect(one.messages.map(\.text) == ["still broken, need a person", "Ticket HD-000001 is open."])
        #expect(one.enqueued.map(\.payload) == [#"{"text":"Ticket HD-000001 is open."}"#])
        #expect(try await db.messages(conversationID: second.id!).last?.text == "Ticket HD-000002 is open.")

        // And state, language, inbox and history were all written by the same turn
        #expect(one.conversation.state == #"{"name":"ticketOpen"}"#)
        #expect(try await db.conversation(id: first.id!)?.language == .en)
        #expect(try await db.conversation(id: first.id!)?.updatedAt == Fixed.later(seconds: 1))
        #expect(try await db.pending(limit: 10).isEmpty)
        let history = try await db.history(number: "HD-000001")
        #expect(history.map(\.kind) == [.created, .message])
        #expect(history[0].actor == .bot)
        #expect(try await db.openTicket(conversationID: first.id!)?.number == "HD-000001")
        #expect(try await db.due(now: Fixed.later(seconds: 2), limit: 10).count == 2)
    }

    @Test("a failing turn leaves nothing written", arguments: StorageKind.tested)
    func failingTurnIsRolledBack(kind: StorageKind) async throws {
        // Given a conversation with a pending inbox event
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (_, conversation) = try await db.makeEmployeeAndConversation()
        _ = try await db.record(platform: .slack, eventID: "Ev1", conversationKey: "D1", payload: "{}", receivedAt: Fixed.now)
        let event = try await db.pending(limit: 1)[0]
        let counts = { @Sendable () async throws -> [Int] in
            var result: [Int] = []
            for table in ["message", "suggestion", "learnedPhrase", "ticket", "ticketEvent", "outbox"] {
                result.append(try await store.count(table))
            }
            return result
        }

        // When a turn names an unknown conversation
        var unknown = escalation(conversation, inboxEventID: event.id, key: "Ev1#0", at: Fixed.later(seconds: 1))
        unknown.conversationID = 999
        await #expect(throws: StoreError.notFound(.conversation, "999")) { try await db.commitTurn(unknown) }

        // And a turn fails on its last step, after messages, a suggestion, a phrase, a ticket and replies were written
        var late = escalation(conversation, inboxEventID: event.id, key: "Ev1#0", at: Fixed.later(seconds: 1))
        late.suggestions = [TurnCommit.ShownSuggestion(articleID: "printer-jam", query: "printer jams")]
        late.learnedPhrase = TurnCommit.Phrase(articleID: "printer-jam", text: "printer jams")
        late.ticketUpdates = [TicketUpdate(ticketNumber: "HD-000404", change: .note("x"), actor: .bot)]
        await #expect(throws: StoreError.notFound(.ticket, "HD-000404")) { try await db.commitTurn(late) }

        // Then no row was written, the state is unchanged and the event is still pending
        #expect(try await counts() == [0, 0, 0, 0, 0, 0])
        #expect(try await db.conversation(id: conversation.id!) == conversation)
        #expect(try await db.pending(limit: 10).map(\.id) == [event.id])

        // And the next ticket still gets the first number: the rolled-back one was not consumed
        let ok = try await db.commitTurn(escalation(conversation, inboxEventID: event.id, key: "Ev1#0", at: Fixed.later(seconds: 2)))
        #expect(ok.ticket?.number == "HD-000001")
    }

    @Test("an inbox event is consumed by one turn only", arguments: StorageKind.tested)
    func inboxEventConsumedOnce(kind: StorageKind) async throws {
        // Given a turn that already consumed an event
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (_, conversation) = try await db.makeEmployeeAndConversation()
        _ = try await db.record(platform: .slack, eventID: "Ev1", conversationKey: "D1", payload: "{}", receivedAt: Fixed.now)
        let event = try await db.pending(limit: 1)[0]
        let reply = NewOutboxMessage(platform: .slack, conversationKey: "D1", idempotencyKey: "Ev1#0", payload: "{}")
        let turn = TurnCommit(
            conversationID: conversation.id!, state: #"{"n":1}"#, now: Fixed.later(seconds: 1), inboxEventID: event.id,
            messages: [NewMessage(direction: .outbound, author: .bot, text: "hi")], outbox: [reply])
        _ = try await db.commitTurn(turn)

        // When a second worker commits the same event again
        var replay = turn
        replay.state = #"{"n":2}"#
        await #expect(throws: StoreError.invalidTransition(.inbox, id: String(event.id!), from: "done", to: "done")) {
            try await db.commitTurn(replay)
        }

        // Then the first turn stands alone: one reply, one message, its state
        #expect(try await store.count("outbox") == 1)
        #expect(try await store.count("message") == 1)
        #expect(try await db.conversation(id: conversation.id!)?.state == #"{"n":1}"#)

        // And a turn without an inbox event that repeats an idempotency key queues nothing new
        let repeated = try await db.commitTurn(TurnCommit(
            conversationID: conversation.id!, state: "{}", now: Fixed.later(seconds: 2), outbox: [reply]))
        #expect(repeated.enqueued.isEmpty)
        #expect(try await db.pendingCount() == 1)
    }

    @Test("a turn can change and rate the conversation's ticket", arguments: StorageKind.tested)
    func turnUpdatesTicket(kind: StorageKind) async throws {
        // Given a resolved ticket
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, conversation) = try await db.makeEmployeeAndConversation()
        let opened = try await db.commitTurn(escalation(conversation, inboxEventID: nil, key: "k1", at: Fixed.now))
        let number = try #require(opened.ticket?.number)
        _ = try await db.changeStatus(number: number, to: .resolved, actor: .agent("lee"), at: Fixed.later(seconds: 10))

        // When the employee answers the survey and closes it in one turn
        let me = TicketActor.employee(employee.id!)
        _ = try await db.commitTurn(TurnCommit(
            conversationID: conversation.id!, state: #"{"name":"idle"}"#, now: Fixed.later(seconds: 20),
            ticketUpdates: [
                TicketUpdate(ticketNumber: number, change: .rating(4), actor: me),
                TicketUpdate(ticketNumber: number, change: .status(.closed, note: nil), actor: me),
            ]))

        // Then both changes are in the ticket and its history
        let ticket = try await db.ticket(number: number)
        #expect(ticket?.rating == 4)
        #expect(ticket?.status == .closed)
        #expect(ticket?.resolvedAt == Fixed.later(seconds: 10))
        #expect(try await db.history(number: number).suffix(2).map(\.actor) == [me, me])
        #expect(try await db.openTicket(conversationID: conversation.id!) == nil)
    }
}
