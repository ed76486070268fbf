import FirstLineCore
import Foundation
import GRDB

/// One saved state of an article (issue 14, point 3): every draft an editor saves in the console and
/// every publication (console, JSON API, a restore), with who, when and the whole Markdown file.
/// Append-only: restoring an old version publishes it again as a new version.
public struct ArticleVersion: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Saved for later; the live article and the index are untouched.
        case draft
        /// Written to the knowledge base and served.
        case published
    }

    public var id: Int64
    public var lang: String
    public var articleID: String
    public var kind: Kind
    /// The account that saved it (`admin` for the bootstrap token).
    public var author: String
    public var markdown: String
    /// Why, when it is not an ordinary save ("restored from version 12").
    public var note: String?
    public var createdAt: Date

    public init(id: Int64, lang: String, articleID: String, kind: Kind, author: String, markdown: String, note: String?,
                createdAt: Date) {
        self.id = id
        self.lang = lang
        self.articleID = articleID
        self.kind = kind
        self.author = author
        self.markdown = markdown
        self.note = note
        self.createdAt = createdAt
    }
}

/// A version to record.
public struct NewArticleVersion: Sendable, Equatable {
    public var lang: String
    public var articleID: String
    public var kind: ArticleVersion.Kind
    public var author: String
    public var markdown: String
    public var note: String?

    public init(lang: String, articleID: String, kind: ArticleVersion.Kind, author: String, markdown: String, note: String? = nil) {
        self.lang = lang
        self.articleID = articleID
        self.kind = kind
        self.author = author
        self.markdown = markdown
        self.note = note
    }
}

/// The newest draft and publication of one article, for the list of articles.
public struct ArticleVersionSummary: Sendable, Equatable {
    public var lang: String
    public var articleID: String
    public var lastPublishedAt: Date?
    public var lastDraftAt: Date?
    public var versions: Int

    public init(lang: String, articleID: String, lastPublishedAt: Date?, lastDraftAt: Date?, versions: Int) {
        self.lang = lang
        self.articleID = articleID
        self.lastPublishedAt = lastPublishedAt
        self.lastDraftAt = lastDraftAt
        self.versions = versions
    }
}

/// How an article did with employees: times it was suggested, and the verdicts. `lang` is the language of
/// the conversation it was shown in (the bot shows an article in the conversation's language); nil when
/// that was never settled.
public struct ArticleUsage: Sendable, Equatable {
    public var articleID: String
    public var lang: String?
    public var shown: Int
    public var solved: Int
    public var stillBroken: Int

    public init(articleID: String, lang: String?, shown: Int, solved: Int, stillBroken: Int) {
        self.articleID = articleID
        self.lang = lang
        self.shown = shown
        self.solved = solved
        self.stillBroken = stillBroken
    }
}

/// The versions of articles, and the figures the editors' list shows beside them.
public protocol ArticleVersionStore: Sendable {
    func recordArticleVersion(_ version: NewArticleVersion, at now: Date) async throws -> ArticleVersion
    /// The article's versions, newest first, at most `limit`.
    func articleVersions(lang: String, articleID: String, limit: Int) async throws -> [ArticleVersion]
    func articleVersion(id: Int64) async throws -> ArticleVersion?
    /// One row per article that has any version.
    func articleVersionSummaries() async throws -> [ArticleVersionSummary]
    /// One row per article and conversation language that was ever suggested.
    func articleUsage() async throws -> [ArticleUsage]
}

extension AppDatabase: ArticleVersionStore {
    public func recordArticleVersion(_ version: NewArticleVersion, at now: Date) async throws -> ArticleVersion {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO articleVersion (lang, articleID, kind, author, markdown, note, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [version.lang, version.articleID, version.kind.rawValue, version.author, version.markdown,
                                 version.note, now])
            return ArticleVersion(id: db.lastInsertedRowID, lang: version.lang, articleID: version.articleID, kind: version.kind,
                                  author: version.author, markdown: version.markdown, note: version.note, createdAt: now)
        }
    }

    public func articleVersions(lang: String, articleID: String, limit: Int) async throws -> [ArticleVersion] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.articleVersionColumns) FROM articleVersion WHERE lang = ? AND articleID = ? ORDER BY id DESC LIMIT ?
                """, arguments: [lang, articleID, limit]).map(Self.articleVersion)
        }
    }

    public func articleVersion(id: Int64) async throws -> ArticleVersion? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.articleVersionColumns) FROM articleVersion WHERE id = ?", arguments: [id])
                .map(Self.articleVersion)
        }
    }

    public func articleVersionSummaries() async throws -> [ArticleVersionSummary] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT lang, articleID, MAX(CASE WHEN kind = 'published' THEN createdAt END) AS published,
                       MAX(CASE WHEN kind = 'draft' THEN createdAt END) AS draft, COUNT(*) AS versions
                FROM articleVersion GROUP BY lang, articleID ORDER BY lang, articleID
                """).map { row in
                ArticleVersionSummary(lang: row["lang"], articleID: row["articleID"], lastPublishedAt: row["published"],
                                      lastDraftAt: row["draft"], versions: row["versions"])
            }
        }
    }

    public func articleUsage() async throws -> [ArticleUsage] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.articleID, c.language, COUNT(*) AS shown,
                       SUM(CASE WHEN s.feedback = 'solved' THEN 1 ELSE 0 END) AS solved,
                       SUM(CASE WHEN s.feedback = 'still_broken' THEN 1 ELSE 0 END) AS stillBroken
                FROM suggestion s JOIN conversation c ON c.id = s.conversationID
                GROUP BY s.articleID, c.language ORDER BY s.articleID, c.language
                """).map { row in
                ArticleUsage(articleID: row["articleID"], lang: row["language"], shown: row["shown"], solved: row["solved"],
                             stillBroken: row["stillBroken"])
            }
        }
    }

    static let articleVersionColumns = "id, lang, articleID, kind, author, markdown, note, createdAt"

    static func articleVersion(_ row: Row) throws -> ArticleVersion {
        let raw: String = row["kind"]
        guard let kind = ArticleVersion.Kind(rawValue: raw) else { throw StoreError.invalidValue("article version kind \(raw)") }
        return ArticleVersion(id: row["id"], lang: row["lang"], articleID: row["articleID"], kind: kind, author: row["author"],
                              markdown: row["markdown"], note: row["note"], createdAt: row["createdAt"])
    }
}
