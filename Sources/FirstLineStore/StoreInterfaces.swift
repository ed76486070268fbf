import FirstLineCore
import Foundation

// Store interfaces shaped by their users, beside the per-entity repositories of Repositories.swift.
// The server's services take them as `any …`; `AppDatabase` (SQLite) implements every one, and a
// second store (PostgreSQL, design §7) implements the same ones and runs the same behavioural tests.

/// A dialogue turn's reads and its single write (design §2 steps 3–4).
public protocol TurnStore: TurnRepository {
    /// Starts a turn for the pending inbox row `inboxEventID`: finds or creates the employee and the
    /// conversation and reads what the engine needs. Nil when the row is no longer pending.
    func beginTurn(inboxEventID: Int64, platform: Platform, platformUserID: String, displayName: String,
                   conversationKey: String, initialState: String, suggestedSince: Date,
                   at now: Date) async throws -> TurnStart?

    /// The transcript in the order it was written (what a new ticket carries).
    func messages(conversationID: Int64) async throws -> [ConversationMessage]

    /// Ticket numbers whose approval was asked of this employee and is still pending, oldest
    /// first: what a manager's typed "approve" can be about.
    func awaitingApprovals(approverEmployeeID: Int64) async throws -> [String]
}

/// Messages that are not a dialogue turn: notices into a conversation, posts to the agents' channel.
public protocol NoticeStore: Sendable {
    /// Adds the bot's messages to a conversation and queues them, leaving its state alone unless
    /// `resetState` still matches (compare and swap).
    func postNotice(conversationID: Int64, messages: [NewMessage], outbox: [NewOutboxMessage],
                    resetState: (expected: String, new: String)?, at now: Date) async throws -> [OutboxMessage]

    /// Queues messages that belong to no conversation (the agents' channel, an agent's DM).
    func enqueue(_ messages: [NewOutboxMessage], at now: Date) async throws -> [OutboxMessage]

    /// The ticket an agents' channel post announced, by the platform's id of that post.
    func ticketNumber(announcedIn conversationKey: String, platformMessageID: String) async throws -> String?
}

extension NoticeStore {
    public func postNotice(conversationID: Int64, messages: [NewMessage], outbox: [NewOutboxMessage],
                           at now: Date) async throws -> [OutboxMessage] {
        try await postNotice(conversationID: conversationID, messages: messages, outbox: outbox, resetState: nil, at: now)
    }
}

/// The desk's work (design §5): the routing pass, presence, SLA and reassignment timers, approvals.
public protocol DeskStore: NoticeStore {
    /// Reads the routing snapshot, lets `decide` route, and applies its decisions in one transaction.
    func route(at now: Date, reassignAfter: TimeInterval, actor: TicketActor,
               _ decide: @escaping @Sendable (RoutingSnapshot) throws -> RoutingOutcome) async throws -> AppDatabase.RoutingPassResult
    func setPresence(agentID: String, online: Bool, at now: Date) async throws
    func awayAgents() async throws -> Set<String>

    func clockFacts(number: String) async throws -> TicketClockFacts
    func clockFacts(ticketID: Int64) async throws -> TicketClockFacts
    func rescheduleSLA(ticketID: Int64, alarms: [SLAAlarmTime], firstResponseDue: Date?, resolutionDue: Date?,
                       at now: Date) async throws
    func dueTimers(at now: Date, kinds: [DeskTimer.Kind], limit: Int) async throws -> [DeskTimer]
    func pendingTimers(ticketID: Int64) async throws -> [DeskTimer]
    /// Fires a pending timer once: its updates and messages are applied only if it was still pending.
    func fire(timerID: Int64, updates: [TicketUpdate], outbox: [NewOutboxMessage], at now: Date) async throws -> Bool
    func cancelTimer(id: Int64, at now: Date) async throws

    func unrequestedApprovals() async throws -> [ApprovalWork]
    func approvalWork(ticketID: Int64) async throws -> ApprovalWork?
    func recordApprovalRequest(ticketID: Int64, reminder: Bool, note: String, conversationID: Int64?,
                               messages: [NewMessage], outbox: [NewOutboxMessage],
                               nextReminderAt: Date?, timerID: Int64?, at now: Date) async throws -> Bool
    func decideApproval(ticketNumber: String, approve: Bool, by actor: TicketActor, note: String?,
                        at now: Date) async throws -> Ticket

    /// Every conversation of an employee (where an approver can be reached).
    func conversations(employeeID: Int64) async throws -> [Conversation]
}

extension DeskStore {
    public func route(at now: Date, reassignAfter: TimeInterval,
                      _ decide: @escaping @Sendable (RoutingSnapshot) throws -> RoutingOutcome) async throws -> AppDatabase.RoutingPassResult {
        try await route(at: now, reassignAfter: reassignAfter, actor: .system, decide)
    }

    public func dueTimers(at now: Date, kinds: [DeskTimer.Kind]) async throws -> [DeskTimer] {
        try await dueTimers(at: now, kinds: kinds, limit: 100)
    }
}

/// Group commit's write: several inbox entries in one transaction.
public protocol InboxBatchStore: Sendable {
    /// Stores each entry that is new; true at its index if it was, false for a duplicate.
    func record(_ entries: [InboxEntry]) async throws -> [Bool]
}

/// The company directory imported from HR's file (`firstline users import`).
public protocol DirectoryImportStore: Sendable {
    /// Creates or updates employees by directory id, links their messenger identities and managers,
    /// all in one transaction: a file with one bad row changes nothing.
    func importDirectory(_ entries: [DirectoryEntry], at now: Date) async throws -> DirectoryImportSummary
    func employee(directoryID: String) async throws -> Employee?
}

extension OutboxRepository {
    /// Puts a message back in the queue after an attempt the platform answered (so it did not arrive).
    public func markRetry(id: Int64, nextAttemptAt: Date, error: String) async throws {
        try await markRetry(id: id, nextAttemptAt: nextAttemptAt, error: error, inDoubt: false)
    }

    /// Records delivery of a message whose platform gives no message id.
    public func markSent(id: Int64, at now: Date) async throws {
        try await markSent(id: id, at: now, platformMessageID: nil)
    }
}

/// A store the server can check and watch.
public protocol StoreHealth: Sendable {
    /// Throws unless the store answers a query; backs `GET /readyz`.
    func checkReady() async throws

    /// Throws unless a write reaches the disk now (a commit that is synced); backs `GET /readyz` too, so a
    /// full disk or a read-only file shows as not ready while reads still work. Throws
    /// `StoreError.unavailable` for such trouble.
    func checkWritable() async throws

    /// Work waiting right now, for the metrics gauges.
    func backlog() async throws -> Backlog
}

/// Everything the server needs from its store, as one existential for the composition root.
public typealias HelpdeskStore = DirectoryRepository & ConversationRepository & TicketRepository & TicketQueueRepository
    & InboxRepository & InboxBatchStore & OutboxRepository & FeedbackRepository & TurnStore & DeskStore
    & AccountRepository & StoreHealth & DirectoryImportStore & IncidentStore & ReportStore & ConsoleSessionStore
    & InboxClaims & SharedQueueClaims & SharedContentStore & ChatSessionRepository & ArticleVersionStore
    & DirectorySearchRepository & ChangeStampRepository

extension AppDatabase: TurnStore, DeskStore, InboxBatchStore, StoreHealth, DirectoryImportStore {}

/// What the desk (routing, SLA alarms, approvals) needs from the store.
public typealias DeskServiceStore = DeskStore & TicketRepository & DirectoryRepository & ConversationRepository
    & SharedQueueClaims
