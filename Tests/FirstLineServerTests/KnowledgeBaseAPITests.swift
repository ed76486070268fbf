import FirstLineCore
import FirstLineServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

/// The editors' API (issue: editors) on a copy of the shipped knowledge base: an article published
/// through the API answers the very next question, bad articles are refused with field and line and
/// change nothing, and a change made on disk is picked up by the watcher.
@Suite("editor API: publishing articles live")
struct KnowledgeBaseAPITests {
    static let article = """
        ---
        id: studio-3d-printer
        title: 3D 프린터 사용 방법
        lang: ko
        category: hardware
        keywords: [3D 프린터, 필라멘트, 출력]
        questions:
          - 3D 프린터 어떻게 써요?
          - 3D 프린터 출력이 안 돼요
          - 메이커룸 프린터로 모형 뽑고 싶어요
        ---
        1. 3층 메이커룸의 3D 프린터 전원을 켭니다.
        2. 필라멘트가 노즐까지 들어갔는지 확인합니다.
        3. USB에 STL 파일을 넣고 출력 버튼을 누릅니다.
        """

    /// A server whose knowledge base is a private copy, so writes never touch the repository.
    static func withEditorServer<T: Sendable>(
        _ body: @Sendable (TestEnvironment, any TestClientProtocol, AppDatabase) async throws -> T
    ) async throws -> T {
        try await TestEnvironment.with { base in
            var env = base
            let copy = env.folder.appendingPathComponent("KnowledgeBase", isDirectory: true)
            try FileManager.default.copyItem(at: Repository.knowledgeBase, to: copy)
            env.configuration.knowledgeBase = copy
            env.configuration.adminToken = testAdminToken
            let captured = env
            return try await env.withServer { client, database in try await body(captured, client, database) }
        }
    }

    @Test("an article published through the API answers the next question, in the same server, at once")
    func publishAnswersNextQuestion() async throws {
        try await Self.withEditorServer { env, client, database in
            let editor = try await issueToken(database, name: "edna", role: .editor)
            let before = try await client.chat(session: try await client.newSession(), text: "3D 프린터 어떻게 써요?")
            #expect(!before.articleIDs.contains("studio-3d-printer"))

            let created = try await client.apiJSON(.post, "/api/v1/kb/articles", token: editor,
                                                   body: jsonBody(["markdown": Self.article]), expect: .created)
            #expect(created[string: "id"] == "studio-3d-printer")
            let file = env.configuration.knowledgeBase.appendingPathComponent("ko/studio-3d-printer.md")
            #expect(FileManager.default.fileExists(atPath: file.path))

            let after = try await client.chat(session: try await client.newSession(), text: "3D 프린터 어떻게 써요?")
            #expect(after.articleIDs.first == "studio-3d-printer", "\(after.allText)")

            // The same id again is a conflict; an update through PUT changes the title that is served.
            expectError(try await client.api(.post, "/api/v1/kb/articles", token: editor,
                                             body: jsonBody(["markdown": Self.article])), .conflict)
            let renamed = Self.article.replacingOccurrences(of: "title: 3D 프린터 사용 방법", with: "title: 메이커룸 3D 프린터 쓰는 법")
            try await client.apiJSON(.put, "/api/v1/kb/articles/ko/studio-3d-printer", token: editor,
                                     body: jsonBody(["markdown": renamed]))
            let read = try await client.apiJSON(.get, "/api/v1/kb/articles/ko/studio-3d-printer", token: editor)
            #expect(read[string: "markdown"]?.contains("메이커룸 3D 프린터 쓰는 법") == true)
        }
    }

    @Test("a bad article is refused with each problem's field and line, and nothing is written")
    func invalidArticle() async throws {
        try await Self.withEditorServer { env, client, database in
            let editor = try await issueToken(database, name: "edna", role: .editor)
            let broken = Self.article
                .replacingOccurrences(of: "title: 3D 프린터 사용 방법\n", with: "")
                .replacingOccurrences(of: "category: hardware", with: "category: printers")
            let response = try await client.api(.post, "/api/v1/kb/articles", token: editor, body: jsonBody(["markdown": broken]))
            expectError(response, .unprocessableContent, code: "invalid_article")
            let body = try jsonObject(response.body)
            let issues = body[object: "error"][array: "issues"]
            #expect(issues.contains { $0[string: "field"] == "title" }, "\(issues)")
            #expect(issues.contains { $0[string: "field"] == "category" && ($0["line"] as? Int) == 4 }, "\(issues)")
            let file = env.configuration.knowledgeBase.appendingPathComponent("ko/studio-3d-printer.md")
            #expect(!FileManager.default.fileExists(atPath: file.path))
            // Path tricks are unknown articles, not files outside the folder.
            expectError(try await client.api(.get, "/api/v1/kb/articles/ko/..%2F..%2Fetc", token: editor), .notFound)
            expectError(try await client.api(.put, "/api/v1/kb/articles/xx/studio-3d-printer", token: editor,
                                             body: jsonBody(["markdown": Self.article])), .notFound)
        }
    }

    @Test("an article changed on disk is served after the watcher's next look, and a broken one keeps the old content")
    func watcherPicksUpDiskChanges() async throws {
        try await TestEnvironment.with { env in
            let copy = env.folder.appendingPathComponent("KnowledgeBase", isDirectory: true)
            try FileManager.default.copyItem(at: Repository.knowledgeBase, to: copy)
            let database = try env.openDatabase()
            defer { try? database.close() }
            let library = ContentLibrary(knowledgeBase: copy, intents: Repository.intents, settings: DialogueSettings(),
                                         feedback: database, tickets: database, clock: env.clock)
            let before = try await library.reload().content.articles.count
            let watcher = ContentWatcher(library: library, folders: [copy, Repository.intents], logger: TestEnvironment.quietLogger)
            var signature = ContentWatcher.signature(of: [copy, Repository.intents])

            try Data(Self.article.utf8).write(to: copy.appendingPathComponent("ko/studio-3d-printer.md"))
            signature = await watcher.check(previous: signature)
            #expect(try await library.current().content.articles.count == before + 1)

            // An editor saves a broken file: the running content stays as it was.
            try Data("---\nid: broken\n---\n".utf8).write(to: copy.appendingPathComponent("ko/broken.md"))
            signature = await watcher.check(previous: signature)
            #expect(try await library.current().content.articles.count == before + 1)
            // Nothing changed since: no reload.
            #expect(await watcher.check(previous: signature) == signature)
        }
    }
}
