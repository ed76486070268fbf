import FirstLineCore
import Foundation
import GRDB

/// Everything one dialogue turn decided, to be stored atomically (design §2 step 4): if the process dies
/// half-way, either the whole turn is visible afterwards (and its inbox event is done) or none of it is
/// (and the event is still pending, to be processed again).
public struct TurnCommit: Sendable, Equatable {
    /// An article shown in this turn.
    public struct ShownSuggestion: Sendable, Equatable, Hashable {
        public var articleID: String
        /// The employee's text it answers.
        public var query: String

        public init(articleID: String, query: String) {
            self.articleID = articleID
            self.query = query
        }
    }

    /// A verdict on the latest suggestion of `articleID` in this conversation.
    public struct Feedback: Sendable, Equatable, Hashable {
        public var articleID: String
        public var feedback: Suggestion.Feedback

        public init(articleID: String, feedback: Suggestion.Feedback) {
            self.articleID = articleID
            self.feedback = feedback
        }
    }

    /// A phrasing to learn for an article.
    public struct Phrase: Sendable, Equatable, Hashable {
        public var articleID: String
        public var text: String

        public init(articleID: String, text: String) {
            self.articleID = articleID
            self.text = text
        }
    }

    /// A message added to a ticket's history (for example an employee's message forwarded to the agent).
    public struct TicketAppend: Sendable, Equatable, Hashable {
        /// May be `NewTicket.numberPlaceholder` to mean the ticket this turn creates.
        public var ticketNumber: String
        public var text: String
        public var actor: TicketActor

        public init(ticketNumber: String, text: String, actor: TicketActor) {
            self.ticketNumber = ticketNumber
            self.text = text
            self.actor = actor
        }
    }

    public var conversationID: Int64
    /// The engine's new state, as JSON.
    public var state: String
    /// The conversation's language after this turn, stored as given (nil clears it).
    public var language: Language?
    /// The time of the turn; every row it writes carries it.
    public var now: Date
    /// The inbox event this turn consumes; it must be pending and is marked done in the same transaction.
    public var inboxEventID: Int64?
    /// Transcript lines, in order.
    public var messages: [NewMessage]
    public var suggestions: [ShownSuggestion]
    public var feedback: [Feedback]
    public var learnedPhrase: Phrase?
    /// A ticket to open. A nil `conversationID` in it means this turn's conversation.
    public var newTicket: NewTicket?
    public var ticketAppends: [TicketAppend]
    /// Other ticket changes (the employee closing or rating their ticket), applied after the appends.
    public var ticketUpdates: [TicketUpdate]
    /// Replies to deliver. A duplicate idempotency key is skipped, so replaying a turn queues nothing twice.
    public var outbox: [NewOutboxMessage]
    /// The conversation's problem linked to a confirmed major incident ("me too"), by its number.
    public var incidentReport: IncidentReport?
    /// "This is something else": the conversation leaves the incident with this number.
    public var incidentUnlink: String?
    /// The incident link whose employee this turn tells that it is fixed. The turn fails if the link
    /// was told already, so a broadcast raced by two replicas or replayed after a crash sends once.
    public var incidentNotified: Int64?

    public init(
        conversationID: Int64, state: String, language: Language? = nil, now: Date, inboxEventID: Int64? = nil,
        messages: [NewMessage] = [], suggestions: [ShownSuggestion] = [], feedback: [Feedback] = [],
        learnedPhrase: Phrase? = nil, newTicket: NewTicket? = nil, ticketAppends: [TicketAppend] = [],
        ticketUpdates: [TicketUpdate] = [], outbox: [NewOutboxMessage] = []
    ) {
        self.conversationID = conversationID
        self.state = state
        self.language = language
        self.now = now
        self.inboxEventID = inboxEventID
        self.messages = messages
        self.suggestions = suggestions
        self.feedback = feedback
        self.learnedPhrase = learnedPhrase
        self.newTicket = newTicket
        self.ticketAppends = ticketAppends
        self.ticketUpdates = ticketUpdates
        self.outbox = outbox
    }
}

/// A report linked to a major incident in a turn.
public struct IncidentReport: Sendable, Equatable {
    public var incidentNumber: String
    public var text: String

