import FirstLineCore
import FirstLineMessengers
import FirstLineStore
import Foundation
import Logging

/// Where the desk posts for agents (design §6 `FIRSTLINE_SLACK_AGENT_CHANNEL`): new tickets with a
/// Claim button, SLA warnings and breaches.

/// Why the desk refused an action.
public enum DeskError: Error, Equatable, Sendable {
    /// The click came from someone who is not the approval's approver.
    case notApprover(String)
}

/// Short texts the desk posts for agents (in English: the agents' working language of the
/// console; employees' texts are localised in `ApprovalWording`).
enum DeskText {
    /// The refusal for a messenger account that is no configured agent's.
    static func onlyListedAgents(may what: String) -> String {
        "Only agents listed in firstline.yml with this messenger account can \(what)."
    }

    static func headline(_ ticket: Ticket) -> String {
        "\(ticket.number) [\(ticket.priority.rawValue) · \(ticket.category.rawValue)] \(ticket.subject)"
    }

    /// Posted when no manager can be asked: the ticket waits for an agent's decision.
    static func awaitingApproval(_ ticket: Ticket, why: String) -> String {
        "Awaiting approval: \(headline(ticket)) — \(why). An agent decides in the console "
            + "(or POST /api/v1/tickets/\(ticket.number)/approval); it is routed once approved."
    }

    static func buttons(_ number: String) -> [ReplyButton] {
        [ReplyButton(action: .claim(ticket: number), label: "Claim"), ReplyButton(action: .open(ticket: number), label: "Open")]
    }

    /// The ticket as an agent sees it on "Open": what, who, where it stands, what is due.
    static func details(_ ticket: Ticket, requester: Employee?, approval: Approval.Status? = nil, lastMessage: String?) -> String {
        var lines = [headline(ticket)]
        // A "new" ticket held for a manager's decision is not one to start on: said before anything else.
        let status = approval == .pending ? "\(ticket.status.rawValue), awaiting approval" : ticket.status.rawValue
        lines.append("Status: \(status) · team: \(ticket.team ?? "—") · assignee: \(ticket.assignee ?? "unassigned")")
        if let approval, approval != .pending { lines.append("Approval: \(approval.rawValue)") }
        lines.append("Requester: \(requester?.displayName ?? "?")\(requester?.email.map { " <\($0)>" } ?? "") · via \(ticket.channel.rawValue)")
        let formatter = ISO8601DateFormatter()
        if let due = ticket.firstResponseDueAt, ticket.firstRespondedAt == nil { lines.append("First response due: \(formatter.string(from: due))") }
        if let due = ticket.resolutionDueAt, ticket.status.isOpen { lines.append("Resolution due: \(formatter.string(from: due))") }
        if let lastMessage { lines.append("Latest: \(lastMessage.prefix(500))") }
        return lines.joined(separator: "\n")
    }

    /// Where a direct message to a person's messenger address goes: the platform and the
    /// outbox's conversation key (a Slack user id opens the app's DM; a Telegram private chat has
    /// the user's id). Nil for an address no messenger can take.
    static func directChat(_ address: MessengerAddress) -> (Platform, String)? {
        let key: ConversationKey? = switch address.platform {
        case .slack: .slack(channel: address.id, threadTS: nil)
        case .telegram: Int64(address.id).map { .telegram(chatID: $0) }
        case .line: .line(to: address.id)
        case .lineworks: .lineWorksUser(userID: address.id)
        case .web, .terminal: nil
        }
        guard let key else { return nil }
        return (address.platform, key.storageKey)
    }
}

extension MessengerConfiguration {
    /// The agents' channel: Slack's `FIRSTLINE_SLACK_AGENT_CHANNEL` if set, else Telegram's
    /// `FIRSTLINE_TELEGRAM_AGENT_CHAT`; nil when neither is.
    public var agentChannel: AgentChannel? {
        if let channel = slack?.agentChannel {
            return AgentChannel(platform: .slack, conversationKey: ConversationKey.slack(channel: channel, threadTS: nil).storageKey)
        }
        if let chat = telegram?.agentChat {
            return AgentChannel(platform: .telegram, conversationKey: ConversationKey.telegram(chatID: chat).storageKey)
        }
        return nil
    }
}
