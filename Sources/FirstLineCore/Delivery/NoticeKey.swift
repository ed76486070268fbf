/// The idempotency key of an outgoing message, one case per kind of notice. The outbox refuses a
/// second row with the same key, so each notice is queued once however often the code that
/// composes it runs (a retried turn, a desk pass after a restart).
///
/// The rendered strings are stored and compared with rows written by earlier versions, so a
/// case's format never changes; a new kind of notice is a new case.
public enum NoticeKey: Sendable, Hashable, CustomStringConvertible {
    /// The `index`-th reply (1-based) to an inbound event: a retry of the turn yields the same keys.
    case reply(platform: Platform, eventID: String, index: Int)
    /// The bot's acknowledgement of an agent's message in the agents' channel.
    case agentThreadAcknowledgement(platform: Platform, eventID: String)
    /// The `index`-th message (1-based) of one agent action on a ticket; `action` is unique per action.
    case agentAction(ticket: String, action: String, index: Int)
    /// The agents' channel post announcing a new ticket; agents reply in its thread.
    case ticketAnnouncement(ticket: String)
    /// The direct message telling an agent a ticket is theirs; `at` (Unix seconds) tells two assignments apart.
    case assignedToAgent(ticket: String, agent: String, at: Int)
    /// The direct message to the team lead when an SLA target is breached.
    case breachToLead(ticket: String, metric: String)
    /// The agents' channel post for an SLA alarm (warning or breach) of one target.
    case slaAlarm(ticket: String, metric: String, alarm: String)
    /// The agents' channel post saying no approver can be reached.
    case approvalUnreachable(ticket: String)
    /// The agents' channel told of a suspected incident (once per incident).
    case incidentSuspected(incident: String)
    /// An employee linked to a major incident is told it is fixed: one per incident and conversation.
    case incidentResolved(incident: String, conversationID: Int64, index: Int)
    /// The employees whose tickets were linked when the incident was confirmed are told it is known.
    case incidentConfirmed(incident: String, ticket: String)
    /// The approval request (`reminder` 0) or its `reminder`-th reminder to the approver.
    case approvalRequest(ticket: String, reminder: Int)
    /// The requester's notice of the approval decision.
    case approvalOutcome(ticket: String)

    /// The prefix of every announcement key, to find the post a thread answers.
    public static let ticketAnnouncementPrefix = "desk:new:"

    public var description: String {
        switch self {
        case let .reply(platform, eventID, index): "\(platform.rawValue):\(eventID):\(index)"
        case let .agentThreadAcknowledgement(platform, eventID): "\(platform.rawValue):\(eventID):ack"
        case let .agentAction(ticket, action, index): "agent:\(ticket):\(action):\(index)"
        case let .ticketAnnouncement(ticket): Self.ticketAnnouncementPrefix + ticket
        case let .assignedToAgent(ticket, agent, at): "desk:assigned:\(ticket):\(agent):\(at)"
        case let .breachToLead(ticket, metric): "desk:breach:\(ticket):\(metric):lead"
        case let .slaAlarm(ticket, metric, alarm): "desk:sla:\(ticket):\(metric):\(alarm)"
        case let .approvalUnreachable(ticket): "desk:approval:\(ticket):unreachable"
        case let .incidentSuspected(incident): "incident:\(incident):suspected"
        case let .incidentResolved(incident, conversationID, index): "incident:\(incident):resolved:\(conversationID):\(index)"
        case let .incidentConfirmed(incident, ticket): "incident:\(incident):known:\(ticket)"
        case let .approvalRequest(ticket, reminder): "approval:\(ticket):\(reminder)"
        case let .approvalOutcome(ticket): "approval:\(ticket):outcome"
        }
    }
}
