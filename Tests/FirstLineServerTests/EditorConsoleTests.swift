import FirstLineCore
import FirstLineServer
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

/// The editors' console (issue 14, point 3) through the real server on a copy of the shipped knowledge
/// base: the list with its figures and missing translations, the editor's Preview / Save draft / Publish,
/// versions with a diff and Restore, the gap report's "write an article for this", roles, CSRF, escaping.
@Suite("editors' console")
struct EditorConsoleTests {
    typealias Browser = ConsolePagesTests.Browser

    /// A server on a private copy of the knowledge base, without the Japanese `backup` article.
    static func withServer<T: Sendable>(
        _ body: @Sendable (TestEnvironment, any TestClientProtocol, AppDatabase) async throws -> T
    ) async throws -> T {
        try await TestEnvironment.with { base in
            var env = base
            let copy = env.folder.appendingPathComponent("KnowledgeBase", isDirectory: true)
            try FileManager.default.copyItem(at: Repository.knowledgeBase, to: copy)
            try FileManager.default.removeItem(at: copy.appendingPathComponent("ja/backup.md"))
            env.configuration.knowledgeBase = copy
            env.configuration.adminToken = testAdminToken
            let captured = env
            return try await env.withServer { client, database in try await body(captured, client, database) }
        }
    }

    static func signedIn(_ client: any TestClientProtocol, _ database: AppDatabase, name: String = "edna",
                         role: Account.Role = .editor) async throws -> Browser {
        var browser = Browser(client: client)
        _ = try await browser.signIn(try await issueToken(database, name: name, role: role))
        return browser
    }

    static func page(_ browser: inout Browser, _ uri: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let response = try await browser.request(.get, uri)
        #expect(response.status == .ok, "GET \(uri): \(response.status)", sourceLocation: sourceLocation)
        return String(buffer: response.body)
    }

    /// The form of the edit page as a browser would send it back, with `changes` applied.
    static func formFields(_ page: String, _ changes: [String: String]) throws -> [String: String] {
        var fields: [String: String] = [:]
        fields["csrf"] = try #require(Browser.field("csrf", in: page))
        for name in ["title", "id"] { if let value = Browser.field(name, in: page) { fields[name] = unescape(value) } }
        for name in ["keywords", "questions", "body"] {
            guard let start = page.range(of: "<textarea name=\"\(name)\"")?.upperBound,
                  let open = page[start...].firstIndex(of: ">"),
                  let close = page[open...].range(of: "</textarea>") else { continue }
            fields[name] = unescape(String(page[page.index(after: open)..<close.lowerBound]))
        }
        for name in ["category", "lang"] {
            guard let range = page.range(of: "<select name=\"\(name)\">"),
                  let selected = page[range.upperBound...].range(of: "\" selected") else { continue }
            let before = page[range.upperBound..<selected.lowerBound]
            fields[name] = String(before[before.index(after: before.lastIndex(of: "\"")!)...])
        }
        fields.merge(changes) { _, new in new }
        return fields
    }

