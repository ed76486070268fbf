import Foundation

/// The work in progress of one event: the state as it is being changed and the effects
/// gathered so far. Handlers change it in place; the engine returns both at the end.
struct DialogueTurn {
    var state: ConversationState
    private(set) var effects: [Effect] = []
    let defaultLanguage: Language
    /// The time of the event, for what the state remembers (when a topic started).
    let now: Date

    init(state: ConversationState, defaultLanguage: Language, now: Date) {
        self.state = state
        self.defaultLanguage = defaultLanguage
        self.now = now
    }

    /// The language every reply of this turn is written in: the employee's latest one.
    var language: Language { state.language ?? defaultLanguage }
    var strings: DialogueStrings { DialogueStrings(language) }

    mutating func say(_ text: String, buttons: [ReplyButton] = [], articles: [ArticleReference] = []) {
        effects.append(.reply(Reply(text: text, buttons: buttons, articles: articles)))
    }

    mutating func emit(_ effect: Effect) {
        effects.append(effect)
    }

    /// Forgets the problem being worked on and goes back to idle. The language stays, and so
    /// does the ticket number: a ticket left open behind "back to the bot" still belongs here.
    mutating func clearTopic() {
        state.phase = .idle
        state.problem = nil
        state.currentArticleID = nil
        state.fallbackArticleIDs = []
        state.offeredArticleIDs = []
        state.askedToRephrase = false
        state.escalation = nil
        state.topicStartedAt = nil
        state.incidentNumber = nil
    }

    /// `text` starts a new topic: it becomes the problem a ticket would describe, and the
    /// ticket's transcript will start with it.
    mutating func startTopic(_ text: String) {
        clearTopic()
        state.problem = text
        state.topicStartedAt = now
    }
}
