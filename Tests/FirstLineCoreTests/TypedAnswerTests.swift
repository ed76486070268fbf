import FirstLineCore
import Foundation
import Testing

/// Buttons answered by typing (issue 11, part 3): each case puts the conversation in front of one
/// question with buttons, types an answer, and checks what the engine did with it.
@Suite("Typed answers to every question with buttons, in ko, ja and en")
struct TypedAnswerTests {
    enum Question: String, Sendable {
        /// "Did this help?" under an article, with Solved / Still broken / Talk to a person.
        case didThisHelp
        /// Two printer articles offered as choices.
        case choices
        /// "Is this stopping you from working?" with Yes / No.
        case blocksWork
        /// The rating question of a resolved ticket (1–5 and Reopen).
        case rating
        /// After rating: only Reopen is still on offer.
        case afterRating
    }

    enum Expected: Sendable, Equatable {
        case solved, stillBroken, choose(Int), blocks(Bool), rate(Int), reopen
        /// Not an answer: the text is read as a new message (and not dropped).
        case newMessage
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var lang: Language
        var question: Question
        var text: String
        var expected: Expected
        var testDescription: String { "\(lang.rawValue) \(question.rawValue): «\(text)»" }
    }

    static let cases: [Case] = ko + ja + en

    static let ko: [Case] = [
        Case(lang: .ko, question: .didThisHelp, text: "네", expected: .solved),
        Case(lang: .ko, question: .didThisHelp, text: "넵!", expected: .solved),
        Case(lang: .ko, question: .didThisHelp, text: "해결됐어요", expected: .solved),
        Case(lang: .ko, question: .didThisHelp, text: "아니요", expected: .stillBroken),
        Case(lang: .ko, question: .didThisHelp, text: "아직 안 돼요", expected: .stillBroken),
        Case(lang: .ko, question: .didThisHelp, text: "ㄴㄴ", expected: .stillBroken),
        Case(lang: .ko, question: .didThisHelp, text: "프린터에 종이가 걸렸어요", expected: .newMessage),
        Case(lang: .ko, question: .choices, text: "1", expected: .choose(1)),
        Case(lang: .ko, question: .choices, text: "2번", expected: .choose(2)),
        Case(lang: .ko, question: .choices, text: "두 번째", expected: .choose(2)),
        Case(lang: .ko, question: .choices, text: "프린터 용지 걸림", expected: .choose(1)),
        Case(lang: .ko, question: .choices, text: "5", expected: .newMessage),
        Case(lang: .ko, question: .blocksWork, text: "네, 업무를 못 하고 있어요", expected: .blocks(true)),
        Case(lang: .ko, question: .blocksWork, text: "네", expected: .blocks(true)),
        Case(lang: .ko, question: .blocksWork, text: "급해요!", expected: .blocks(true)),
        Case(lang: .ko, question: .blocksWork, text: "아니요", expected: .blocks(false)),
        Case(lang: .ko, question: .blocksWork, text: "급하지 않아요", expected: .blocks(false)),
        Case(lang: .ko, question: .blocksWork, text: "모니터도 깜빡여요", expected: .newMessage),
        Case(lang: .ko, question: .blocksWork, text: "네, 업무가 막혀요", expected: .blocks(true)),
        Case(lang: .ko, question: .blocksWork, text: "아니요 나중에 해도 돼요", expected: .blocks(false)),
        Case(lang: .ko, question: .blocksWork, text: "일이 완전히 멈췄어요", expected: .blocks(true)),
        Case(lang: .ko, question: .blocksWork, text: "모니터도 안 돼요", expected: .newMessage),
        Case(lang: .ko, question: .didThisHelp, text: "아니요, 아직 안 돼요", expected: .stillBroken),
        Case(lang: .ko, question: .didThisHelp, text: "아니요 모니터가 문제예요", expected: .newMessage),
        Case(lang: .ko, question: .rating, text: "5", expected: .rate(5)),
        Case(lang: .ko, question: .rating, text: "4점", expected: .rate(4)),
        Case(lang: .ko, question: .rating, text: "★★★", expected: .rate(3)),
        Case(lang: .ko, question: .rating, text: "다시 열어 주세요", expected: .reopen),
        Case(lang: .ko, question: .afterRating, text: "다시 열기", expected: .reopen),
    ]

