import FirstLineCore
import Foundation
import Testing

/// Messages that are not IT's (issue 11, part 2): said so in the employee's language, the
/// configured desk named, "Talk to a person" offered, and no article.
@Suite("Out of scope: not IT's, said so, no article")
struct OutOfScopeTests {
    static let hr = Intent(id: "other-hr", action: .outOfScope,
                           examples: [.ko: ["연차 휴가 신청", "급여명세서"], .ja: ["有給休暇の申請", "給与明細"],
                                      .en: ["annual leave request", "payslip"]],
                           replies: [.ko: ["인사팀에 문의해 주세요."], .ja: ["人事部にお問い合わせください。"], .en: ["Please ask HR."]])
    static let facilities = Intent(id: "other-facilities", action: .outOfScope,
                                   examples: [.ko: ["엘리베이터가 멈췄어요"], .ja: ["エレベーターが止まった"],
                                              .en: ["the elevator is stuck"]],
                                   replies: [:])

    static func engine(desks: [OtherDesk] = []) -> DialogueEngine {
        var settings = DialogueFixtures.settings
        settings.otherDesks = desks
        let intents = DialogueFixtures.intents + [hr, facilities] + desks.map(\.intent)
        return DialogueEngine(content: ContentIndex(articles: DialogueFixtures.articles, intents: intents), settings: settings)
    }

    static let context = DialogueContext(now: DialogueFixtures.now)

    @Test("an HR question gets the topic's reply and Talk to a person, not an article", arguments: [
        (Language.ko, "연차 휴가 신청은 어디서 해요", "인사팀"), (.ja, "有給休暇の申請はどうすればいい", "人事部"),
        (.en, "how do I file an annual leave request", "HR"),
    ])
    func topicReply(language: Language, text: String, expected: String) {
        let (state, effects) = Self.engine().handle(.message(text), state: ConversationState(), context: Self.context)
        let replies = effects.outOfScopeReplies
        #expect(replies.count == 1)
        #expect(replies.first?.text.contains(expected) == true, "\(replies)")
        #expect(replies.first?.articles.isEmpty == true)
        #expect(replies.first?.buttons.map(\.action) == ["human"])
        #expect(!effects.contains { if case .suggestionShown = $0 { true } else { false } })
        #expect(effects.contains(.outOfScope(query: text, desk: nil)))
        #expect(state.problem == text, "a person, if asked for, gets the message as the problem")
        #expect(LanguageDetector().detect(replies.first?.text ?? "") == language)
    }

    @Test("a configured desk is named with how to reach it, in the employee's language", arguments: [
        (Language.ko, "급여명세서 보고 싶어요", ["인사팀", "#ask-hr"]), (.ja, "給与明細が見たい", ["人事部", "#ask-hr"]),
        (.en, "where is my payslip", ["People Team", "#ask-hr"]),
    ])
    func configuredDesk(language: Language, text: String, expected: [String]) {
        let desk = OtherDesk(id: "hr", names: [.ko: "인사팀", .ja: "人事部", .en: "People Team"], reach: [.en: "#ask-hr"],
                             examples: [.en: ["payroll question"]])
        let (_, effects) = Self.engine(desks: [desk]).handle(.message(text), state: ConversationState(), context: Self.context)
        let text = effects.outOfScopeReplies.map(\.text).joined()
        for part in expected { #expect(text.contains(part), "\(text)") }
        #expect(effects.contains(.outOfScope(query: effects.outOfScopeQuery ?? "", desk: "hr")))
    }

    @Test("'the elevator is broken' as a first message is not read as 'still broken' feedback", arguments: [
        "엘리베이터가 멈췄어요 여전히 안 돼요", "the elevator is stuck, still broken", "エレベーターが止まった、まだ直らない",
    ])
    func notFeedbackWithNothingShown(text: String) {
        let (_, effects) = Self.engine().handle(.message(text), state: ConversationState(), context: Self.context)
        #expect(effects.contains { if case .outOfScope = $0 { true } else { false } }, "\(effects)")
        #expect(!effects.contains { if case .feedback = $0 { true } else { false } })
    }

    @Test("with an article shown, 'still broken' is still feedback")
    func feedbackWhenSuggesting() {
        var state = ConversationState()
        state.phase = .suggesting
        state.currentArticleID = "vpn-connect"
        state.language = .en
        let (_, effects) = Self.engine().handle(.message("still broken"), state: state, context: Self.context)
        #expect(effects.contains(.feedback(articleID: "vpn-connect", query: "VPN", solved: false))
            || effects.contains { if case .feedback(_, _, false) = $0 { true } else { false } })
    }

    @Test("an IT question still gets its article")
    func itStillAnswered() {
        let reading = Self.engine().firstReading(of: "VPN이 안 돼요")
        #expect(reading == .answer(articleID: "vpn-connect"))
        #expect(Self.engine().firstReading(of: "연차 휴가 신청").offersArticle == false)
    }
}

private extension Array where Element == Effect {
    var outOfScopeReplies: [Reply] {
        compactMap { if case let .reply(reply) = $0 { reply } else { nil } }
    }

    var outOfScopeQuery: String? {
        lazy.compactMap { if case let .outOfScope(query, _) = $0 { query } else { nil } }.first
    }
}
