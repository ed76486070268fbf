import FirstLineCore
import Foundation

// The storage interfaces the engine and the server depend on. `AppDatabase` implements all of them over
// SQLite; a PostgreSQL store could implement the same ones (design §7). Every time is passed in, never read
// from the clock, so tests and replays are deterministic. Lookups return nil when nothing matches; changes to
// a row that does not exist throw `StoreError.notFound`.

/// Who employees are, and how each platform names them.
public protocol DirectoryRepository: Sendable {
    /// The employee behind a platform identity, created with `displayName` on first contact.
    /// Calling it again for the same identity returns the same employee and changes nothing.
    func findOrCreateEmployee(
        platform: Platform, platformUserID: String, displayName: String, at now: Date
    ) async throws -> Employee

    func employee(id: Int64) async throws -> Employee?

    func employee(platform: Platform, platformUserID: String) async throws -> Employee?

    /// All platform identities of an employee, ordered by platform then user id.
    func identities(employeeID: Int64) async throws -> [Identity]

    /// Attaches another platform identity to an existing employee (the same person on Slack and on web chat).
    /// Linking an identity to the employee it already belongs to is a no-op; to another one throws `.duplicate`.
    func linkIdentity(platform: Platform, platformUserID: String, employeeID: Int64) async throws -> Identity

    /// Saves profile fields (name, e-mail, department, manager) of an existing employee.
    func updateEmployee(_ employee: Employee) async throws -> Employee
}

/// Conversations and their transcripts.
public protocol ConversationRepository: Sendable {
    /// The conversation on `platform` with `conversationKey`, created with `initialState` if there is none.
    /// An existing conversation is returned unchanged.
    func findOrCreateConversation(
        platform: Platform, conversationKey: String, employeeID: Int64, initialState: String, at now: Date
    ) async throws -> Conversation

    func conversation(id: Int64) async throws -> Conversation?

    func conversation(platform: Platform, conversationKey: String) async throws -> Conversation?

    /// The transcript in the order it was written.
    func messages(conversationID: Int64) async throws -> [ConversationMessage]

    /// Appends one line outside a dialogue turn (an agent's reply, a system notice).
    func appendMessage(_ message: NewMessage, conversationID: Int64, at now: Date) async throws -> ConversationMessage
}

/// Tickets and their append-only history.
public protocol TicketRepository: Sendable {
    /// Opens a ticket with status `new`, assigns its number, and writes the "created" history event.
    func createTicket(_ newTicket: NewTicket, at now: Date) async throws -> Ticket

    func ticket(number: String) async throws -> Ticket?

    /// The requester's tickets that are not resolved or closed, oldest first.
    func openTickets(requesterID: Int64) async throws -> [Ticket]

    /// The newest ticket of a conversation that is not resolved or closed; while it exists the bot stays quiet.
    func openTicket(conversationID: Int64) async throws -> Ticket?

    /// Applies one change and writes its history event with before/after, in one transaction.
    /// Throws `.invalidTransition` for a status change the lifecycle forbids and `.invalidValue` for a bad rating.
    func update(_ update: TicketUpdate, at now: Date) async throws -> Ticket

    /// The ticket's history, oldest first.
    func history(number: String) async throws -> [TicketEvent]

    /// Subjects and final categories of resolved or closed tickets, newest first: training data
    /// for the category classifier.
    func resolvedTicketCategories(limit: Int) async throws -> [(subject: String, category: String)]
}

extension TicketRepository {
    public func changeStatus(
        number: String, to status: TicketStatus, actor: TicketActor, note: String? = nil, at now: Date
    ) async throws -> Ticket {
        try await update(TicketUpdate(ticketNumber: number, change: .status(status, note: note), actor: actor), at: now)
    }

    public func changePriority(
        number: String, to priority: TicketPriority, firstResponseDueAt: Date? = nil, resolutionDueAt: Date? = nil,
        actor: TicketActor, at now: Date
    ) async throws -> Ticket {
        let change = TicketUpdate.Change.priority(priority, firstResponseDueAt: firstResponseDueAt, resolutionDueAt: resolutionDueAt)
        return try await update(TicketUpdate(ticketNumber: number, change: change, actor: actor), at: now)
    }

    public func changeCategory(number: String, to category: TicketCategory, actor: TicketActor, at now: Date) async throws -> Ticket {
        try await update(TicketUpdate(ticketNumber: number, change: .category(category), actor: actor), at: now)
    }

    public func changeTeam(number: String, to team: String?, actor: TicketActor, at now: Date) async throws -> Ticket {
        try await update(TicketUpdate(ticketNumber: number, change: .team(team), actor: actor), at: now)
    }

