import FirstLineCore
import Foundation
import Testing

/// Issue 17: urgency in every language, an urgent word on an open ticket, danger signs that skip
/// self-help, and a ticket that describes the problem at hand, not the whole conversation.
@Suite("Escalation judgement: urgency, danger, the problem at hand")
struct EscalationJudgementTests {
    let engine = DialogueFixtures.engine
    let now = DialogueFixtures.now

    func say(_ text: String, _ state: ConversationState = ConversationState(), at time: Date? = nil,
             context: DialogueContext? = nil) -> (state: ConversationState, effects: [Effect]) {
        engine.handle(.message(text), state: state, context: context ?? DialogueContext(now: time ?? now))
    }

    // MARK: Urgency (point 4)

    @Test("a problem said to be urgent becomes a P1 ticket at once, the article shown while waiting", arguments: [
        (Language.ko, "급해요! VPN 연결이 안 돼요"), (.ja, "急ぎ！VPNに接続できない"), (.ja, "至急、VPNがつながりません"),
        (.en, "urgent: VPN won't connect"), (.en, "VPN won't connect and I need it asap"),
    ])
    func urgentProblem(language: Language, text: String) {
        let (state, effects) = say(text)
        let ticket = effects.ticket
        #expect(ticket?.priority == .p1, "\(effects)")
        #expect(ticket?.reason == .urgent)
        #expect(ticket?.category == .network)
        #expect(ticket?.subject == text)
        #expect(state.phase == .ticketOpen)
        let replies = effects.replies
        #expect(replies.count == 2)
        #expect(replies.last?.articles.map(\.id) == ["vpn-connect"], "the article is shown while waiting")
        #expect(replies.last?.buttons.isEmpty == true, "no Solved / Still broken under a filed ticket")
        #expect(!effects.contains { if case .suggestionShown = $0 { true } else { false } })
        for reply in replies { #expect(LanguageDetector().detect(reply.text) == language, "\(reply.text)") }
    }

    @Test("'everyone' or a shared failure word alone is not urgency", arguments: [
        "VPN 연결이 안 돼요", "VPNに接続できない", "VPN won't connect", "how do I share my mailbox with everyone",
    ])
    func notUrgent(text: String) {
        let (_, effects) = say(text)
        #expect(effects.ticket == nil, "\(effects)")
    }

    static func openTicket(priority: TicketPriority, status: TicketStatus = .open) -> (ConversationState, DialogueContext) {
        var state = ConversationState()
        state.phase = .ticketOpen
        state.ticketNumber = "HD-000042"
        state.language = nil
        let summary = TicketSummary(number: "HD-000042", subject: "VPN", status: status, priority: priority,
                                    createdAt: DialogueFixtures.now.addingTimeInterval(-600), category: .network)
        return (state, DialogueContext(now: DialogueFixtures.now, openTickets: [summary]))
    }

    @Test("an urgency message on an open ticket raises its priority, with targets counted from its opening", arguments: [
        (Language.ko, "제발 빨리요… 일을 못 하고 있어요"), (.ja, "至急お願いします、業務が止まっています"), (.en, "this is urgent, I can't work"),
    ])
    func raisesOpenTicket(language: Language, text: String) {
        let (state, context) = Self.openTicket(priority: .p3)
        let (next, effects) = say(text, state, context: context)
        let raised = effects.compactMap { effect -> (TicketPriority, Date?)? in
            if case let .raisePriority(number, priority, due, _) = effect, number == "HD-000042" { return (priority, due) }
            return nil
        }
        #expect(raised.count == 1, "\(effects)")
        #expect(raised.first?.0 == .p1)
        let opened = DialogueFixtures.now.addingTimeInterval(-600)
        #expect(raised.first?.1 == DialogueFixtures.settings.sla.due(.firstResponse, priority: .p1, from: opened, calendar: nil))
        #expect(effects.contains(.appendToTicket(number: "HD-000042", text: text)))
        #expect(effects.replies.count == 1)
        #expect(effects.replies.first?.text.contains("HD-000042") == true)
        #expect(LanguageDetector().detect(effects.replies.first?.text ?? "") == language)
        #expect(next.phase == .ticketOpen && next.ticketNumber == "HD-000042")
    }

    @Test("a ticket already at P1 is not raised again; the message still reaches it")
    func alreadyTop() {
        let (state, context) = Self.openTicket(priority: .p1)
        let (_, effects) = say("urgent please", state, context: context)
        #expect(!effects.contains { if case .raisePriority = $0 { true } else { false } })
        #expect(effects.contains(.appendToTicket(number: "HD-000042", text: "urgent please")))
        #expect(effects.replies.first?.text.contains("highest priority") == true)
    }

    @Test("a waiting ticket raised by the employee's message runs again")
    func waitingResumes() {
        let (state, context) = Self.openTicket(priority: .p3, status: .waiting)
        let (_, effects) = say("urgent, nobody can work", state, context: context)
        #expect(effects.contains(.resumeTicket(number: "HD-000042")))
    }

    // MARK: Danger signs (point 5)

    @Test("danger signs are recognised in three languages", arguments: [
        ("clicked a weird link and typed my password", DangerSign.credentialsEntered),
        ("이상한 링크를 눌러서 비밀번호를 입력했어요", .credentialsEntered),
        ("怪しいメールのリンクを開いてパスワードを入力してしまった", .credentialsEntered),
        ("I entered my password on a fake Microsoft login page", .credentialsEntered),
        ("I left my work laptop in a taxi", .deviceLost), ("my phone was stolen on the train", .deviceLost),
        ("노트북을 잃어버렸어요", .deviceLost), ("회사 휴대폰을 도난당했어요", .deviceLost),
        ("社用携帯を紛失しました", .deviceLost), ("ノートPCを盗まれました", .deviceLost),
        ("I sent customer data to the wrong person", .dataLeak), ("고객 정보를 잘못 보냈어요", .dataLeak),
        ("顧客情報を誤送信してしまいました", .dataLeak), ("I think our customer data leaked", .dataLeak),
    ])
    func dangerSigns(text: String, sign: DangerSign) {
        #expect(DangerSign.detect(text) == sign)
    }

    @Test("ordinary questions that share a danger word are not danger", arguments: [
        "I typed my password and it says wrong", "I clicked the reset link and entered a new password",
        "I lost the Wi-Fi on my laptop", "water leaked on my keyboard", "비밀번호를 잊어버렸어요",
        "パスワードを忘れた", "노트북 와이파이 연결이 끊겼어요", "I lost connection to the VPN on my laptop",
        "my phone can't get email",
    ])
    func notDanger(text: String) {
        #expect(DangerSign.detect(text) == nil)
    }

    @Test("a danger sign opens a P1 security ticket at once, with no 'Did this fix it?'", arguments: [
        (Language.en, "clicked a weird link and typed my password"),
        (.ko, "이상한 링크를 눌러서 비밀번호를 입력했어요"),
        (.ja, "怪しいリンクを開いてパスワードを入力してしまった"),
    ])
    func securityTicket(language: Language, text: String) {
        let (state, effects) = say(text)
        let ticket = effects.ticket
        #expect(ticket?.priority == .p1)
        #expect(ticket?.category == .security)
        #expect(ticket?.reason == .security)
        #expect(state.phase == .ticketOpen)
        #expect(!effects.replies.flatMap(\.buttons).contains { $0.action.hasPrefix("solved:") || $0.action.hasPrefix("broken:") })
        #expect(effects.replies.first?.text.contains(TicketDraft.numberPlaceholder) == true)
        for reply in effects.replies { #expect(LanguageDetector().detect(reply.text) == language, "\(reply.text)") }
    }

    // MARK: The problem at hand (point 3)

    @Test("after a solved topic, the next ticket's transcript and subject start with the new problem")
    func transcriptFromCurrentTopic() {
        let first = say("VPN won't connect")
        #expect(first.effects.contains(.suggestionShown(articleID: "vpn-connect", query: "VPN won't connect")))
        let solved = engine.handle(.button(.solved(articleID: "vpn-connect")), state: first.state,
                                   context: DialogueContext(now: now.addingTimeInterval(60)))
        let later = now.addingTimeInterval(300)
        let mailbox = say("my mailbox is full", solved.state, at: later)
        #expect(mailbox.state.topicStartedAt == later)
        let person = say("talk to a person", mailbox.state, at: later.addingTimeInterval(30))
        let ticket = engine.handle(.button(.blocksWork(false)), state: person.state,
                                   context: DialogueContext(now: later.addingTimeInterval(60))).effects.ticket
        #expect(ticket?.subject == "my mailbox is full")
        #expect(ticket?.category == .email)
        #expect(ticket?.transcriptSince == later, "the VPN topic stays out of the ticket")
    }

    @Test("a new problem described during an escalation becomes the ticket's subject and category")
    func switchDuringEscalation() {
        let shown = say("VPN won't connect")
        let person = engine.handle(.button(.talkToPerson), state: shown.state, context: DialogueContext(now: now.addingTimeInterval(30)))
        #expect(person.state.phase == .escalating)
        let switched = now.addingTimeInterval(90)
        let described = say("actually my mailbox is full and I can't send mail", person.state, at: switched)
        #expect(described.state.escalation?.description == "actually my mailbox is full and I can't send mail")
        #expect(described.state.escalation?.category == .email)
        let ticket = engine.handle(.button(.blocksWork(true)), state: described.state,
                                   context: DialogueContext(now: switched.addingTimeInterval(10))).effects.ticket
        #expect(ticket?.subject == "actually my mailbox is full and I can't send mail")
        #expect(ticket?.category == .email)
        #expect(ticket?.transcriptSince == switched)
    }

    @Test("after an hour's silence a pending question is dropped: 'a person' then asks what the problem is")
    func idleGap() {
        let weak = say("the thing on my desk is weird")
        #expect(weak.state.phase == .clarifying)
        let late = say("talk to a person", weak.state, at: now.addingTimeInterval(2 * 3600))
        #expect(late.state.escalation?.description == nil, "the old words are not the new ticket's problem")
        #expect(late.state.topicStartedAt == now.addingTimeInterval(2 * 3600))
        let soon = say("talk to a person", weak.state, at: now.addingTimeInterval(120))
        #expect(soon.state.escalation?.description == "the thing on my desk is weird")
    }
}

extension [Effect] {
    var replies: [Reply] {
        compactMap { if case let .reply(reply) = $0 { reply } else { nil } }
    }
}
