import FirstLineContent
import FirstLineCore
import Foundation
import Testing

/// Issue 17, point 1: a request intent wins only when the message asks for something; a failure
/// that an article covers gets the article. Each pair in `Tests/Fixtures/intent-vs-article.jsonl`
/// is one failure report and one request on the same topic, in ko, ja and en, read by the
/// bundled content as the first message of a conversation.
@Suite("Intent versus article: Tests/Fixtures/intent-vs-article.jsonl")
struct IntentVersusArticleTests {
    struct Case: Decodable, Sendable {
        var pair: Int
        var lang: String
        var text: String
        /// An article id, or `intent:<id>`.
        var expect: String
    }

    /// Whether the bot's first reading does what the line expects: the article is the answer or
    /// the first choice; the intent is acted on.
    static func isRight(_ reading: FirstReading, expect: String) -> Bool {
        switch reading {
        case let .answer(articleID): articleID == expect
        case let .choices(articleIDs): articleIDs.first == expect
        case let .intent(id, _): ContentIndex.intentPrefix + id == expect
        case .weak: false
        }
    }

    @Test("every failure gets its article and every request its intent, in all three languages")
    func pairs() throws {
        let knowledgeBase = try KnowledgeBaseLoader().load(directory: Repository.knowledgeBase)
        let intents = try IntentLoader().load(directory: Repository.intents)
        let content = ContentIndex(articles: knowledgeBase.articles, intents: intents.intents,
                                   synonyms: knowledgeBase.synonymGroups)
        let engine = DialogueEngine(content: content)
        let cases = try JSONLinesReader().read(Case.self, from: Repository.fixtures.appendingPathComponent("intent-vs-article.jsonl"))
        let pairs = Set(cases.map { "\($0.lang)-\($0.pair)" })
        #expect(pairs.count >= 40, "at least 40 pairs")
        #expect(Set(cases.map(\.lang)) == ["ko", "ja", "en"])

        var wrong: [String] = []
        for line in cases {
            let reading = engine.firstReading(of: line.text)
            if !Self.isRight(reading, expect: line.expect) {
                wrong.append("[\(line.lang) \(line.pair)] \(line.text) → \(reading) (want \(line.expect))")
            }
        }
        let right = cases.count - wrong.count
        print("intent vs article: \(right)/\(cases.count) right")
        #expect(wrong.isEmpty, "\(right)/\(cases.count) right; wrong:\n\(wrong.joined(separator: "\n"))")
    }
}