    static func unescape(_ html: String) -> String {
        html.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func versions(_ database: AppDatabase, _ lang: String, _ id: String) async throws -> [ArticleVersion] {
        try await database.articleVersions(lang: lang, articleID: id, limit: 100)
    }

    @Test("the list: each language's title, times suggested, Solved, Still broken, last change; a missing translation is a gap")
    func list() async throws {
        try await Self.withServer { _, client, database in
            // Seeded history: vpn-connect shown three times in Korean conversations (1 Solved, 1 Still broken), once in Japanese.
            let employee = try await makeEmployee(database, "Ana")
            func conversation(_ key: String, _ language: String) async throws -> Int64 {
                let made = try await database.findOrCreateConversation(platform: .web, conversationKey: key, employeeID: employee,
                                                                       initialState: #"{"name":"idle"}"#, at: TestEnvironment.start)
                try await database.write { db in
                    try db.execute(sql: "UPDATE conversation SET language = ? WHERE id = ?", arguments: [language, made.id!])
                }
                return made.id!
            }
            let korean = try await conversation("k", "ko"), japanese = try await conversation("j", "ja")
            for (conversationID, feedback) in [(korean, Suggestion.Feedback.solved), (korean, .stillBroken), (korean, nil),
                                               (japanese, .solved)] as [(Int64, Suggestion.Feedback?)] {
                let shown = try await database.recordSuggestion(conversationID: conversationID, articleID: "vpn-connect", query: "vpn",
                                                                shownAt: TestEnvironment.start)
                if let feedback { _ = try await database.setFeedback(suggestionID: shown.id!, feedback: feedback, at: TestEnvironment.start) }
            }
            // A publication recorded at 10:00 Seoul time is the English backup's last change; a newer draft is flagged.
            _ = try await database.recordArticleVersion(NewArticleVersion(lang: "en", articleID: "backup", kind: .published,
                                                                          author: "edna", markdown: "x"), at: TestEnvironment.start)
            _ = try await database.recordArticleVersion(NewArticleVersion(lang: "en", articleID: "backup", kind: .draft,
                                                                          author: "edna", markdown: "y"),
                                                        at: TestEnvironment.start.addingTimeInterval(60))
            var browser = try await Self.signedIn(client, database)
            let all = try await Self.page(&browser, "/console/articles?lang=en")
            #expect(all.contains("I want to back up my files or restore something I deleted</a> <span class=\"badge\">draft saved</span>"))
            #expect(all.contains("Suggested 0 · Solved 0 · Still broken 0 · Last change 2025-03-04 10:00"))
            #expect(all.contains("VPN에 연결되지 않을 때"))
            #expect(all.contains("Suggested 3 · Solved 1 · Still broken 1 · Last change 2026-11-22"), "Korean vpn-connect")
            #expect(all.contains("Suggested 1 · Solved 1 · Still broken 0"), "Japanese vpn-connect")
            // The Japanese backup article is missing: a gap with a link to write it from the Korean one.
            #expect(all.contains("No Japanese version — write it"))
            #expect(all.contains("/console/articles/new?in=ja&amp;from=ko/backup"))
            #expect(all.contains("missing translations 1"))

            let japaneseOnly = try await Self.page(&browser, "/console/articles?in=ja")
            #expect(japaneseOnly.contains("<th>Japanese</th>") && !japaneseOnly.contains("<th>Korean</th>"))
            #expect(!japaneseOnly.contains("VPN에 연결되지 않을 때"))
            let searched = try await Self.page(&browser, "/console/articles?q=vpn")
            #expect(searched.contains("vpn-connect") && !searched.contains(">backup<"))

            // The gap's link opens the editor prefilled from the Korean front matter, the Korean text beside it.
            let translate = try await Self.page(&browser, "/console/articles/new?in=ja&from=ko/backup")
            #expect(Browser.field("id", in: translate) == "backup")
            #expect(translate.contains(#"<option value="ja" selected>"#))
            #expect(translate.contains(#"<option value="software" selected>"#))
            #expect(translate.contains("Translate from (ko)"))

            // In Korean and Japanese too.
            #expect(try await Self.page(&browser, "/console/articles?lang=ko").contains("일본어판 없음 — 작성하기"))
            #expect(try await Self.page(&browser, "/console/articles?lang=ja").contains("日本語版なし — 作成する"))
        }
    }

    @Test("edit → preview → draft → publish: the draft leaves the live article alone, the publication answers the next question")
    func editPreviewDraftPublish() async throws {
        try await Self.withServer { env, client, database in
            var browser = try await Self.signedIn(client, database)
            let file = env.configuration.knowledgeBase.appendingPathComponent("ko/vpn-connect.md")
            let original = try String(contentsOf: file, encoding: .utf8)
            let edit = try await Self.page(&browser, "/console/articles/ko/vpn-connect/edit?lang=en")
            #expect(edit.contains("VPN에 연결되지 않을 때") && edit.contains("<code>vpn-connect</code>"))
            let marker = "1. 새 단계: **FortiClient**를 다시 설치하세요 (표식 7731)."
            let newBody = try #require(Self.formFields(edit, [:])["body"]).replacingOccurrences(of: "1. 먼저", with: marker + "\n2. 먼저")
            // The title changes too: the bot shows it whether it answers with the article or offers a choice.
            let newTitle = "VPN에 연결되지 않을 때 (표식 7731)"

            // Preview: rendered as the bot renders it, escaped, nothing stored.
            var fields = try Self.formFields(edit, ["body": newBody + "\n<script>alert(1)</script>", "do": "preview"])
            let preview = try await browser.request(.post, "/console/articles/ko/vpn-connect/edit", form: fields)
            let previewPage = String(buffer: preview.body)
            #expect(preview.status == .ok)
            #expect(previewPage.contains("<strong>FortiClient</strong>"))
            #expect(previewPage.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !previewPage.contains("<script>alert"))
            #expect(previewPage.contains("The file as it will be written"))
            #expect(previewPage.contains("The check found no problems: ready to publish."))
            #expect(try await Self.versions(database, "ko", "vpn-connect").isEmpty)

            // Save draft: a version in the database, the file and the answers unchanged.
            fields = try Self.formFields(edit, ["title": newTitle, "body": newBody, "do": "draft"])
            let drafted = try await browser.request(.post, "/console/articles/ko/vpn-connect/edit", form: fields)
            #expect(drafted.status == .seeOther && drafted.headers[.location] == "/console/articles/ko/vpn-connect/edit?done=draft")
            #expect(try String(contentsOf: file, encoding: .utf8) == original)
            let draft = try #require(try await Self.versions(database, "ko", "vpn-connect").first)
            #expect(draft.kind == .draft && draft.author == "edna" && draft.markdown.contains("표식 7731"))
            try await database.issueChatSessions(["before", "after"])
            #expect(!(try await client.chat(session: "before", text: "VPN 접속이 안 돼요").allText.contains("표식 7731")))
            // The edit page reopens the draft.
            let reopened = try await Self.page(&browser, "/console/articles/ko/vpn-connect/edit?done=draft")
            #expect(reopened.contains("Draft saved. The live article is unchanged.") && reopened.contains("표식 7731"))
            #expect(!(try await Self.page(&browser, "/console/articles/ko/vpn-connect/edit?live=1")).contains("표식 7731"),
                    "?live=1 opens the live text")
            #expect(try await Self.page(&browser, "/console/articles/ko/vpn-connect/edit?live=1&lang=ja").contains("下書きを保存"))
            #expect(try await Self.page(&browser, "/console/articles/ko/vpn-connect/edit?live=1&lang=ko").contains("초안 저장"))

            // Publish: the file is written, a published version recorded, and the bot answers with it at once.
            fields = try Self.formFields(reopened, ["do": "publish"])
            let published = try await browser.request(.post, "/console/articles/ko/vpn-connect/edit", form: fields)
            #expect(published.status == .seeOther, "\(String(buffer: published.body).prefix(400))")
            let written = try String(contentsOf: file, encoding: .utf8)
            #expect(written.contains("표식 7731") && written.contains("updated: 2025-03-04"))
            let versions = try await Self.versions(database, "ko", "vpn-connect")
            #expect(versions.map(\.kind) == [.published, .draft] && versions[0].markdown == written && versions[0].author == "edna")
            let after = try await client.chat(session: "after", text: "VPN 접속이 안 돼요")
            #expect(after.allText.contains("표식 7731"), "\(after.allText)")

            // Publishing through the JSON API records a version too, with the API user as its author.
            let api = try await issueToken(database, name: "apiuser", role: .editor)
            try await client.apiJSON(.put, "/api/v1/kb/articles/ko/vpn-connect", token: api,
                                     body: jsonBody(["markdown": original]))
            let afterAPI = try #require(try await Self.versions(database, "ko", "vpn-connect").first)
            #expect(afterAPI.kind == .published && afterAPI.author == "apiuser" && afterAPI.markdown == original)
        }
    }

    @Test("a publication that fails the check shows each problem with its line on the form, and changes nothing")
    func validationError() async throws {
        try await Self.withServer { env, client, database in
            var browser = try await Self.signedIn(client, database)
            let file = env.configuration.knowledgeBase.appendingPathComponent("en/backup.md")
            let original = try String(contentsOf: file, encoding: .utf8)
            let edit = try await Self.page(&browser, "/console/articles/en/backup/edit")
            let fields = try Self.formFields(edit, ["questions": "only one\nand two", "do": "publish"])
            let refused = try await browser.request(.post, "/console/articles/en/backup/edit", form: fields)
            let page = String(buffer: refused.body)
            #expect(refused.status == .unprocessableContent)
            #expect(page.contains("Not published: fix these problems (nothing was changed)."))
            // The list under `questions:` starts on line 8 of the file as it would be written (`kb check` says
            // the same); the numbered file marks that line.
            #expect(page.contains("line 8: &#39;questions&#39; must list at least 3 example questions, found 2"), "\(page)")
            #expect(page.contains(#"<li value="8" class="problem">"#))
            #expect(page.contains("only one") && page.contains("and two"), "the editor's text is kept on the form")
            #expect(try String(contentsOf: file, encoding: .utf8) == original)
            #expect(try await Self.versions(database, "en", "backup").isEmpty)
            // Longer than the API takes: refused before anything is kept.
            let long = try await browser.request(.post, "/console/articles/en/backup/edit", form: try Self.formFields(edit, [
                "body": String(repeating: "1. step\n", count: 40_000), "do": "draft",
            ]))
            #expect(long.status == .contentTooLarge && String(buffer: long.body).contains("The article is too long"))
            #expect(try await Self.versions(database, "en", "backup").isEmpty)
            // A new article whose id exists already is a conflict, also nothing written.
            let new = try await Self.page(&browser, "/console/articles/new?in=en")
            let duplicate = try await browser.request(.post, "/console/articles/new", form: try Self.formFields(new, [
                "id": "backup", "lang": "en", "title": "Another backup", "category": "software", "keywords": "backup",
                "questions": "a\nb\nc", "body": "1. Step.", "do": "publish",
            ]))
            #expect(duplicate.status == .conflict)
            #expect(String(buffer: duplicate.body).contains("An article with this id already exists in this language."))
            // Its draft too: it would take over the live article's editor.
            let duplicateDraft = try await browser.request(.post, "/console/articles/new", form: try Self.formFields(new, [
                "id": "backup", "lang": "en", "title": "Another backup", "do": "draft",
            ]))
            #expect(duplicateDraft.status == .conflict)
            #expect(try await Self.versions(database, "en", "backup").isEmpty)
            // A draft without an id cannot be kept: there is no article to keep it under.
            let anonymous = try await browser.request(.post, "/console/articles/new", form: try Self.formFields(new, [
                "id": "", "lang": "en", "title": "No id yet", "do": "draft",
            ]))
            #expect(anonymous.status == .unprocessableContent)
            #expect(String(buffer: anonymous.body).contains("A draft needs an id"))
            #expect(try String(contentsOf: file, encoding: .utf8) == original)
        }
    }

    @Test("a new article kept as a draft first: it reopens from its draft with its versions, then is published as new")
    func newArticleDraftThenPublish() async throws {
        try await Self.withServer { env, client, database in
            var browser = try await Self.signedIn(client, database)
            let new = try await Self.page(&browser, "/console/articles/new?in=ja&lang=ja")
            #expect(new.contains("新しい記事") && new.contains(#"<option value="ja" selected>"#))
            let fields = try Self.formFields(new, [
                "id": "studio-printer", "lang": "ja", "title": "3D プリンターの使い方", "category": "hardware",
                "keywords": "3D プリンター\nフィラメント", "questions": "3Dプリンターの使い方は？\n3Dプリンターで印刷できない",
                "body": "1. 電源を入れます。", "do": "draft",
            ])
            let drafted = try await browser.request(.post, "/console/articles/new", form: fields)
            #expect(drafted.headers[.location] == "/console/articles/ja/studio-printer/edit?done=draft")
            let file = env.configuration.knowledgeBase.appendingPathComponent("ja/studio-printer.md")
            #expect(!FileManager.default.fileExists(atPath: file.path))
            let reopened = try await Self.page(&browser, "/console/articles/ja/studio-printer/edit")
            #expect(Browser.field("id", in: reopened) == "studio-printer" && reopened.contains("3D プリンターの使い方"))
            #expect(reopened.contains(#"<a href="/console/articles/ja/studio-printer/history">"#))
            #expect(try await Self.page(&browser, "/console/articles/ja/studio-printer/history").contains("下書き"))
            // Two questions: refused; with a third, published as a new article.
            let refused = try await browser.request(.post, "/console/articles/new",
                                                    form: try Self.formFields(reopened, ["do": "publish"]))
            #expect(refused.status == .unprocessableContent)
            #expect(!FileManager.default.fileExists(atPath: file.path))
            let published = try await browser.request(.post, "/console/articles/new", form: try Self.formFields(reopened, [
                "questions": "3Dプリンターの使い方は？\n3Dプリンターで印刷できない\nメーカールームのプリンター", "do": "publish",
            ]))
            #expect(published.headers[.location] == "/console/articles/ja/studio-printer/edit?done=published")
            #expect(FileManager.default.fileExists(atPath: file.path))
            #expect(try await Self.versions(database, "ja", "studio-printer").map(\.kind) == [.published, .draft])
        }
    }

    @Test("history lists every version; a diff against the live one; Restore publishes an old version as a new one")
    func historyDiffRestore() async throws {
        try await Self.withServer { env, client, database in
            var browser = try await Self.signedIn(client, database)
            let file = env.configuration.knowledgeBase.appendingPathComponent("en/backup.md")
            let edit = try await Self.page(&browser, "/console/articles/en/backup/edit")
            let body = try #require(Self.formFields(edit, [:])["body"])
            for (index, step) in ["1. First edition step.", "1. Second edition step."].enumerated() {
                let page = index == 0 ? edit : try await Self.page(&browser, "/console/articles/en/backup/edit")
                let response = try await browser.request(.post, "/console/articles/en/backup/edit", form: try Self.formFields(page, [
                    "body": body.replacingOccurrences(of: "1. Company computers", with: step + "\n2. Company computers"), "do": "publish",
                ]))
                #expect(response.status == .seeOther)
            }
            var versions = try await Self.versions(database, "en", "backup")
            #expect(versions.count == 2)
            let first = versions[1], second = versions[0]
            #expect(try String(contentsOf: file, encoding: .utf8) == second.markdown)

            let history = try await Self.page(&browser, "/console/articles/en/backup/history")
            #expect(history.contains("/console/articles/en/backup/versions/\(first.id)") && history.contains("/console/articles/en/backup/versions/\(second.id)"))
            #expect(history.contains("/console/articles/en/backup/versions/\(first.id)/restore"))
            #expect(!history.contains("/console/articles/en/backup/versions/\(second.id)/restore"), "the live version has no Restore")

            let diff = try await Self.page(&browser, "/console/articles/en/backup/versions/\(first.id)")
            #expect(diff.contains(#"<tr class="removed"><td class="num">15</td><td class="num"></td><td class="sign">−</td><td><code>1. Second edition step.</code>"#), "\(diff)")
            #expect(diff.contains(#"<tr class="added"><td class="num"></td><td class="num">15</td><td class="sign">+</td><td><code>1. First edition step.</code>"#))
            #expect(diff.contains("(1 +, 1 −)"))

            // Restore: without the form token nothing happens; with it the first edition is live again, as a new version.
            #expect(try await browser.request(.post, "/console/articles/en/backup/versions/\(first.id)/restore", form: [:]).status == .forbidden)
            #expect(try await Self.versions(database, "en", "backup").count == 2)
            let csrf = try #require(Browser.field("csrf", in: history))
            let restored = try await browser.request(.post, "/console/articles/en/backup/versions/\(first.id)/restore", form: ["csrf": csrf])
            #expect(restored.headers[.location] == "/console/articles/en/backup/history?done=restored")
            #expect(try String(contentsOf: file, encoding: .utf8) == first.markdown)
            versions = try await Self.versions(database, "en", "backup")
            #expect(versions.count == 3 && versions[0].note == "restored from version \(first.id)" && versions[0].kind == .published)
            #expect(try await Self.page(&browser, "/console/articles/en/backup/versions/\(first.id)").contains("Identical to the live article."))
            // A draft that fails the check cannot be restored as it is; nothing changes.
            let broken = try await database.recordArticleVersion(
                NewArticleVersion(lang: "en", articleID: "backup", kind: .draft, author: "edna",
                                  markdown: first.markdown.replacingOccurrences(of: "category: software", with: "category: printers")),
                at: env.clock.now())
            let refused = try await browser.request(.post, "/console/articles/en/backup/versions/\(broken.id)/restore", form: ["csrf": csrf])
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("line 5: &#39;category&#39; must be one of"))
            #expect(try String(contentsOf: file, encoding: .utf8) == first.markdown)
            #expect(try await Self.versions(database, "en", "backup").count == 4)
            // Another article's version under this path is not found.
            #expect(try await browser.request(.get, "/console/articles/ko/backup/versions/\(first.id)").status == .notFound)
            #expect(try await browser.request(.get, "/console/articles/en/backup/versions/999999").status == .notFound)
        }
    }

