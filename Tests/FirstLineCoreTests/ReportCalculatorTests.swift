import FirstLineCore
import Foundation
import Testing

/// The managers' figures on a seeded history, each expected value worked out by hand in the
/// comments (issue: console, points 4 and 6): a reopened ticket, a ticket that waited on the
/// employee, a phone ticket, one that crossed a weekend, one opened before the period.
@Suite("reports: figures from the history")
struct ReportCalculatorTests {
    static func at(_ text: String) -> Date { CalendarFixtures.at(text + "+09:00") }

    static func event(_ kind: String, _ field: String? = nil, _ before: String? = nil, _ after: String?, by actor: String,
                      _ time: String) -> ReportEvent {
        ReportEvent(kind: kind, field: field, before: before, after: after, actor: actor, at: at(time))
    }

    static func message(by agent: String, _ time: String) -> ReportEvent {
        ReportEvent(kind: "message", actor: "agent:\(agent)", at: at(time))
    }

    static func ticket(_ number: String, requester: Int64, _ subject: String, _ channel: TicketChannel, _ category: String,
                       _ priority: TicketPriority, created: String, _ events: [ReportEvent]) -> ReportTicket {
        ReportTicket(number: number, requester: requester, subject: subject, channel: channel, category: category, team: "desk",
                     priority: priority, createdAt: at(created),
                     events: [event("created", "status", nil, "new", by: "employee:\(requester)", created)] + events)
    }

    /// Monday 11 May to Monday 25 May 2026 in Seoul; office hours 09–12 and 13–18 on weekdays.
    static let from = at("2026-05-11T00:00:00")
    static let to = at("2026-05-25T00:00:00")

    static let tickets: [ReportTicket] = [
        // T1: answered in 30 min, resolved in 60, rated 5. One agent reply: first contact.
        ticket("HD-1", requester: 1, "VPN is down", .slack, "network", .p2, created: "2026-05-11T10:00:00", [
            event("assignee", "assignee", nil, "ana", by: "system", "2026-05-11T10:05:00"),
            message(by: "ana", "2026-05-11T10:30:00"),
            event("status", "status", "new", "resolved", by: "agent:ana", "2026-05-11T11:00:00"),
            event("rating", "rating", nil, "5", by: "employee:1", "2026-05-11T11:10:00"),
        ]),
        // T2: Friday 17:00, answered Monday 09:30 = 60 + 30 = 90 business minutes; resolved Monday
        // 10:00 = 120; two agent replies, so not first contact; rated 3.
        ticket("HD-2", requester: 2, "SAP login fails", .web, "account", .p3, created: "2026-05-15T17:00:00", [
            event("assignee", "assignee", nil, "bo", by: "system", "2026-05-15T17:01:00"),
            message(by: "bo", "2026-05-18T09:30:00"),
            message(by: "bo", "2026-05-18T09:50:00"),
            event("status", "status", "new", "resolved", by: "agent:bo", "2026-05-18T10:00:00"),
            event("rating", "rating", nil, "3", by: "employee:2", "2026-05-18T10:30:00"),
        ]),
        // T3: a phone call logged by ana, resolved Tuesday 14:30, reopened Wednesday 09:00, answered
        // 09:10 (240 + 10 = 250) and resolved again 09:20 (240 + 20 = 260).
        ticket("HD-3", requester: 3, "printer broken", .phone, "hardware", .p3, created: "2026-05-12T14:00:00", [
            event("assignee", "assignee", nil, "ana", by: "agent:ana", "2026-05-12T14:00:00"),
            event("status", "status", "new", "resolved", by: "agent:ana", "2026-05-12T14:30:00"),
            event("status", "status", "resolved", "open", by: "employee:3", "2026-05-13T09:00:00"),
            message(by: "ana", "2026-05-13T09:10:00"),
            event("status", "status", "open", "resolved", by: "agent:ana", "2026-05-13T09:20:00"),
        ]),
        // T4: P1, first response breached at 10:31 and given at 10:40; it then waits on the employee
        // (the resolution clock pauses) and is resolved 11:30 = 90 minutes, within its target.
        ticket("HD-4", requester: 4, "SAP crashes", .telegram, "software", .p1, created: "2026-05-13T10:00:00", [
            event("sla", "firstResponse", nil, "breach", by: "system", "2026-05-13T10:31:00"),
            event("assignee", "assignee", nil, "ana", by: "system", "2026-05-13T10:35:00"),
            message(by: "ana", "2026-05-13T10:40:00"),
            event("status", "status", "new", "waiting", by: "agent:ana", "2026-05-13T10:40:00"),
            event("status", "status", "waiting", "open", by: "employee:4", "2026-05-13T11:00:00"),
            event("status", "status", "open", "resolved", by: "agent:ana", "2026-05-13T11:30:00"),
        ]),
        // T5: a walk-in, still open.
        ticket("HD-5", requester: 5, "chair broken", .visit, "other", .p4, created: "2026-05-14T15:00:00", []),
        // T6: opened before the period (its first response too), resolved in it: Friday 10:00 →
        // Monday 09:30 = 120 + 300 + 30 = 450.
        ticket("HD-6", requester: 6, "VPN slow", .slack, "network", .p3, created: "2026-05-08T10:00:00", [
            event("assignee", "assignee", nil, "bo", by: "system", "2026-05-08T10:05:00"),
            message(by: "bo", "2026-05-08T10:10:00"),
            event("status", "status", "new", "resolved", by: "agent:bo", "2026-05-11T09:30:00"),
        ]),
    ]

