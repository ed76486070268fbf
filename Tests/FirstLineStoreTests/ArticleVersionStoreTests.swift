import FirstLineCore
import Foundation
import Testing

@testable import FirstLineStore

/// The `articleVersion` table (migration v14-article-versions): drafts and publications with who, when and
/// the whole Markdown, and the figures the editors' list of articles shows.
@Suite("article versions")
struct ArticleVersionStoreTests {
    @Test("versions are kept with their author, time, kind and full text, newest first, per article and language",
          arguments: StorageKind.tested)
    func versions(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let database = store.database
        let first = try await database.recordArticleVersion(
            NewArticleVersion(lang: "ko", articleID: "vpn-connect", kind: .published, author: "edna", markdown: "---\nid: vpn-connect\n---\n1. 하나"),
            at: Fixed.now)
        let draft = try await database.recordArticleVersion(
            NewArticleVersion(lang: "ko", articleID: "vpn-connect", kind: .draft, author: "bo", markdown: "초안 <script>"),
            at: Fixed.later(seconds: 60))
        let restored = try await database.recordArticleVersion(
            NewArticleVersion(lang: "ko", articleID: "vpn-connect", kind: .published, author: "edna", markdown: first.markdown,
                              note: "restored from version \(first.id)"),
            at: Fixed.later(seconds: 120))
        _ = try await database.recordArticleVersion(
            NewArticleVersion(lang: "ja", articleID: "vpn-connect", kind: .draft, author: "edna", markdown: "下書き"),
            at: Fixed.later(seconds: 180))

        #expect(first.id < draft.id && draft.id < restored.id)
        let listed = try await database.articleVersions(lang: "ko", articleID: "vpn-connect", limit: 50)
        #expect(listed == [restored, draft, first])
        #expect(listed[1].markdown == "초안 <script>" && listed[1].kind == .draft && listed[1].author == "bo")
        #expect(listed[0].note == "restored from version \(first.id)" && listed[2].note == nil)
        #expect(try await database.articleVersions(lang: "ko", articleID: "vpn-connect", limit: 1) == [restored])
        #expect(try await database.articleVersions(lang: "en", articleID: "vpn-connect", limit: 50).isEmpty)
        #expect(try await database.articleVersion(id: draft.id) == draft)
        #expect(try await database.articleVersion(id: 9_999) == nil)

        let summaries = try await database.articleVersionSummaries()
        #expect(summaries == [
            ArticleVersionSummary(lang: "ja", articleID: "vpn-connect", lastPublishedAt: nil, lastDraftAt: Fixed.later(seconds: 180),
                                  versions: 1),
            ArticleVersionSummary(lang: "ko", articleID: "vpn-connect", lastPublishedAt: Fixed.later(seconds: 120),
                                  lastDraftAt: Fixed.later(seconds: 60), versions: 3),
        ])
        #expect(try await store.count("articleVersion") == 4)
    }

    @Test("a version of an unknown kind is refused by the table itself", arguments: StorageKind.tested)
    func kindIsChecked(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        await #expect(throws: (any Error).self) {
            try await store.execute("""
                INSERT INTO articleVersion (lang, articleID, kind, author, markdown, createdAt)
                VALUES ('ko', 'x', 'deleted', 'edna', 'text', '2025-06-15 00:00:00')
                """)
        }
        #expect(try await store.count("articleVersion") == 0)
    }

    @Test("usage per article and conversation language: times shown, Solved and Still broken", arguments: StorageKind.tested)
    func usage(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let database = store.database
        let (_, korean) = try await database.makeEmployeeAndConversation(userID: "U1", channel: "D1")
        let (_, japanese) = try await database.makeEmployeeAndConversation(userID: "U2", channel: "D2")
        let (_, unknown) = try await database.makeEmployeeAndConversation(userID: "U3", channel: "D3")
        try await store.execute("UPDATE conversation SET language = 'ko' WHERE id = \(korean.id!)")
        try await store.execute("UPDATE conversation SET language = 'ja' WHERE id = \(japanese.id!)")
        func show(_ conversation: Conversation, _ article: String, _ feedback: Suggestion.Feedback?) async throws {
            let suggestion = try await database.recordSuggestion(conversationID: conversation.id!, articleID: article, query: "q",
                                                                 shownAt: Fixed.now)
            if let feedback { _ = try await database.setFeedback(suggestionID: suggestion.id!, feedback: feedback, at: Fixed.now) }
        }
        try await show(korean, "vpn-connect", .solved)
        try await show(korean, "vpn-connect", .stillBroken)
        try await show(korean, "vpn-connect", nil)
        try await show(japanese, "vpn-connect", .solved)
        try await show(korean, "printer-jam", .stillBroken)
        try await show(unknown, "printer-jam", nil)

        let usage = try await database.articleUsage()
        #expect(Set(usage.map { "\($0.articleID)/\($0.lang ?? "-")" }) == ["vpn-connect/ko", "vpn-connect/ja", "printer-jam/ko", "printer-jam/-"])
        #expect(usage.first { $0.articleID == "vpn-connect" && $0.lang == "ko" }
            == ArticleUsage(articleID: "vpn-connect", lang: "ko", shown: 3, solved: 1, stillBroken: 1))
        #expect(usage.first { $0.articleID == "vpn-connect" && $0.lang == "ja" }
            == ArticleUsage(articleID: "vpn-connect", lang: "ja", shown: 1, solved: 1, stillBroken: 0))
        #expect(usage.first { $0.articleID == "printer-jam" && $0.lang == "ko" }
            == ArticleUsage(articleID: "printer-jam", lang: "ko", shown: 1, solved: 0, stillBroken: 1))
        #expect(usage.first { $0.articleID == "printer-jam" && $0.lang == nil }?.shown == 1)
    }
}
