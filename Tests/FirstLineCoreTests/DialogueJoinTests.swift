import FirstLineCore
import Foundation
import Testing

@Suite("DialogueEngine: joining")
struct DialogueJoinTests {
    let engine = DialogueEngine(content: ContentIndex(articles: DialogueFixtures.articles, intents: DialogueFixtures.intents))
    let context = DialogueContext(now: Date(timeIntervalSince1970: 1_800_000_000))

    @Test("a join is greeted with the greet intent's reply in the conversation's language, state unchanged",
          arguments: [Language.ko, .ja, .en])
    func joinIsGreeted(_ language: Language) throws {
        var state = ConversationState()
        state.language = language
        let (next, effects) = engine.handle(.joined, state: state, context: context)
        #expect(next == state)
        #expect(effects.count == 1)
        guard case let .reply(reply) = try #require(effects.first) else {
            Issue.record("expected a reply, got \(effects)")
            return
        }
        let greet = try #require(DialogueFixtures.intents.first { $0.id == "greet" })
        #expect(reply.text == greet.replies[language]?.first)
    }
}
