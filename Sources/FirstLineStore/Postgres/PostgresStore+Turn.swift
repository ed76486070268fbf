import FirstLineCore
import Foundation
import PostgresNIO

extension PostgresStore: FeedbackRepository {
    public func recordSuggestion(conversationID: Int64, articleID: String, query: String, shownAt: Date) async throws -> Suggestion {
        try await write { db in
            let conversation = try await Self.existingConversation(db, id: conversationID)
            return try await Self.insertSuggestion(db, conversation: conversation, articleID: articleID, query: query, at: shownAt)
        }
    }

    public func setFeedback(suggestionID: Int64, feedback: Suggestion.Feedback, at now: Date) async throws -> Suggestion {
        try await write { db in
            guard let suggestion = try await db.first("""
                UPDATE suggestion SET feedback = \(feedback.rawValue), feedbackAt = \(now) WHERE id = \(suggestionID)
                RETURNING \(unescaped: PostgresRows.suggestionColumns)
                """, PostgresRows.suggestion)
            else {
                throw StoreError.notFound(.suggestion, String(suggestionID))
            }
            return suggestion
        }
    }

    public func addLearnedPhrase(articleID: String, text: String, at now: Date) async throws -> LearnedPhrase {
        try await write { db in try await Self.addLearnedPhrase(db, articleID: articleID, text: text, at: now) }
    }

    public func learnedPhrases(articleID: String, asOf now: Date) async throws -> [WeightedPhrase] {
        let phrases = try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.learnedPhraseColumns) FROM learnedPhrase WHERE articleID = \(articleID)
                ORDER BY createdAt DESC, id DESC
                """, PostgresRows.learnedPhrase)
        }
        return phrases.map { AppDatabase.weighted($0, asOf: now) }
    }

    public func allLearnedPhrases(asOf now: Date) async throws -> [WeightedPhrase] {
        let phrases = try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.learnedPhraseColumns) FROM learnedPhrase
                ORDER BY articleID COLLATE "C", createdAt DESC, id DESC
                """, PostgresRows.learnedPhrase)
        }
        return phrases.map { AppDatabase.weighted($0, asOf: now) }
    }

    public func stillBrokenQueries(since: Date) async throws -> [(articleID: String, query: String)] {
        let rows = try await read { db in
            try await db.all("""
                SELECT articleID, query FROM suggestion WHERE feedback = 'still_broken' AND shownAt >= \(since) ORDER BY id
                """) { try $0.decode((String, String).self) }
        }
        return rows.map { (articleID: $0.0, query: $0.1) }
    }

    public func recentlySuggestedArticleIDs(employeeID: Int64, since: Date) async throws -> Set<String> {
        try await read { db in try await Self.recentlySuggested(db, employeeID: employeeID, since: since) }
    }

    // MARK: - Inside a transaction (shared with commitTurn)

    static func recentlySuggested(_ db: PostgresTransaction, employeeID: Int64, since: Date) async throws -> Set<String> {
        Set(try await db.all("""
            SELECT DISTINCT articleID FROM suggestion WHERE employeeID = \(employeeID) AND shownAt >= \(since)
            """) { try $0.decode(String.self) })
    }

    static func insertSuggestion(_ db: PostgresTransaction, conversation: Conversation, articleID: String, query: String,
                                 at now: Date) async throws -> Suggestion {
        let inserted = try await db.first("""
            INSERT INTO suggestion (conversationID, employeeID, articleID, query, shownAt)
            VALUES (\(try conversation.storedID), \(conversation.employeeID), \(articleID), \(query), \(now))
            RETURNING \(unescaped: PostgresRows.suggestionColumns)
            """, PostgresRows.suggestion)
        guard let inserted else { throw StoreError.invalidValue("suggestion insert returned no row") }
        return inserted
    }

    /// Sets the verdict on the latest suggestion of `articleID` in the conversation.
    static func setFeedback(_ db: PostgresTransaction, conversationID: Int64, articleID: String, feedback: Suggestion.Feedback,
                            at now: Date) async throws {
        let changed = try await db.update("""
            UPDATE suggestion SET feedback = \(feedback.rawValue), feedbackAt = \(now)
            WHERE id = (SELECT id FROM suggestion WHERE conversationID = \(conversationID) AND articleID = \(articleID)
                        ORDER BY id DESC LIMIT 1)
            RETURNING 1
            """)
        guard changed == 1 else {
            throw StoreError.notFound(.suggestion, "conversation \(conversationID) article \(articleID)")
        }
    }

    static func addLearnedPhrase(_ db: PostgresTransaction, articleID: String, text: String, at now: Date) async throws -> LearnedPhrase {
        // One writer per article at a time, so the same phrasing confirmed on two replicas stays one row.
        try await db.lock("learnedPhrase:\(articleID)")
        let refreshed = try await db.first("""
            UPDATE learnedPhrase SET createdAt = \(now), weight = 1
            WHERE id = (SELECT id FROM learnedPhrase WHERE articleID = \(articleID) AND text = \(text) ORDER BY id LIMIT 1)
            RETURNING \(unescaped: PostgresRows.learnedPhraseColumns)
            """, PostgresRows.learnedPhrase)
        let phrase: LearnedPhrase
        if let refreshed {
            // A phrasing confirmed again is as fresh as a new one; refreshing it keeps one row per phrasing.
            phrase = refreshed
        } else {
            let inserted = try await db.first("""
                INSERT INTO learnedPhrase (articleID, text, weight, createdAt) VALUES (\(articleID), \(text), 1, \(now))
                RETURNING \(unescaped: PostgresRows.learnedPhraseColumns)
                """, PostgresRows.learnedPhrase)
            guard let inserted else { throw StoreError.invalidValue("learned phrase insert returned no row") }
            phrase = inserted
        }
        // Keep only the newest phrases of the article, so learning stays bounded however often it is confirmed.
        try await db.execute("""
            DELETE FROM learnedPhrase WHERE articleID = \(articleID) AND id NOT IN (
                SELECT id FROM learnedPhrase WHERE articleID = \(articleID) ORDER BY createdAt DESC, id DESC
                LIMIT \(LearnedPhrase.maximumPerArticle))
            """)
        return phrase
    }
}

