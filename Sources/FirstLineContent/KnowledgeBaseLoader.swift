import FirstLineCore
import Foundation

/// Everything `KnowledgeBase/` holds, plus every problem found while reading it.
public struct KnowledgeBase: Sendable {
    public var articles: [Article]
    public var synonymGroups: [[String]]
    public var issues: [ContentIssue]

    public init(articles: [Article] = [], synonymGroups: [[String]] = [], issues: [ContentIssue] = []) {
        self.articles = articles
        self.synonymGroups = synonymGroups
        self.issues = issues
    }

    /// Published articles only: drafts are checked but never searched.
    public var publishedArticles: [Article] { articles.filter { $0.status == .published } }

    /// A ready-to-query index of the published articles, with the synonyms applied.
    public func makeIndex(parameters: RankingParameters = RankingParameters()) -> SearchIndex {
        SearchIndex(documents: publishedArticles.map { $0.searchDocument() },
                    tokenizer: Tokenizer(synonyms: SynonymTable(groups: synonymGroups)),
                    parameters: parameters)
    }
}

/// Reads `KnowledgeBase/<lang>/<slug>.md` and `KnowledgeBase/synonyms.yml` (design §6).
public struct KnowledgeBaseLoader: Sendable {
    public init() {}

    /// Loads every article it can; problems go into `issues` instead of stopping the load.
    /// Throws only when the folder itself cannot be read.
    public func load(directory: URL) throws -> KnowledgeBase {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ContentError.unreadable(path: directory.path, reason: "not a directory")
        }
        var knowledgeBase = KnowledgeBase()
        let entries = try fileManager.contentsOfDirectory(atPath: directory.path).sorted()
        for entry in entries {
            let url = directory.appendingPathComponent(entry)
            var entryIsDirectory: ObjCBool = false
            _ = fileManager.fileExists(atPath: url.path, isDirectory: &entryIsDirectory)
            guard entryIsDirectory.boolValue else { continue }
            guard let language = Language(rawValue: entry) else {
                knowledgeBase.issues.append(ContentIssue(file: url.path, line: 1,
                    message: "unknown language folder '\(entry)' (expected one of \(Language.allCases.map(\.rawValue).joined(separator: ", ")))"))
                continue
            }
            for name in try fileManager.contentsOfDirectory(atPath: url.path).sorted() where name.hasSuffix(".md") {
                let file = url.appendingPathComponent(name)
                let result = parseArticle(at: file, folderLanguage: language)
                knowledgeBase.issues += result.issues
                if let article = result.article { knowledgeBase.articles.append(article) }
            }
        }
        knowledgeBase.issues += crossFileIssues(knowledgeBase.articles, directory: directory)

