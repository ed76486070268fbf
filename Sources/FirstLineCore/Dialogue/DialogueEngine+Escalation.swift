import Foundation

/// Handing a problem to a person: collecting what a ticket needs, then creating it (design §5).
extension DialogueEngine {
    /// The draft for "talk to a person", from what the conversation knows so far.
    func personDraft(_ state: ConversationState) -> EscalationDraft {
        let article = state.phase == .suggesting ? state.currentArticleID : nil
        // Asked to rephrase and still nothing shown: the knowledge base had no answer.
        let reason: EscalationReason = state.askedToRephrase && article == nil ? .noMatch : .askedForPerson
        return EscalationDraft(reason: reason, description: state.problem,
                               category: category(article: article, problem: state.problem),
                               articleID: article)
    }

    /// Starts (or continues) an escalation and asks for whatever is still missing.
    func escalate(_ draft: EscalationDraft, turn: inout DialogueTurn, context: DialogueContext) {
        // "Talk to a person" with nothing said before: the topic starts here.
        turn.state.topicStartedAt = turn.state.topicStartedAt ?? turn.now
        turn.state.currentArticleID = nil
        turn.state.fallbackArticleIDs = []
        turn.state.offeredArticleIDs = []
        proceed(with: draft, lead: turn.strings.willConnect(draft.reason), turn: &turn, context: context)
    }

    /// Urgent or team-wide (design §5): the highest priority, at once, with nothing asked, since
    /// every question is a delay for someone who cannot work.
    /// `whileWaiting`: the best article for the problem, shown after the ticket's number without
    /// Solved / Still broken (the ticket is already filed), since it may fix things sooner.
    func escalateUrgently(_ text: String, whileWaiting article: SearchHit? = nil, turn: inout DialogueTurn,
                          context: DialogueContext) {
        turn.state.topicStartedAt = turn.state.topicStartedAt ?? turn.now
        var draft = turn.state.escalation ?? personDraft(turn.state)
        draft.reason = .urgent
        draft.teamWide = true
        draft.blocksWork = true
        let description = draft.description ?? turn.state.problem ?? text
        draft.description = description
        draft.category = draft.category ?? reader.likelyCategory(of: description)
        createTicket(from: draft, description: description, blocksWork: true, turn: &turn, context: context)
        if let article, let steps = articleSteps(article.id, turn: turn) {
            turn.say([turn.strings.whileYouWait, steps.title, steps.body].joined(separator: "\n\n"),
                     articles: [ArticleReference(id: article.id, title: steps.title, score: article.score)])
        }
    }

    /// A security emergency (`DangerSign`): a P1 ticket for the security team at once, then the
    /// first steps of the best security article, so the employee acts while someone is called.
    func reportSecurityEmergency(_ text: String, sign: DangerSign, turn: inout DialogueTurn, context: DialogueContext) {
        turn.startTopic(text)
        let priority = TicketPriority.p1
        let ticket = draft(subject: text, description: text, category: .security, priority: priority, reason: .security,
                           intentID: nil, needsManagerApproval: false, turn: turn, context: context)
        turn.emit(.createTicket(ticket))
        openTicket(turn: &turn)
        let strings = turn.strings
        turn.say(strings.securityTicketCreated(number: TicketDraft.numberPlaceholder,
                                               due: duePhrase(ticket.firstResponseDue, turn: turn, context: context)),
                 buttons: [strings.button(.backToBot)])
        let best = content.search(text).hits.first { hit in
            hit.category == ArticleCategory.security.rawValue && content.article(id: hit.id, language: turn.language) != nil
        }
        if let best, let steps = articleSteps(best.id, turn: turn) {
            turn.say([steps.title, steps.body].joined(separator: "\n\n"),
                     articles: [ArticleReference(id: best.id, title: steps.title, score: best.score)])
        }
    }

    /// "Urgent!" about an open ticket: its priority goes to the top (targets recounted from when it
    /// was opened, as when an agent changes it), the message joins the ticket, and the employee
    /// is told. A ticket already at the top just gets the message.
    func raisePriority(_ text: String, turn: inout DialogueTurn, context: DialogueContext) {
        guard let number = turn.state.ticketNumber else { return }
        turn.emit(.appendToTicket(number: number, text: text))
        let urgent = TicketPriority(teamWide: true, blocksWork: true)
        let ticket = context.ticket(number)
        guard (ticket?.priority?.rank ?? Int.max) > urgent.rank else {
            turn.say(turn.strings.alreadyHighestPriority(number: number))
            return
        }
        let calendar = settings.slaCalendars.calendar(for: ticket?.category)
        let due = ticket?.createdAt.map { opened in
            (settings.sla.due(.firstResponse, priority: urgent, from: opened, calendar: calendar),
             settings.sla.due(.resolution, priority: urgent, from: opened, calendar: calendar))
        }
        turn.emit(.raisePriority(number: number, priority: urgent, firstResponseDue: due?.0, resolutionDue: due?.1))
        turn.say(turn.strings.priorityRaised(number: number, priority: urgent))
        if ticket?.status == .waiting { turn.emit(.resumeTicket(number: number)) }
    }

