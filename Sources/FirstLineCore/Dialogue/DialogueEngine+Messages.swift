import Foundation

/// What the employee writes.
extension DialogueEngine {
    func receive(_ message: String, turn: inout DialogueTurn, context: DialogueContext) {
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            // Nothing was said, so nothing changes, not even the language. With a ticket open
            // the bot stays quiet even then: an empty message there is usually a photo or a
            // sticker meant for the agent, and a prompt from the bot would only interrupt.
            if turn.state.phase != .ticketOpen, turn.state.phase != .withAgent {
                turn.say(turn.strings.emptyMessage)
            }
            return
        }
        noteLanguage(of: text, turn: &turn)
        startAfterSilence(turn: &turn)
        // "yes", "2", "3점" or a button's label typed instead of pressed.
        if let button = typedButton(text, state: turn.state) {
            if case let .solved(article) = button, let solved = content.intents.first(where: { $0.action == .feedbackYes }) {
                // Typed, "solved" gets the authored reply of the feedback intent, as a typed
                // "it works now" always has.
                markSolved(article, saying: reply(to: solved, in: turn.language), turn: &turn)
            } else {
                press(button, turn: &turn, context: context)
            }
            return
        }
        // A typed password on a phishing page or a lost laptop: no self-help first.
        if turn.state.phase != .withAgent, let sign = DangerSign.detect(text) {
            reportSecurityEmergency(text, sign: sign, turn: &turn, context: context)
            return
        }
        let reading = reader.read(text, recentlySuggested: context.recentlySuggested,
                                  feedbackExpected: Self.expectsFeedback(turn.state))

