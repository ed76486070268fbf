/// What the employee presses. A button only does something in the phase that showed it; an old
/// one pressed later (chats keep them forever) gets a polite "no longer applies" and changes nothing.
extension DialogueEngine {
    func press(_ action: ButtonAction, turn: inout DialogueTurn, context: DialogueContext) {
        let state = turn.state
        let shown = state.phase == .suggesting ? state.currentArticleID : nil
        let waitingForBlocks = state.phase == .escalating && state.escalation?.description != nil
            && state.escalation?.blocksWork == nil
        switch action {
        case let .solved(id) where id == shown:
            markSolved(id, turn: &turn)
        case let .stillBroken(id) where id == shown:
            stillBroken(id, turn: &turn, context: context)
        case let .choose(id) where state.phase == .clarifying && state.offeredArticleIDs.contains(id)
            && content.article(id: id, language: turn.language) != nil:
            choose(id, turn: &turn)
        case .talkToPerson where [.idle, .suggesting, .clarifying].contains(state.phase):
            escalate(personDraft(state), turn: &turn, context: context)
        case .talkToPerson where state.phase == .escalating:
            // Pressed twice: already on the way to a person, so just ask the open question again.
            proceed(with: state.escalation ?? personDraft(state), turn: &turn, context: context)
        case .backToBot where state.phase == .ticketOpen || state.phase == .withAgent:
            backToBot(turn: &turn)
        case let .blocksWork(blocks) where waitingForBlocks:
            answerBlocksWork(blocks, turn: &turn, context: context)
        case let .rate(stars) where state.phase == .resolved && state.ticketNumber != nil:
            rate(stars, turn: &turn)
        case .reopen where state.phase == .resolved && state.ticketNumber != nil:
            reopen(turn: &turn, context: context)
        case .reopen where state.phase == .closed && state.ratedTicketNumber != nil:
            // The Reopen button under the rating question, pressed after rating.
            turn.state.ticketNumber = state.ratedTicketNumber
            reopen(turn: &turn, context: context)
        case .separateProblem where [.ticketOpen, .withAgent].contains(state.phase) && state.pendingProblem != nil:
            separateProblem(turn: &turn, context: context)
        case .addToTicket where [.ticketOpen, .withAgent].contains(state.phase) && state.pendingProblem != nil:
            addPendingToTicket(turn: &turn, context: context)
        case .somethingElse where state.incidentNumber != nil && [.idle, .suggesting, .clarifying].contains(state.phase):
            notTheIncident(turn: &turn, context: context)
        default:
            turn.say(turn.strings.staleButton)
        }
    }
}
