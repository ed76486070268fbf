import FirstLineContent
import FirstLineCore
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The editors' part of the console (issue 14, point 3): the articles in each language with how they do,
/// missing translations as gaps, the editor (front-matter fields and Markdown body) with a server-side
/// Preview, drafts kept in the database, Publish through the same `KnowledgeBaseEditor` as the JSON API
/// (checked, written atomically, the live index swapped), and the versions with a diff and Restore.
/// Editors and admins only; every form carries the session's CSRF token; every text is escaped by the
/// templates, and the only HTML built here (the preview) is built by `InlineMarkdown.html`, which escapes.
struct EditorConsoleController {
    let console: ConsoleController
    let editor: KnowledgeBaseEditor
    let versions: any ArticleVersionStore

    /// A Korean article percent-encodes to about nine bytes a character; the JSON API takes 256 KiB of text.
    static let formLimit = 1024 * 1024
    static let historyLimit = 200

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/console/assets/editor.css") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "max-age=3600"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: Self.stylesheet)))
        }
        router.get("/console/articles") { request, _ in try await list(request) }
        router.get("/console/articles/new") { request, _ in try await newArticle(request) }
        router.post("/console/articles/new") { request, _ in try await save(request, existing: nil) }
        router.get("/console/articles/{lang}/{id}/edit") { request, context in
            try await edit(request, key: Self.key(context))
        }
        router.post("/console/articles/{lang}/{id}/edit") { request, context in
            try await save(request, existing: Self.key(context))
        }
        router.get("/console/articles/{lang}/{id}/history") { request, context in
            try await history(request, key: Self.key(context))
        }
        router.get("/console/articles/{lang}/{id}/versions/{version}") { request, context in
            try await diff(request, key: Self.key(context), version: context.parameters.get("version") ?? "")
        }
        router.post("/console/articles/{lang}/{id}/versions/{version}/restore") { request, context in
            try await restore(request, key: Self.key(context), version: context.parameters.get("version") ?? "")
        }
    }

    /// An article's language and id, from the path: checked before anything is read with them.
    struct Key: Sendable, Equatable {
        var lang: Language
        var id: String
        var path: String { "/console/articles/\(lang.rawValue)/\(id)" }
    }

    static func key(_ context: AppRequestContext) -> Key? {
        guard let lang = context.parameters.get("lang").flatMap(Language.init(rawValue:)),
              let id = context.parameters.get("id"), isValidID(id) else { return nil }
        return Key(lang: lang, id: id)
    }

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 100 && id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    // MARK: - Access

    private enum Access {
        case granted(ConsoleSessions.Signed)
        case refused(Response)
    }

    /// Editors and admins; anyone else is sent to sign in or refused with 403.
    private func access(_ request: Request) async throws -> Access {
        guard let signed = try await console.sessions.current(request) else { return .refused(ConsoleRenderer.redirect("/console/login")) }
        guard signed.principal.can(.editKnowledgeBase) else { return .refused(console.forbidden(request, signed)) }
        return .granted(signed)
    }

    // MARK: - The list

    func list(_ request: Request) async throws -> Response {
        let signed: ConsoleSessions.Signed
        switch try await access(request) {
        case let .granted(granted): signed = granted
        case let .refused(response): return response
        }
        let language = console.language(request)
        let text = ConsoleText(language: language)
        let zone = console.timeZone(request)
        let parameters = request.uri.queryParameters
        // `in`, not `lang`: `?lang=` is the console's own language switch.
        let filter = parameters.get("in").flatMap(Language.init(rawValue:))
        let search = String((parameters.get("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        let articles = try await editor.list()
        var usage: [String: ArticleUsage] = [:]
        for row in try await versions.articleUsage() { usage["\(row.lang ?? "-")/\(row.articleID)"] = row }
        var changes: [String: ArticleVersionSummary] = [:]
        for row in try await versions.articleVersionSummaries() { changes["\(row.lang)/\(row.articleID)"] = row }

        let byID = Dictionary(grouping: articles, by: \.id)
        let shownLanguages = filter.map { [$0] } ?? Language.allCases
        var rows: [[String: Any]] = []
        var gaps = 0
        for id in byID.keys.sorted() {
            let translations = byID[id] ?? []
            if !search.isEmpty, !id.localizedCaseInsensitiveContains(search),
               !translations.contains(where: { $0.title.localizedCaseInsensitiveContains(search) }) { continue }
            let source = Language.allCases.first { lang in translations.contains { $0.lang == lang.rawValue } }
            var cells: [[String: Any]] = []
            for lang in shownLanguages {
                guard let article = translations.first(where: { $0.lang == lang.rawValue }) else {
                    gaps += 1
                    cells.append(["missing": true, "label": text["missing.\(lang.rawValue)"],
                                  "href": "/console/articles/new?in=\(lang.rawValue)" + (source.map { "&from=\($0.rawValue)/\(id)" } ?? "")])
                    continue
                }
                let key = "\(lang.rawValue)/\(id)"
                let counts = usage[key]
                let change = changes[key]
                let changed = change?.lastPublishedAt.flatMap { ConsoleController.format($0, zone) } ?? article.updated ?? "—"
                let draftPending = change?.lastDraftAt.map { $0 > (change?.lastPublishedAt ?? .distantPast) } ?? false
                cells.append(["missing": false, "title": article.title, "shown": counts?.shown ?? 0, "solved": counts?.solved ?? 0,
                              "stillBroken": counts?.stillBroken ?? 0, "changed": changed, "draftPending": draftPending,
                              "hiddenOnDisk": article.status == Article.Status.draft.rawValue,
                              "edit": "/console/articles/\(key)/edit", "history": "/console/articles/\(key)/history"])
            }
            rows.append(["id": id, "category": translations.first.map { text["category_\($0.category)"] } ?? "", "cells": cells])
        }
        var values = console.base(request, language: language, signed: signed, title: text["articles"], current: "articles")
        values["rows"] = rows
        values["count"] = rows.count
        values["gapCount"] = gaps
        values["search"] = search
        values["headers"] = shownLanguages.map { ["name": text["langName.\($0.rawValue)"]] as [String: Any] }
        values["filters"] = Language.allCases.map {
            ["value": $0.rawValue, "name": text["langName.\($0.rawValue)"], "selected": $0 == filter] as [String: Any]
        }
        values["newHref"] = "/console/articles/new?in=\((filter ?? language).rawValue)"
        return console.renderer.page("articles", values, cookies: console.languageCookie(request))
    }

    // MARK: - The editor

    /// What the form shows: the fields, and whether the id and language can still be chosen.
    private struct FormState {
        var form: ArticleForm
        /// Nil for a new article.
        var existing: Key?
        /// Where its versions are listed: also for an article that has only drafts so far.
        var history: Key?
        var notice: String?
        var problems: [ContentIssue] = []
        var preview: Bool = false
        var reference: ArticleForm?
    }

    func newArticle(_ request: Request) async throws -> Response {
        let signed: ConsoleSessions.Signed
        switch try await access(request) {
        case let .granted(granted): signed = granted
        case let .refused(response): return response
        }
        let parameters = request.uri.queryParameters
        let language = console.language(request)
        let lang = parameters.get("in").flatMap(Language.init(rawValue:)) ?? language
        var form = ArticleForm(lang: lang.rawValue)
        var reference: ArticleForm?
        // A translation: the other language's front matter, its body shown beside the form to translate from.
        if let from = parameters.get("from"), from.count <= 120 {
            let parts = from.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2, Language(rawValue: parts[0]) != nil, Self.isValidID(parts[1]),
               let markdown = try? await editor.markdown(id: parts[1], lang: parts[0]) {
                let source = ArticleForm(markdown: markdown)
                form = ArticleForm(id: source.id, lang: lang.rawValue, title: source.title, category: source.category,
                                   keywords: source.keywords, questions: source.questions)
                reference = source
            }
        }
        // From the gap report: the cluster's messages become the example questions, its word a keyword.
        let questions = parameters.getAll("question").map { String($0.prefix(300)) }.filter { !$0.isEmpty }.prefix(20)
        if !questions.isEmpty { form.questions = Array(questions) }
        if let term = parameters.get("term"), !term.isEmpty { form.keywords = [String(term.prefix(100))] }
        return renderForm(request, signed, FormState(form: form, existing: nil, reference: reference))
    }

    func edit(_ request: Request, key: Key?) async throws -> Response {
        let signed: ConsoleSessions.Signed
        switch try await access(request) {
        case let .granted(granted): signed = granted
        case let .refused(response): return response
        }
        guard let key else { return console.message(request, signed, "notFound", status: .notFound) }
        let text = ConsoleText(language: console.language(request))
        let live = try? await editor.markdown(id: key.id, lang: key.lang.rawValue)
        let newest = try await versions.articleVersions(lang: key.lang.rawValue, articleID: key.id, limit: 1).first
        var state: FormState
        // A draft saved after the last publication is what the editor was working on; `?live=1` opens the live text.
        if let newest, newest.kind == .draft, request.uri.queryParameters.get("live") == nil || live == nil {
            state = FormState(form: ArticleForm(markdown: newest.markdown), existing: live == nil ? nil : key)
            state.notice = text["draftLoaded"] + " #\(newest.id) · \(newest.author) · "
                + (ConsoleController.format(newest.createdAt, console.timeZone(request)) ?? "")
            if live == nil { state.form.id = key.id; state.form.lang = key.lang.rawValue }
            state.history = key
        } else if let live {
            state = FormState(form: ArticleForm(markdown: live), existing: key)
        } else {
            return console.message(request, signed, "notFound", status: .notFound)
        }
        if let done = request.uri.queryParameters.get("done"), ["draft", "published", "restored"].contains(done) {
            state.notice = text["done.\(done)"]
        }
        return renderForm(request, signed, state)
    }

    /// Preview, Save draft or Publish, by the button pressed (`do`).
    func save(_ request: Request, existing: Key?) async throws -> Response {
        guard let signed = try await console.sessions.current(request) else { return ConsoleRenderer.redirect("/console/login") }
        let fields = FormBody.parse(String(buffer: try await JSONBody.collect(request, limit: Self.formLimit)))
        guard ConsoleSessions.validCSRF(fields["csrf"], signed.csrf) else {
            return console.message(request, signed, "staleForm", status: .forbidden)
        }
        guard signed.principal.can(.editKnowledgeBase) else { return console.forbidden(request, signed) }
        let text = ConsoleText(language: console.language(request))
        // The edit route of an article that is not live yet (only drafts) publishes it as new.
        var existing = existing
        if let key = existing, (try? await editor.markdown(id: key.id, lang: key.lang.rawValue)) == nil { existing = nil }
        var form = Self.form(from: fields)
        if let key = existing { form.id = key.id; form.lang = key.lang.rawValue }
        var state = FormState(form: form, existing: existing)
        // The same bound as the JSON API's, so a draft saved here can always be published there too.
        guard form.markdown().utf8.count <= KnowledgeBaseController.bodyLimit else {
            state.problems = [ContentIssue(file: "article", line: 1, message: text["tooLong"])]
            return renderForm(request, signed, state, status: .contentTooLarge)
        }

        switch fields["do"] ?? "preview" {
        case "draft":
            guard let lang = Language(rawValue: form.lang), Self.isValidID(form.id) else {
                state.problems = [ContentIssue(file: "article", line: 2, message: text["needIDAndLanguage"], field: "id")]
                return renderForm(request, signed, state, status: .unprocessableContent)
            }
            // A new article's draft under the id of a live one would open in that article's editor instead.
            if existing == nil, (try? await editor.markdown(id: form.id, lang: lang.rawValue)) != nil {
                state.problems = Self.problems(.alreadyExists("\(lang.rawValue)/\(form.id)"), text: text)
                return renderForm(request, signed, state, status: .conflict)
            }
            _ = try await versions.recordArticleVersion(
                NewArticleVersion(lang: lang.rawValue, articleID: form.id, kind: .draft, author: signed.principal.name,
                                  markdown: form.markdown()), at: console.clock.now())
            return ConsoleRenderer.redirect("/console/articles/\(lang.rawValue)/\(form.id)/edit?done=draft")
        case "publish":
            form.updated = ReportPeriod.day(console.clock.now(), in: console.timeZone(request))
            state.form = form
            let markdown = form.markdown()
            do {
                if let key = existing {
                    _ = try await editor.update(id: key.id, lang: key.lang.rawValue, markdown: markdown, author: signed.principal.name)
                } else {
                    _ = try await editor.create(markdown: markdown, author: signed.principal.name)
                }
            } catch let failure as KnowledgeBaseEditor.Failure {
                state.problems = Self.problems(failure, text: text)
                return renderForm(request, signed, state, status: failure.isConflict ? .conflict : .unprocessableContent)
            }
            return ConsoleRenderer.redirect("/console/articles/\(form.lang)/\(form.id)/edit?done=published")
        default:
            state.preview = true
            state.problems = await editor.check(form.markdown(), expectedID: existing?.id,
                                                expectedLanguage: existing?.lang.rawValue ?? form.lang)
            return renderForm(request, signed, state)
        }
    }

    /// The form's fields as an article: keywords and questions one a line.
    static func form(from fields: [String: String]) -> ArticleForm {
        func single(_ name: String) -> String {
            (fields[name] ?? "").replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: " ")
                .trimmingCharacters(in: .whitespaces)
        }
        func list(_ name: String) -> [String] {
            (fields[name] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return ArticleForm(id: single("id").lowercased(), lang: single("lang"), title: single("title"), category: single("category"),
                           keywords: list("keywords"), questions: list("questions"),
                           body: (fields["body"] ?? "").replacingOccurrences(of: "\r\n", with: "\n"))
    }

    static func problems(_ failure: KnowledgeBaseEditor.Failure, text: ConsoleText) -> [ContentIssue] {
        switch failure {
        case let .invalid(issues): issues
        case let .alreadyExists(what): [ContentIssue(file: "article", line: 2, message: "\(text["alreadyExists"]) (\(what))", field: "id")]
        case let .notFound(what): [ContentIssue(file: "article", line: 1, message: "\(text["notFound"]) (\(what))")]
        case let .mismatch(what), let .io(what): [ContentIssue(file: "article", line: 1, message: what)]
        }
    }

    private func renderForm(_ request: Request, _ signed: ConsoleSessions.Signed, _ state: FormState,
                            status: HTTPResponse.Status = .ok) -> Response {
        let language = console.language(request)
        let text = ConsoleText(language: language)
        let form = state.form
        let title = state.existing == nil ? text["newArticle"] : "\(form.title) (\(form.lang))"
        var values = console.base(request, language: language, signed: signed, title: title, current: "articles")
        values["action"] = state.existing.map { "\($0.path)/edit" } ?? "/console/articles/new"
        values["isNew"] = state.existing == nil
        let history = state.history ?? state.existing
        values["hasHistory"] = history != nil
        values["historyHref"] = history.map { "\($0.path)/history" } ?? ""
        values["form"] = [
            "id": form.id, "title": form.title, "keywords": form.keywords.joined(separator: "\n"),
            "questions": form.questions.joined(separator: "\n"), "body": form.body, "lang": form.lang,
        ] as [String: Any]
        values["languages"] = Language.allCases.map {
            ["value": $0.rawValue, "name": text["langName.\($0.rawValue)"], "selected": $0.rawValue == form.lang] as [String: Any]
        }
        values["categories"] = ArticleCategory.allCases.map {
            ["value": $0.rawValue, "label": text["category_\($0.rawValue)"], "selected": $0.rawValue == form.category] as [String: Any]
        }
        if let notice = state.notice { values["notice"] = notice }
        values["problems"] = state.problems.map { issue -> [String: Any] in
            ["line": issue.line, "field": issue.field ?? "", "message": issue.message]
        }
        values["hasProblems"] = !state.problems.isEmpty
        if state.preview || !state.problems.isEmpty {
            let markdown = form.markdown()
            let problemLines = Set(state.problems.map(\.line))
            values["hasFile"] = true
            values["file"] = LineDiff.split(markdown).enumerated().map { index, line -> [String: Any] in
                ["number": index + 1, "text": line, "problem": problemLines.contains(index + 1)]
            }
        }
        values["checkPassed"] = state.preview && state.problems.isEmpty
        if state.preview {
            // The bot's own rendering of an article's text (the web chat's), escaped by InlineMarkdown.
            values["preview"] = ["title": form.title, "html": InlineMarkdown.html(form.body)] as [String: Any]
        }
        if let reference = state.reference {
            values["reference"] = ["lang": reference.lang, "title": reference.title, "body": reference.body] as [String: Any]
        }
        return console.renderer.page("article-edit", values, status: status, cookies: console.languageCookie(request))
    }

    // MARK: - Versions

    func history(_ request: Request, key: Key?) async throws -> Response {
        let signed: ConsoleSessions.Signed
        switch try await access(request) {
        case let .granted(granted): signed = granted
        case let .refused(response): return response
        }
        guard let key else { return console.message(request, signed, "notFound", status: .notFound) }
        let language = console.language(request)
        let text = ConsoleText(language: language)
        let zone = console.timeZone(request)
        let live = try? await editor.markdown(id: key.id, lang: key.lang.rawValue)
        let list = try await versions.articleVersions(lang: key.lang.rawValue, articleID: key.id, limit: Self.historyLimit)
        guard live != nil || !list.isEmpty else { return console.message(request, signed, "notFound", status: .notFound) }
        var values = console.base(request, language: language, signed: signed, title: "\(text["versions"]) · \(key.lang.rawValue)/\(key.id)",
                                  current: "articles")
        values["editHref"] = "\(key.path)/edit"
        values["versions"] = list.map { version -> [String: Any] in
            ["id": version.id, "kind": text["kind.\(version.kind.rawValue)"], "author": version.author,
             "at": ConsoleController.format(version.createdAt, zone) ?? "", "note": version.note ?? "",
             "isLive": version.markdown == live, "diff": "\(key.path)/versions/\(version.id)",
             "restore": "\(key.path)/versions/\(version.id)/restore"]
        }
        values["isLive"] = live != nil
        if let done = request.uri.queryParameters.get("done"), done == "restored" { values["notice"] = text["done.restored"] }
        return console.renderer.page("article-history", values, cookies: console.languageCookie(request))
    }

    func diff(_ request: Request, key: Key?, version raw: String) async throws -> Response {
        let signed: ConsoleSessions.Signed
        switch try await access(request) {
        case let .granted(granted): signed = granted
        case let .refused(response): return response
        }
        guard let key, let id = Int64(raw), let version = try await versions.articleVersion(id: id),
              version.lang == key.lang.rawValue, version.articleID == key.id else {
            return console.message(request, signed, "notFound", status: .notFound)
        }
        let language = console.language(request)
        let text = ConsoleText(language: language)
        let live = (try? await editor.markdown(id: key.id, lang: key.lang.rawValue)) ?? ""
        let lines = LineDiff.lines(from: live, to: version.markdown)
        var values = console.base(request, language: language, signed: signed,
                                  title: "\(text["diff"]) #\(version.id) · \(key.lang.rawValue)/\(key.id)", current: "articles")
        values["version"] = ["id": version.id, "kind": text["kind.\(version.kind.rawValue)"], "author": version.author,
                             "at": ConsoleController.format(version.createdAt, console.timeZone(request)) ?? "",
                             "restore": "\(key.path)/versions/\(version.id)/restore"] as [String: Any]
        values["historyHref"] = "\(key.path)/history"
        values["unchanged"] = LineDiff.isUnchanged(lines)
        values["lines"] = lines.map { line -> [String: Any] in
            ["kind": line.kind.rawValue, "sign": line.kind == .added ? "+" : line.kind == .removed ? "−" : "",
             "old": line.oldNumber.map(String.init) ?? "", "new": line.newNumber.map(String.init) ?? "", "text": line.text]
        }
        values["added"] = lines.filter { $0.kind == .added }.count
        values["removed"] = lines.filter { $0.kind == .removed }.count
        return console.renderer.page("article-diff", values, cookies: console.languageCookie(request))
    }

    /// Publishes an old version again, as a new version that says where it came from.
    func restore(_ request: Request, key: Key?, version raw: String) async throws -> Response {
        guard let signed = try await console.sessions.current(request) else { return ConsoleRenderer.redirect("/console/login") }
        let fields = FormBody.parse(String(buffer: try await JSONBody.collect(request, limit: FormBody.limit)))
        guard ConsoleSessions.validCSRF(fields["csrf"], signed.csrf) else {
            return console.message(request, signed, "staleForm", status: .forbidden)
        }
        guard signed.principal.can(.editKnowledgeBase) else { return console.forbidden(request, signed) }
        guard let key, let id = Int64(raw), let version = try await versions.articleVersion(id: id),
              version.lang == key.lang.rawValue, version.articleID == key.id else {
            return console.message(request, signed, "notFound", status: .notFound)
        }
        let language = console.language(request)
        let text = ConsoleText(language: language)
        let note = "restored from version \(version.id)"
        do {
            if (try? await editor.markdown(id: key.id, lang: key.lang.rawValue)) != nil {
                _ = try await editor.update(id: key.id, lang: key.lang.rawValue, markdown: version.markdown,
                                            author: signed.principal.name, note: note)
            } else {
                _ = try await editor.create(markdown: version.markdown, author: signed.principal.name, note: note)
            }
        } catch let failure as KnowledgeBaseEditor.Failure {
            // A draft that never passed the check cannot go live as it is: open it in the editor instead.
            var values = console.base(request, language: language, signed: signed, title: text["restoreRefused"], current: "articles")
            values["text"] = text["restoreRefused"] + " "
                + Self.problems(failure, text: text).map { "line \($0.line): \($0.message)" }.joined(separator: "; ")
            return console.renderer.page("message", values, status: failure.isConflict ? .conflict : .unprocessableContent)
        }
        return ConsoleRenderer.redirect("\(key.path)/history?done=restored")
    }

    // MARK: - From the gap report

    /// "Write an article for this" on a gap cluster: one link per language its examples are written in,
    /// each opening the new-article editor with that language's examples as questions.
    static func writeLinks(_ cluster: GapCluster, text: ConsoleText) -> [[String: Any]] {
        let detector = LanguageDetector()
        var byLanguage: [Language: [String]] = [:]
        for example in cluster.examples {
            if let language = detector.detect(example) { byLanguage[language, default: []].append(example) }
        }
        let languages = byLanguage.isEmpty ? Language.allCases : Language.allCases.filter { byLanguage[$0] != nil }
        return languages.map { language in
            let questions = byLanguage[language] ?? cluster.examples
            let query = ["in=\(language.rawValue)", "term=\(encode(cluster.term))"] + questions.map { "question=\(encode($0))" }
            return ["href": "/console/articles/new?" + query.joined(separator: "&"), "label": text["langName.\(language.rawValue)"]]
        }
    }

    private static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    // MARK: - Pieces

    static let stylesheet: String = {
        guard let url = Bundle.module.url(forResource: "editor", withExtension: "css", subdirectory: "Templates"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()
}

extension KnowledgeBaseEditor.Failure {
    /// The article exists already: a conflict rather than a bad text.
    var isConflict: Bool { if case .alreadyExists = self { true } else { false } }
}
