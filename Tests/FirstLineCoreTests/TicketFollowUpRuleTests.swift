import FirstLineCore
import Foundation
import Testing

/// The conversation's rules about the ticket it follows, decided by the engine from the typed
/// ticket facts in its context: a late Reopen is refused, an answer to a waiting ticket resumes it.
@Suite("DialogueEngine: rules about the followed ticket")
struct TicketFollowUpRuleTests {
    static let number = "HD-000042"
    static let now = DialogueFixtures.now
    static let day: TimeInterval = 86_400

    static func resolved(_ language: Language) -> ConversationState {
        var state = ConversationState()
        state.language = language
        state.phase = .resolved
        state.ticketNumber = number
        return state
    }

    static func followed(_ status: TicketStatus, resolvedDaysAgo days: Double?) -> TicketSummary {
        TicketSummary(number: number, subject: "VPN", status: status, resolvedAt: days.map { now.addingTimeInterval(-$0 * day) })
    }

    static func replies(_ effects: [Effect]) -> [String] {
        effects.compactMap { effect in
            if case let .reply(reply) = effect { return reply.text }
            return nil
        }
    }

    @Test("Reopen within the window reopens the ticket", arguments: Language.allCases)
    func reopenInTime(_ language: Language) {
        let context = DialogueContext(now: Self.now, followedTicket: Self.followed(.resolved, resolvedDaysAgo: 6.9))
        let (state, effects) = DialogueFixtures.engine.handle(.button(.reopen), state: Self.resolved(language), context: context)
        #expect(state.phase == .ticketOpen)
        #expect(effects.contains(.reopenTicket(number: Self.number)))
    }

    @Test("Reopen after the window is refused in the conversation's language, and the conversation ends",
          arguments: Language.allCases)
    func reopenTooLate(_ language: Language) {
        let context = DialogueContext(now: Self.now, followedTicket: Self.followed(.resolved, resolvedDaysAgo: 8))
        let (state, effects) = DialogueFixtures.engine.handle(.button(.reopen), state: Self.resolved(language), context: context)
        #expect(state.phase == .closed)
        #expect(state.ticketNumber == nil)
        #expect(state.language == language)
        #expect(!effects.contains(.reopenTicket(number: Self.number)))
        #expect(Self.replies(effects) == [DialogueStrings(language).reopenTooLate(number: Self.number, days: 7)])
    }

    @Test("a closed ticket is never reopened, by the button or by typing that it is still broken",
          arguments: DialoguePhrases.all)
    func closedIsFinal(_ phrases: DialoguePhrases) {
        let context = DialogueContext(now: Self.now, followedTicket: Self.followed(.closed, resolvedDaysAgo: 1))
        for event in [DialogueEvent.button(.reopen), .message(phrases.stillBroken)] {
            let (state, effects) = DialogueFixtures.engine.handle(event, state: Self.resolved(phrases.language), context: context)
            #expect(state.phase == .closed, "\(event)")
            #expect(!effects.contains(.reopenTicket(number: Self.number)), "\(event)")
        }
    }

    /// A conversation right after the employee rated the ticket.
    static func rated(_ language: Language) -> ConversationState {
        let engine = DialogueFixtures.engine
        let (state, effects) = engine.handle(.button(.rate(4)), state: resolved(language), context: DialogueContext(now: now))
        #expect(effects.contains(.rateTicket(number: number, stars: 4)))
        return state
    }

    @Test("after a rating, Reopen and a typed 'still broken' reopen the ticket within the window",
          arguments: DialoguePhrases.all)
    func reopenAfterRating(_ phrases: DialoguePhrases) {
        let context = DialogueContext(now: Self.now, followedTicket: Self.followed(.resolved, resolvedDaysAgo: 2))
        let state = Self.rated(phrases.language)
        #expect(state.phase == .closed && state.ratedTicketNumber == Self.number)
        for event in [DialogueEvent.button(.reopen), .message(phrases.stillBroken)] {
            let (next, effects) = DialogueFixtures.engine.handle(event, state: state, context: context)
            #expect(next.phase == .ticketOpen, "\(event)")
            #expect(next.ticketNumber == Self.number && next.ratedTicketNumber == nil, "\(event)")
            #expect(effects.contains(.reopenTicket(number: Self.number)), "\(event)")
            #expect(Self.replies(effects) == [DialogueStrings(phrases.language).reopened(number: Self.number)], "\(event)")
        }
    }

