import FirstLineCore
import Foundation
import Testing

/// SLA alarms on business time (design §5): when the warning (80 %) and the breach go off, how a
/// wait on the employee moves them, and how a timer row is re-checked when it comes due.
@Suite("SLA schedule: alarms, pauses, re-checks")
struct SLAScheduleTests {
    typealias F = CalendarFixtures

    /// P3: first response 480, resolution 4320 business minutes (the default policy).
    let clock = SLAClock(policy: .default, calendar: F.seoulOffice)
    /// Monday 4 May 2026, 10:00 Seoul: two hours into the working day.
    let opened = F.at("2026-05-04T10:00:00+09:00")

    @Test("a P3 opened Monday 10:00 warns after 384 business minutes and breaches after 480, across the lunch break")
    func alarmsOnBusinessTime() {
        let alarms = clock.alarms(for: TicketSLAFacts(priority: .p3, createdAt: opened))
        let firstResponse = alarms.filter { $0.metric == .firstResponse }
        // 10:00–12:00 (120) + 13:00–18:00 (300) = 420 on Monday; 384 is reached at 17:24 Monday.
        #expect(F.iso(firstResponse.first { $0.alarm == .warning }?.at, in: F.seoul) == "2026-05-04T17:24:00+09:00")
        // 480 needs 60 more on Wednesday (Tuesday 5 May is a holiday): due 10:00, breached one second later.
        #expect(F.iso(firstResponse.first { $0.alarm == .breach }?.at, in: F.seoul) == "2026-05-06T10:00:01+09:00")
        #expect(alarms.count == 4)
        #expect(alarms.map(\.at) == alarms.map(\.at).sorted())
    }

    @Test("a met target has no alarms left; a resolved ticket none at all")
    func settledTargets() {
        var facts = TicketSLAFacts(priority: .p2, createdAt: opened, firstRespondedAt: opened.addingTimeInterval(600))
        #expect(clock.alarms(for: facts).allSatisfy { $0.metric == .resolution })
        facts.resolvedAt = opened.addingTimeInterval(3600)
        #expect(clock.alarms(for: facts).isEmpty)
        #expect(!clock.isDue(.breach, of: .resolution, for: facts, at: opened.addingTimeInterval(30 * 86_400)))
    }

    @Test("waiting on the employee stops the clock: alarms move back by the business time spent waiting")
    func pauseMovesAlarms() {
        // Waiting from Monday 11:00 to Monday 14:00: 60 + 60 = 120 business minutes (lunch costs nothing).
        let pauses = SLAPauses.from([
            (at: opened, waiting: false),
            (at: F.at("2026-05-04T11:00:00+09:00"), waiting: true),
            (at: F.at("2026-05-04T14:00:00+09:00"), waiting: false),
        ])
        #expect(pauses == [SLAPause(start: F.at("2026-05-04T11:00:00+09:00"), end: F.at("2026-05-04T14:00:00+09:00"))])
        let facts = TicketSLAFacts(priority: .p3, createdAt: opened, pauses: pauses)
        let breach = clock.alarms(for: facts).first { $0.metric == .firstResponse && $0.alarm == .breach }
        #expect(F.iso(breach?.at, in: F.seoul) == "2026-05-06T12:00:01+09:00")
    }

    @Test("while the ticket is still waiting there is no alarm to schedule, and none is due")
    func openPause() {
        let pauses = SLAPauses.from([(at: F.at("2026-05-04T11:00:00+09:00"), waiting: true)])
        #expect(pauses == [SLAPause(start: F.at("2026-05-04T11:00:00+09:00"))])
        let facts = TicketSLAFacts(priority: .p3, createdAt: opened, pauses: pauses)
        #expect(clock.alarms(for: facts).isEmpty)
        #expect(!clock.isDue(.warning, of: .firstResponse, for: facts, at: F.at("2026-05-20T10:00:00+09:00")))
    }

    @Test("a timer row written before a pause is not due when it comes up: the re-check follows the ticket as it is")
    func staleRowIsRechecked() {
        let warningAt = F.at("2026-05-04T17:24:00+09:00")
        let fresh = TicketSLAFacts(priority: .p3, createdAt: opened)
        #expect(clock.isDue(.warning, of: .firstResponse, for: fresh, at: warningAt))
        #expect(!clock.isDue(.breach, of: .firstResponse, for: fresh, at: warningAt))
        let paused = TicketSLAFacts(priority: .p3, createdAt: opened, pauses: [
            SLAPause(start: F.at("2026-05-04T15:00:00+09:00"), end: F.at("2026-05-04T17:00:00+09:00")),
        ])
        #expect(!clock.isDue(.warning, of: .firstResponse, for: paused, at: warningAt))
    }

