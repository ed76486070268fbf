import FirstLineCore
import Foundation
import Testing

/// The dialogue during a major incident (issue: outages, points 2–4), without I/O: a matching
/// report is linked and told, not given an article or a ticket; "this is something else" goes on
/// to an ordinary ticket; the resolution is told, with a rating for a linked ticket.
@Suite("dialogue: known major incidents")
struct KnownIncidentDialogueTests {
    let engine = DialogueFixtures.engine
    static let vpn = KnownIncident(number: "INC-4", topic: .article("vpn-connect"))
    static let sap = KnownIncident(number: "INC-5", topic: .term("sap"), notice: [.ja: "SAPは13時に復旧予定です。"])

    func context(_ incidents: [KnownIncident] = [vpn, sap]) -> DialogueContext {
        DialogueContext(now: DialogueFixtures.now, activeIncidents: incidents)
    }

    func replies(_ effects: [Effect]) -> [Reply] {
        effects.compactMap { if case let .reply(reply) = $0 { reply } else { nil } }
    }

    @Test("a report of the incident's article is linked and told in its language, with no article and no ticket",
          arguments: [("VPN이 안 돼요", Language.ko, "IT팀이 해결하고 있어요"), ("VPNがつながらない", .ja, "IT担当が対応しています"),
                      ("vpn is down", .en, "known problem")])
    func linkedAndTold(text: String, language: Language, expected: String) {
        let (state, effects) = engine.handle(.message(text), state: ConversationState(), context: context())
        #expect(effects.contains(.linkToIncident(number: "INC-4", text: text)))
        #expect(!effects.contains { if case .suggestionShown = $0 { true } else { false } })
        #expect(effects.ticket == nil)
        let reply = try? #require(replies(effects).first)
        #expect(reply?.text.contains(expected) == true, "\(reply?.text ?? "")")
        #expect(reply?.text.contains("INC-4") == true)
        #expect(reply?.buttons.map(\.action) == ["other"])
        #expect(LanguageDetector().detect(reply?.text ?? "") == language)
        #expect(state.incidentNumber == "INC-4")
        #expect(state.phase == .idle)
    }

    @Test("an incident about a word catches reports naming it; its notice comes first, with a note when it is not in the employee's language")
    func termAndNotice() {
        let (_, ja) = engine.handle(.message("SAPにログインできません"), state: ConversationState(), context: context())
        #expect(ja.contains(.linkToIncident(number: "INC-5", text: "SAPにログインできません")))
        #expect(replies(ja).first?.text.hasPrefix("IT担当からのお知らせ：SAPは13時に復旧予定です。") == true)
        let (_, en) = engine.handle(.message("SAP keeps crashing"), state: ConversationState(), context: context())
        let text = replies(en).first?.text ?? ""
        #expect(text.contains("SAPは13時に復旧予定です。"))
        #expect(text.contains("(This notice is only available in Japanese.)"), "\(text)")
        // Not every message is the incident: another problem, small talk.
        let (_, printer) = engine.handle(.message("printer paper jam"), state: ConversationState(), context: context())
        #expect(!printer.contains { if case .linkToIncident = $0 { true } else { false } })
        let (_, hello) = engine.handle(.message("hello"), state: ConversationState(), context: context())
        #expect(!hello.contains { if case .linkToIncident = $0 { true } else { false } })
        // Without active incidents the article is shown as always.
        let (_, quiet) = engine.handle(.message("vpn is down"), state: ConversationState(), context: context([]))
        #expect(quiet.contains { if case .suggestionShown("vpn-connect", _) = $0 { true } else { false } })
    }

