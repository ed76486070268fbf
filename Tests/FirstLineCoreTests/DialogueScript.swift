import FirstLineCore
import Foundation
import Testing

/// One turn of a scripted conversation: what happens, and what the engine must answer.
struct DialogueStep: Sendable {
    var event: DialogueEvent
    /// The phase after the turn; nil where it depends on how the search ranks (checked in `check`).
    var phase: DialoguePhase?
    /// The turn's effects, in order, as `describe(_:)` writes them; nil as for `phase`.
    var effects: [String]?
    /// Substrings the turn's replies must contain, together.
    var says: [String] = []
    /// The actions of every button of the turn's replies, in order; nil to not check.
    var buttons: [String]?
    /// The language every reply must be in; `.some(nil)` for relayed agent text.
    var replyLanguage: Language??
    /// The state must come back exactly as it was (empty message, stale button).
    var unchanged = false
    /// Articles the edge reports as recently suggested for this turn, on top of those shown so far.
    var alsoRecent: Set<String> = []
    /// The employee's open tickets for this turn; the script's when nil.
    var openTickets: [TicketSummary]?
    /// Further checks on the new state and the effects.
    var check: (@Sendable (ConversationState, [Effect]) -> Void)?

    static func message(_ text: String, _ phase: DialoguePhase?, _ effects: [String]?, says: [String] = [],
                        buttons: [String]? = nil, replyLanguage: Language?? = .none, unchanged: Bool = false,
                        alsoRecent: Set<String> = [], openTickets: [TicketSummary]? = nil,
                        check: (@Sendable (ConversationState, [Effect]) -> Void)? = nil) -> DialogueStep {
        DialogueStep(event: .message(text), phase: phase, effects: effects, says: says, buttons: buttons,
                     replyLanguage: replyLanguage, unchanged: unchanged, alsoRecent: alsoRecent,
                     openTickets: openTickets, check: check)
    }

    static func press(_ action: String, _ phase: DialoguePhase?, _ effects: [String]?, says: [String] = [],
                      buttons: [String]? = nil, unchanged: Bool = false, alsoRecent: Set<String> = [],
                      check: (@Sendable (ConversationState, [Effect]) -> Void)? = nil) -> DialogueStep {
        guard let button = ButtonAction(rawValue: action) else { fatalError("not a button: \(action)") }
        return DialogueStep(event: .button(button), phase: phase, effects: effects, says: says, buttons: buttons,
                            unchanged: unchanged, alsoRecent: alsoRecent, check: check)
    }

    static func event(_ event: DialogueEvent, _ phase: DialoguePhase?, _ effects: [String]?, says: [String] = [],
                      buttons: [String]? = nil, replyLanguage: Language?? = .none) -> DialogueStep {
        DialogueStep(event: event, phase: phase, effects: effects, says: says, buttons: buttons,
                     replyLanguage: replyLanguage)
    }
}

/// A whole conversation, run step by step through one engine.
struct DialogueScript: Sendable, CustomTestStringConvertible {
    var name: String
    var language: Language
    var start = ConversationState()
    var openTickets: [TicketSummary] = []
    var steps: [DialogueStep]

    var testDescription: String { "\(language.rawValue): \(name)" }

    /// Runs the steps like the edge would: each turn sees the articles shown in earlier turns as
    /// recently suggested (the repeat window), and the state returned by the turn before.
    func run(engine: DialogueEngine = DialogueFixtures.engine) {
        var state = start
        var shown: Set<String> = []
        for (number, step) in steps.enumerated() {
            let context = DialogueContext(now: DialogueFixtures.now, recentlySuggested: shown.union(step.alsoRecent),
                                          openTickets: step.openTickets ?? openTickets)
            let (next, effects) = engine.handle(step.event, state: state, context: context)
            let at = "step \(number + 1), \(step.event)"
            let replies = effects.compactMap { effect -> Reply? in
                if case let .reply(reply) = effect { return reply }
                return nil
            }
            let text = replies.map(\.text).joined(separator: "\n")

            if let phase = step.phase { #expect(next.phase == phase, "\(at)") }
            if let expected = step.effects { #expect(effects.map(Self.describe) == expected, "\(at): \(text)") }
            for expected in step.says {
                #expect(text.contains(expected), "\(at): expected «\(expected)» in «\(text)»")
            }
            if let buttons = step.buttons {
                #expect(replies.flatMap(\.buttons).map(\.action) == buttons, "\(at)")
            }
            #expect(replies.flatMap(\.buttons).allSatisfy { !$0.label.isEmpty }, "\(at): every button has a label")
            if let language = step.replyLanguage ?? language {
                for reply in replies {
                    #expect(LanguageDetector().detect(reply.text) == language, "\(at): «\(reply.text)» is not \(language)")
                }
            }
            if step.unchanged {
                // The time of the employee's last message is always noted; nothing else may change.
                var compared = next
                compared.lastMessageAt = state.lastMessageAt
                #expect(compared == state, "\(at): state must not change")
            }
            step.check?(next, effects)

            for case let .suggestionShown(id, _) in effects { shown.insert(id) }
            state = next
        }
    }

    /// A compact, readable name for an effect, so scripts can list them.
    static func describe(_ effect: Effect) -> String {
        switch effect {
        case .reply: "reply"
        case let .suggestionShown(id, _): "shown \(id)"
        case let .feedback(id, _, solved): "\(solved ? "solved" : "broken") \(id)"
        case let .createTicket(draft):
            "ticket \(draft.priority.rawValue) \(draft.category?.rawValue ?? "none")"
                + (draft.needsManagerApproval ? " approval" : "")
        case .appendToTicket: "append"
        case let .rateTicket(_, stars): "rate \(stars)"
        case .reopenTicket: "reopen"
        case .resumeTicket: "resume"
        case let .raisePriority(_, priority, _, _): "raise \(priority.rawValue)"
        case .unanswered: "unanswered"
        case let .outOfScope(_, desk): "out of scope \(desk ?? "-")"
        case let .linkToIncident(number, _): "link \(number)"
        case let .unlinkFromIncident(number): "unlink \(number)"
        }
    }
}

extension [Effect] {
    /// The ticket the turn asked for, if any.
    var ticket: TicketDraft? {
        for case let .createTicket(draft) in self { return draft }
        return nil
    }
}
