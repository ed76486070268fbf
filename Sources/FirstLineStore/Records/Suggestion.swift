import FirstLineCore
import Foundation
import GRDB

/// An article shown to an employee, and what they said about it. These rows drive the
/// "don't show the same article twice" window and the editors' "still broken" report.
public struct Suggestion: Codable, Sendable, Equatable, Hashable {
    /// The employee's verdict on a suggested article.
    public enum Feedback: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
        case solved
        case stillBroken = "still_broken"
    }

    public var id: Int64?
    public var conversationID: Int64
    public var employeeID: Int64
    /// The article's stable front-matter `id` (shared by its translations).
    public var articleID: String
    /// The employee's text the article was suggested for; "Solved" turns it into a learned phrase.
    public var query: String
    public var shownAt: Date
    public var feedback: Feedback?
    public var feedbackAt: Date?

    public init(
        id: Int64? = nil, conversationID: Int64, employeeID: Int64, articleID: String, query: String, shownAt: Date,
        feedback: Feedback? = nil, feedbackAt: Date? = nil
    ) {
        self.id = id
        self.conversationID = conversationID
        self.employeeID = employeeID
        self.articleID = articleID
        self.query = query
        self.shownAt = shownAt
        self.feedback = feedback
        self.feedbackAt = feedbackAt
    }
}

extension Suggestion: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "suggestion"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let conversationID = Column(CodingKeys.conversationID)
        public static let employeeID = Column(CodingKeys.employeeID)
        public static let articleID = Column(CodingKeys.articleID)
        public static let shownAt = Column(CodingKeys.shownAt)
        public static let feedback = Column(CodingKeys.feedback)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A phrasing that an employee confirmed with "Solved" for an article. The matcher adds these to the
/// article's learned field so the next person who words it the same way finds the article.
public struct LearnedPhrase: Codable, Sendable, Equatable, Hashable {
    /// How many phrases an article keeps; older ones are deleted so one popular article cannot grow without bound.
    public static let maximumPerArticle = 50
    /// After this many days a phrase counts half, so stale phrasings fade instead of steering the ranking forever.
    public static let halfLifeDays = 90.0

    public var id: Int64?
    public var articleID: String
    public var text: String
    /// The weight at `createdAt`, before decay.
    public var weight: Double
    public var createdAt: Date

    public init(id: Int64? = nil, articleID: String, text: String, weight: Double = 1, createdAt: Date) {
        self.id = id
        self.articleID = articleID
        self.text = text
        self.weight = weight
        self.createdAt = createdAt
    }

    /// The weight as of `now`: `weight × 0.5^(ageDays / 90)`. A phrase from the future (clock skew) is not boosted.
    public func decayedWeight(asOf now: Date) -> Double {
        let ageDays = max(0, now.timeIntervalSince(createdAt) / 86_400)
        return weight * pow(0.5, ageDays / Self.halfLifeDays)
    }
}

extension LearnedPhrase: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "learnedPhrase"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let articleID = Column(CodingKeys.articleID)
        public static let text = Column(CodingKeys.text)
        public static let createdAt = Column(CodingKeys.createdAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A learned phrase with its decay already applied, ready for the index.
public struct WeightedPhrase: Sendable, Equatable, Hashable {
    public var articleID: String
    public var text: String
    public var weight: Double

    public init(articleID: String, text: String, weight: Double) {
        self.articleID = articleID
        self.text = text
        self.weight = weight
    }
}