    public func changeAssignee(number: String, to assignee: String?, actor: TicketActor, at now: Date) async throws -> Ticket {
        try await update(TicketUpdate(ticketNumber: number, change: .assignee(assignee), actor: actor), at: now)
    }

    public func appendMessage(number: String, text: String, actor: TicketActor, at now: Date) async throws -> Ticket {
        try await update(TicketUpdate(ticketNumber: number, change: .message(text), actor: actor), at: now)
    }

    public func addNote(number: String, text: String, actor: TicketActor, at now: Date) async throws -> Ticket {
        try await update(TicketUpdate(ticketNumber: number, change: .note(text), actor: actor), at: now)
    }

    public func rate(number: String, rating: Int, actor: TicketActor, at now: Date) async throws -> Ticket {
        try await update(TicketUpdate(ticketNumber: number, change: .rating(rating), actor: actor), at: now)
    }
}

/// Acknowledged webhook events waiting to be processed (design §2 steps 2–3).
public protocol InboxRepository: Sendable {
    /// Stores an event. Returns true if it is new, false if (platform, eventID) was already recorded;
    /// a duplicate is not an error, because platforms redeliver by design.
    func record(
        platform: Platform, eventID: String, conversationKey: String, payload: String, receivedAt: Date
    ) async throws -> Bool

    /// Pending events in arrival (id) order, at most `limit`. After a restart this is where work resumes.
    /// The inbox row of one platform event, whatever its status.
    func inboxEvent(platform: Platform, eventID: String) async throws -> InboxEvent?

    func pending(limit: Int) async throws -> [InboxEvent]

    /// The id of the newest inbox row, whatever its status; nil for an empty inbox. Read before the port
    /// opens, it marks what earlier processes committed: every row up to it is theirs to resume.
    func lastInboxID() async throws -> Int64?

    /// Marks a pending (or failed, when retried by hand) event processed.
    /// Prefer `TurnCommit.inboxEventID`, which does this in the turn's own transaction.
    func markDone(id: Int64, at now: Date) async throws

    /// Counts a failed attempt but leaves the event pending, to be tried again.
    func markRetry(id: Int64, error: String) async throws

    /// Gives up on a pending event; it stays in the table for inspection.
    func markFailed(id: Int64, error: String, at now: Date) async throws
}

/// Replies waiting to be delivered (design §2 step 5).
public protocol OutboxRepository: Sendable {
    /// Queues a message. Returns false, changing nothing, if its idempotency key is already queued or sent.
    func enqueue(_ message: NewOutboxMessage, at now: Date) async throws -> Bool

    /// Pending messages whose `nextAttemptAt` ≤ `now`, in id order, at most `limit`.
    func due(now: Date, limit: Int) async throws -> [OutboxMessage]

    /// Claims a pending message for delivery and counts the attempt. Throws `.invalidTransition` if it is not
    /// pending, so two workers can never send the same row.
    /// Pending rows of one conversation in order, due or not: what a polling channel (web chat) collects.
    func pending(platform: Platform, conversationKey: String) async throws -> [OutboxMessage]

    /// Pending rows of these platforms in id order, due or not: what the delivery planner needs
    /// to keep each conversation in order while an earlier message waits for its retry.
    func pending(platforms: Set<Platform>, limit: Int) async throws -> [OutboxMessage]

    func markSending(id: Int64) async throws -> OutboxMessage

    /// Records that the first `parts` requests of a split message reached the platform, so a resumed
    /// delivery sends only the rest.
    func markPartsSent(id: Int64, parts: Int, platformMessageID: String?) async throws

    /// Records delivery. Only a message being sent can become sent, so it is marked sent exactly once.
    func markSent(id: Int64, at now: Date, platformMessageID: String?) async throws

    /// Puts a message being sent back in the queue for `nextAttemptAt` (backoff chosen by the worker).
    /// `inDoubt`: the attempt may have reached the platform (no answer came), so the next one settles that first.
    func markRetry(id: Int64, nextAttemptAt: Date, error: String, inDoubt: Bool) async throws

    /// After a platform answered again (an outage is over), makes its waiting retries due at `now` instead of
    /// each at the end of its own backoff. Rows never attempted (a notice scheduled for later) keep their time.
    /// Returns how many rows were brought forward.
    func bringForward(platform: Platform, now: Date) async throws -> Int

    /// Gives up on a pending or sending message.
    func markFailed(id: Int64, error: String) async throws

    /// How many messages are waiting (for metrics and graceful shutdown).
    func pendingCount() async throws -> Int