        let synonyms = directory.appendingPathComponent("synonyms.yml")
        if fileManager.fileExists(atPath: synonyms.path) {
            let result = SynonymsLoader().load(file: synonyms)
            knowledgeBase.synonymGroups = result.groups
            knowledgeBase.issues += result.issues
        }
        return knowledgeBase
    }

    /// Parses one article file; `article` is nil when the file has errors.
    public func parseArticle(at file: URL, folderLanguage: Language?) -> (article: Article?, issues: [ContentIssue]) {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            return (nil, [ContentIssue(file: file.path, line: 1, message: "cannot read file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [ContentIssue(file: file.path, line: 1, message: "file is not valid UTF-8")])
        }
        let slug = file.deletingPathExtension().lastPathComponent
        return parseArticle(text: text, file: file.path, slug: slug, folderLanguage: folderLanguage)
    }

    /// Parses article text; `file` names it in issues, `slug` is the file name it must match.
    public func parseArticle(text: String, file: String, slug: String?, folderLanguage: Language?) -> (article: Article?, issues: [ContentIssue]) {
        let frontMatter: FrontMatter
        switch FrontMatter.split(text, file: file) {
        case let .success(split): frontMatter = split
        case let .failure(issue): return (nil, [issue])
        }
        var fields = YAMLMapping(yaml: frontMatter.yaml, file: file, lineOffset: frontMatter.yamlFirstLine - 1)
        guard fields.issues.isEmpty else { return (nil, fields.issues) }

        let known: Set<String> = ["id", "title", "lang", "category", "keywords", "questions", "status", "updated"]
        for name in fields.fieldNames where !known.contains(name) {
            fields.report(name, "unknown field '\(name)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        let id = fields.string("id")
        if let id, !Self.isValidID(id) {
            fields.report("id", "'id' must be lowercase letters, digits and '-', got '\(id)'")
        }
        if let id, let slug, id != slug {
            fields.report("id", "'id' is '\(id)' but the file is named '\(slug).md'; they must match")
        }
        let title = fields.string("title")
        var language: Language?
        if let raw = fields.string("lang") {
            language = Language(rawValue: raw)
            if language == nil {
                fields.report("lang", "'lang' must be one of ko, ja, en, got '\(raw)'")
            } else if let folderLanguage, language != folderLanguage {
                fields.report("lang", "'lang' is '\(raw)' but the file is in the '\(folderLanguage.rawValue)' folder")
            }
        }
        var category: ArticleCategory?
        if let raw = fields.string("category") {
            category = ArticleCategory(rawValue: raw)
            if category == nil {
                fields.report("category", "'category' must be one of \(ArticleCategory.allCases.map(\.rawValue).joined(separator: ", ")), got '\(raw)'")
            }
        }
        let keywords = fields.stringList("keywords")
        if let keywords, keywords.isEmpty { fields.report("keywords", "'keywords' must list at least one term") }
        let questions = fields.stringList("questions")
        if let questions, questions.count < 3 {
            fields.report("questions", "'questions' must list at least 3 example questions, found \(questions.count)")
        }
        var status = Article.Status.published
        if let raw = fields.string("status", required: false) {
            if let parsed = Article.Status(rawValue: raw) { status = parsed } else {
                fields.report("status", "'status' must be draft or published, got '\(raw)'")
            }
        }
        let updated = fields.string("updated", required: false)
        if let updated, !Self.isISODate(updated) {
            fields.report("updated", "'updated' must be a date YYYY-MM-DD, got '\(updated)'")
        }
        if frontMatter.body.isEmpty {
            fields.report(line: frontMatter.yamlFirstLine + frontMatter.yaml.split(separator: "\n", omittingEmptySubsequences: false).count,
                          "the article body (the self-fix steps) is empty")
        }
        guard fields.issues.isEmpty, let id, let title, let language, let category, let keywords, let questions else {
            return (nil, fields.issues)
        }
        let article = Article(id: id, lang: language, title: title, category: category, keywords: keywords,
                              questions: questions, status: status, updated: updated, body: frontMatter.body)
        return (article, ButtonMentionRule.issues(in: article, text: text, file: file))
    }

    /// Problems that involve several files: duplicate ids within a language, categories that
    /// disagree between translations of one topic.
    private func crossFileIssues(_ articles: [Article], directory: URL) -> [ContentIssue] {
        var issues: [ContentIssue] = []
        var seen: [String: Article] = [:]
        var categories: [String: ArticleCategory] = [:]
        for article in articles {
            let key = "\(article.lang.rawValue)/\(article.id)"
            let path = directory.appendingPathComponent(article.lang.rawValue).appendingPathComponent("\(article.id).md").path
            if seen[key] != nil {
                issues.append(ContentIssue(file: path, line: 2, message: "id '\(article.id)' is used twice in '\(article.lang.rawValue)'"))
            }
            seen[key] = article
            if let category = categories[article.id], category != article.category {
                issues.append(ContentIssue(file: path, line: 2,
                    message: "category '\(article.category.rawValue)' differs from '\(category.rawValue)' in another language of '\(article.id)'"))
            }
            categories[article.id] = categories[article.id] ?? article.category
        }
        return issues
    }

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    static func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month) else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}
