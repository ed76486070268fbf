import Foundation

/// Computes `HelpdeskReport` for a period from the history (issue: console, point 4). Pure: the
/// store reads the rows, this decides what they mean. Times are business minutes on each
/// ticket's team calendar, so a ticket opened on Friday evening and answered on Monday morning
/// waited a few business minutes, not a weekend.
public struct ReportCalculator: Sendable {
    /// The time zone days are cut in (backlog), the viewer's.
    public var timeZone: TimeZone
    /// A ticket's calendar, by its team (nil: no team).
    public var calendar: @Sendable (String?) -> BusinessCalendar
    /// How long after an unanswered article a ticket or another article still counts against it.
    public var potentialWindow: TimeInterval = 24 * 3600
    private let words = DistinctiveWords()

    public init(timeZone: TimeZone, calendar: @escaping @Sendable (String?) -> BusinessCalendar) {
        self.timeZone = timeZone
        self.calendar = calendar
    }

    public func report(_ input: ReportInput, from: Date, to: Date) -> HelpdeskReport {
        let period = from..<to
        let facts = input.tickets.map(TicketFacts.init)
        let opened = facts.filter { period.contains($0.ticket.createdAt) }
        let resolved = facts.compactMap { fact -> (TicketFacts, Date)? in
            fact.resolutions.last(where: period.contains).map { (fact, $0) }
        }
        let reopenings = facts.flatMap(\.reopenings).filter(period.contains)
        let firstContact = resolved.filter { fact, at in
            fact.reopenings.allSatisfy { $0 >= to } && fact.agentMessages(before: at) <= 1
        }
        let firstResponses = facts.compactMap { fact -> (TicketFacts, Date)? in
            fact.firstAgentMessage.flatMap { period.contains($0) ? (fact, $0) : nil }
        }

        return HelpdeskReport(
            period: .init(from: from, to: to),
            deflection: deflection(input, period: period, reopened: reopenings.count),
            tickets: .init(opened: opened.count, resolved: resolved.count, reopened: reopenings.count,
                           firstContactResolved: firstContact.count,
                           firstContactRate: ratio(firstContact.count, resolved.count)),
            firstResponse: durations(firstResponses.map { minutes($0.0, to: $0.1) }),
            resolution: durations(resolved.map { minutes($0.0, to: $0.1) }),
            sla: sla(firstResponses: firstResponses, resolved: resolved),
            backlog: backlog(facts, from: from, to: to),
            byCategory: counts(opened.map(\.ticket.category)),
            byTeam: counts(opened.map { $0.ticket.team ?? "none" }),
            byChannel: counts(opened.map(\.ticket.channel.rawValue)),
            byIntake: counts(opened.map { Self.intake($0.ticket.channel) }),
            agents: agents(facts, resolved: resolved, period: period),
            csat: csat(facts, period: period).distribution,
            averageRating: csat(facts, period: period).average,
            recurringArticles: recurringArticles(input.suggestions.filter { period.contains($0.shownAt) }),
            recurringTerms: recurringTerms(opened.map(\.ticket)),
            incidents: incidents(input.incidents, from: from, to: to))
    }

    /// messenger, web, phone, visit, other: how a request reached the desk.
    public static func intake(_ channel: TicketChannel) -> String {
        switch channel {
        case .slack, .telegram, .line, .lineworks: "messenger"
        case .web, .terminal: "web"
        case .phone: "phone"
        case .visit: "visit"
        case .email: "other"
        }
    }

    // MARK: - Parts

    private func deflection(_ input: ReportInput, period: Range<Date>, reopened: Int) -> HelpdeskReport.Deflection {
        let shown = input.suggestions.filter { period.contains($0.shownAt) }
        let ticketsByEmployee = Dictionary(grouping: input.tickets.map { ($0.requester, $0.createdAt) }, by: \.0)
        let shownByEmployee = Dictionary(grouping: input.suggestions, by: \.employee)
        let potential = shown.filter { suggestion in
            guard suggestion.solved == nil else { return false }
            let window = suggestion.shownAt.addingTimeInterval(0.001)...suggestion.shownAt.addingTimeInterval(potentialWindow)
            let escalated = ticketsByEmployee[suggestion.employee, default: []].contains { window.contains($0.1) }
            let repeated = shownByEmployee[suggestion.employee, default: []].contains { window.contains($0.shownAt) }
            return !escalated && !repeated
        }
        let confirmed = shown.filter { $0.solved == true }.count
        return .init(suggestions: shown.count, confirmed: confirmed, potential: potential.count,
                     stillBroken: shown.filter { $0.solved == false }.count, reopened: reopened,
                     rate: ratio(confirmed + potential.count, shown.count))
    }