    @Test("the gap report's clusters open the new-article editor with their examples as questions, in their language")
    func gapToEditor() async throws {
        try await Self.withServer { _, client, database in
            try await database.issueChatSessions(["gap-0", "gap-1", "gap-2"])
            for (index, text) in ["where can I get a parking permit", "my parking permit expired", "주차 등록은 어디서 하나요"].enumerated() {
                _ = try await client.chat(session: "gap-\(index)", text: text)
            }
            var browser = try await Self.signedIn(client, database)
            let gaps = try await Self.page(&browser, "/console/gaps?from=2025-03-04&to=2025-03-04")
            #expect(gaps.contains("Write an article for this"))
            #expect(gaps.contains("<li>where can I get a parking permit</li>"), "the cluster's examples are shown")
            // The shipped synonyms group 주차 with parking: one cluster for both languages, a link for each.
            #expect(gaps.components(separatedBy: "<ol class=\"clusters\"><li>").count == 2 && gaps.contains("<li>주차 등록은 어디서 하나요</li>"))
            #expect(gaps.contains("/console/articles/new?in=ko"))
            let start = try #require(gaps.range(of: "href=\"/console/articles/new?in=en")?.lowerBound)
            let href = Self.unescape(String(gaps[gaps.index(start, offsetBy: 6)...].prefix { $0 != "\"" }))
            #expect(href.contains("question=where%20can%20I%20get%20a%20parking%20permit"))
            let editor = try await Self.page(&browser, href)
            #expect(editor.contains(#"<option value="en" selected>"#))
            let fields = try Self.formFields(editor, [:])
            #expect(Set(fields["questions"]?.split(separator: "\n").map(String.init) ?? [])
                == ["where can I get a parking permit", "my parking permit expired"])
            #expect(fields["keywords"]?.isEmpty == false)
        }
    }

    @Test("agents are refused every editor page and form and have no menu entry; the admin may edit")
    func roles() async throws {
        try await Self.withServer { env, client, database in
            var agent = try await Self.signedIn(client, database, name: "ana", role: .agent)
            let queue = try await Self.page(&agent, "/console/queue")
            #expect(!queue.contains("/console/articles"))
            for uri in ["/console/articles", "/console/articles/new", "/console/articles/en/backup/edit",
                        "/console/articles/en/backup/history", "/console/articles/en/backup/versions/1"] {
                #expect(try await agent.request(.get, uri).status == .forbidden, "\(uri)")
            }
            let csrf = try #require(Browser.field("csrf", in: queue))
            let file = env.configuration.knowledgeBase.appendingPathComponent("en/backup.md")
            let original = try String(contentsOf: file, encoding: .utf8)
            let refused = try await agent.request(.post, "/console/articles/en/backup/edit", form: [
                "csrf": csrf, "title": "hijacked", "category": "software", "keywords": "x", "questions": "a\nb\nc", "body": "1. x",
                "do": "publish",
            ])
            #expect(refused.status == .forbidden)
            #expect(try String(contentsOf: file, encoding: .utf8) == original)
            // Signed out: to the sign-in page.
            var stranger = Browser(client: client)
            #expect(try await stranger.request(.get, "/console/articles").headers[.location] == "/console/login")

            var editor = try await Self.signedIn(client, database)
            let editorMenu = try await Self.page(&editor, "/console/gaps")
            #expect(editorMenu.contains(#"<a href="/console/articles">"#) && !editorMenu.contains("/console/queue"))
            // CSRF: an editor's form without the token changes nothing.
            let forged = try await editor.request(.post, "/console/articles/en/backup/edit", form: [
                "title": "forged", "category": "software", "keywords": "x", "questions": "a\nb\nc", "body": "1. x", "do": "publish",
            ])
            #expect(forged.status == .forbidden)
            #expect(try String(contentsOf: file, encoding: .utf8) == original)
            #expect(try await Self.versions(database, "en", "backup").isEmpty)

            var admin = Browser(client: client)
            _ = try await admin.signIn(testAdminToken)
            #expect(try await admin.request(.get, "/console/articles").status == .ok)
        }
    }

    @Test("hostile titles and bodies are text on every page: list, editor, preview, history and diff")
    func escaping() async throws {
        try await Self.withServer { env, client, database in
            var browser = try await Self.signedIn(client, database)
            let hostileTitle = #""><img src=x onerror=alert(1)> printer"#
            let new = try await Self.page(&browser, "/console/articles/new?in=en")
            let created = try await browser.request(.post, "/console/articles/new", form: try Self.formFields(new, [
                "id": "hostile-printer", "lang": "en", "title": hostileTitle, "category": "hardware",
                "keywords": "printer\n<b>bold</b>", "questions": "printer <script>alert(2)</script>\nprinter broken\nprinter jam again",
                "body": "1. <script>alert(3)</script> Open the tray.\n2. [click](javascript:alert(4)) then **close** it.", "do": "publish",
            ]))
            #expect(created.status == .seeOther, "\(String(buffer: created.body).prefix(600))")
            let written = try String(contentsOf: env.configuration.knowledgeBase.appendingPathComponent("en/hostile-printer.md"),
                                     encoding: .utf8)
            #expect(written.contains(#"title: "\"><img src=x onerror=alert(1)> printer""#))
            let versions = try await Self.versions(database, "en", "hostile-printer")
            let pages = [
                try await Self.page(&browser, "/console/articles"),
                try await Self.page(&browser, "/console/articles/en/hostile-printer/edit"),
                try await Self.page(&browser, "/console/articles/en/hostile-printer/history"),
                try await Self.page(&browser, "/console/articles/en/hostile-printer/versions/\(try #require(versions.first).id)"),
                String(buffer: try await browser.request(.post, "/console/articles/en/hostile-printer/edit", form: try Self.formFields(
                    try await Self.page(&browser, "/console/articles/en/hostile-printer/edit"), ["do": "preview"])).body),
            ]
            for page in pages {
                #expect(!page.contains("<img src=x") && !page.contains("<script>alert") && !page.contains("<b>bold</b>"))
                #expect(!page.contains("href=\"javascript:"))
            }
            #expect(pages[0].contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt; printer"))
            #expect(pages[4].contains("<strong>close</strong>") && pages[4].contains("&lt;script&gt;alert(3)&lt;/script&gt;"))
        }
    }
}
