import FirstLineCore
import Foundation
import GRDB
import Testing

@testable import FirstLineStore

@Suite("Suggestions, feedback and learned phrases")
struct FeedbackTests {
    @Test("learned phrases are bounded to the newest 50 per article", arguments: StorageKind.tested)
    func learnedPhrasesBounded(kind: StorageKind) async throws {
        // Given an empty store
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database

        // When 55 phrasings are confirmed for one article, one for another, and an old phrasing is confirmed again
        for index in 0..<55 {
            _ = try await db.addLearnedPhrase(articleID: "vpn", text: "vpn phrase \(index)", at: Fixed.later(seconds: Double(index)))
        }
        _ = try await db.addLearnedPhrase(articleID: "printer", text: "printer jams", at: Fixed.now)
        _ = try await db.addLearnedPhrase(articleID: "vpn", text: "vpn phrase 10", at: Fixed.later(seconds: 100))

        // Then the article keeps 50 phrases, newest first, the five oldest are gone and the reconfirmed one leads
        let vpn = try await db.learnedPhrases(articleID: "vpn", asOf: Fixed.later(seconds: 100))
        #expect(vpn.count == LearnedPhrase.maximumPerArticle)
        #expect(vpn.first?.text == "vpn phrase 10")
        #expect(!vpn.contains { $0.text == "vpn phrase 4" })
        #expect(vpn.contains { $0.text == "vpn phrase 6" })
        #expect(try await db.learnedPhrases(articleID: "printer", asOf: Fixed.now).map(\.text) == ["printer jams"])
        #expect(try await store.count("learnedPhrase") == 51)
        #expect(try await db.allLearnedPhrases(asOf: Fixed.now).first?.articleID == "printer")
    }

    @Test("learned phrases weigh half after 90 days", arguments: StorageKind.tested)
    func learnedPhraseDecay(kind: StorageKind) async throws {
        // Given a phrase learned now
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        _ = try await db.addLearnedPhrase(articleID: "vpn", text: "vpn broken", at: Fixed.now)

        // When it is read now, after 90 and after 180 days
        let weights = try await [0.0, 90, 180].asyncMap { days in
            try await db.learnedPhrases(articleID: "vpn", asOf: Fixed.later(days: days))[0].weight
        }

        // Then it weighs 1, 0.5 and 0.25
        #expect(weights.map { ($0 * 1_000).rounded() / 1_000 } == [1, 0.5, 0.25])
    }

    @Test("suggestions, feedback and the no-repeat window", arguments: StorageKind.tested)
    func suggestionsAndFeedback(kind: StorageKind) async throws {
        // Given a conversation where two articles were suggested a day apart
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, conversation) = try await db.makeEmployeeAndConversation()
        let shown = try await db.commitTurn(TurnCommit(
            conversationID: conversation.id!, state: "{}", now: Fixed.now,
            suggestions: [TurnCommit.ShownSuggestion(articleID: "vpn", query: "vpn keeps dropping")]))
        _ = try await db.recordSuggestion(
            conversationID: conversation.id!, articleID: "wifi", query: "wifi slow", shownAt: Fixed.later(days: 1))

        // When the employee says the VPN article solved it
        _ = try await db.commitTurn(TurnCommit(
            conversationID: conversation.id!, state: "{}", now: Fixed.later(days: 1),
            feedback: [TurnCommit.Feedback(articleID: "vpn", feedback: .solved)],
            learnedPhrase: TurnCommit.Phrase(articleID: "vpn", text: "vpn keeps dropping")))

        // Then the verdict and the phrase are stored, and the window sees what was shown in it
        let suggestion = try await store.suggestion(id: shown.suggestions[0].id!)
        #expect(suggestion?.feedback == .solved)
        #expect(suggestion?.feedbackAt == Fixed.later(days: 1))
        #expect(suggestion?.employeeID == employee.id)
        #expect(try await db.learnedPhrases(articleID: "vpn", asOf: Fixed.later(days: 1)).map(\.text) == ["vpn keeps dropping"])
        #expect(try await db.recentlySuggestedArticleIDs(employeeID: employee.id!, since: Fixed.now) == ["vpn", "wifi"])
        #expect(try await db.recentlySuggestedArticleIDs(employeeID: employee.id!, since: Fixed.later(seconds: 1)) == ["wifi"])

        // And a verdict can be changed later, by suggestion id
        let changed = try await db.setFeedback(suggestionID: shown.suggestions[0].id!, feedback: .stillBroken, at: Fixed.later(days: 2))
        #expect(changed.feedback == .stillBroken)
        await #expect(throws: StoreError.notFound(.suggestion, "999")) {
            try await db.setFeedback(suggestionID: 999, feedback: .solved, at: Fixed.now)
        }
        await #expect(throws: StoreError.notFound(.suggestion, "conversation \(conversation.id!) article nope")) {
            try await db.commitTurn(TurnCommit(
                conversationID: conversation.id!, state: "{}", now: Fixed.now,
                feedback: [TurnCommit.Feedback(articleID: "nope", feedback: .solved)]))
        }
    }
}

extension Array where Element: Sendable {
    /// Maps sequentially with an async transform; keeps test bodies linear.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