    static let ja: [Case] = [
        Case(lang: .ja, question: .didThisHelp, text: "はい", expected: .solved),
        Case(lang: .ja, question: .didThisHelp, text: "うん！", expected: .solved),
        Case(lang: .ja, question: .didThisHelp, text: "解決しました", expected: .solved),
        Case(lang: .ja, question: .didThisHelp, text: "いいえ", expected: .stillBroken),
        Case(lang: .ja, question: .didThisHelp, text: "まだ解決しません", expected: .stillBroken),
        Case(lang: .ja, question: .didThisHelp, text: "ううん", expected: .stillBroken),
        Case(lang: .ja, question: .didThisHelp, text: "プリンターで紙詰まりしました", expected: .newMessage),
        Case(lang: .ja, question: .choices, text: "１", expected: .choose(1)),
        Case(lang: .ja, question: .choices, text: "2番", expected: .choose(2)),
        Case(lang: .ja, question: .choices, text: "二つ目", expected: .choose(2)),
        Case(lang: .ja, question: .choices, text: "プリンターの紙詰まり", expected: .choose(1)),
        Case(lang: .ja, question: .choices, text: "7", expected: .newMessage),
        Case(lang: .ja, question: .blocksWork, text: "はい、業務が止まっています", expected: .blocks(true)),
        Case(lang: .ja, question: .blocksWork, text: "はい", expected: .blocks(true)),
        Case(lang: .ja, question: .blocksWork, text: "急ぎです", expected: .blocks(true)),
        Case(lang: .ja, question: .blocksWork, text: "いいえ", expected: .blocks(false)),
        Case(lang: .ja, question: .blocksWork, text: "急ぎません", expected: .blocks(false)),
        Case(lang: .ja, question: .blocksWork, text: "画面も真っ暗です", expected: .newMessage),
        Case(lang: .ja, question: .blocksWork, text: "はい、仕事が進まないです", expected: .blocks(true)),
        Case(lang: .ja, question: .blocksWork, text: "いいえ、後で大丈夫です", expected: .blocks(false)),
        Case(lang: .ja, question: .blocksWork, text: "作業が止まっています", expected: .blocks(true)),
        Case(lang: .ja, question: .didThisHelp, text: "いいえ、まだ解決しません", expected: .stillBroken),
        Case(lang: .ja, question: .didThisHelp, text: "はい、仕事が進まないです", expected: .newMessage),
        Case(lang: .ja, question: .rating, text: "5", expected: .rate(5)),
        Case(lang: .ja, question: .rating, text: "4点", expected: .rate(4)),
        Case(lang: .ja, question: .rating, text: "★★", expected: .rate(2)),
        Case(lang: .ja, question: .rating, text: "再オープン", expected: .reopen),
        Case(lang: .ja, question: .afterRating, text: "再開してください", expected: .reopen),
    ]

