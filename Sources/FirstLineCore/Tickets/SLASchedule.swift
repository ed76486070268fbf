import Foundation

/// The two moments of an SLA target the desk acts on (design §5).
public enum SLAAlarm: String, Sendable, Codable, CaseIterable {
    /// 80 % of the target used: tell the agents.
    case warning
    /// The target missed: escalate to the team lead.
    case breach
}

/// When one alarm of one target goes off.
public struct SLAAlarmTime: Sendable, Equatable {
    public var metric: SLAMetric
    public var alarm: SLAAlarm
    public var at: Date

    public init(metric: SLAMetric, alarm: SLAAlarm, at: Date) {
        self.metric = metric
        self.alarm = alarm
        self.at = at
    }
}

/// What the SLA clock needs to know about one ticket.
public struct TicketSLAFacts: Sendable, Equatable {
    public var priority: TicketPriority
    public var createdAt: Date
    /// Nil while nobody has answered: the first-response target still runs.
    public var firstRespondedAt: Date?
    /// Nil while the ticket is open: the resolution target still runs.
    public var resolvedAt: Date?
    /// Stretches spent waiting on the employee.
    public var pauses: [SLAPause]

    public init(priority: TicketPriority, createdAt: Date, firstRespondedAt: Date? = nil, resolvedAt: Date? = nil,
                pauses: [SLAPause] = []) {
        self.priority = priority
        self.createdAt = createdAt
        self.firstRespondedAt = firstRespondedAt
        self.resolvedAt = resolvedAt
        self.pauses = pauses
    }

    /// Whether the target is no longer running because it was met (or the ticket ended).
    public func isSettled(_ metric: SLAMetric) -> Bool {
        switch metric {
        case .firstResponse: firstRespondedAt != nil || resolvedAt != nil
        case .resolution: resolvedAt != nil
        }
    }
}

/// The waiting-on-employee pauses of a ticket, read from its status history.
public enum SLAPauses {
    /// `changes` are the ticket's status changes in order, each with whether the new status is
    /// "waiting on the employee". A pause opens when the ticket starts waiting and closes at the
    /// next change to anything else; one still open at the end has no end.
    public static func from(_ changes: [(at: Date, waiting: Bool)]) -> [SLAPause] {
        var pauses: [SLAPause] = []
        var openSince: Date?
        for change in changes {
            if change.waiting {
                if openSince == nil { openSince = change.at }
            } else if let start = openSince {
                pauses.append(SLAPause(start: start, end: change.at))
                openSince = nil
            }
        }
        if let start = openSince { pauses.append(SLAPause(start: start)) }
        return pauses
    }
}

extension SLAClock {
    /// The timer of one target of the ticket.
    public func timer(_ metric: SLAMetric, for facts: TicketSLAFacts) -> SLATimer {
        timer(metric, priority: facts.priority, createdAt: facts.createdAt, pauses: facts.pauses)
    }

    /// Every alarm still ahead for targets that are running, in time order. A paused target has
    /// no alarms until it resumes (its instants are unknown): reschedule when the ticket changes.
    public func alarms(for facts: TicketSLAFacts) -> [SLAAlarmTime] {
        var alarms: [SLAAlarmTime] = []
        for metric in SLAMetric.allCases where !facts.isSettled(metric) {
            let timer = timer(metric, for: facts)
            if let warning = timer.warning { alarms.append(SLAAlarmTime(metric: metric, alarm: .warning, at: warning)) }
            // Breach is *after* the due instant (`SLATimer.state`): the alarm fires one second later.
            if let due = timer.due { alarms.append(SLAAlarmTime(metric: metric, alarm: .breach, at: due.addingTimeInterval(1))) }
        }
        return alarms.sorted { $0.at < $1.at }
    }

    /// Whether `alarm` of `metric` is really due at `now`: the target still runs and its state has
    /// reached the alarm. A timer row read after the ticket changed (a pause, a new priority, a
    /// reply) is checked against the ticket as it is now, not as it was when the row was written.
    public func isDue(_ alarm: SLAAlarm, of metric: SLAMetric, for facts: TicketSLAFacts, at now: Date) -> Bool {
        guard !facts.isSettled(metric) else { return false }
        let state = timer(metric, for: facts).state(at: now)
        switch alarm {
        case .warning: return state >= .warning
        case .breach: return state == .breached
        }
    }
}
