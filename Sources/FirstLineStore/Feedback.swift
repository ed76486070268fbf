import FirstLineCore
import Foundation
import GRDB

extension AppDatabase: FeedbackRepository {
    public func recordSuggestion(conversationID: Int64, articleID: String, query: String, shownAt: Date) async throws -> Suggestion {
        try await write { db in
            let conversation = try Self.existingConversation(db, id: conversationID)
            return try Self.insertSuggestion(db, conversation: conversation, articleID: articleID, query: query, at: shownAt)
        }
    }

    public func setFeedback(suggestionID: Int64, feedback: Suggestion.Feedback, at now: Date) async throws -> Suggestion {
        try await write { db in
            guard var suggestion = try Suggestion.fetchOne(db, key: suggestionID) else {
                throw StoreError.notFound(.suggestion, String(suggestionID))
            }
            suggestion.feedback = feedback
            suggestion.feedbackAt = now
            try suggestion.update(db)
            return suggestion
        }
    }

    public func addLearnedPhrase(articleID: String, text: String, at now: Date) async throws -> LearnedPhrase {
        try await write { db in try Self.addLearnedPhrase(db, articleID: articleID, text: text, at: now) }
    }

    public func learnedPhrases(articleID: String, asOf now: Date) async throws -> [WeightedPhrase] {
        let phrases = try await read { db in
            try LearnedPhrase
                .filter(LearnedPhrase.Columns.articleID == articleID)
                .order(LearnedPhrase.Columns.createdAt.desc, LearnedPhrase.Columns.id.desc)
                .fetchAll(db)
        }
        return phrases.map { Self.weighted($0, asOf: now) }
    }

    public func allLearnedPhrases(asOf now: Date) async throws -> [WeightedPhrase] {
        let phrases = try await read { db in
            try LearnedPhrase
                .order(LearnedPhrase.Columns.articleID, LearnedPhrase.Columns.createdAt.desc, LearnedPhrase.Columns.id.desc)
                .fetchAll(db)
        }
        return phrases.map { Self.weighted($0, asOf: now) }
    }

    public func stillBrokenQueries(since: Date) async throws -> [(articleID: String, query: String)] {
        let rows = try await read { db in
            try Suggestion
                .filter(Suggestion.Columns.feedback == Suggestion.Feedback.stillBroken && Suggestion.Columns.shownAt >= since)
                .order(Suggestion.Columns.id)
                .fetchAll(db)
        }
        return rows.map { ($0.articleID, $0.query) }
    }

    public func recentlySuggestedArticleIDs(employeeID: Int64, since: Date) async throws -> Set<String> {
        let ids = try await read { db in
            try Suggestion
                .select(Suggestion.Columns.articleID, as: String.self)
                .filter(Suggestion.Columns.employeeID == employeeID && Suggestion.Columns.shownAt >= since)
                .distinct()
                .fetchAll(db)
        }
        return Set(ids)
    }

    // MARK: - Inside a transaction (shared with commitTurn)

    static func existingConversation(_ db: Database, id: Int64) throws -> Conversation {
        guard let conversation = try Conversation.fetchOne(db, key: id) else {
            throw StoreError.notFound(.conversation, String(id))
        }
        return conversation
    }

    static func insertSuggestion(
        _ db: Database, conversation: Conversation, articleID: String, query: String, at now: Date
    ) throws -> Suggestion {
        try Suggestion(
            conversationID: try conversation.storedID, employeeID: conversation.employeeID, articleID: articleID, query: query,
            shownAt: now
        ).inserted(db)
    }

    /// Sets the verdict on the latest suggestion of `articleID` in the conversation: the engine knows which
    /// article the employee's button refers to, not the suggestion row.
    static func setFeedback(
        _ db: Database, conversationID: Int64, articleID: String, feedback: Suggestion.Feedback, at now: Date
    ) throws -> Suggestion {
        guard var suggestion = try Suggestion
            .filter(Suggestion.Columns.conversationID == conversationID && Suggestion.Columns.articleID == articleID)
            .order(Suggestion.Columns.id.desc)
            .fetchOne(db)
        else {
            throw StoreError.notFound(.suggestion, "conversation \(conversationID) article \(articleID)")
        }
        suggestion.feedback = feedback
        suggestion.feedbackAt = now
        try suggestion.update(db)
        return suggestion
    }

    static func addLearnedPhrase(_ db: Database, articleID: String, text: String, at now: Date) throws -> LearnedPhrase {
        let phrase: LearnedPhrase
        if var existing = try LearnedPhrase
            .filter(LearnedPhrase.Columns.articleID == articleID && LearnedPhrase.Columns.text == text)
            .fetchOne(db)
        {
            // A phrasing confirmed again is as fresh as a new one; refreshing it keeps one row per phrasing.
            existing.createdAt = now
            existing.weight = 1
            try existing.update(db)
            phrase = existing
        } else {
            phrase = try LearnedPhrase(articleID: articleID, text: text, createdAt: now).inserted(db)
        }
        // Keep only the newest phrases of the article, so learning stays bounded however often it is confirmed.
        try db.execute(
            sql: """
                DELETE FROM learnedPhrase
                WHERE articleID = ? AND id NOT IN (
                    SELECT id FROM learnedPhrase WHERE articleID = ? ORDER BY createdAt DESC, id DESC LIMIT ?)
                """,
            arguments: [articleID, articleID, LearnedPhrase.maximumPerArticle]
        )
        return phrase
    }

    static func weighted(_ phrase: LearnedPhrase, asOf now: Date) -> WeightedPhrase {
        WeightedPhrase(articleID: phrase.articleID, text: phrase.text, weight: phrase.decayedWeight(asOf: now))
    }
}