    static let en: [Case] = [
        Case(lang: .en, question: .didThisHelp, text: "yes", expected: .solved),
        Case(lang: .en, question: .didThisHelp, text: "Yep!", expected: .solved),
        Case(lang: .en, question: .didThisHelp, text: "Solved", expected: .solved),
        Case(lang: .en, question: .didThisHelp, text: "no", expected: .stillBroken),
        Case(lang: .en, question: .didThisHelp, text: "Still broken", expected: .stillBroken),
        Case(lang: .en, question: .didThisHelp, text: "nope.", expected: .stillBroken),
        Case(lang: .en, question: .didThisHelp, text: "the printer is jammed", expected: .newMessage),
        Case(lang: .en, question: .choices, text: "1", expected: .choose(1)),
        Case(lang: .en, question: .choices, text: "#2", expected: .choose(2)),
        Case(lang: .en, question: .choices, text: "the second one", expected: .choose(2)),
        Case(lang: .en, question: .choices, text: "Printer paper jam", expected: .choose(1)),
        Case(lang: .en, question: .choices, text: "9", expected: .newMessage),
        Case(lang: .en, question: .blocksWork, text: "Yes, it blocks my work", expected: .blocks(true)),
        Case(lang: .en, question: .blocksWork, text: "yes", expected: .blocks(true)),
        Case(lang: .en, question: .blocksWork, text: "urgent", expected: .blocks(true)),
        Case(lang: .en, question: .blocksWork, text: "No", expected: .blocks(false)),
        Case(lang: .en, question: .blocksWork, text: "it can wait", expected: .blocks(false)),
        Case(lang: .en, question: .blocksWork, text: "also the screen flickers", expected: .newMessage),
        Case(lang: .en, question: .blocksWork, text: "yes, I'm completely blocked", expected: .blocks(true)),
        Case(lang: .en, question: .blocksWork, text: "no, it can wait until tomorrow", expected: .blocks(false)),
        Case(lang: .en, question: .blocksWork, text: "kind of urgent", expected: .blocks(true)),
        Case(lang: .en, question: .didThisHelp, text: "no, still broken", expected: .stillBroken),
        Case(lang: .en, question: .didThisHelp, text: "no, the VPN is down", expected: .newMessage),
        Case(lang: .en, question: .rating, text: "5", expected: .rate(5)),
        Case(lang: .en, question: .rating, text: "4 stars", expected: .rate(4)),
        Case(lang: .en, question: .rating, text: "★★★★", expected: .rate(4)),
        Case(lang: .en, question: .rating, text: "reopen it", expected: .reopen),
        Case(lang: .en, question: .afterRating, text: "Reopen", expected: .reopen),
    ]

    static let offeredChoices = ["printer-paper-jam", "printer-not-printing"]

    static func state(for question: Question, language: Language) -> ConversationState {
        var state = ConversationState()
        state.language = language
        switch question {
        case .didThisHelp:
            state.phase = .suggesting
            state.currentArticleID = "vpn-connect"
            state.problem = "VPN"
        case .choices:
            state.phase = .clarifying
            state.offeredArticleIDs = offeredChoices
            state.problem = "printer"
        case .blocksWork:
            state.phase = .escalating
            state.problem = "VPN"
            state.escalation = EscalationDraft(reason: .askedForPerson, description: "VPN")
        case .rating:
            state.phase = .resolved
            state.ticketNumber = "HD-7"
        case .afterRating:
            state.phase = .closed
            state.ratedTicketNumber = "HD-7"
        }
        return state
    }

