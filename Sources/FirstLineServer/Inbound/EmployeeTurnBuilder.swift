import FirstLineCore
import FirstLineStore
import Foundation

/// Turns the engine's effects for one employee event into the turn's single write: transcript
/// lines, outbox rows (one `NoticeKey.reply` per reply), suggestions, feedback and ticket changes.
/// No I/O: the handler reads what a new ticket needs and commits the result.
struct EmployeeTurnBuilder {
    var turn: TurnCommit
    let message: InboundMessage
    let actor: TicketActor
    let composer: OutboxComposer
    private(set) var replies: [Reply] = []
    private var inbound: NewMessage

    init(turn: TurnCommit, message: InboundMessage, actor: TicketActor, composer: OutboxComposer) {
        self.turn = turn
        self.message = message
        self.actor = actor
        self.composer = composer
        inbound = NewMessage(direction: .inbound, author: .employee, text: "")
    }

    /// Every effect but `.createTicket`, which needs the transcript (read by the handler).
    mutating func apply(_ effect: Effect) throws {
        switch effect {
        case let .reply(reply):
            replies.append(reply)
            // Only the first reply may use the reply token: LINE accepts it once.
            let payload = try composer.payload(reply, replyToken: replies.count == 1 ? message.replyToken : nil)
            turn.messages.append(NewMessage(direction: .outbound, author: .bot, text: reply.text, payload: payload))
            turn.outbox.append(composer.row(
                payload: payload, to: message.platform, conversationKey: message.conversationKey,
                key: .reply(platform: message.platform, eventID: message.eventID, index: replies.count)))
        case let .suggestionShown(articleID, query):
            turn.suggestions.append(.init(articleID: articleID, query: query))
        case let .feedback(articleID, query, solved):
            turn.feedback.append(.init(articleID: articleID, feedback: solved ? .solved : .stillBroken))
            if solved { turn.learnedPhrase = .init(articleID: articleID, text: query) }
        case .createTicket:
            break
        case let .appendToTicket(number, text):
            turn.ticketAppends.append(.init(ticketNumber: number, text: text, actor: actor))
        case let .resumeTicket(number):
            turn.ticketUpdates.append(TicketUpdate(ticketNumber: number, change: .status(.open, note: "the employee answered"),
                                                   actor: actor))
        case let .raisePriority(number, priority, firstResponseDue, resolutionDue):
            turn.ticketUpdates.append(TicketUpdate(
                ticketNumber: number,
                change: .priority(priority, firstResponseDueAt: firstResponseDue, resolutionDueAt: resolutionDue),
                actor: actor))
        case let .rateTicket(number, stars):
            turn.ticketUpdates.append(TicketUpdate(ticketNumber: number, change: .rating(stars), actor: actor))
        case let .reopenTicket(number):
            turn.ticketUpdates.append(TicketUpdate(ticketNumber: number, change: .status(.open, note: "reopened by the employee"),
                                                   actor: actor))
        case .unanswered:
            // Kept on the message itself, so the editors' list of unanswered questions is a query.
            inbound.payload = #"{"unanswered":true}"#
        case let .linkToIncident(number, text):
            turn.incidentReport = IncidentReport(incidentNumber: number, text: text)
        case let .unlinkFromIncident(number):
            turn.incidentUnlink = number
        case let .outOfScope(_, desk):
            // The same way for messages that were not IT's: the gap report counts them apart.
            let mark = OutOfScopeMark(outOfScope: true, desk: desk)
            inbound.payload = (try? JSONEncoder().encode(mark)).flatMap { String(data: $0, encoding: .utf8) }
        }
    }

    /// The turn with the employee's own line first in the transcript.
    func finish(inbound text: String) -> TurnCommit {
        var line = inbound
        line.text = text
        var turn = turn
        turn.messages.insert(line, at: 0)
        return turn
    }
}

/// What an out-of-scope message carries in its payload.
private struct OutOfScopeMark: Encodable {
    var outOfScope: Bool
    var desk: String?
}