    @Test("the same report again is not linked twice; 'this is something else', pressed or typed, leaves the incident for a ticket")
    func againAndSomethingElse() {
        let (linked, _) = engine.handle(.message("vpn is down"), state: ConversationState(), context: context())
        let (same, again) = engine.handle(.message("vpn keeps dropping"), state: linked, context: context())
        #expect(!again.contains { if case .linkToIncident = $0 { true } else { false } })
        #expect(replies(again).first?.text.contains("still being worked on") == true)
        #expect(same.incidentNumber == "INC-4")

        let (pressed, effects) = engine.handle(.button(.somethingElse), state: linked, context: context())
        #expect(effects.first == .unlinkFromIncident(number: "INC-4"))
        #expect(pressed.incidentNumber == nil)
        #expect(pressed.phase == .escalating)
        #expect(pressed.escalation?.description == "vpn is down")
        let (filed, ticket) = engine.handle(.button(.blocksWork(true)), state: pressed, context: context())
        #expect(ticket.ticket != nil)
        #expect(filed.phase == .ticketOpen)

        let (koLinked, _) = engine.handle(.message("VPN이 안 돼요"), state: ConversationState(), context: context())
        let (typed, typedEffects) = engine.handle(.message("다른 문제예요"), state: koLinked, context: context())
        #expect(typedEffects.first == .unlinkFromIncident(number: "INC-4"))
        #expect(typed.phase == .escalating)
        // A stale press after a new topic: the button no longer applies.
        let (_, stale) = engine.handle(.button(.somethingElse), state: ConversationState(), context: context())
        #expect(replies(stale).first?.text == DialogueStrings(.en).staleButton)
    }

    @Test("the resolution is told in the conversation's language; a linked open ticket of the conversation is asked for a rating")
    func resolution() {
        var reporter = ConversationState()
        reporter.language = .ja
        reporter.incidentNumber = "INC-4"
        let (told, effects) = engine.handle(.incidentResolved(incident: "INC-4", note: "装置を交換しました。", ticket: nil),
                                            state: reporter, context: context([]))
        #expect(replies(effects).map(\.text) == ["障害INC-4は復旧しました。\n装置を交換しました。\nまだ問題がある場合は、こちらにお書きください。"])
        #expect(told.incidentNumber == nil)
        #expect(told.phase == .idle)

        var ticketHolder = ConversationState()
        ticketHolder.language = .ko
        ticketHolder.phase = .ticketOpen
        ticketHolder.ticketNumber = "HD-9"
        let (rated, ratingEffects) = engine.handle(.incidentResolved(incident: "INC-4", note: nil, ticket: "HD-9"),
                                                   state: ticketHolder, context: context([]))
        #expect(rated.phase == .resolved)
        #expect(replies(ratingEffects).count == 2)
        #expect(replies(ratingEffects).first?.text.hasPrefix("장애 INC-4가 해결됐어요.") == true)
        #expect(replies(ratingEffects).last?.buttons.contains { $0.action == "rate:5" } == true)
        // The conversation moved on to another ticket: told, but that ticket's state is left alone.
        ticketHolder.ticketNumber = "HD-12"
        let (other, _) = engine.handle(.incidentResolved(incident: "INC-4", note: nil, ticket: "HD-9"),
                                       state: ticketHolder, context: context([]))
        #expect(other.phase == .ticketOpen)
        #expect(other.ticketNumber == "HD-12")
    }

    @Test("a notice falls back to English, then Korean, then Japanese")
    func noticeFallback() {
        #expect(KnownIncident.text(in: .ko, from: [.ja: "a", .en: "b"])! == ("b", .en))
        #expect(KnownIncident.text(in: .en, from: [.ja: "a", .ko: "c"])! == ("c", .ko))
        #expect(KnownIncident.text(in: .ja, from: [.ja: "a"])! == ("a", nil))
        #expect(KnownIncident.text(in: .ja, from: [:]) == nil)
    }
}

@Suite("incident commands in the agents' channel")
struct IncidentCommandTests {
    @Test("notices named or detected, end, resolve with or without a note, confirm, dismiss; anything else is nil")
    func read() {
        #expect(IncidentCommand.read("notice ko: VPN 점검 중이에요") == .notice(.ko, "VPN 점검 중이에요"))
        #expect(IncidentCommand.read("Notice: VPNを点検中です") == .notice(.ja, "VPNを点検中です"))
        #expect(IncidentCommand.read("notice: the gateway is being replaced") == .notice(.en, "the gateway is being replaced"))
        #expect(IncidentCommand.read(" End notice ") == .endNotice)
        #expect(IncidentCommand.read("resolve") == .resolve(note: nil, language: nil))
        #expect(IncidentCommand.read("resolve: 게이트웨이를 교체했어요") == .resolve(note: "게이트웨이를 교체했어요", language: .ko))
        #expect(IncidentCommand.read("confirm") == .confirm)
        #expect(IncidentCommand.read("DISMISS") == .dismiss)
        for text in ["notice fr: bonjour", "notice:", "notice ko ja: x", "please resolve this", "hello", ""] {
            #expect(IncidentCommand.read(text) == nil, "\(text)")
        }
    }
}
