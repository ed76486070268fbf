/// Following a ticket: status, leaving it to the agent, relaying, rating and reopening.
extension DialogueEngine {
    /// The employee's open tickets, or that there are none.
    func listTickets(turn: inout DialogueTurn, context: DialogueContext) {
        let strings = turn.strings
        guard !context.openTickets.isEmpty else {
            turn.say(strings.noOpenTickets)
            return
        }
        let lines = context.openTickets.map { ticket in
            strings.ticketLine(number: ticket.number, subject: ticket.subject, status: ticket.status,
                               due: ticket.firstResponseDue.map { duePhrase($0, turn: turn, context: context) })
        }
        turn.say(([strings.openTicketsHeader] + lines).joined(separator: "\n"))
    }

    /// The employee wants the bot again; the ticket stays open with the agent.
    func backToBot(turn: inout DialogueTurn) {
        let number = turn.state.ticketNumber ?? TicketDraft.numberPlaceholder
        turn.clearTopic()
        turn.say(turn.strings.backToBot(number: number))
    }

    /// An agent's answer reaches the employee's chat; from now on they talk to each other.
    func relay(agent: String, text: String, turn: inout DialogueTurn) {
        turn.clearTopic()
        turn.state.phase = .withAgent
        turn.say(turn.strings.agentSays(agent: agent, text: text))
    }

    func askForRating(ticket number: String, turn: inout DialogueTurn) {
        let strings = turn.strings
        turn.clearTopic()
        turn.state.phase = .resolved
        turn.state.ticketNumber = number
        turn.say(strings.askRating(number: number),
                 buttons: (1...5).map { strings.button(.rate($0)) } + [strings.button(.reopen)])
    }

    func rate(_ stars: Int, turn: inout DialogueTurn) {
        guard let number = turn.state.ticketNumber else { return }
        turn.emit(.rateTicket(number: number, stars: stars))
        turn.say(turn.strings.ratingThanks)
        turn.clearTopic()
        turn.state.ticketNumber = nil
        turn.state.ratedTicketNumber = number
        turn.state.phase = .closed
    }

    func reopen(turn: inout DialogueTurn, context: DialogueContext) {
        guard let number = turn.state.ticketNumber else { return }
        turn.state.ratedTicketNumber = nil
        if let ticket = context.ticket(number),
           !settings.reopen.allows(status: ticket.status, resolvedAt: ticket.resolvedAt, now: context.now) {
            // Too late (or closed): the conversation is done, so the next message starts a new
            // topic and, if need be, a new ticket.
            turn.clearTopic()
            turn.state.ticketNumber = nil
            turn.state.phase = .closed
            turn.say(turn.strings.reopenTooLate(number: number, days: settings.reopen.days))
            return
        }
        turn.emit(.reopenTicket(number: number))
        turn.clearTopic()
        turn.state.phase = .ticketOpen
        turn.say(turn.strings.reopened(number: number), buttons: [turn.strings.button(.backToBot)])
    }
}