    private func sla(firstResponses: [(TicketFacts, Date)], resolved: [(TicketFacts, Date)]) -> [HelpdeskReport.SLACompliance] {
        TicketPriority.allCases.compactMap { priority in
            let responses = firstResponses.filter { $0.0.priority(at: $0.1) == priority }
            let resolutions = resolved.filter { $0.0.priority(at: $0.1) == priority }
            guard !responses.isEmpty || !resolutions.isEmpty else { return nil }
            return .init(priority: priority,
                         firstResponseMet: responses.filter { !$0.0.breached(.firstResponse, before: $0.1) }.count,
                         firstResponseTotal: responses.count,
                         resolutionMet: resolutions.filter { !$0.0.breached(.resolution, before: $0.1) }.count,
                         resolutionTotal: resolutions.count)
        }
    }

    private func backlog(_ facts: [TicketFacts], from: Date, to: Date) -> [HelpdeskReport.BacklogPoint] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var points: [HelpdeskReport.BacklogPoint] = []
        var day = calendar.startOfDay(for: from)
        // A year of days at most: a longer range is a mistake, not a chart.
        while day < to, points.count < 366 {
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            let end = min(next, to)
            let open = facts.filter { $0.ticket.createdAt < end && $0.isOpen(at: end) }.count
            points.append(.init(day: ReportPeriod.day(day, in: timeZone), open: open))
            day = next
        }
        return points
    }

    private func agents(_ facts: [TicketFacts], resolved: [(TicketFacts, Date)], period: Range<Date>) -> [HelpdeskReport.AgentLoad] {
        var assigned: [String: Set<String>] = [:]
        for fact in facts {
            for event in fact.ticket.events where event.kind == "assignee" && period.contains(event.at) {
                if let agent = event.after { assigned[agent, default: []].insert(fact.ticket.number) }
            }
        }
        var durations: [String: [Double]] = [:]
        for (fact, at) in resolved {
            if let agent = fact.assignee(at: at) { durations[agent, default: []].append(minutes(fact, to: at)) }
        }
        var ratings: [String: [Int]] = [:]
        for fact in facts {
            for (at, stars) in fact.ratings where period.contains(at) {
                if let agent = fact.assignee(at: at) { ratings[agent, default: []].append(stars) }
            }
        }
        let names = Set(assigned.keys).union(durations.keys).union(ratings.keys).sorted()
        return names.map { agent in
            let stars = ratings[agent] ?? []
            return .init(agent: agent, assigned: assigned[agent]?.count ?? 0, resolved: durations[agent]?.count ?? 0,
                         medianResolutionMinutes: Self.median(durations[agent] ?? []), ratings: stars.count,
                         averageRating: stars.isEmpty ? nil : Self.rounded(Double(stars.reduce(0, +)) / Double(stars.count)))
        }
    }

    private func csat(_ facts: [TicketFacts], period: Range<Date>) -> (distribution: [HelpdeskReport.Count], average: Double?) {
        // A ticket rated twice in the period counts with its last rating.
        let last = facts.compactMap { fact in fact.ratings.last { period.contains($0.at) }?.stars }
        let distribution = (1...5).map { stars in HelpdeskReport.Count(key: String(stars), count: last.filter { $0 == stars }.count) }
        let average = last.isEmpty ? nil : Self.rounded(Double(last.reduce(0, +)) / Double(last.count))
        return (distribution, average)
    }

    private func recurringArticles(_ shown: [ReportSuggestion]) -> [HelpdeskReport.RecurringArticle] {
        Dictionary(grouping: shown, by: \.articleID)
            .map { id, rows in
                .init(articleID: id, shown: rows.count, solved: rows.filter { $0.solved == true }.count,
                      stillBroken: rows.filter { $0.solved == false }.count)
            }
            .sorted { ($0.shown, $1.articleID) > ($1.shown, $0.articleID) }
            .prefix(10).map { $0 }
    }

    /// Words shared by the subjects of at least two tickets, across languages ("SAP", "VPN").
    private func recurringTerms(_ tickets: [ReportTicket]) -> [HelpdeskReport.RecurringTerm] {
        var byWord: [String: [String]] = [:]
        for ticket in tickets {
            for word in words.words(of: ticket.subject) { byWord[word, default: []].append(ticket.subject) }
        }
        return byWord.filter { $0.value.count >= 2 }
            .map { word, subjects in .init(term: word, tickets: subjects.count, examples: Array(subjects.prefix(3))) }
            .sorted { ($0.tickets, $1.term) > ($1.tickets, $0.term) }
            .prefix(10).map { $0 }
    }

    private func incidents(_ incidents: [ReportIncident], from: Date, to: Date) -> [HelpdeskReport.IncidentRow] {
        incidents
            .filter { $0.firstReportAt < to && ($0.resolvedAt ?? .distantFuture) >= from && $0.status != "dismissed" }
            .sorted { $0.firstReportAt < $1.firstReportAt }
            .map { incident in
                .init(number: incident.number, topic: incident.topic, status: incident.status, start: incident.firstReportAt,
                      detectionMinutes: Self.rounded(max(0, incident.raisedAt.timeIntervalSince(incident.firstReportAt)) / 60),
                      affected: incident.affected,
                      durationMinutes: incident.resolvedAt.map { Self.rounded($0.timeIntervalSince(incident.firstReportAt) / 60) },
                      tickets: incident.tickets)
            }
    }

    // MARK: - Arithmetic

    private func minutes(_ fact: TicketFacts, to end: Date) -> Double {
        Self.rounded(calendar(fact.ticket.team).businessTime(from: fact.ticket.createdAt, to: end) / 60)
    }

    private func durations(_ values: [Double]) -> HelpdeskReport.Durations {
        .init(count: values.count, medianMinutes: Self.median(values), p90Minutes: Self.percentile(values, 0.9))
    }

    private func counts(_ keys: [String]) -> [HelpdeskReport.Count] {
        Dictionary(grouping: keys, by: { $0 }).map { HelpdeskReport.Count(key: $0.key, count: $0.value.count) }
            .sorted { ($0.count, $1.key) > ($1.count, $0.key) }
    }

    private func ratio(_ part: Int, _ whole: Int) -> Double? {
        whole == 0 ? nil : Self.rounded(Double(part) / Double(whole), places: 3)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : rounded((sorted[middle - 1] + sorted[middle]) / 2)
    }

    /// Nearest rank: the smallest value with at least `fraction` of the values at or below it.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }

    static func rounded(_ value: Double, places: Int = 1) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}