    public init(incidentNumber: String, text: String) {
        self.incidentNumber = incidentNumber
        self.text = text
    }
}

/// What a committed turn produced, with the ids and numbers the database assigned.
public struct TurnOutcome: Sendable, Equatable {
    public var conversation: Conversation
    /// The ticket opened by this turn, with its number; nil if none.
    public var ticket: Ticket?
    public var messages: [ConversationMessage]
    public var suggestions: [Suggestion]
    /// Only the outbox rows this turn added (duplicates are left out), so the caller knows whom to wake.
    public var enqueued: [OutboxMessage]

    public init(
        conversation: Conversation, ticket: Ticket?, messages: [ConversationMessage], suggestions: [Suggestion],
        enqueued: [OutboxMessage]
    ) {
        self.conversation = conversation
        self.ticket = ticket
        self.messages = messages
        self.suggestions = suggestions
        self.enqueued = enqueued
    }
}

extension AppDatabase: TurnRepository {
    public func commitTurn(_ turn: TurnCommit) async throws -> TurnOutcome {
        try await write { db in
            // Any throw below rolls the whole transaction back: no half-applied turn is ever visible.
            var conversation = try Self.existingConversation(db, id: turn.conversationID)

            if let inboxEventID = turn.inboxEventID {
                try Self.markInboxDone(db, id: inboxEventID, at: turn.now, allowingFailed: false)
            }

            // The ticket comes first so that its number can be substituted into this turn's replies.
            var ticket: Ticket?
            if var newTicket = turn.newTicket {
                newTicket.conversationID = newTicket.conversationID ?? turn.conversationID
                ticket = try Self.createTicket(db, newTicket, at: turn.now)
            }
            let resolve: (String) -> String = { text in
                guard let number = ticket?.number else { return text }
                return text.replacingOccurrences(of: NewTicket.numberPlaceholder, with: number)
            }

            // The engine's state may name the ticket this turn creates by its placeholder too.
            conversation.state = resolve(turn.state)
            conversation.language = turn.language
            conversation.updatedAt = turn.now
            try conversation.update(db)

            var messages: [ConversationMessage] = []
            for var message in turn.messages {
                message.text = resolve(message.text)
                message.payload = message.payload.map(resolve)
                messages.append(try Self.insertMessage(db, message, conversationID: turn.conversationID, at: turn.now))
            }

            var suggestions: [Suggestion] = []
            for shown in turn.suggestions {
                suggestions.append(try Self.insertSuggestion(
                    db, conversation: conversation, articleID: shown.articleID, query: shown.query, at: turn.now))
            }
            for verdict in turn.feedback {
                _ = try Self.setFeedback(
                    db, conversationID: turn.conversationID, articleID: verdict.articleID, feedback: verdict.feedback,
                    at: turn.now)
            }
            if let phrase = turn.learnedPhrase {
                _ = try Self.addLearnedPhrase(db, articleID: phrase.articleID, text: phrase.text, at: turn.now)
            }

            for append in turn.ticketAppends {
                let update = TicketUpdate(
                    ticketNumber: resolve(append.ticketNumber), change: .message(resolve(append.text)), actor: append.actor)
                ticket = try Self.refreshed(ticket, by: Self.applyTicketUpdate(db, update, at: turn.now))
            }
            for var update in turn.ticketUpdates {
                update.ticketNumber = resolve(update.ticketNumber)
                ticket = try Self.refreshed(ticket, by: Self.applyTicketUpdate(db, update, at: turn.now))
            }

            try Self.applyIncidentChanges(db, turn)

            var enqueued: [OutboxMessage] = []
            for var message in turn.outbox {
                message.payload = resolve(message.payload)
                if let row = try Self.enqueue(db, message, at: turn.now) {
                    enqueued.append(row)
                }
            }

            return TurnOutcome(
                conversation: conversation, ticket: ticket, messages: messages, suggestions: suggestions,
                enqueued: enqueued)
        }
    }

    /// Keeps the outcome's ticket current when a later step of the same turn changed it.
    static func refreshed(_ created: Ticket?, by changed: Ticket) -> Ticket? {
        guard let created else { return nil }
        return created.id == changed.id ? changed : created
    }
}