    @Test("the fixture has at least 60 typed answers, 20 per language")
    func fixtureSize() {
        #expect(Self.cases.count >= 60)
        for language in Language.allCases { #expect(Self.cases.filter { $0.lang == language }.count >= 20) }
    }

    @Test("a typed answer has the effect of its button; anything else is a new message", arguments: cases)
    func typedAnswer(_ example: Case) {
        let now = DialogueFixtures.now
        let resolved = TicketSummary(number: "HD-7", subject: "VPN", status: .resolved, resolvedAt: now.addingTimeInterval(-3600))
        let context = DialogueContext(now: now, followedTicket: resolved)
        let before = Self.state(for: example.question, language: example.lang)
        let (after, effects) = DialogueFixtures.engine.handle(.message(example.text), state: before, context: context)
        let replies = effects.compactMap { effect -> Reply? in
            if case let .reply(reply) = effect { return reply }
            return nil
        }
        let feedback = effects.compactMap { effect -> Bool? in
            if case let .feedback(_, _, solved) = effect { return solved }
            return nil
        }
        let created = effects.compactMap { effect -> TicketDraft? in
            if case let .createTicket(draft) = effect { return draft }
            return nil
        }
        let rated = effects.compactMap { effect -> Int? in
            if case let .rateTicket(_, stars) = effect { return stars }
            return nil
        }
        let reopened = effects.contains { if case .reopenTicket = $0 { true } else { false } }
        let said = replies.map(\.text).joined(separator: " ")

        switch example.expected {
        case .solved:
            #expect(feedback == [true], "\(said)")
        case .stillBroken:
            #expect(feedback == [false], "\(said)")
        case let .choose(position):
            #expect(after.phase == .suggesting, "\(said)")
            #expect(after.currentArticleID == Self.offeredChoices[position - 1])
        case let .blocks(blocks):
            #expect(created.count == 1, "\(said)")
            #expect(created.first?.priority == TicketPriority(teamWide: false, blocksWork: blocks))
        case let .rate(stars):
            #expect(rated == [stars], "\(said)")
        case .reopen:
            #expect(reopened, "\(said)")
        case .newMessage:
            #expect(feedback.isEmpty && created.isEmpty && rated.isEmpty && !reopened, "\(said)")
            #expect(!replies.isEmpty, "a typed message is never dropped")
            if example.question == .blocksWork {
                // More detail for the ticket, and the question once more.
                #expect(after.escalation?.details == [example.text])
                #expect(replies.last?.buttons.map(\.action) == ["blocks:yes", "blocks:no"])
            }
        }
        #expect(replies.allSatisfy { LanguageDetector().detect($0.text) == example.lang }, "\(said)")
    }

    @Test("after \"Talk to a person\", a typed label of the blocks-work button files the ticket (en, ko, ja)",
          arguments: [(Language.en, "my laptop won't boot", "Yes, it blocks my work"),
                      (.ko, "노트북이 부팅이 안 돼요", "네, 업무를 못 하고 있어요"),
                      (.ja, "ノートPCが起動しません", "はい、業務が止まっています")])
    func talkToPersonThenTypedYes(language: Language, problem: String, answer: String) {
        let engine = DialogueFixtures.engine
        let context = DialogueContext(now: DialogueFixtures.now)
        var state = ConversationState()
        state.language = language
        for event in [DialogueEvent.button(.talkToPerson), .message(problem)] {
            state = engine.handle(event, state: state, context: context).state
        }
        #expect(state.phase == .escalating)
        let (after, effects) = engine.handle(.message(answer), state: state, context: context)
        #expect(after.phase == .ticketOpen)
        #expect(effects.contains { if case let .createTicket(draft) = $0 { draft.priority == .p2 } else { false } })
    }

    @Test("two answers that are not answers file the ticket as not blocking instead of asking forever")
    func unansweredTwice() {
        let engine = DialogueFixtures.engine
        let context = DialogueContext(now: DialogueFixtures.now)
        var state = Self.state(for: .blocksWork, language: .en)
        state = engine.handle(.message("the fan is loud too"), state: state, context: context).state
        #expect(state.phase == .escalating)
        let (after, effects) = engine.handle(.message("and it is hot"), state: state, context: context)
        #expect(after.phase == .ticketOpen)
        let draft = effects.compactMap { effect -> TicketDraft? in
            if case let .createTicket(draft) = effect { return draft }
            return nil
        }.first
        #expect(draft?.priority == TicketPriority(teamWide: false, blocksWork: false))
        #expect(draft?.description.contains("the fan is loud too") == true)
        #expect(draft?.description.contains("and it is hot") == true)
    }
}

@Suite("A manager's typed Approve / Reject, in ko, ja and en")
struct TypedApprovalTests {
    @Test("labels and everyday variants, with or without a ticket number", arguments: [
        ("승인", true, nil), ("승인합니다!", true, nil), ("반려", false, nil), ("HD-12 거절합니다", false, "HD-12"),
        ("承認します", true, nil), ("却下", false, nil), ("hd-7 承認", true, "HD-7"), ("承認しません", false, nil),
        ("Approve", true, nil), ("approve HD-3", true, "HD-3"), ("Reject.", false, nil), ("denied", false, nil),
    ] as [(String, Bool, String?)])
    func reads(text: String, approve: Bool, ticket: String?) {
        #expect(TypedApproval.read(text) == TypedApproval(approve: approve, ticket: ticket))
    }

    @Test("a sentence is not an approval", arguments: ["승인 요청은 어떻게 하나요", "承認フローを教えて", "how do I approve a request", "HD-12"])
    func sentences(text: String) {
        #expect(TypedApproval.read(text) == nil)
    }
}
