import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The pipeline's promises beyond one request (design §2): turns of one conversation in order,
/// and everything acknowledged answered after a restart.
@Suite("message pipeline")
struct PipelineTests {
    @Test("every message acknowledged before a restart is answered right after the start, however many there are")
    func resumesWholeInbox() async throws {
        try await TestEnvironment.with { env in
            let count = 120
            do {
                let database = try env.openDatabase()
                defer { try? database.close() }
                let parts = FirstLineApplication.makeParts(configuration: env.configuration,
                                                           dependencies: env.dependencies(database))
                for index in 0..<count {
                    // Straight into the inbox recorder, as an earlier process did: no chat API, no session check.
                    let session = "backlog-\(index)"
                    #expect(try await parts.conversations.recorder.record(InboundMessage(
                        platform: .web, eventID: "evt-\(index)", conversationKey: session, userID: session,
                        displayName: "Web chat", content: .text("printer is jammed"))))
                }
                #expect(try await database.pending(limit: 1000).count == count)
            }

            // The inbox worker's first pass answers them right after the start (not before the port
            // opens: a long backlog must not delay readiness), past its first batch of a hundred.
            try await env.withServer { _, database in
                var left = count
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline {
                    left = try await database.pending(limit: 1000).count
                    if left == 0 { break }
                    try await Task.sleep(for: .milliseconds(25))
                }
                #expect(left == 0, "\(left) of \(count) acknowledged messages still unanswered after the start")
            }
        }
    }

    @Test("messages sent at the same time to one conversation are handled one after the other")
    func concurrentTurnsAreSerialised() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                let question = JourneyCase.english.question
                // One message first, so the conversation exists and the race is only about turns.
                _ = try await client.chat(session: session, text: "hello")
                let answers = try await withThrowingTaskGroup(of: ChatAnswer.self) { group in
                    for _ in 0..<4 {
                        group.addTask { try await client.chat(session: session, text: question) }
                    }
                    return try await group.reduce(into: [ChatAnswer]()) { $0.append($1) }
                }
                // Taken one at a time, each later turn knows the article was just shown (repeat window)
                // and leads with another one; taken at once, they all read the same state.
                let leading = answers.compactMap { $0.replies.first?.articles.first?.id }
                let repeats = leading.filter { $0 == JourneyCase.english.article }.count
                let messages = try await database.transcript(session: session)
                #expect(repeats <= 1, "the same article led \(repeats) of \(leading.count) concurrent answers: \(leading)")
                #expect(messages.filter { $0.text == question }.count == 4)
            }
        }
    }
}
