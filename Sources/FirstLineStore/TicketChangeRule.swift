import FirstLineCore
import Foundation

/// What one `TicketUpdate` does to a ticket and which history event it writes, without I/O, so
/// that the SQLite and PostgreSQL stores apply exactly the same rules. A change to the current
/// value does nothing: a history row claiming "P2 → P2" would only add noise to reports.
enum TicketChangeRule {
    /// Applies `update` to `ticket` and returns its event, or nil when nothing changes.
    /// `approvalBefore` is the approval's stored status, read by the store only for `.approval`.
    static func apply(_ update: TicketUpdate, to ticket: inout Ticket, ticketID: Int64, approvalBefore: String?,
                      at now: Date) throws -> TicketEvent? {
        var event = TicketEvent(ticketID: ticketID, actor: update.actor, kind: .note, createdAt: now)
        switch update.change {
        case let .status(status, note):
            guard status != ticket.status else { return nil }
            guard ticket.status.canTransition(to: status) else {
                throw StoreError.invalidTransition(.ticket, id: ticket.number, from: ticket.status.rawValue, to: status.rawValue)
            }
            event.record(.status, "status", from: ticket.status.rawValue, to: status.rawValue)
            event.note = note
            ticket.status = status
            switch status {
            case .resolved:
                ticket.resolvedAt = now
            case .closed:
                // Closing without resolving (auto-close, cancelled) still ends the resolution clock.
                ticket.resolvedAt = ticket.resolvedAt ?? now
            case .new, .open, .waiting:
                // Reopened: the earlier resolution no longer counts.
                ticket.resolvedAt = nil
            }

        case let .priority(priority, firstResponseDueAt, resolutionDueAt):
            guard priority != ticket.priority else { return nil }
            event.record(.priority, "priority", from: ticket.priority.rawValue, to: priority.rawValue)
            ticket.priority = priority
            if let firstResponseDueAt { ticket.firstResponseDueAt = firstResponseDueAt }
            if let resolutionDueAt { ticket.resolutionDueAt = resolutionDueAt }

        case let .category(category):
            guard category != ticket.category else { return nil }
            event.record(.category, "category", from: ticket.category.rawValue, to: category.rawValue)
            ticket.category = category

        case let .team(team):
            guard team != ticket.team else { return nil }
            event.record(.team, "team", from: ticket.team, to: team)
            ticket.team = team

        case let .assignee(assignee):
            guard assignee != ticket.assignee else { return nil }
            event.record(.assignee, "assignee", from: ticket.assignee, to: assignee)
            ticket.assignee = assignee

        case let .message(text):
            event.kind = .message
            event.note = text
            if update.actor.isAgent, ticket.firstRespondedAt == nil {
                ticket.firstRespondedAt = now
            }

        case let .note(text):
            event.kind = .note
            event.note = text

        case let .slaAlarm(metric, alarm):
            event.record(.sla, metric, from: nil, to: alarm)

        case let .approval(state):
            event.record(.approval, "approval", from: approvalBefore, to: state)

        case let .rating(rating):
            guard (1...5).contains(rating) else {
                throw StoreError.invalidValue("rating \(rating) of \(ticket.number) is outside 1...5")
            }
            guard rating != ticket.rating else { return nil }
            event.record(.rating, "rating", from: ticket.rating.map(String.init), to: String(rating))
            ticket.rating = rating
        }
        if let note = update.note, event.note == nil { event.note = note }
        ticket.updatedAt = now
        return event
    }
}

private extension TicketEvent {
    mutating func record(_ kind: Kind, _ field: String, from before: String?, to after: String?) {
        self.kind = kind
        self.field = field
        self.before = before
        self.after = after
    }
}
