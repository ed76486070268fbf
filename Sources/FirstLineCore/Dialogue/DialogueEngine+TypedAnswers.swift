/// Buttons answered in words (issue: typed answers). Every question that shows buttons can also
/// be answered by typing: yes / no, the button's label, a number for a choice or a rating.
extension DialogueEngine {
    /// The buttons the conversation's last question offered, read from its state: the state
    /// says which question is on the table, so nothing about the last reply needs storing.
    func offeredButtons(_ state: ConversationState) -> [ButtonAction] {
        switch state.phase {
        case .suggesting:
            guard let article = state.currentArticleID else { return [] }
            return [.solved(articleID: article), .stillBroken(articleID: article), .talkToPerson]
        case .clarifying:
            return state.offeredArticleIDs.map { .choose(articleID: $0) } + [.talkToPerson]
        case .escalating:
            guard let draft = state.escalation, draft.description != nil, draft.blocksWork == nil else { return [] }
            return [.blocksWork(true), .blocksWork(false)]
        case .resolved:
            guard state.ticketNumber != nil else { return [] }
            return (1...5).map { .rate($0) } + [.reopen]
        case .closed:
            return state.ratedTicketNumber == nil ? [] : [.reopen]
        case .ticketOpen, .withAgent:
            return state.pendingProblem == nil ? [] : [.separateProblem, .addToTicket]
        case .idle:
            return state.incidentNumber == nil ? [] : [.somethingElse]
        }
    }

    /// The button a typed message stands for, if it is an answer to the question on the table.
    func typedButton(_ text: String, state: ConversationState) -> ButtonAction? {
        let offered = offeredButtons(state)
        guard !offered.isEmpty else { return nil }
        if let stars = TypedAnswer.stars(in: text), offered.contains(.rate(stars)) { return .rate(stars) }
        let content = self.content
        let answer = TypedAnswer(offered: offered) { action in
            if case let .choose(id) = action {
                // A choice is labelled with its article's title, in whichever language it exists.
                return Language.allCases.compactMap { content.article(id: id, language: $0)?.title }
            }
            return Language.allCases.map { DialogueStrings($0).label(for: action) }
        }
        return answer.read(text)
    }
}
