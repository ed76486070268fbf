import FirstLineCore
import Foundation
import PostgresNIO

extension PostgresStore: SharedContentStore {
    public func publishArticle(lang: String, articleID: String, markdown: String, at now: Date) async throws -> PublishedArticle {
        try await write { db in
            // Publications take turns: an identity value is handed out at insert but seen at commit, and two
            // concurrent ones could commit in the other order; a poller that saw the later id would then skip
            // the earlier one for good.
            try await db.lock("publishArticle")
            guard let id = try await db.value("""
                INSERT INTO publishedArticle (lang, articleID, markdown, publishedAt)
                VALUES (\(lang), \(articleID), \(markdown), \(now)) RETURNING id
                """, as: Int64.self)
            else {
                throw StoreError.invalidValue("published article insert returned no row")
            }
            return PublishedArticle(id: id, lang: lang, articleID: articleID, markdown: markdown, publishedAt: now)
        }
    }

    public func publishedArticles(after id: Int64) async throws -> [PublishedArticle] {
        try await read { db in
            try await db.all("""
                SELECT p.id, p.lang, p.articleID, p.markdown, p.publishedAt FROM publishedArticle p
                WHERE p.id > \(id)
                  AND p.id = (SELECT MAX(n.id) FROM publishedArticle n WHERE n.lang = p.lang AND n.articleID = p.articleID)
                ORDER BY p.id
                """) { row in
                let (id, lang, articleID, markdown, publishedAt) = try row.decode((Int64, String, String, String, Date).self)
                return PublishedArticle(id: id, lang: lang, articleID: articleID, markdown: markdown, publishedAt: publishedAt)
            }
        }
    }

    public func sharedContentVersion() async throws -> SharedContentVersion {
        try await read { db in
            let last = try await db.value("SELECT MAX(id) FROM publishedArticle", as: Int64.self) ?? 0
            let learning = try await db.first("""
                SELECT (SELECT COUNT(*) FROM learnedPhrase), (SELECT MAX(id) FROM learnedPhrase),
                       (SELECT MAX(createdAt) FROM learnedPhrase), (SELECT MAX(feedbackAt) FROM suggestion)
                """) { row in
                let (count, maxID, created, verdict) = try row.decode((Int64, Int64?, Date?, Date?).self)
                return [String(count), maxID.map(String.init) ?? "-",
                        created.map { String($0.timeIntervalSince1970) } ?? "-",
                        verdict.map { String($0.timeIntervalSince1970) } ?? "-"].joined(separator: "|")
            }
            return SharedContentVersion(lastPublished: last, learning: learning ?? "")
        }
    }
}