/// What a ticket's history says, read once per report.
struct TicketFacts: Sendable {
    let ticket: ReportTicket
    /// When it became resolved, each time.
    let resolutions: [Date]
    /// When it was opened again after a resolution.
    let reopenings: [Date]
    let firstAgentMessage: Date?
    let ratings: [(at: Date, stars: Int)]

    init(_ ticket: ReportTicket) {
        self.ticket = ticket
        let statuses = ticket.events.filter { $0.kind == "status" }
        resolutions = statuses.filter { $0.after == TicketStatus.resolved.rawValue }.map(\.at)
        let done = [TicketStatus.resolved.rawValue, TicketStatus.closed.rawValue]
        reopenings = statuses.filter { done.contains($0.before ?? "") && !done.contains($0.after ?? "") }.map(\.at)
        firstAgentMessage = ticket.events.first(where: \.isAgentMessage)?.at
        ratings = ticket.events.compactMap { event in
            guard event.kind == "rating", let stars = event.after.flatMap(Int.init) else { return nil }
            return (event.at, stars)
        }
    }

    func agentMessages(before end: Date) -> Int {
        ticket.events.filter { $0.isAgentMessage && $0.at <= end }.count
    }

    /// The status at `date`, from the last status event up to then (a new ticket is `new`).
    func isOpen(at date: Date) -> Bool {
        let status = ticket.events.last { $0.kind == "status" && $0.at < date }?.after.flatMap(TicketStatus.init)
            ?? .new
        return status.isOpen
    }

    /// Who held the ticket at `date`: its assignee then, else the agent who last resolved it by then
    /// (a ticket nobody was assigned is carried by whoever resolved it).
    func assignee(at date: Date) -> String? {
        if let assigned = ticket.events.last(where: { $0.kind == "assignee" && $0.at <= date }), let agent = assigned.after {
            return agent
        }
        return ticket.events.last { $0.kind == "status" && $0.after == TicketStatus.resolved.rawValue && $0.at <= date }?.agent
    }

    /// The priority at `date`: raised or lowered priorities count from their change on.
    func priority(at date: Date) -> TicketPriority {
        let changes = ticket.events.filter { $0.kind == "priority" }
        if let last = changes.last(where: { $0.at <= date }), let priority = last.after.flatMap(TicketPriority.init) {
            return priority
        }
        return changes.first?.before.flatMap(TicketPriority.init) ?? ticket.priority
    }

    func breached(_ metric: SLAMetric, before end: Date) -> Bool {
        ticket.events.contains { $0.kind == "sla" && $0.field == metric.rawValue && $0.after == SLAAlarm.breach.rawValue && $0.at <= end }
    }
}
