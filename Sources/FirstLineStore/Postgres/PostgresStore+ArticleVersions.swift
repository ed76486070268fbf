import FirstLineCore
import Foundation
import PostgresNIO

extension PostgresStore: ArticleVersionStore {
    public func recordArticleVersion(_ version: NewArticleVersion, at now: Date) async throws -> ArticleVersion {
        try await write { db in
            guard let id = try await db.value("""
                INSERT INTO articleVersion (lang, articleID, kind, author, markdown, note, createdAt)
                VALUES (\(version.lang), \(version.articleID), \(version.kind.rawValue), \(version.author), \(version.markdown),
                        \(version.note), \(now)) RETURNING id
                """, as: Int64.self)
            else {
                throw StoreError.invalidValue("article version insert returned no row")
            }
            return ArticleVersion(id: id, lang: version.lang, articleID: version.articleID, kind: version.kind,
                                  author: version.author, markdown: version.markdown, note: version.note, createdAt: now)
        }
    }

    public func articleVersions(lang: String, articleID: String, limit: Int) async throws -> [ArticleVersion] {
        try await read { db in
            try await db.all("""
                SELECT id, lang, articleID, kind, author, markdown, note, createdAt FROM articleVersion
                 WHERE lang = \(lang) AND articleID = \(articleID) ORDER BY id DESC LIMIT \(limit)
                """, Self.articleVersion)
        }
    }

    public func articleVersion(id: Int64) async throws -> ArticleVersion? {
        try await read { db in
            try await db.first("""
                SELECT id, lang, articleID, kind, author, markdown, note, createdAt FROM articleVersion WHERE id = \(id)
                """, Self.articleVersion)
        }
    }

    public func articleVersionSummaries() async throws -> [ArticleVersionSummary] {
        try await read { db in
            try await db.all("""
                SELECT lang, articleID, MAX(CASE WHEN kind = 'published' THEN createdAt END),
                       MAX(CASE WHEN kind = 'draft' THEN createdAt END), COUNT(*)
                FROM articleVersion GROUP BY lang, articleID ORDER BY lang, articleID
                """) { row in
                let (lang, articleID, published, draft, versions) = try row.decode((String, String, Date?, Date?, Int64).self)
                return ArticleVersionSummary(lang: lang, articleID: articleID, lastPublishedAt: published, lastDraftAt: draft,
                                             versions: Int(versions))
            }
        }
    }

    public func articleUsage() async throws -> [ArticleUsage] {
        try await read { db in
            try await db.all("""
                SELECT s.articleID, c.language, COUNT(*),
                       SUM(CASE WHEN s.feedback = 'solved' THEN 1 ELSE 0 END),
                       SUM(CASE WHEN s.feedback = 'still_broken' THEN 1 ELSE 0 END)
                FROM suggestion s JOIN conversation c ON c.id = s.conversationID
                GROUP BY s.articleID, c.language ORDER BY s.articleID, c.language
                """) { row in
                let (articleID, lang, shown, solved, broken) = try row.decode((String, String?, Int64, Int64, Int64).self)
                return ArticleUsage(articleID: articleID, lang: lang, shown: Int(shown), solved: Int(solved),
                                    stillBroken: Int(broken))
            }
        }
    }

    @Sendable static func articleVersion(_ row: PostgresRow) throws -> ArticleVersion {
        let (id, lang, articleID, raw, author, markdown, note, createdAt) =
            try row.decode((Int64, String, String, String, String, String, String?, Date).self)
        guard let kind = ArticleVersion.Kind(rawValue: raw) else { throw StoreError.invalidValue("article version kind \(raw)") }
        return ArticleVersion(id: id, lang: lang, articleID: articleID, kind: kind, author: author, markdown: markdown,
                              note: note, createdAt: createdAt)
    }
}