    @Test("after a rating, a late Reopen is refused, and a new topic forgets the rated ticket",
          arguments: DialoguePhrases.all)
    func ratedTicketLimits(_ phrases: DialoguePhrases) {
        let late = DialogueContext(now: Self.now, followedTicket: Self.followed(.resolved, resolvedDaysAgo: 9))
        let (refused, effects) = DialogueFixtures.engine.handle(.button(.reopen), state: Self.rated(phrases.language), context: late)
        #expect(refused.phase == .closed && refused.ratedTicketNumber == nil)
        #expect(!effects.contains(.reopenTicket(number: Self.number)))
        #expect(Self.replies(effects) == [DialogueStrings(phrases.language).reopenTooLate(number: Self.number, days: 7)])

        let (newTopic, _) = DialogueFixtures.engine.handle(.message(phrases.vpn), state: Self.rated(phrases.language),
                                                           context: DialogueContext(now: Self.now))
        #expect(newTopic.ratedTicketNumber == nil && newTopic.phase != .ticketOpen)
    }

    @Test("the window comes from the settings")
    func windowFromSettings() {
        var settings = DialogueFixtures.settings
        settings.reopen = ReopenPolicy(days: 30)
        let engine = DialogueEngine(content: DialogueFixtures.content, settings: settings)
        let context = DialogueContext(now: Self.now, followedTicket: Self.followed(.resolved, resolvedDaysAgo: 20))
        let (state, effects) = engine.handle(.button(.reopen), state: Self.resolved(.en), context: context)
        #expect(state.phase == .ticketOpen)
        #expect(effects.contains(.reopenTicket(number: Self.number)))
    }

    @Test("an answer to a ticket waiting on the employee resumes it; to an open one it is only appended",
          arguments: DialoguePhrases.all)
    func answerResumesWaiting(_ phrases: DialoguePhrases) {
        var state = ConversationState()
        state.language = phrases.language
        state.phase = .ticketOpen
        state.ticketNumber = Self.number
        let waiting = DialogueContext(now: Self.now, openTickets: [Self.followed(.waiting, resolvedDaysAgo: nil)])
        let (_, effects) = DialogueFixtures.engine.handle(.message(phrases.extraDetail), state: state, context: waiting)
        #expect(effects.contains(.appendToTicket(number: Self.number, text: phrases.extraDetail)))
        #expect(effects.contains(.resumeTicket(number: Self.number)))

        let open = DialogueContext(now: Self.now, openTickets: [Self.followed(.open, resolvedDaysAgo: nil)])
        let (_, openEffects) = DialogueFixtures.engine.handle(.message(phrases.extraDetail), state: state, context: open)
        #expect(openEffects.contains(.appendToTicket(number: Self.number, text: phrases.extraDetail)))
        #expect(!openEffects.contains(.resumeTicket(number: Self.number)))
    }

    @Test("ReopenPolicy: open statuses always, resolved within the window, closed never")
    func policy() {
        let policy = ReopenPolicy(days: 7)
        #expect(policy.days == 7)
        for status in [TicketStatus.new, .open, .waiting] {
            #expect(policy.allows(status: status, resolvedAt: nil, now: Self.now))
        }
        #expect(policy.allows(status: .resolved, resolvedAt: Self.now.addingTimeInterval(-7 * Self.day), now: Self.now))
        #expect(!policy.allows(status: .resolved, resolvedAt: Self.now.addingTimeInterval(-7 * Self.day - 1), now: Self.now))
        #expect(!policy.allows(status: .closed, resolvedAt: Self.now, now: Self.now))
        #expect(ReopenPolicy(days: -3).window == 0)
    }
}
