import FirstLineContent
import FirstLineCore
import Foundation
import Testing

/// Issue 17, point 2, measured on the bundled content: an employee who presses "Still broken" on
/// every article sees at most `1 + further_articles` of them before the blocks-work question.
@Suite("Still broken on every article: how many are shown before a ticket")
struct StillBrokenPathTests {
    @Test("at most two articles (default further_articles 1), on every fixture query that gets one")
    func articlesBeforeTicket() throws {
        let knowledgeBase = try KnowledgeBaseLoader().load(directory: Repository.knowledgeBase)
        let intents = try IntentLoader().load(directory: Repository.intents)
        let content = ContentIndex(articles: knowledgeBase.articles, intents: intents.intents,
                                   synonyms: knowledgeBase.synonymGroups)
        let engine = DialogueEngine(content: content)
        let queries = try JSONLinesReader().read(FixtureQualityTests.FixtureQuery.self,
                                                 from: Repository.fixtures.appendingPathComponent("kb-queries.jsonl"))
        let context = DialogueContext(now: Date(timeIntervalSince1970: 1_746_147_600))

        var shownCounts: [Int] = []
        var tooMany: [String] = []
        for query in queries where query.article != nil {
            var (state, effects) = engine.handle(.message(query.text), state: ConversationState(), context: context)
            if state.phase == .clarifying, let first = state.offeredArticleIDs.first {
                (state, effects) = engine.handle(.button(.choose(articleID: first)), state: state, context: context)
            }
            guard state.phase == .suggesting else { continue }
            var shown = 1
            while state.phase == .suggesting, let article = state.currentArticleID, shown < 10 {
                (state, effects) = engine.handle(.button(.stillBroken(articleID: article)), state: state, context: context)
                if state.phase == .suggesting { shown += 1 }
            }
            #expect(state.phase == .escalating, "\(query.id): \(state.phase) after \(shown) articles")
            #expect(effects.contains { if case .reply = $0 { true } else { false } })
            shownCounts.append(shown)
            if shown > 1 + DialogueSettings.defaultFurtherArticles { tooMany.append("\(query.id) \(query.text): \(shown)") }
        }
        let average = Double(shownCounts.reduce(0, +)) / Double(max(shownCounts.count, 1))
        print(String(format: "still broken path: %d conversations, %.2f articles on average before the ticket, at most %d",
                     shownCounts.count, average, shownCounts.max() ?? 0))
        #expect(shownCounts.count >= 250, "most fixture queries get an article")
        #expect(tooMany.isEmpty, "\(tooMany.joined(separator: "\n"))")
    }
}