    /// After a crash, returns messages left in `sending` to `pending`, due at `now`, marked `inDoubt`, and returns
    /// how many. Such a message may have reached the platform before the crash; the idempotency key lets the
    /// worker (or the platform) recognise it. On a store that replicas share, only rows whose holder's lease
    /// ran out (`SharedQueueClaims`) are returned, never one a live replica is sending.
    func recoverInterrupted(now: Date) async throws -> Int
}

/// Suggestions shown, the employees' verdicts, and what the matcher learns from them (design §3 "Learn").
public protocol FeedbackRepository: Sendable {
    /// Records that an article was shown in a conversation (to that conversation's employee).
    func recordSuggestion(conversationID: Int64, articleID: String, query: String, shownAt: Date) async throws -> Suggestion

    /// Sets or replaces the verdict on a suggestion.
    func setFeedback(suggestionID: Int64, feedback: Suggestion.Feedback, at now: Date) async throws -> Suggestion

    /// Keeps a confirmed phrasing for an article. The same text again refreshes it instead of adding a copy;
    /// only the newest `LearnedPhrase.maximumPerArticle` phrases of the article are kept.
    func addLearnedPhrase(articleID: String, text: String, at now: Date) async throws -> LearnedPhrase

    /// The article's learned phrases with decay applied as of `now`, newest first.
    func learnedPhrases(articleID: String, asOf now: Date) async throws -> [WeightedPhrase]

    /// Every learned phrase with decay applied, for building the index; ordered by article, then newest first.
    func allLearnedPhrases(asOf now: Date) async throws -> [WeightedPhrase]

    /// Articles shown to the employee at or after `since`, so the bot does not repeat them within the window.
    func recentlySuggestedArticleIDs(employeeID: Int64, since: Date) async throws -> Set<String>

    /// Messages for which an article was marked "Still broken" since `since`, oldest first:
    /// what lowers that article for similar messages (design §3, learning).
    func stillBrokenQueries(since: Date) async throws -> [(articleID: String, query: String)]
}

/// The single write of a dialogue turn (design §2 step 4).
public protocol TurnRepository: Sendable {
    /// Stores the new state and every effect of one turn in one transaction: all of it or none of it.
    func commitTurn(_ turn: TurnCommit) async throws -> TurnOutcome
}

/// Accounts of the agent API (design §6): who may call it, in which role. Tokens are stored as hashes only.
public protocol AccountRepository: Sendable {
    /// Creates an account. Throws `.duplicate(.account, name)` when the name is taken (regardless of case),
    /// `.notFound(.employee, id)` for an unknown employee, and `.invalidValue` for an employee account
    /// without an employee.
    func createAccount(_ new: NewAccount, at now: Date) async throws -> Account

    /// The account whose token hashes to `tokenHash`, disabled or not (the caller refuses disabled ones).
    func account(tokenHash: String) async throws -> Account?

    /// The account with this name, compared without case.
    func account(name: String) async throws -> Account?

    /// Every account, by name.
    func accounts() async throws -> [Account]

    /// Stops the account's token from working; disabling a disabled account changes nothing.
    func disableAccount(name: String, at now: Date) async throws -> Account
}

/// Web chat sessions issued by `POST /api/v1/chat/sessions`, kept as hashes only (issue 15); a
/// session that is not here is refused, so a stranger cannot make one up or guess one.
public protocol ChatSessionRepository: Sendable {
    /// Records a newly issued session by the hash of its value; a hash already there is `.duplicate`.
    func createChatSession(keyHash: String, at now: Date) async throws

    /// Whether a session with this hash was issued.
    func chatSessionExists(keyHash: String) async throws -> Bool
}

/// What the agents' console needs beyond single tickets: the queue, requesters, and several changes at once.
public protocol TicketQueueRepository: Sendable {
    /// Tickets matching `query`, earliest next due time first (tickets with nothing pending last),
    /// then by priority and age; SLA filters are evaluated at `now`.
    func tickets(matching query: TicketQuery, now: Date) async throws -> [Ticket]

    /// The employees with these ids; unknown ids are left out.
    func employees(ids: [Int64]) async throws -> [Int64: Employee]

    /// The approval state of these tickets, for those that need one (pending, approved, rejected).
    func approvalStatuses(ticketIDs: [Int64]) async throws -> [Int64: Approval.Status]

    /// The employee with this e-mail (compared without case) or, without a match or an e-mail, a new one:
    /// the requester of a ticket an agent logs for a phone call or a walk-in.
    func findOrCreateEmployee(displayName: String, email: String?, at now: Date) async throws -> Employee

    /// Applies several changes to one ticket in one transaction, each writing its own history event;
    /// if one fails, none is applied.
    func update(_ updates: [TicketUpdate], at now: Date) async throws -> Ticket
}
