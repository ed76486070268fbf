import FirstLineCore
import FirstLineMessengers
import FirstLineStore
import Foundation
import Logging

/// Where the desk posts for agents (design §6 `FIRSTLINE_SLACK_AGENT_CHANNEL`): new tickets with a
/// Claim button, SLA warnings and breaches.
// SLA alarms on business time: timers rescheduled after every change, fired once each.
extension TicketDesk {
    // MARK: - SLA

    /// Replaces the ticket's pending SLA alarms with those its clock gives now: after a pause,
    /// a new priority or team, or a target met.
    func resyncSLA(number: String) async throws {
        let facts = try await store.clockFacts(number: number)
        let clock = slaClock(for: facts.ticket)
        let alarms = clock.alarms(for: facts.facts).filter {
            !facts.firedAlarms.contains("\($0.metric.rawValue):\($0.alarm.rawValue)")
        }
        // The due columns were set when the ticket was opened (or re-prioritised) on this same
        // policy; only a wait on the employee moves them, so only then are they rewritten.
        let paused = !facts.facts.pauses.isEmpty
        let firstResponse = !paused || facts.facts.isSettled(.firstResponse) ? nil : clock.timer(.firstResponse, for: facts.facts).due
        let resolution = !paused || facts.facts.isSettled(.resolution) ? nil : clock.timer(.resolution, for: facts.facts).due
        try await store.rescheduleSLA(ticketID: stored(facts.ticket.id, .ticket, facts.ticket.number), alarms: alarms,
                                      firstResponseDue: firstResponse, resolutionDue: resolution, at: self.clock.now())
    }

    func slaClock(for ticket: Ticket) -> SLAClock {
        policy.slaClock(ofTeam: ticket.team ?? policy.teamID(for: ticket.category.articleCategory))
    }

    func fireSLATimers() async throws {
        let now = clock.now()
        let kinds = DeskTimer.Kind.allCases.filter(\.isSLA)
        for timer in try await dueTimers(kinds: kinds, at: now) {
            guard let id = timer.id, let (metric, alarm) = timer.kind.slaAlarm else { continue }
            let facts = try await store.clockFacts(ticketID: timer.ticketID)
            let clock = slaClock(for: facts.ticket)
            if facts.firedAlarms.contains("\(metric.rawValue):\(alarm.rawValue)") || facts.facts.isSettled(metric) {
                try await store.cancelTimer(id: id, at: now)
                continue
            }
            guard clock.isDue(alarm, of: metric, for: facts.facts, at: now) else {
                // The clock moved (a pause, a new priority) since the row was written: schedule it anew.
                try await resyncSLA(number: facts.ticket.number)
                continue
            }
            try await raise(alarm, of: metric, timerID: id, ticket: facts.ticket, due: clock.timer(metric, for: facts.facts).due)
        }
    }

    func raise(_ alarm: SLAAlarm, of metric: SLAMetric, timerID: Int64, ticket: Ticket, due: Date?) async throws {
        let now = clock.now()
        let team = ticket.team.flatMap { id in policy.teams.first { $0.id == id } }
        let target = metric == .firstResponse ? "first response" : "resolution"
        let dueText = due.map { ISO8601DateFormatter().string(from: $0) } ?? "unknown"
        var note: String
        var messages: [NewOutboxMessage] = []
        switch alarm {
        case .warning:
            note = "SLA warning: 80% of the \(target) target used (due \(dueText))"
        case .breach:
            if let lead = team?.leadID {
                note = "SLA breached: \(target) was due \(dueText); escalated to team lead \(lead)"
                if let address = policy.agentAddresses[lead], let (platform, key) = DeskText.directChat(address) {
                    let text = "SLA breached on \(DeskText.headline(ticket)): \(target) was due \(dueText)."
                    messages.append(try composer.row(Reply(text: text), to: platform, conversationKey: key,
                                                     key: .breachToLead(ticket: ticket.number, metric: metric.rawValue)))
                }
            } else {
                note = "SLA breached: \(target) was due \(dueText); the team has no lead to escalate to"
            }
        }
        if let channel = agentChannel {
            let prefix = alarm == .warning ? "⚠️ SLA warning" : "🚨 SLA breached"
            let assignee = ticket.assignee.map { " · \($0)" } ?? " · unassigned"
            messages.append(try composer.row(Reply(text: "\(prefix) (\(target), due \(dueText)): \(DeskText.headline(ticket))\(assignee)"),
                                             to: channel.platform, conversationKey: channel.conversationKey,
                                             key: .slaAlarm(ticket: ticket.number, metric: metric.rawValue, alarm: alarm.rawValue)))
        }
        let update = TicketUpdate(ticketNumber: ticket.number, change: .slaAlarm(metric: metric.rawValue, alarm: alarm.rawValue),
                                  actor: .system, note: note)
        if try await store.fire(timerID: timerID, updates: [update], outbox: messages, at: now) {
            metrics.slaAlarm(metric: metric.rawValue, alarm: alarm.rawValue)
            logger.info("sla alarm", metadata: ["ticket": "\(ticket.number)", "metric": "\(metric.rawValue)", "alarm": "\(alarm.rawValue)"])
        }
    }

}