    static let suggestions: [ReportSuggestion] = [
        ReportSuggestion(employee: 10, articleID: "vpn-connect", shownAt: at("2026-05-11T09:00:00"), solved: true),
        // No answer and nothing after it within 24 h: potential.
        ReportSuggestion(employee: 11, articleID: "vpn-connect", shownAt: at("2026-05-11T09:05:00"), solved: nil),
        // No answer, but employee 1 opened HD-1 ten minutes later: not deflected.
        ReportSuggestion(employee: 1, articleID: "vpn-connect", shownAt: at("2026-05-11T09:50:00"), solved: nil),
        // Shown another article an hour later (a repeat): not deflected; the second one is.
        ReportSuggestion(employee: 12, articleID: "printer-paper-jam", shownAt: at("2026-05-12T10:00:00"), solved: nil),
        ReportSuggestion(employee: 12, articleID: "printer-not-printing", shownAt: at("2026-05-12T11:00:00"), solved: nil),
        ReportSuggestion(employee: 13, articleID: "vpn-connect", shownAt: at("2026-05-13T09:00:00"), solved: false),
    ]

    static let incidents = [
        ReportIncident(number: "INC-1", topic: "article:vpn-connect", status: "resolved", firstReportAt: at("2026-05-11T09:00:00"),
                       raisedAt: at("2026-05-11T09:12:00"), resolvedAt: at("2026-05-11T11:00:00"), affected: 14),
        ReportIncident(number: "INC-2", topic: "term:sap", status: "dismissed", firstReportAt: at("2026-05-13T09:00:00"),
                       raisedAt: at("2026-05-13T09:05:00"), resolvedAt: nil, affected: 0),
    ]

    static let calculator = ReportCalculator(timeZone: CalendarFixtures.seoul) { _ in CalendarFixtures.seoulOffice }
    static let report = calculator.report(ReportInput(tickets: tickets, suggestions: suggestions, incidents: incidents),
                                          from: from, to: to)

    @Test("tickets: opened, resolved, reopened, first contact")
    func ticketCounts() {
        let tickets = Self.report.tickets
        #expect(tickets.opened == 5)
        #expect(tickets.resolved == 5)
        #expect(tickets.reopened == 1)
        // HD-1, HD-4 and HD-6: one agent reply each, never reopened.
        #expect(tickets.firstContactResolved == 3)
        #expect(tickets.firstContactRate == 0.6)
    }

