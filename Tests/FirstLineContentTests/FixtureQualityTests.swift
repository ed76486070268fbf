import FirstLineContent
import FirstLineCore
import Foundation
import Testing

/// Issue 3's acceptance test: the bundled KB and intents answer the fixture queries.
@Suite("Fixture quality: Tests/Fixtures/kb-queries.jsonl")
struct FixtureQualityTests {
    /// One line of the fixture: the expected target is `article`, or `intent:<intent>`.
    struct FixtureQuery: Decodable, Sendable {
        var id: String
        var lang: String
        var text: String
        var article: String?
        var intent: String?

        var expected: String? {
            if let article { return article }
            if let intent { return ContentIndex.intentPrefix + intent }
            return nil
        }
    }

    @Test("hit@3 is at least 0.9 in every language")
    func hitAtThree() throws {
        let knowledgeBase = try KnowledgeBaseLoader().load(directory: Repository.knowledgeBase)
        let intents = try IntentLoader().load(directory: Repository.intents)
        #expect(knowledgeBase.issues.isEmpty && intents.issues.isEmpty)
        let content = ContentIndex(articles: knowledgeBase.articles, intents: intents.intents,
                                   synonyms: knowledgeBase.synonymGroups)
        let queries = try JSONLinesReader().read(FixtureQuery.self, from: Repository.fixtures.appendingPathComponent("kb-queries.jsonl"))
        #expect(queries.count >= 300)
        #expect(queries.allSatisfy { $0.expected != nil }, "every fixture line names an article or an intent")

        var metrics: [String: RetrievalMetrics] = [:]
        var misses: [String: [String]] = [:]
        let articleIDs = Set(knowledgeBase.articles.map(\.id))
        let intentIDs = Set(intents.intents.map { ContentIndex.intentPrefix + $0.id })
        for query in queries {
            guard let expected = query.expected else { continue }
            #expect(articleIDs.contains(expected) || intentIDs.contains(expected), "\(query.id): unknown target \(expected)")
            let ranked = content.search(query.text, limit: 10).hits.map(\.id)
            metrics[query.lang, default: RetrievalMetrics()].record(ranked: ranked, relevant: [expected])
            if !ranked.prefix(3).contains(expected) {
                misses[query.lang, default: []].append("\(query.id) \(query.text) → \(ranked.prefix(3)) (want \(expected))")
            }
        }
        #expect(Set(metrics.keys) == ["ko", "ja", "en"])
        for lang in ["ko", "ja", "en"] {
            let m = metrics[lang] ?? RetrievalMetrics()
            let summary = String(format: "%@ P@1 %.3f hit@3 %.3f MRR %.3f (%d queries)", lang, m.precisionAtOne, m.hitAtThree,
                                 m.meanReciprocalRank, m.queries)
            #expect(m.queries > 0, "\(lang) has no queries")
            #expect(m.hitAtThree >= 0.9, "\(summary); misses:\n\((misses[lang] ?? []).joined(separator: "\n"))")
        }
    }
}
