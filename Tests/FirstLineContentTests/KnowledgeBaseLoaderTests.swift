import FirstLineContent
import FirstLineCore
import Foundation
import Testing

@Suite("KnowledgeBaseLoader: articles")
struct KnowledgeBaseLoaderTests {
    /// Writes one article into a fresh `KnowledgeBase/<folder>/<name>`, loads the folder, and
    /// returns the issues with the article file's path.
    private func load(_ text: String, folder: String = "en", name: String = "printer-jam.md") throws
        -> (knowledgeBase: KnowledgeBase, file: String, folder: TemporaryFolder) {
        let temporary = try TemporaryFolder("kb")
        let file = try temporary.write("\(folder)/\(name)", text)
        let knowledgeBase = try KnowledgeBaseLoader().load(directory: temporary.url)
        return (knowledgeBase, file.path, temporary)
    }

    @Test("a valid article parses with all its fields")
    func validArticle() throws {
        let (knowledgeBase, _, _) = try load(SampleArticle.text)
        #expect(knowledgeBase.issues.isEmpty, "\(knowledgeBase.issues)")
        let article = try #require(knowledgeBase.articles.first)
        #expect(knowledgeBase.articles.count == 1)
        #expect(article.id == "printer-jam")
        #expect(article.title == "Printer paper jam")
        #expect(article.lang == .en)
        #expect(article.category == .hardware)
        #expect(article.keywords == ["printer", "paper jam"])
        #expect(article.questions == ["printer is jammed", "paper stuck in the printer", "the printer says paper jam"])
        #expect(article.status == .published)
        #expect(article.updated == "2026-11-22")
        #expect(article.body == "1. Open the tray.\n2. Remove the stuck paper.")
    }

    @Test("optional fields default: status published, no updated date")
    func optionalFields() throws {
        let text = SampleArticle.lines.filter { !$0.hasPrefix("status:") && !$0.hasPrefix("updated:") }
            .joined(separator: "\n")
        let (knowledgeBase, _, _) = try load(text)
        #expect(knowledgeBase.issues.isEmpty, "\(knowledgeBase.issues)")
        let article = try #require(knowledgeBase.articles.first)
        #expect(article.status == .published)
        #expect(article.updated == nil)
    }

    @Test("a draft is loaded and checked but never indexed")
    func draft() throws {
        let (knowledgeBase, _, _) = try load(SampleArticle.replacing(line: 11, with: ["status: draft"]))
        #expect(knowledgeBase.issues.isEmpty)
        #expect(knowledgeBase.articles.map(\.status) == [.draft])
        #expect(knowledgeBase.publishedArticles.isEmpty)
        #expect(knowledgeBase.makeIndex().search("printer paper jam").hits.isEmpty)
    }

    @Test("a byte-order mark before the opening line is accepted")
    func byteOrderMark() throws {
        let (knowledgeBase, _, _) = try load("\u{FEFF}" + SampleArticle.text)
        #expect(knowledgeBase.issues.isEmpty, "\(knowledgeBase.issues)")
        #expect(knowledgeBase.articles.count == 1)
    }

    @Test("a file saved with Windows line endings (CRLF) is accepted")
    func windowsLineEndings() throws {
        // FrontMatter.split strips a trailing "\r" from each line, so CRLF files are meant to work; but it
        // splits the String on the Character "\n", and in Swift "\r\n" is one Character that never equals
        // "\n", so the whole file is one "line" and the opening '---' is not found.
        let (knowledgeBase, _, _) = try load(SampleArticle.lines.joined(separator: "\r\n") + "\r\n")
        #expect(knowledgeBase.issues.isEmpty, "\(knowledgeBase.issues)")
        #expect(knowledgeBase.articles.count == 1)
    }

    /// One broken variant of the sample, the line the issue must name and a word its message must contain.
    struct Broken: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var folder = "en"
        var file = "printer-jam.md"
        var line: ClosedRange<Int>
        var mentions: String

