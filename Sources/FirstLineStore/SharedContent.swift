import FirstLineCore
import Foundation
import GRDB

/// One article as an editor published it through the API: the Markdown file's whole text.
public struct PublishedArticle: Sendable, Equatable {
    /// Grows with every publication; what a replica remembers as "seen up to".
    public var id: Int64
    public var lang: String
    public var articleID: String
    public var markdown: String
    public var publishedAt: Date

    public init(id: Int64, lang: String, articleID: String, markdown: String, publishedAt: Date) {
        self.id = id
        self.lang = lang
        self.articleID = articleID
        self.markdown = markdown
        self.publishedAt = publishedAt
    }
}

/// What a replica polls to learn that the shared content changed (issue 13, point 3).
public struct SharedContentVersion: Sendable, Equatable {
    /// The id of the newest published article; 0 when none was published.
    public var lastPublished: Int64
    /// Changes whenever a learned phrasing or an employee's verdict is added or refreshed: the index has to
    /// be rebuilt to include it. Opaque; only compared.
    public var learning: String

    public init(lastPublished: Int64, learning: String) {
        self.lastPublished = lastPublished
        self.learning = learning
    }
}

/// Content that replicas share through the store: what editors publish, and the signal that what the
/// matcher learns changed. Every replica keeps its own index; this is how they hear of each other's changes.
public protocol SharedContentStore: Sendable {
    /// Records a publication. Publications are numbered in the order they commit (the ids a poller reads
    /// never gain a smaller one later), so "everything after N" misses nothing.
    func publishArticle(lang: String, articleID: String, markdown: String, at now: Date) async throws -> PublishedArticle

    /// The newest publication of each article published after `id`, in id order.
    func publishedArticles(after id: Int64) async throws -> [PublishedArticle]

    func sharedContentVersion() async throws -> SharedContentVersion
}

extension AppDatabase: SharedContentStore {
    public func publishArticle(lang: String, articleID: String, markdown: String, at now: Date) async throws -> PublishedArticle {
        try await write { db in
            // One writer at a time on SQLite, so ids are in commit order by construction.
            try db.execute(sql: "INSERT INTO publishedArticle (lang, articleID, markdown, publishedAt) VALUES (?, ?, ?, ?)",
                           arguments: [lang, articleID, markdown, now])
            return PublishedArticle(id: db.lastInsertedRowID, lang: lang, articleID: articleID, markdown: markdown, publishedAt: now)
        }
    }

    public func publishedArticles(after id: Int64) async throws -> [PublishedArticle] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.id, p.lang, p.articleID, p.markdown, p.publishedAt FROM publishedArticle p
                WHERE p.id > ? AND p.id = (SELECT MAX(n.id) FROM publishedArticle n WHERE n.lang = p.lang AND n.articleID = p.articleID)
                ORDER BY p.id
                """, arguments: [id]).map { row in
                PublishedArticle(id: row["id"], lang: row["lang"], articleID: row["articleID"], markdown: row["markdown"],
                                 publishedAt: row["publishedAt"])
            }
        }
    }

    public func sharedContentVersion() async throws -> SharedContentVersion {
        try await read { db in
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM publishedArticle") ?? 0
            let phrases = try Row.fetchOne(db, sql: "SELECT COUNT(*), MAX(id), MAX(createdAt) FROM learnedPhrase")
            let verdict = try String.fetchOne(db, sql: "SELECT MAX(feedbackAt) FROM suggestion")
            let learning = [phrases?[0] as Int64?, phrases?[1] as Int64?].map { $0.map(String.init) ?? "-" }
                + [phrases?[2] as String? ?? "-", verdict ?? "-"]
            return SharedContentVersion(lastPublished: last, learning: learning.joined(separator: "|"))
        }
    }
}
