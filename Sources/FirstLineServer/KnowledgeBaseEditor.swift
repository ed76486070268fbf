import FirstLineContent
import FirstLineCore
import FirstLineStore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates and updates knowledge-base articles for the editor API (design §1, editors): the
/// text is checked exactly as `firstline kb check` checks it, written atomically to
/// `KnowledgeBase/<lang>/<id>.md`, and the live index is swapped without a restart.
///
/// An actor, so two editors saving at once cannot interleave a write and a reload.
public actor KnowledgeBaseEditor {
    public enum Failure: Error, Equatable {
        /// The article's problems, each with its line (and the field, when one is named).
        case invalid([ContentIssue])
        case notFound(String)
        case alreadyExists(String)
        case mismatch(String)
        case io(String)
    }

    /// One article as the API shows it.
    public struct Summary: Codable, Sendable, Equatable {
        public var id: String
        public var lang: String
        public var title: String
        public var category: String
        public var status: String
        public var updated: String?
    }

    let directory: URL
    let library: ContentLibrary
    /// Where publications go for the other replicas to pick up (`ContentSync`); nil for one process.
    let shared: (any SharedContentStore)?
    let clock: any ServerClock
    /// Where every publication is recorded as a version, with who made it (issue 14, point 3); nil records none.
    let versions: (any ArticleVersionStore)?

    public init(directory: URL, library: ContentLibrary, shared: (any SharedContentStore)? = nil,
                clock: any ServerClock = SystemClock(), versions: (any ArticleVersionStore)? = nil) {
        self.directory = directory
        self.library = library
        self.shared = shared
        self.clock = clock
        self.versions = versions
    }

    public func list() throws -> [Summary] {
        let knowledgeBase: KnowledgeBase
        do {
            knowledgeBase = try KnowledgeBaseLoader().load(directory: directory)
        } catch {
            throw Failure.io("\(error)")
        }
        return knowledgeBase.articles
            .map { Summary(id: $0.id, lang: $0.lang.rawValue, title: $0.title, category: $0.category.rawValue,
                           status: $0.status.rawValue, updated: $0.updated) }
            .sorted { ($0.id, $0.lang) < ($1.id, $1.lang) }
    }

    /// The Markdown file of one article.
    public func markdown(id: String, lang: String) throws -> String {
        let file = try path(id: id, lang: lang)
        guard let data = FileManager.default.contents(atPath: file.path) else { throw Failure.notFound("\(lang)/\(id)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Validates and writes a new article; refuses one that exists. `author` and `note` go into its version.
    public func create(markdown: String, author: String = "api", note: String? = nil) async throws -> Summary {
        let article = try validate(markdown, expectedID: nil, expectedLanguage: nil)
        let file = try path(id: article.id, lang: article.lang.rawValue)
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw Failure.alreadyExists("\(article.lang.rawValue)/\(article.id)")
        }
        try await write(markdown, to: file, previous: nil)
        try await publish(markdown, article: article, file: file, previous: nil)
        try await recordVersion(markdown, article: article, author: author, note: note)
        return Self.summary(article)
    }

    /// Validates and replaces an existing article; the id and language in the text must match the path.
    public func update(id: String, lang: String, markdown: String, author: String = "api",
                       note: String? = nil) async throws -> Summary {
        let file = try path(id: id, lang: lang)
        guard let previous = FileManager.default.contents(atPath: file.path) else { throw Failure.notFound("\(lang)/\(id)") }
        let article = try validate(markdown, expectedID: id, expectedLanguage: lang)
        try await write(markdown, to: file, previous: previous)
        try await publish(markdown, article: article, file: file, previous: previous)
        try await recordVersion(markdown, article: article, author: author, note: note)
        return Self.summary(article)
    }

    /// Checks an article as `create` / `update` would, writing nothing: the console's Preview.
    /// `expectedID` / `expectedLanguage` are the path's, for an existing article.
    public func check(_ markdown: String, expectedID: String?, expectedLanguage: String?) -> [ContentIssue] {
        do {
            _ = try validate(markdown, expectedID: expectedID, expectedLanguage: expectedLanguage)
            return []
        } catch let Failure.invalid(issues) {
            return issues
        } catch {
            return [ContentIssue(file: "article", line: 1, message: "\(error)")]
        }
    }

    /// Records a publication as a version. Last, once the article is live everywhere: a store that fails
    /// here leaves the article published (taking it back from the other replicas is not possible), and the
    /// editor is told that its version is missing rather than shown a success.
    private func recordVersion(_ markdown: String, article: Article, author: String, note: String?) async throws {
        guard let versions else { return }
        do {
            _ = try await versions.recordArticleVersion(
                NewArticleVersion(lang: article.lang.rawValue, articleID: article.id, kind: .published, author: author,
                                  markdown: markdown, note: note), at: clock.now())
        } catch {
            throw Failure.io("the article is published, but its version could not be recorded: \(error)")
        }
    }

    /// Shares a publication with the other replicas. If the store refuses it, the local change is taken back
    /// too: an article only this replica answers would make answers depend on the load balancer's choice.
    private func publish(_ markdown: String, article: Article, file: URL, previous: Data?) async throws {
        guard let shared else { return }
        do {
            _ = try await shared.publishArticle(lang: article.lang.rawValue, articleID: article.id, markdown: markdown,
                                                at: clock.now())
        } catch {
            if let previous { try? previous.write(to: file) } else { try? FileManager.default.removeItem(at: file) }
            _ = try? await library.reload()
            throw Failure.io("cannot share the article with the other replicas: \(error)")
        }
    }

    /// What `apply` did with articles other replicas published.
    public struct Applied: Sendable, Equatable {
        /// Files written (a publication whose text this folder already has is not written again).
        public var written: Int
        /// Publications this replica's knowledge base refused as a whole; their files were put back.
        public var refused: [ContentIssue]
    }

    /// Writes articles published on other replicas into this replica's folder and swaps the index once.
    /// If the knowledge base no longer loads with them, every file is put back as it was and the running
    /// snapshot stays: the editor who published sees the same check on their own replica.
    public func apply(_ published: [PublishedArticle]) async -> Applied {
        var previous: [(URL, Data?)] = []
        for article in published {
            guard let file = try? path(id: article.articleID, lang: article.lang) else { continue }
            let current = FileManager.default.contents(atPath: file.path)
            if current == Data(article.markdown.utf8) { continue }
            do {
                try writeAtomically(article.markdown, to: file)
                previous.append((file, current))
            } catch {
                continue
            }
        }
        guard !previous.isEmpty else { return Applied(written: 0, refused: []) }
        do {
            try await library.reload()
            return Applied(written: previous.count, refused: [])
        } catch {
            for (file, data) in previous {
                if let data { try? data.write(to: file) } else { try? FileManager.default.removeItem(at: file) }
            }
            _ = try? await library.reload()
            if case let ContentError.invalid(issues) = error { return Applied(written: 0, refused: issues) }
            return Applied(written: 0, refused: [])
        }
    }

    private func validate(_ markdown: String, expectedID: String?, expectedLanguage: String?) throws -> Article {
        let folderLanguage = expectedLanguage.flatMap(Language.init(rawValue:))
        let result = KnowledgeBaseLoader().parseArticle(text: markdown, file: "article", slug: expectedID,
                                                        folderLanguage: folderLanguage)
        // A parsed article can still break a rule (a button named by the wrong label): refused as well.
        guard let article = result.article, result.issues.isEmpty else { throw Failure.invalid(result.issues) }
        return article
    }

    /// Writes through a temporary file and a rename, so a reader (or a crash) never sees half an
    /// article; then reloads the library. If the knowledge base as a whole no longer loads (a
    /// category that now disagrees with another language, say), the previous file comes back.
    private func write(_ markdown: String, to file: URL, previous: Data?) async throws {
        try writeAtomically(markdown, to: file)
        do {
            try await library.reload()
        } catch let ContentError.invalid(issues) {
            if let previous { try? previous.write(to: file) } else { try? FileManager.default.removeItem(at: file) }
            throw Failure.invalid(issues)
        } catch {
            if let previous { try? previous.write(to: file) } else { try? FileManager.default.removeItem(at: file) }
            throw Failure.io("\(error)")
        }
    }

    private func writeAtomically(_ markdown: String, to file: URL) throws {
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(markdown.utf8).write(to: temporary)
            // rename(2) replaces the target atomically on one file system; Foundation's
            // replaceItemAt is not reliable on Linux (it failed on every update here).
            guard rename(temporary.path, file.path) == 0 else {
                throw Failure.io("cannot replace \(file.lastPathComponent): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw Failure.io("cannot write \(file.lastPathComponent): \(error.localizedDescription)")
        }
    }

    private func path(id: String, lang: String) throws -> URL {
        guard Language(rawValue: lang) != nil else { throw Failure.notFound("language '\(lang)'") }
        guard !id.isEmpty, id.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else {
            throw Failure.notFound("article '\(id)'")
        }
        return directory.appendingPathComponent(lang).appendingPathComponent("\(id).md")
    }

    private static func summary(_ article: Article) -> Summary {
        Summary(id: article.id, lang: article.lang.rawValue, title: article.title, category: article.category.rawValue,
                status: article.status.rawValue, updated: article.updated)
    }
}