        var testDescription: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "missing opening ---", text: SampleArticle.replacing(line: 1, with: []), line: 1...1, mentions: "---"),
        Broken(name: "text before the opening ---", text: "Printer jam\n" + SampleArticle.text, line: 1...1, mentions: "---"),
        Broken(name: "front matter never closed", text: SampleArticle.replacing(line: 13, with: []), line: 1...1, mentions: "closed"),
        // YAML line 4 is file line 5: the error is reported on the file's line, not the YAML text's.
        Broken(name: "invalid YAML syntax", text: SampleArticle.replacing(line: 5, with: ["category: hardware: printers"]),
               line: 5...5, mentions: "YAML"),
        Broken(name: "invalid YAML indentation", text: SampleArticle.replacing(line: 9, with: ["    - paper stuck: in the printer"]),
               line: 9...9, mentions: "YAML"),
        // A missing field has no line of its own: the start of the front matter names it.
        Broken(name: "missing title", text: SampleArticle.replacing(line: 3, with: []), line: 1...2, mentions: "title"),
        Broken(name: "missing questions", text: SampleArticle.replacing(line: 7, with: []).replacingOccurrences(of: "  - ", with: "# "),
               line: 1...2, mentions: "questions"),
        Broken(name: "unknown category", text: SampleArticle.replacing(line: 5, with: ["category: printers"]), line: 5...5, mentions: "category"),
        Broken(name: "unknown field", text: SampleArticle.replacing(line: 11, with: ["author: kim"]), line: 11...11, mentions: "author"),
        Broken(name: "lang does not match the folder", text: SampleArticle.replacing(line: 4, with: ["lang: ja"]), line: 4...4, mentions: "folder"),
        Broken(name: "unknown lang", text: SampleArticle.replacing(line: 4, with: ["lang: fr"]), line: 4...4, mentions: "lang"),
        Broken(name: "id does not match the file name", text: SampleArticle.text, file: "paper-jam.md", line: 2...2, mentions: "paper-jam"),
        Broken(name: "id with upper case", text: SampleArticle.replacing(line: 2, with: ["id: Printer-Jam"]), file: "Printer-Jam.md",
               line: 2...2, mentions: "lowercase"),
        // The field's own lines: the `questions:` key or its items.
        Broken(name: "fewer than 3 questions", text: SampleArticle.replacing(line: 10, with: []), line: 7...9, mentions: "3"),
        Broken(name: "empty keywords", text: SampleArticle.replacing(line: 6, with: ["keywords: []"]), line: 6...6, mentions: "keywords"),
        Broken(name: "updated is not YYYY-MM-DD", text: SampleArticle.replacing(line: 12, with: ["updated: 22/11/2026"]), line: 12...12, mentions: "updated"),
        Broken(name: "bad status", text: SampleArticle.replacing(line: 11, with: ["status: archived"]), line: 11...11, mentions: "status"),
        // The body belongs right after the closing '---' (line 13).
        Broken(name: "empty body", text: SampleArticle.lines.prefix(13).joined(separator: "\n") + "\n\n   \n", line: 13...14, mentions: "body"),
    ]

    @Test("a broken article gives one issue naming its file and line", arguments: broken)
    func brokenArticle(_ case: Broken) throws {
        let (knowledgeBase, file, _) = try load(`case`.text, folder: `case`.folder, name: `case`.file)
        #expect(knowledgeBase.articles.isEmpty, "a broken article must not be loaded")
        #expect(knowledgeBase.issues.count == 1, "\(knowledgeBase.issues)")
        let issue = try #require(knowledgeBase.issues.first)
        #expect(issue.file == file)
        #expect(`case`.line.contains(issue.line), "\(issue)")
        #expect(issue.message.localizedCaseInsensitiveContains(`case`.mentions), "\(issue)")
        #expect(issue.description == "\(file):\(issue.line): \(issue.message)")
    }

    @Test("an impossible calendar date in 'updated' is rejected", arguments: ["2026-13-01", "2026-02-30", "2026-00-10"])
    func impossibleDate(_ date: String) throws {
        let (knowledgeBase, file, _) = try load(SampleArticle.replacing(line: 12, with: ["updated: \(date)"]))
        let issue = try #require(knowledgeBase.issues.first)
        #expect(issue.file == file)
        #expect(issue.line == 12)
    }

    @Test("several problems in one file are all reported, each on its own line")
    func severalProblems() throws {
        var lines = SampleArticle.lines
        lines[4] = "category: printers"       // line 5
        lines[11] = "updated: yesterday"      // line 12
        let (knowledgeBase, _, _) = try load(lines.joined(separator: "\n"))
        #expect(knowledgeBase.issues.map(\.line).sorted() == [5, 12])
    }

    @Test("an unknown language folder is reported")
    func unknownLanguageFolder() throws {
        let (knowledgeBase, _, folder) = try load(SampleArticle.text, folder: "fr")
        #expect(knowledgeBase.articles.isEmpty)
        let issue = try #require(knowledgeBase.issues.first)
        #expect(issue.file == folder.url.appendingPathComponent("fr").path)
        #expect(issue.message.contains("fr"))
    }

    @Test("translations of one topic must share the category")
    func categoryDiffersBetweenLanguages() throws {
        let temporary = try TemporaryFolder("kb")
        try temporary.write("en/printer-jam.md", SampleArticle.text)
        try temporary.write("ko/printer-jam.md", SampleArticle.replacing(line: 4, with: ["lang: ko"])
            .replacingOccurrences(of: "category: hardware", with: "category: software"))
        let knowledgeBase = try KnowledgeBaseLoader().load(directory: temporary.url)
        #expect(knowledgeBase.articles.count == 2)
        #expect(knowledgeBase.issues.count == 1)
        #expect(knowledgeBase.issues.first?.message.contains("category") == true)
    }

    @Test("a folder that does not exist cannot be loaded")
    func missingFolder() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-missing-\(UUID().uuidString)")
        #expect(throws: ContentError.self) { try KnowledgeBaseLoader().load(directory: missing) }
    }
}
