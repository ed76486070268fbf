import Foundation

/// The dialogue engine: a pure state machine `(state, event) -> (state', [Effect])` (design §2
/// step 3, §4). It reads nothing and writes nothing; the edge loads the state and the context,
/// calls `handle`, and applies the new state and the effects in one transaction.
///
/// The work is split by what the employee is doing: a message (`+Messages`), a button
/// (`+Buttons`), an article being tried (`+Articles`), a ticket being prepared (`+Escalation`)
/// and a ticket being followed (`+Tickets`).
public struct DialogueEngine: Sendable {
    public let content: ContentIndex
    public let settings: DialogueSettings
    let reader: MessageReader
    let detector = LanguageDetector()
    let dueWording: DueTimeWording
    /// How a report names what is down, for incidents about a word rather than an article.
    let incidentWords = DistinctiveWords()

    public init(content: ContentIndex, settings: DialogueSettings = DialogueSettings()) {
        self.content = content
        self.settings = settings
        var reader = MessageReader(content: content, thresholds: settings.thresholds)
        reader.furtherArticles = settings.furtherArticles
        self.reader = reader
        dueWording = DueTimeWording(timeZone: settings.timeZone)
    }

    /// The conversation's next state and what should happen because of `event`.
    public func handle(_ event: DialogueEvent, state: ConversationState,
                       context: DialogueContext) -> (state: ConversationState, effects: [Effect]) {
        var turn = DialogueTurn(state: state, defaultLanguage: settings.defaultLanguage, now: context.now)
        switch event {
        case let .message(text): receive(text, turn: &turn, context: context)
        case let .button(action): press(action, turn: &turn, context: context)
        case let .agentReply(agent, text): relay(agent: agent, text: text, turn: &turn)
        case let .ticketResolved(number): askForRating(ticket: number, turn: &turn)
        case .joined: greet(turn: &turn)
        case let .incidentResolved(incident, note, ticket):
            incidentResolved(incident, note: note, ticket: ticket, turn: &turn)
        }
        return (turn.state, turn.effects)
    }

    /// An intent's authored reply in `language` (the first one, so the bot is predictable),
    /// or the engine's own wording when the YAML has none in that language.
    func reply(to intent: Intent, in language: Language) -> String {
        intent.replies[language]?.first ?? DialogueStrings(language).intentFallback(intent.action)
    }

    /// The greeting of the `greet` intent in the conversation's language; the state is untouched,
    /// so a join in the middle of a conversation changes nothing else.
    func greet(turn: inout DialogueTurn) {
        if let intent = content.intents.first(where: { $0.action == .greet }) {
            turn.say(reply(to: intent, in: turn.language))
        } else {
            turn.say(DialogueStrings(turn.language).intentFallback(.greet))
        }
    }

    /// When something is due, worded for the employee.
    func duePhrase(_ due: Date, turn: DialogueTurn, context: DialogueContext) -> String {
        dueWording.phrase(for: due, now: context.now, language: turn.language)
    }
}