    /// An article's title and steps in the conversation's language.
    private func articleSteps(_ id: String, turn: DialogueTurn) -> (title: String, body: String)? {
        guard let article = content.article(id: id, language: turn.language) else { return nil }
        return (article.title, article.body.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The next step of an escalation: the description, then whether it blocks work, then the ticket.
    func proceed(with draft: EscalationDraft, lead: String? = nil, turn: inout DialogueTurn,
                 context: DialogueContext) {
        turn.state.phase = .escalating
        turn.state.escalation = draft
        let strings = turn.strings
        guard let description = draft.description else {
            turn.say(Self.joined(lead, strings.askDescription))
            return
        }
        guard let blocksWork = draft.blocksWork else {
            turn.say(Self.joined(lead, strings.askBlocksWork),
                     buttons: [strings.button(.blocksWork(true)), strings.button(.blocksWork(false))])
            return
        }
        createTicket(from: draft, description: description, blocksWork: blocksWork, turn: &turn, context: context)
    }

    /// The answer to "does it block your work?".
    func answerBlocksWork(_ blocksWork: Bool, turn: inout DialogueTurn, context: DialogueContext) {
        guard var draft = turn.state.escalation else { return }
        draft.blocksWork = blocksWork
        proceed(with: draft, turn: &turn, context: context)
    }

    /// A service request from the catalogue (an intent with action `request`) needs no
    /// troubleshooting: it becomes a ticket at once, routed by the intent's category.
    func fileRequest(_ intent: Intent, text: String, urgent: Bool, turn: inout DialogueTurn,
                     context: DialogueContext) {
        // A request concerns one person; saying it is urgent raises its urgency, not its impact.
        let priority = urgent ? TicketPriority(teamWide: false, blocksWork: true) : .p4
        turn.state.topicStartedAt = turn.state.topicStartedAt ?? turn.now
        let ticket = draft(subject: text, description: text, category: intent.category, priority: priority,
                           reason: .request, intentID: intent.id, needsManagerApproval: intent.needsManagerApproval,
                           turn: turn, context: context)
        turn.emit(.createTicket(ticket))
        openTicket(turn: &turn)
        turn.say(turn.strings.requestFiled(number: TicketDraft.numberPlaceholder,
                                           due: duePhrase(ticket.firstResponseDue, turn: turn, context: context),
                                           needsApproval: intent.needsManagerApproval, manager: context.manager),
                 buttons: [turn.strings.button(.backToBot)])
    }

    private func createTicket(from escalation: EscalationDraft, description: String, blocksWork: Bool,
                              turn: inout DialogueTurn, context: DialogueContext) {
        let priority = TicketPriority(teamWide: escalation.teamWide, blocksWork: blocksWork)
        let fullDescription = ([description] + (escalation.details ?? [])).joined(separator: "\n")
        let ticket = draft(subject: description, description: fullDescription, category: escalation.category,
                           priority: priority, reason: escalation.reason, intentID: escalation.intentID,
                           needsManagerApproval: false, turn: turn, context: context)
        turn.emit(.createTicket(ticket))
        openTicket(turn: &turn)
        turn.say(turn.strings.ticketCreated(number: TicketDraft.numberPlaceholder,
                                            due: duePhrase(ticket.firstResponseDue, turn: turn, context: context),
                                            urgent: escalation.reason == .urgent),
                 buttons: [turn.strings.button(.backToBot)])
    }

    private func draft(subject: String, description: String, category: ArticleCategory?, priority: TicketPriority,
                       reason: EscalationReason, intentID: String?, needsManagerApproval: Bool,
                       turn: DialogueTurn, context: DialogueContext) -> TicketDraft {
        TicketDraft(subject: TicketSubject.make(from: subject), description: description, category: category,
                    priority: priority, reason: reason, intentID: intentID, needsManagerApproval: needsManagerApproval,
                    firstResponseDue: settings.sla.due(.firstResponse, priority: priority, from: context.now,
                                                       calendar: settings.slaCalendars.calendar(for: category)),
                    resolutionDue: settings.sla.due(.resolution, priority: priority, from: context.now,
                                                    calendar: settings.slaCalendars.calendar(for: category)),
                    transcriptSince: turn.state.topicStartedAt ?? turn.now)
    }

    /// From now on the conversation belongs to the ticket. Its number does not exist yet; the
    /// store replaces the placeholder, in the state too.
    func openTicket(turn: inout DialogueTurn) {
        turn.clearTopic()
        turn.state.phase = .ticketOpen
        turn.state.ticketNumber = TicketDraft.numberPlaceholder
    }

    /// The category a ticket is routed by: the article that failed, else the best article for
    /// the problem.
    private func category(article: String?, problem: String?) -> ArticleCategory? {
        if let article, let category = content.article(id: article, language: .en)?.category { return category }
        return problem.flatMap(reader.likelyCategory(of:))
    }

    static func joined(_ lead: String?, _ question: String) -> String {
        [lead, question].compactMap { $0 }.joined(separator: " ")
    }
}
