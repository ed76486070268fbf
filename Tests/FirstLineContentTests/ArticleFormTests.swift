import FirstLineCore
import Testing

@testable import FirstLineContent

/// The console's article form (issue 14, point 3): the file it writes is one the loader reads back to the
/// same fields, whatever the editor typed (quotes, colons, hostile HTML, ko/ja/en).
@Suite("article form")
struct ArticleFormTests {
    @Test("fields written as a file are read back unchanged by the loader, in Korean, Japanese and English")
    func roundTrip() throws {
        let forms = [
            ArticleForm(id: "printer-jam", lang: "ko", title: "프린터에 종이가 걸렸어요: 2층 복합기", category: "hardware",
                        keywords: ["프린터", "용지 걸림, 잼", "[복합기]"], questions: ["프린터 종이 걸림", "# 용지가 안 나와요", "- 복합기 멈춤"],
                        updated: "2026-12-07", body: "1. 전원을 끄세요.\n2. **뒷면 덮개**를 여세요."),
            ArticleForm(id: "vpn-connect", lang: "ja", title: "VPN に接続できない", category: "network", keywords: ["VPN", "リモート"],
                        questions: ["VPNが繋がらない", "在宅でVPNが切れる", "true"], body: "1. アプリを再起動します。"),
            ArticleForm(id: "hostile", lang: "en", title: #""><img src=x onerror=alert(1)> it's "quoted" \ back"#,
                        category: "software", keywords: ["yes", "123", "a: b"], questions: ["<script>alert(1)</script>", "why?", "? odd"],
                        body: "<script>alert(2)</script>\n\nWhen to ask for a person: `never`."),
        ]
        for form in forms {
            let markdown = form.markdown()
            let result = KnowledgeBaseLoader().parseArticle(text: markdown, file: "article", slug: form.id,
                                                            folderLanguage: Language(rawValue: form.lang))
            #expect(result.issues.isEmpty, "\(result.issues)\n\(markdown)")
            let article = try #require(result.article)
            #expect(article.title == form.title && article.keywords == form.keywords && article.questions == form.questions)
            #expect(article.category.rawValue == form.category && article.body == form.body && article.updated == form.updated)
            #expect(ArticleForm(markdown: markdown) == form, "read back by the form itself")
        }
    }

    @Test("a shipped-style file is read into the form; a broken one still gives what it can")
    func lenientRead() {
        let shipped = "---\nid: backup\ntitle: Back up files\nlang: en\ncategory: software\nkeywords: [backup, OneDrive]\n"
            + "questions:\n  - are my files backed up?\n  - restore a file\n  - deleted a file\nupdated: 2026-11-22\n---\n1. Check OneDrive.\n"
        let form = ArticleForm(markdown: shipped)
        #expect(form == ArticleForm(id: "backup", lang: "en", title: "Back up files", category: "software",
                                    keywords: ["backup", "OneDrive"], questions: ["are my files backed up?", "restore a file", "deleted a file"],
                                    updated: "2026-11-22", body: "1. Check OneDrive."))
        // Written back, a shipped article keeps its lines: a diff against the file shows only real edits.
        #expect(form.markdown() == shipped)
        let broken = ArticleForm(markdown: "---\nid: half\ntitle: [unclosed\n---\nbody text")
        #expect(broken.body == "body text")
        #expect(ArticleForm(markdown: "no front matter at all").body == "no front matter at all")
    }
}