    @Test("first response and resolution in business minutes: median and p90")
    func durations() {
        // First responses in the period: 30, 40, 90, 250.
        #expect(Self.report.firstResponse == .init(count: 4, medianMinutes: 65, p90Minutes: 250))
        // Resolutions: 60, 90, 120, 260, 450.
        #expect(Self.report.resolution == .init(count: 5, medianMinutes: 120, p90Minutes: 450))
    }

    @Test("SLA compliance per priority from the breach alarms")
    func sla() {
        #expect(Self.report.sla == [
            .init(priority: .p1, firstResponseMet: 0, firstResponseTotal: 1, resolutionMet: 1, resolutionTotal: 1),
            .init(priority: .p2, firstResponseMet: 1, firstResponseTotal: 1, resolutionMet: 1, resolutionTotal: 1),
            .init(priority: .p3, firstResponseMet: 2, firstResponseTotal: 2, resolutionMet: 3, resolutionTotal: 3),
        ])
    }

    @Test("deflection: confirmed, potential, still broken, reopened")
    func deflection() {
        #expect(Self.report.deflection == .init(suggestions: 6, confirmed: 1, potential: 2, stillBroken: 1, reopened: 1, rate: 0.5))
    }

    @Test("backlog at the end of each day, breakdowns, agents and ratings")
    func breakdowns() {
        let backlog = Self.report.backlog
        #expect(backlog.count == 14)
        #expect(backlog.prefix(7).map(\.open) == [0, 0, 0, 1, 2, 2, 2])
        #expect(backlog.dropFirst(7).allSatisfy { $0.open == 1 })
        #expect(backlog.first?.day == "2026-05-11")
        #expect(Self.report.byIntake == [.init(key: "messenger", count: 2), .init(key: "phone", count: 1),
                                         .init(key: "visit", count: 1), .init(key: "web", count: 1)])
        #expect(Self.report.byChannel.first(where: { $0.key == "slack" })?.count == 1)
        #expect(Self.report.byTeam == [.init(key: "desk", count: 5)])
        #expect(Self.report.agents == [
            .init(agent: "ana", assigned: 3, resolved: 3, medianResolutionMinutes: 90, ratings: 1, averageRating: 5),
            .init(agent: "bo", assigned: 1, resolved: 2, medianResolutionMinutes: 285, ratings: 1, averageRating: 3),
        ])
        #expect(Self.report.csat.map(\.count) == [0, 0, 1, 0, 1])
        #expect(Self.report.averageRating == 4)
    }

    @Test("recurring problems by article and by shared word; incidents with detection delay and duration")
    func recurringAndIncidents() {
        #expect(Self.report.recurringArticles.first == .init(articleID: "vpn-connect", shown: 4, solved: 1, stillBroken: 1))
        #expect(Self.report.recurringTerms == [.init(term: "sap", tickets: 2, examples: ["SAP login fails", "SAP crashes"])])
        #expect(Self.report.incidents == [
            .init(number: "INC-1", topic: "article:vpn-connect", status: "resolved", start: Self.at("2026-05-11T09:00:00"),
                  detectionMinutes: 12, affected: 14, durationMinutes: 120),
        ])
    }

    @Test("an empty period has zeros and no rates, not a division by zero")
    func empty() {
        let report = Self.calculator.report(ReportInput(tickets: [], suggestions: []), from: Self.from, to: Self.at("2026-05-12T00:00:00"))
        #expect(report.tickets.opened == 0 && report.tickets.firstContactRate == nil)
        #expect(report.deflection.rate == nil)
        #expect(report.firstResponse == .init(count: 0, medianMinutes: nil, p90Minutes: nil))
        #expect(report.backlog == [.init(day: "2026-05-11", open: 0)])
        #expect(report.sla.isEmpty)
    }
}
