import FirstLineCore
import FirstLineServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import FirstLineStore

private let postgresURL = ProcessInfo.processInfo.environment["FIRSTLINE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
private let skipReason: Comment = "PostgreSQL suite skipped: FIRSTLINE_TEST_POSTGRES_URL not set"

/// Issue 13, point 3: content across replicas. Two applications built by the real composition root, each with
/// its own pool and its own copy of the knowledge base, on one PostgreSQL schema, as two replicas on two
/// machines. The content poll runs every 50 ms instead of 2 s, so the test waits for the mechanism, not the
/// interval.
@Suite("Replicas share content: published articles and learning reach every replica")
struct ReplicaContentTests {
    static let poll: Duration = .milliseconds(50)

    @Test("an article published on one replica is answered by the other within 5 s, and so is a phrasing learned on one",
          .enabled(if: postgresURL != nil, skipReason))
    func publishedOnOneAnsweredByTheOther() async throws {
        try await Self.withTwoReplicas { first, second, stores in
            // Given a question no article of the shipped knowledge base answers
            let question = "3D 프린터 어떻게 써요?"
            #expect(!(try await second.chat(session: try await second.newSession(), text: question)).articleIDs.contains("studio-3d-printer"))

            // When an editor publishes the article through the first replica
            let publishing = ContinuousClock.now
            try await first.apiJSON(.post, "/api/v1/kb/articles", token: testAdminToken,
                                    body: jsonBody(["markdown": KnowledgeBaseAPITests.article]), expect: .created)
            // Published when the API answers 201 (the first replica has rebuilt its own index by then)
            let published = ContinuousClock.now

            // Then the second replica answers it within 5 s
            let delay = try await Self.within(.seconds(5), "the second replica to answer from the new article") { attempt in
                let answer = try await second.chat(session: try await second.newSession(), text: question)
                return answer.articleIDs.first == "studio-3d-printer" ? ContinuousClock.now - published : nil
            }
            print("article published on replica 1 (201 after \(published - publishing)) answered by replica 2 after \(delay)")

            // And an editor's update there too: the second replica serves the new title
            let renamed = KnowledgeBaseAPITests.article.replacingOccurrences(of: "title: 3D 프린터 사용 방법",
                                                                             with: "title: 메이커룸 3D 프린터 쓰는 법")
            try await first.apiJSON(.put, "/api/v1/kb/articles/ko/studio-3d-printer", token: testAdminToken,
                                    body: jsonBody(["markdown": renamed]))
            _ = try await Self.within(.seconds(5), "the second replica to serve the new title") { attempt in
                let answer = try await second.chat(session: try await second.newSession(), text: question)
                return answer.replies.flatMap(\.articles).first?.title == "메이커룸 3D 프린터 쓰는 법" ? true : nil
            }
            // The second replica's own folder holds the article, so its editors' API shows it too
            let read = try await second.apiJSON(.get, "/api/v1/kb/articles/ko/studio-3d-printer", token: testAdminToken)
            #expect(read[string: "markdown"]?.contains("메이커룸 3D 프린터 쓰는 법") == true)

            // When a phrasing is learned on the first replica (what its turn commits on "Solved"; the replicas run on
        // the system clock, so it is learned now, not decayed)
            let phrasing = "zorblax gizmo spits spaghetti"
            #expect(!(try await second.chat(session: try await second.newSession(), text: phrasing)).articleIDs.contains("studio-3d-printer"))
            let learnedAt = ContinuousClock.now
            _ = try await stores[0].addLearnedPhrase(articleID: "studio-3d-printer", text: phrasing, at: Date())

            // Then the second replica's index learns it too
            let learned = try await Self.within(.seconds(5), "the second replica to learn the phrasing") { attempt in
                let answer = try await second.chat(session: try await second.newSession(), text: phrasing)
                return answer.articleIDs.contains("studio-3d-printer") ? ContinuousClock.now - learnedAt : nil
            }
            print("phrasing learned on replica 1 used by replica 2 after \(learned)")
        }
    }

    @Test("the store keeps publications newest per article in commit order, and learning changes the content version")
    func publicationsAndVersion() async throws {
        // On SQLite (the same interface the replicas poll on PostgreSQL): a replica that starts late asks for
        // everything after 0 and gets the newest text of each article.
        let database = try AppDatabase.inMemory()
        let first = try await database.publishArticle(lang: "ko", articleID: "a", markdown: "one", at: TestEnvironment.start)
        _ = try await database.publishArticle(lang: "ko", articleID: "b", markdown: "bee", at: TestEnvironment.start)
        let third = try await database.publishArticle(lang: "ko", articleID: "a", markdown: "two", at: TestEnvironment.start)
        #expect(try await database.publishedArticles(after: 0).map(\.markdown) == ["bee", "two"])
        #expect(try await database.publishedArticles(after: first.id).map(\.markdown) == ["bee", "two"])
        #expect(try await database.publishedArticles(after: third.id).isEmpty)
        let before = try await database.sharedContentVersion()
        #expect(before.lastPublished == third.id)
        _ = try await database.addLearnedPhrase(articleID: "a", text: "hello", at: TestEnvironment.start)
        #expect(try await database.sharedContentVersion().learning != before.learning)
    }

    @Test("a web message whose session's previous message another replica is still answering is stored and accepted (202)",
          .enabled(if: postgresURL != nil, skipReason))
    func webChatBehindAnotherReplica() async throws {
        try await Self.withTwoReplicas { first, _, stores in
            // Given the session's previous message, claimed by a replica that is still on it
            try await stores[0].issueChatSessions(["busy-session"])
            _ = try await stores[1].record(platform: .web, eventID: "previous", conversationKey: WebChatKey.conversationKey("busy-session"), payload: "{}",
                                           receivedAt: Date())
            let previous = try #require(try await stores[1].inboxEvent(platform: .web, eventID: "previous")?.id)
            #expect(try await stores[1].claimInboxEvent(id: previous, lease: WorkLease(holder: "elsewhere", duration: 30), at: Date()))

            // When the page sends the next one to this replica
            let response = try await first.postChat(JSON.string(["session": "busy-session", "text": "printer is jammed"]))

            // Then it does not overtake the previous one: stored, accepted, no replies in the response
            #expect(response.status == .accepted)
            let body = try jsonObject(response.body)
            #expect((body["replies"] as? [Any])?.isEmpty == true)
            #expect(try await stores[0].pending(limit: 10).filter { $0.conversationKey == WebChatKey.conversationKey("busy-session") }.count == 2)
        }
    }

    // MARK: - Two replicas

    static func withTwoReplicas(
        _ body: @Sendable (any TestClientProtocol, any TestClientProtocol, [PostgresStore]) async throws -> Void
    ) async throws {
        let url = try #require(postgresURL)
        var settings = try PostgresSettings(url: url, environment: ProcessInfo.processInfo.environment)
        settings.schema = "firstline_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        settings.maximumConnections = 4
        let stores = [try await PostgresStore.connect(settings, logger: TestEnvironment.quietLogger),
                      try await PostgresStore.connect(settings, logger: TestEnvironment.quietLogger)]
        defer {
            Task.detached {
                try? await stores[0].dropSchemaForTests()
                for store in stores { store.close() }
            }
        }
        try await TestEnvironment.with { env in
            func application(_ index: Int) throws -> some ApplicationProtocol {
                let copy = env.folder.appendingPathComponent("KnowledgeBase-\(index)", isDirectory: true)
                try FileManager.default.copyItem(at: Repository.knowledgeBase, to: copy)
                var configuration = env.configuration
                configuration.knowledgeBase = copy
                configuration.adminToken = testAdminToken
                configuration.replicas = ReplicaSettings(lease: WorkLease(holder: "replica-\(index)", duration: 30),
                                                         contentPollInterval: poll)
                return FirstLineApplication.build(configuration: configuration, dependencies: ServerDependencies(
                    database: stores[index], clock: SystemClock(), logger: TestEnvironment.quietLogger))
            }
            let first = try application(0), second = try application(1)
            try await first.test(.router) { firstClient in
                try await second.test(.router) { secondClient in
                    try await body(firstClient, secondClient, stores)
                }
            }
        }
    }

    /// Asks `probe` again every 50 ms until it answers, for at most `limit`: the bound under test.
    static func within<T>(_ limit: Duration, _ what: String, _ probe: (Int) async throws -> T?) async throws -> T {
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            if let value = try await probe(attempt) { return value }
            attempt += 1
            if ContinuousClock.now - started > limit { throw ReplicaTestFailure("not within \(limit): \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