extension PostgresStore: TurnStore {
    public func commitTurn(_ turn: TurnCommit) async throws -> TurnOutcome {
        try await write { db in
            // Any throw below rolls the whole transaction back: no half-applied turn is ever visible. The
            // conversation's row stays locked until commit, so two turns of one conversation (two replicas)
            // are written one after the other.
            var conversation = try await Self.existingConversation(db, id: turn.conversationID, forUpdate: true)

            if let inboxEventID = turn.inboxEventID {
                try await Self.markInboxDone(db, id: inboxEventID, at: turn.now, allowingFailed: false)
            }

            // The ticket comes first so that its number can be substituted into this turn's replies.
            var ticket: Ticket?
            if var newTicket = turn.newTicket {
                newTicket.conversationID = newTicket.conversationID ?? turn.conversationID
                ticket = try await Self.createTicket(db, newTicket, at: turn.now)
            }
            let number = ticket?.number
            let resolve: (String) -> String = { text in
                guard let number else { return text }
                return text.replacingOccurrences(of: NewTicket.numberPlaceholder, with: number)
            }

            conversation.state = resolve(turn.state)
            conversation.language = turn.language
            conversation.updatedAt = turn.now
            try await db.execute("""
                UPDATE conversation SET state = \(conversation.state), language = \(conversation.language?.rawValue),
                    updatedAt = \(turn.now)
                WHERE id = \(turn.conversationID)
                """)

            var messages: [ConversationMessage] = []
            for var message in turn.messages {
                message.text = resolve(message.text)
                message.payload = message.payload.map(resolve)
                messages.append(try await Self.insertMessage(db, message, conversationID: turn.conversationID, at: turn.now))
            }

            var suggestions: [Suggestion] = []
            for shown in turn.suggestions {
                suggestions.append(try await Self.insertSuggestion(
                    db, conversation: conversation, articleID: shown.articleID, query: shown.query, at: turn.now))
            }
            for verdict in turn.feedback {
                try await Self.setFeedback(db, conversationID: turn.conversationID, articleID: verdict.articleID,
                                           feedback: verdict.feedback, at: turn.now)
            }
            if let phrase = turn.learnedPhrase {
                _ = try await Self.addLearnedPhrase(db, articleID: phrase.articleID, text: phrase.text, at: turn.now)
            }

            for append in turn.ticketAppends {
                let update = TicketUpdate(
                    ticketNumber: resolve(append.ticketNumber), change: .message(resolve(append.text)), actor: append.actor)
                ticket = AppDatabase.refreshed(ticket, by: try await Self.applyTicketUpdate(db, update, at: turn.now))
            }
            for var update in turn.ticketUpdates {
                update.ticketNumber = resolve(update.ticketNumber)
                ticket = AppDatabase.refreshed(ticket, by: try await Self.applyTicketUpdate(db, update, at: turn.now))
            }

            try await Self.applyIncidentChanges(db, turn)

            var enqueued: [OutboxMessage] = []
            for var message in turn.outbox {
                message.payload = resolve(message.payload)
                if let row = try await Self.enqueue(db, message, at: turn.now) { enqueued.append(row) }
            }

            return TurnOutcome(conversation: conversation, ticket: ticket, messages: messages, suggestions: suggestions,
                               enqueued: enqueued)
        }
    }

    public func beginTurn(inboxEventID: Int64, platform: Platform, platformUserID: String, displayName: String,
                          conversationKey: String, initialState: String, suggestedSince: Date,
                          at now: Date) async throws -> TurnStart? {
        try await write { db in
            let status = try await db.value("SELECT status FROM inbox WHERE id = \(inboxEventID)", as: String.self)
            guard status == InboxEvent.Status.pending.rawValue else { return nil }
            let employee = try await Self.findOrCreateEmployee(db, platform: platform, platformUserID: platformUserID,
                                                               displayName: displayName, at: now)
            let employeeID = try employee.storedID
            try await Self.lockConversation(db, platform: platform, conversationKey: conversationKey)
            let existing = try await Self.conversation(db, platform: platform, conversationKey: conversationKey)
            let conversation: Conversation
            if let existing {
                conversation = existing
            } else {
                conversation = try await Self.insertConversation(db, platform: platform, conversationKey: conversationKey,
                                                                 employeeID: employeeID, state: initialState, at: now)
            }
            let suggested = try await Self.recentlySuggested(db, employeeID: employeeID, since: suggestedSince)
            let tickets = try await Self.openTickets(db, requesterID: employeeID)
            return TurnStart(employee: employee, conversation: conversation, recentlySuggested: suggested, openTickets: tickets)
        }
    }
}