        switch turn.state.phase {
        case .ticketOpen, .withAgent:
            whileTicketOpen(text, reading: reading, turn: &turn, context: context)
        case .escalating:
            whileEscalating(text, reading: reading, turn: &turn, context: context)
        case .resolved:
            afterResolution(text, reading: reading, turn: &turn, context: context)
        case .closed:
            // A rated ticket can still be reopened by saying it is still broken.
            if let rated = turn.state.ratedTicketNumber, case let .intent(intent) = reading.outcome,
               intent.action == .feedbackNo, !reading.feedbackIsAmbiguous {
                turn.state.ticketNumber = rated
                reopen(turn: &turn, context: context)
                return
            }
            // The last topic is done: whatever comes now is a new conversation.
            turn.clearTopic()
            turn.state.ratedTicketNumber = nil
            converse(text, reading: reading, turn: &turn, context: context)
        case .idle, .suggesting, .clarifying:
            converse(text, reading: reading, turn: &turn, context: context)
        }
    }

    /// Whether "solved" / "still broken" can mean something now: an article is shown, a ticket
    /// was resolved or rated (reopen), or a ticket is being followed (its agent may have asked).
    static func expectsFeedback(_ state: ConversationState) -> Bool {
        switch state.phase {
        case .suggesting, .resolved, .ticketOpen, .withAgent: true
        case .closed: state.ratedTicketNumber != nil
        case .idle, .clarifying, .escalating: false
        }
    }

    /// Keeps the conversation's language, or follows the employee into another one. Hangul or kana
    /// mean the employee is writing Korean or Japanese, so they switch at once; Latin letters alone
    /// inside a Korean or Japanese conversation are usually a product name, an error code or a
    /// version ("Outlook 2019", "0x800CCC0E"), so they switch to English only when they read as an
    /// English sentence (`LanguageDetector.readsAsEnglishSentence`).
    func noteLanguage(of text: String, turn: inout DialogueTurn) {
        guard let spoken = detector.detect(text) else { return }
        if spoken == .en, let current = turn.state.language, current != .en,
           !detector.readsAsEnglishSentence(text) {
            return
        }
        turn.state.language = spoken
    }

    /// After a long silence the earlier topic is over: a ticket opened now must not carry it.
    /// A shown article keeps its buttons (the employee may come back to press one), and a rated
    /// ticket stays reopenable; only a topic that was waiting for words is dropped.
    private func startAfterSilence(turn: inout DialogueTurn) {
        defer { turn.state.lastMessageAt = turn.now }
        guard let last = turn.state.lastMessageAt, turn.now.timeIntervalSince(last) >= settings.topicIdleGap else { return }
        switch turn.state.phase {
        case .idle, .clarifying:
            turn.clearTopic()
        case .closed where turn.state.ratedTicketNumber == nil:
            turn.clearTopic()
        default:
            break
        }
    }

    /// The bot's own part of the conversation: questions, answers and small talk.
    func converse(_ text: String, reading: MessageReading, turn: inout DialogueTurn, context: DialogueContext) {
        // During an outage the known problem comes first: no article to try, no new ticket.
        if let incident = knownIncident(for: text, reading: reading, context: context) {
            tellKnownIncident(incident, text: text, turn: &turn)
            return
        }
        // "急ぎ！プロジェクターが映らない", "VPN down, urgent": a problem said to be urgent goes to
        // a person at once, with the best article shown while they wait.
        if reading.saysUrgent, let article = Self.urgentProblem(reading.outcome) {
            turn.startTopic(text)
            escalateUrgently(text, whileWaiting: article, turn: &turn, context: context)
            return
        }
        switch reading.outcome {
        case let .intent(intent):
            act(on: intent, text: text, reading: reading, turn: &turn, context: context)
        case let .answer(hit, fallbacks):
            turn.startTopic(text)
            showArticle(hit.id, score: hit.score, fallbacks: fallbacks, turn: &turn)
        case let .choices(hits, fallbacks):
            turn.startTopic(text)
            offerChoices(hits, fallbacks: fallbacks, turn: &turn)
        case .weak:
            notUnderstood(text, isProblem: true, turn: &turn)
        }
    }

    /// Whether a reading is a problem to hand over when it is urgent: an article or a few of them
    /// (the first is shown while waiting: `.some(hit)`), or nothing that fits (`.some(nil)`).
    /// Intents keep their own handling: a request's urgency raises its priority, "urgent" is urgent.
    private static func urgentProblem(_ outcome: MessageReading.Outcome) -> SearchHit?? {
        switch outcome {
        case let .answer(hit, _): .some(hit)
        case let .choices(hits, _): .some(hits.first)
        case .weak: .some(nil)
        case .intent: nil
        }
    }

    private func act(on intent: Intent, text: String, reading: MessageReading, turn: inout DialogueTurn,
                     context: DialogueContext) {
        let shownArticle = turn.state.phase == .suggesting ? turn.state.currentArticleID : nil
        switch intent.action {
        case .greet, .thanks, nil:
            turn.say(reply(to: intent, in: turn.language))
        case .bye:
            turn.say(reply(to: intent, in: turn.language))
            turn.clearTopic()
        case .cancel:
            turn.say(reply(to: intent, in: turn.language))
            turn.clearTopic()
        case .feedbackYes, .feedbackNo:
            react(toFeedback: intent, text: text, reading: reading, shownArticle: shownArticle, turn: &turn,
                  context: context)
        case .escalate:
            escalate(personDraft(turn.state), turn: &turn, context: context)
        case .urgent:
            // "至急、VPNがつながりません": the urgency won, but the problem is named too. Under a
            // shown article or a problem already described, "urgent!" is about that one.
            let article = turn.state.problem == nil ? reader.plausibleArticle(for: text) : nil
            if article != nil { turn.startTopic(text) }
            escalateUrgently(text, whileWaiting: article, turn: &turn, context: context)
        case .status:
            listTickets(turn: &turn, context: context)
        case .request:
            fileRequest(intent, text: text, urgent: reading.mentionsUrgency, turn: &turn, context: context)
        case .outOfScope:
            notForIT(text, intent: intent, turn: &turn)
        }
    }

    /// Not an IT matter: say so, name the desk that handles it when one is configured, and offer a
    /// person in case it is IT after all. No article is offered: a wrong one twice and people stop
    /// asking the bot.
    private func notForIT(_ text: String, intent: Intent, turn: inout DialogueTurn) {
        turn.startTopic(text)
        // A desk's own examples, or the bundled topic it takes over ("other-hr" for the desk "hr").
        let desk = settings.otherDesks.first { $0.intent.id == intent.id || "other-\($0.id)" == intent.id }
        let language = turn.language
        // A configured desk is named with how to reach it; else the topic's authored reply.
        let authored = desk == nil ? intent.replies[language]?.first : nil
        turn.emit(.outOfScope(query: text, desk: desk?.id))
        turn.say(authored ?? turn.strings.notForIT(desk: desk?.name(in: language), reach: desk?.reach(in: language)),
                 buttons: [turn.strings.button(.talkToPerson)])
    }

    /// "It works" / "still broken" typed instead of pressed.
    private func react(toFeedback intent: Intent, text: String, reading: MessageReading, shownArticle: String?,
                       turn: inout DialogueTurn, context: DialogueContext) {
        let solved = intent.action == .feedbackYes
        switch (shownArticle, reading.feedbackIsAmbiguous) {
        case let (article?, true):
            // Could be either: ask again with the buttons rather than guess.
            let strings = turn.strings
            turn.say(strings.didThisHelp,
                     buttons: [strings.button(.solved(articleID: article)), strings.button(.stillBroken(articleID: article)),
                               strings.button(.talkToPerson)])
        case let (article?, false):
            if solved {
                markSolved(article, saying: reply(to: intent, in: turn.language), turn: &turn)
            } else {
                stillBroken(article, turn: &turn, context: context)
            }
        case (nil, _):
            if solved {
                turn.say(reply(to: intent, in: turn.language))
            } else {
                // "Still not working" with nothing shown says nothing about what is broken.
                notUnderstood(text, isProblem: false, turn: &turn)
            }
        }
    }

    /// Nothing matched: ask to rephrase once, then offer a person (design §3, "Decide").
    private func notUnderstood(_ text: String, isProblem: Bool, turn: inout DialogueTurn) {
        let alreadyAsked = turn.state.askedToRephrase
        let problem = isProblem ? text : turn.state.problem
        let startedAt = isProblem ? turn.now : turn.state.topicStartedAt
        turn.clearTopic()
        turn.state.problem = problem
        turn.state.topicStartedAt = startedAt
        turn.state.phase = .clarifying
        turn.state.askedToRephrase = true
        if alreadyAsked {
            turn.emit(.unanswered(query: text))
            turn.say(turn.strings.offerPerson, buttons: [turn.strings.button(.talkToPerson)])
        } else {
            turn.say(turn.strings.askToRephrase)
        }
    }

    /// While a ticket is open the bot keeps quiet (design §4): the agent answers, and the
    /// employee's messages go to the ticket. Only asking for status or for the bot is for us.
    private func whileTicketOpen(_ text: String, reading: MessageReading, turn: inout DialogueTurn,
                                 context: DialogueContext) {
        switch reading.outcome {
        case let .intent(intent) where intent.action == .status:
            listTickets(turn: &turn, context: context)
        case let .intent(intent) where intent.action == .cancel:
            backToBot(turn: &turn)
        case let .intent(intent) where [.thanks, .greet, .bye].contains(intent.action) && turn.state.ticketNumber != nil:
            // "ありがとう" is said to us, not written for the agent: answered, not added to the ticket.
            let number = turn.state.ticketNumber ?? TicketDraft.numberPlaceholder
            turn.say(Self.joined(reply(to: intent, in: turn.language), turn.strings.stillWithAgent(number: number)))
        case _ where reading.saysUrgent && turn.state.ticketNumber != nil:
            raisePriority(text, turn: &turn, context: context)
        case _ where isOtherProblem(reading, turn: turn, context: context):
            // Never merged silently: the employee says whether it belongs to the ticket.
            let number = turn.state.ticketNumber ?? TicketDraft.numberPlaceholder
            turn.state.pendingProblem = text
            let strings = turn.strings
            turn.say(strings.newProblemOrSame(number: number),
                     buttons: [strings.button(.separateProblem), strings.button(.addToTicket)])
        default:
            turn.state.pendingProblem = nil
            addToOpenTicket(text, turn: &turn, context: context)
        }
    }

    func addToOpenTicket(_ text: String, turn: inout DialogueTurn, context: DialogueContext) {
        let number = turn.state.ticketNumber ?? TicketDraft.numberPlaceholder
        turn.emit(.appendToTicket(number: number, text: text))
        turn.say(turn.strings.addedToTicket(number: number))
        // The ticket waited for the employee's answer, and this is it.
        if context.ticket(number)?.status == .waiting { turn.emit(.resumeTicket(number: number)) }
    }

    /// An answer, or a few close articles, all on another topic than the open ticket's ("the
    /// keyboard is broken" while a VPN ticket is open), or a service request: likely a new
    /// problem, not more about this one.
    private func isOtherProblem(_ reading: MessageReading, turn: DialogueTurn, context: DialogueContext) -> Bool {
        guard let number = turn.state.ticketNumber, let ticketCategory = context.ticket(number)?.category else { return false }
        let hits: [SearchHit]
        switch reading.outcome {
        case let .answer(hit, _): hits = [hit]
        case let .choices(offered, _): hits = offered
        case let .intent(intent): return intent.action == .request && intent.category != ticketCategory
        case .weak: return false
        }
        guard reading.confidence >= Self.newProblemConfidence else { return false }
        return !hits.isEmpty && hits.allSatisfy { hit in
            hit.category.flatMap(ArticleCategory.init(rawValue:)).map { $0 != ticketCategory } ?? false
        }
    }

    /// How sure the reading must be before a message on an open ticket is asked about: "tried
    /// another PC, same thing" shares a word with the PC articles but is more about the ticket.
    static let newProblemConfidence = 0.5

    /// "It's a new problem": the kept message is handled as the first of a new topic; the open
    /// ticket stays open and keeps its agent.
    func separateProblem(turn: inout DialogueTurn, context: DialogueContext) {
        guard let text = turn.state.pendingProblem else { return }
        turn.state.pendingProblem = nil
        let reading = reader.read(text, recentlySuggested: context.recentlySuggested, feedbackExpected: false)
        turn.clearTopic()
        converse(text, reading: reading, turn: &turn, context: context)
    }

    /// "Add it to my ticket": the kept message joins the open ticket.
    func addPendingToTicket(turn: inout DialogueTurn, context: DialogueContext) {
        guard let text = turn.state.pendingProblem else { return }
        turn.state.pendingProblem = nil
        addToOpenTicket(text, turn: &turn, context: context)
    }

    /// Collecting the description and the urgency of a ticket.
    private func whileEscalating(_ text: String, reading: MessageReading, turn: inout DialogueTurn,
                                 context: DialogueContext) {
        var draft = turn.state.escalation ?? personDraft(turn.state)
        if case let .intent(intent) = reading.outcome {
            switch intent.action {
            case .cancel:
                turn.say(reply(to: intent, in: turn.language))
                turn.clearTopic()
                return
            case .status:
                // "Has my ticket been opened?" in the middle of the questions: not yet. Say so
                // (with any other tickets they have) and ask the open question again.
                if !context.openTickets.isEmpty { listTickets(turn: &turn, context: context) }
                proceed(with: draft, lead: turn.strings.requestNotFiledYet, turn: &turn, context: context)
                return
            case .urgent:
                escalateUrgently(text, turn: &turn, context: context)
                return
            case .greet, .thanks, .bye, .escalate:
                // Small talk or "a person, please" again describes nothing: ask once more.
                proceed(with: draft, turn: &turn, context: context)
                return
            default:
                break
            }
        }
        if draft.description == nil {
            draft.description = text
            turn.state.problem = text
            turn.state.topicStartedAt = turn.state.topicStartedAt ?? turn.now
            draft.category = draft.category ?? reader.likelyCategory(of: text)
            proceed(with: draft, turn: &turn, context: context)
            return
        }
        // The employee describes another problem than the one the escalation began with
        // ("Talk to a person" under the Outlook article, then "Excel macros are blocked"): the
        // ticket is about what they describe now; the earlier topic stays in the conversation.
        if case let .answer(hit, _) = reading.outcome, hit.id != draft.articleID,
           let category = hit.category.flatMap(ArticleCategory.init(rawValue:)), category != draft.category {
            draft = EscalationDraft(reason: draft.reason, description: text, category: category, articleID: nil)
            turn.state.problem = text
            turn.state.topicStartedAt = turn.now
            proceed(with: draft, turn: &turn, context: context)
            return
        }
        // Not an answer to "does it block your work?" (a typed yes or no was read as the button
        // before this): the employee said more about the problem. It joins the description, and
        // the question is asked once more; the second time the ticket is filed as not blocking,
        // since asking forever would keep the problem from anyone who could fix it.
        draft.details = (draft.details ?? []) + [text]
        if draft.blocksQuestionRepeated == true {
            draft.blocksWork = false
            proceed(with: draft, lead: turn.strings.filedAsNotBlocking, turn: &turn, context: context)
        } else {
            draft.blocksQuestionRepeated = true
            proceed(with: draft, lead: turn.strings.addedToDescription, turn: &turn, context: context)
        }
    }

    /// After a ticket was resolved the rating buttons stay useful through small talk; "still
    /// broken" reopens the ticket, and anything else is a new question.
    private func afterResolution(_ text: String, reading: MessageReading, turn: inout DialogueTurn,
                                 context: DialogueContext) {
        if case let .intent(intent) = reading.outcome {
            switch intent.action {
            case .feedbackNo where turn.state.ticketNumber != nil && !reading.feedbackIsAmbiguous:
                reopen(turn: &turn, context: context)
                return
            case .greet, .thanks, .bye, .feedbackYes:
                turn.say(reply(to: intent, in: turn.language))
                return
            case .status:
                listTickets(turn: &turn, context: context)
                return
            default:
                break
            }
        }
        turn.clearTopic()
        turn.state.ticketNumber = nil
        converse(text, reading: reading, turn: &turn, context: context)
    }
}