    @Test("repeated waiting changes count once; a change while already waiting does not restart the pause")
    func pausesFromHistory() {
        let pauses = SLAPauses.from([
            (at: F.at("2026-05-04T11:00:00+09:00"), waiting: true),
            (at: F.at("2026-05-04T11:30:00+09:00"), waiting: true),
            (at: F.at("2026-05-04T12:30:00+09:00"), waiting: false),
            (at: F.at("2026-05-04T13:00:00+09:00"), waiting: false),
            (at: F.at("2026-05-04T15:00:00+09:00"), waiting: true),
            (at: F.at("2026-05-04T16:00:00+09:00"), waiting: false),
        ])
        #expect(pauses.count == 2)
        #expect(pauses[0].start == F.at("2026-05-04T11:00:00+09:00"))
        #expect(pauses[0].end == F.at("2026-05-04T12:30:00+09:00"))
    }
}

@Suite("desk policy: teams, calendars and due times")
struct DeskPolicyTests {
    typealias F = CalendarFixtures

    static let policy = DeskPolicy(
        calendars: ["seoul": F.seoulOffice, "always": .twentyFourSeven(timeZone: F.seoul)],
        teams: [
            Team(id: "network", categories: [.network], memberIDs: ["bo"], strategy: .leastOpen, leadID: "bo"),
            Team(id: "desk", categories: [.account, .email], memberIDs: ["ana"], strategy: .roundRobin),
        ],
        teamCalendars: ["network": "always", "desk": "seoul"],
        agents: [Agent(id: "ana", capacity: 2, calendar: F.seoulOffice), Agent(id: "bo", capacity: 2, calendar: F.seoulOffice)],
        defaultTeamID: "desk")

    @Test("a category goes to its owner, anything else to the default team, each with its own calendar")
    func teamsAndCalendars() throws {
        #expect(Self.policy.teamID(for: .network) == "network")
        #expect(Self.policy.teamID(for: .hardware) == "desk")
        #expect(Self.policy.teamID(for: nil) == "desk")
        let calendars = Self.policy.categoryCalendars
        #expect(calendars.calendar(for: .network)?.alwaysOpen == true)
        #expect(calendars.calendar(for: .hardware) == F.seoulOffice)
        _ = try Self.policy.router()
    }

    @Test("due times: business time on a calendar, wall clock without one")
    func dueTimes() {
        let friday = F.at("2026-05-08T17:00:00+09:00")
        // P1 first response is 30 minutes: Friday 17:00 + 30 business minutes = 17:30 the same day.
        #expect(F.iso(SLAPolicy.default.due(.firstResponse, priority: .p1, from: friday, calendar: F.seoulOffice), in: F.seoul)
            == "2026-05-08T17:30:00+09:00")
        // P2 (120 minutes) runs out of Friday and continues Monday 09:00: 60 + 60 → Monday 10:00.
        #expect(F.iso(SLAPolicy.default.due(.firstResponse, priority: .p2, from: friday, calendar: F.seoulOffice), in: F.seoul)
            == "2026-05-11T10:00:00+09:00")
        #expect(SLAPolicy.default.due(.firstResponse, priority: .p2, from: friday, calendar: nil)
            == friday.addingTimeInterval(7200))
    }

    @Test("the built-in policy: one team for everything, around the clock")
    func standard() throws {
        let policy = DeskPolicy.standard
        #expect(policy.teams.map(\.id) == [DeskPolicy.defaultTeamID])
        #expect(ArticleCategory.allCases.allSatisfy { policy.teamID(for: $0) == DeskPolicy.defaultTeamID })
        #expect(policy.calendar(ofTeam: DeskPolicy.defaultTeamID).alwaysOpen)
        _ = try policy.router()
    }

    @Test("desk buttons carry a ticket number and nothing else", arguments: [
        ("approve:HD-000012", DeskAction.approve(ticket: "HD-000012")),
        ("reject:HD-000001", DeskAction.reject(ticket: "HD-000001")),
        ("claim:HD-123456", DeskAction.claim(ticket: "HD-123456")),
    ])
    func deskActions(raw: String, action: DeskAction) {
        #expect(DeskAction(rawValue: raw) == action)
        #expect(action.rawValue == raw)
    }

    @Test("anything else is not a desk button", arguments: ["approve", "approve:", "approve:HD-", "approve:HD-12x",
                                                            "claim:../etc", "solved:vpn", "approve:hd-000001"])
    func notDeskActions(raw: String) {
        #expect(DeskAction(rawValue: raw) == nil)
    }

    @Test("approval texts in Korean, Japanese and English name the ticket", arguments: Language.allCases)
    func approvalWording(language: Language) {
        let text = ApprovalWording.request(ticket: "HD-000007", requester: "김민수", subject: "Photoshop", reminder: true,
                                           language: language)
        #expect(text.contains("HD-000007") && text.contains("김민수"))
        #expect(ApprovalWording.buttons(ticket: "HD-000007", language: language).map(\.action)
            == ["approve:HD-000007", "reject:HD-000007"])
        #expect(ApprovalWording.outcome(ticket: "HD-000007", approved: false, language: language).contains("HD-000007"))
    }
}
