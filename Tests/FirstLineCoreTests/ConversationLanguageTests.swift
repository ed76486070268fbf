import FirstLineCore
import Foundation
import Testing

/// The conversation's language follows what the employee writes, not the script of a short
/// message of product names, codes or versions (issue 16, point 5).
@Suite("DialogueEngine: the conversation's language")
struct ConversationLanguageTests {
    static func state(_ language: Language) -> ConversationState {
        var state = ConversationState()
        state.language = language
        return state
    }

    static func replyLanguages(_ effects: [Effect]) -> [Language?] {
        effects.compactMap { effect in
            if case let .reply(reply) = effect { return LanguageDetector().detect(reply.text) }
            return nil
        }
    }

    static let namesAndCodes = ["Outlook 2019", "0x800CCC0E", "Teams", "iPhone 15 Pro", "14.2.1", "VPN", "Windows 11 23H2"]

    @Test("names, codes and versions keep a Korean or Japanese conversation in its language",
          arguments: [Language.ko, .ja])
    func namesDoNotSwitch(_ language: Language) {
        for text in Self.namesAndCodes {
            let (next, effects) = DialogueFixtures.engine.handle(.message(text), state: Self.state(language),
                                                                  context: DialogueContext(now: DialogueFixtures.now))
            #expect(next.language == language, "\(text)")
            #expect(Self.replyLanguages(effects).allSatisfy { $0 == language }, "\(text)")
        }
    }

    @Test("an English sentence switches a Korean or Japanese conversation to English", arguments: [Language.ko, .ja])
    func sentenceSwitches(_ language: Language) {
        for text in ["my laptop does not start", "Could you answer in English please", "Outlook keeps crashing every morning"] {
            let (next, _) = DialogueFixtures.engine.handle(.message(text), state: Self.state(language),
                                                           context: DialogueContext(now: DialogueFixtures.now))
            #expect(next.language == .en, "\(text)")
        }
    }

    @Test("Korean or Japanese writing switches at once, even in a short message")
    func cjkSwitches() {
        for (text, expected) in [("안 돼요", Language.ko), ("まだだめです", .ja), ("Outlook이 안 열려요", .ko), ("Teamsに入れません", .ja)] {
            let (next, _) = DialogueFixtures.engine.handle(.message(text), state: Self.state(.en),
                                                           context: DialogueContext(now: DialogueFixtures.now))
            #expect(next.language == expected, "\(text)")
        }
    }

    @Test("the first message with letters sets the language, whatever it is")
    func firstMessage() {
        let (next, _) = DialogueFixtures.engine.handle(.message("Outlook 2019"), state: ConversationState(),
                                                       context: DialogueContext(now: DialogueFixtures.now))
        #expect(next.language == .en)
        #expect(LanguageDetector().readsAsEnglishSentence("printer is broken"))
        #expect(!LanguageDetector().readsAsEnglishSentence("Office 365 ProPlus"))
    }
}
