import FirstLineCore
import Foundation
import Testing

/// SLA clocks on the Seoul office calendar (Mon–Fri 09–12 + 13–18, Tue 5 May 2026 off) with the
/// default policy: P1 30 / 240 minutes, P2 120 / 1440, P3 480 / 4320, P4 1440 / 10080.
@Suite("SLA timers")
struct SLATimerTests {
    typealias F = CalendarFixtures
    static let clock = SLAClock(policy: .default, calendar: F.seoulOffice)

    static func pauses(_ ranges: [(String, String?)]) -> [SLAPause] {
        ranges.map { SLAPause(start: F.at($0.0), end: $0.1.map(F.at)) }
    }

    static let dueTimes: [(metric: SLAMetric, priority: TicketPriority, created: String, pauses: [(String, String?)],
                           warning: String?, due: String?)] = [
        (.firstResponse, .p1, "2026-05-04T10:00:00+09:00", [], "2026-05-04T10:24:00+09:00", "2026-05-04T10:30:00+09:00"),
        // 240 minutes: 10–12 and 13–15; 80 % = 192 minutes: 120 before lunch, 72 after.
        (.resolution, .p1, "2026-05-04T10:00:00+09:00", [], "2026-05-04T14:12:00+09:00", "2026-05-04T15:00:00+09:00"),
        // 480 minutes from Monday 09:00: warning at 384 = 180 + 204 → 16:24.
        (.firstResponse, .p3, "2026-05-04T09:00:00+09:00", [], "2026-05-04T16:24:00+09:00", "2026-05-04T18:00:00+09:00"),
        // Created on Saturday night: the clock starts on Monday at 09:00.
        (.firstResponse, .p1, "2026-05-09T20:00:00+09:00", [], "2026-05-11T09:24:00+09:00", "2026-05-11T09:30:00+09:00"),
        // 60 minutes on Monday, the holiday does not count, 180 on Wednesday: due at the lunch break.
        (.resolution, .p1, "2026-05-04T17:00:00+09:00", [], "2026-05-06T11:12:00+09:00", "2026-05-06T12:00:00+09:00"),
        // A 30-minute pause pushes both back by 30 minutes.
        (.resolution, .p1, "2026-05-04T10:00:00+09:00", [("2026-05-04T11:00:00+09:00", "2026-05-04T11:30:00+09:00")],
         "2026-05-04T14:42:00+09:00", "2026-05-04T15:30:00+09:00"),
        // Paused 11:30–13:30, of which only 60 minutes were business time (lunch is closed anyway).
        (.resolution, .p1, "2026-05-04T10:00:00+09:00", [("2026-05-04T11:30:00+09:00", "2026-05-04T13:30:00+09:00")],
         "2026-05-04T15:12:00+09:00", "2026-05-04T16:00:00+09:00"),
        // Paused only while closed: nothing changes.
        (.resolution, .p1, "2026-05-04T17:00:00+09:00", [("2026-05-04T18:30:00+09:00", "2026-05-06T08:00:00+09:00")],
         "2026-05-06T11:12:00+09:00", "2026-05-06T12:00:00+09:00"),
        // Resumed after 15 minutes: 25 minutes used before, 5 left after 10:40.
        (.firstResponse, .p1, "2026-05-04T10:00:00+09:00", [("2026-05-04T10:25:00+09:00", "2026-05-04T10:40:00+09:00")],
         "2026-05-04T10:24:00+09:00", "2026-05-04T10:45:00+09:00"),
        // Still waiting on the employee: the clock stands, so there is no due time; the warning
        // had already been reached before the pause.
        (.firstResponse, .p1, "2026-05-04T10:00:00+09:00", [("2026-05-04T10:25:00+09:00", nil)],
         "2026-05-04T10:24:00+09:00", nil),
        (.resolution, .p1, "2026-05-04T10:00:00+09:00", [("2026-05-04T11:00:00+09:00", nil)], nil, nil),
        // Overlapping pauses count once (10:10–10:30 = 20 minutes), and a pause that began before
        // the ticket only counts from its creation (5 minutes).
        (.firstResponse, .p1, "2026-05-04T10:00:00+09:00",
         [("2026-05-04T10:15:00+09:00", "2026-05-04T10:30:00+09:00"), ("2026-05-04T10:10:00+09:00", "2026-05-04T10:20:00+09:00")],
         "2026-05-04T10:44:00+09:00", "2026-05-04T10:50:00+09:00"),
        (.firstResponse, .p1, "2026-05-04T10:00:00+09:00", [("2026-05-04T09:00:00+09:00", "2026-05-04T10:05:00+09:00")],
         "2026-05-04T10:29:00+09:00", "2026-05-04T10:35:00+09:00"),
    ]

    @Test("due and warning instants, with pauses", arguments: dueTimes)
    func dueTime(_ metric: SLAMetric, _ priority: TicketPriority, _ created: String, _ pauses: [(String, String?)],
                 _ warning: String?, _ due: String?) {
        let timer = Self.clock.timer(metric, priority: priority, createdAt: F.at(created), pauses: Self.pauses(pauses))
        #expect(F.iso(timer.warning, in: F.seoul) == warning)
        #expect(F.iso(timer.due, in: F.seoul) == due)
    }

    static let states: [(instant: String, state: SLAState)] = [
        ("2026-05-04T10:00:00+09:00", .ok),
        ("2026-05-04T10:23:59+09:00", .ok),
        ("2026-05-04T10:24:00+09:00", .warning),
        ("2026-05-04T10:30:00+09:00", .warning),  // the due instant itself still meets the target
        ("2026-05-04T10:30:01+09:00", .breached),
        ("2026-05-06T09:00:00+09:00", .breached),
    ]

    @Test("ok, then warning at 80 %, then breached after the due time", arguments: states)
    func state(_ instant: String, _ state: SLAState) {
        let timer = Self.clock.timer(.firstResponse, priority: .p1, createdAt: F.at("2026-05-04T10:00:00+09:00"))
        #expect(timer.state(at: F.at(instant)) == state)
    }

    @Test("pause and resume: the state follows the extended due time")
    func pauseAndResume() {
        let created = F.at("2026-05-04T10:00:00+09:00")
        let waiting = Self.clock.timer(.firstResponse, priority: .p1, createdAt: created,
                                       pauses: Self.pauses([("2026-05-04T10:25:00+09:00", nil)]))
        // While waiting the clock stands at 25 of 30 minutes: warning, never breached.
        #expect(waiting.isPaused(at: F.at("2026-05-04T15:00:00+09:00")))
        #expect(waiting.state(at: F.at("2026-05-07T15:00:00+09:00")) == .warning)
        #expect(waiting.elapsed(at: F.at("2026-05-04T15:00:00+09:00")) == 25 * 60)

        let resumed = Self.clock.timer(.firstResponse, priority: .p1, createdAt: created,
                                       pauses: Self.pauses([("2026-05-04T10:25:00+09:00", "2026-05-04T10:40:00+09:00")]))
        #expect(!resumed.isPaused(at: F.at("2026-05-04T10:40:00+09:00")))
        #expect(resumed.state(at: F.at("2026-05-04T10:44:00+09:00")) == .warning)
        #expect(resumed.state(at: F.at("2026-05-04T10:45:01+09:00")) == .breached)
        #expect(resumed.elapsed(at: F.at("2026-05-04T10:42:00+09:00")) == 27 * 60)

        // Before 80 % is reached a pause keeps the ticket ok however long it waits.
        let early = Self.clock.timer(.resolution, priority: .p1, createdAt: created,
                                     pauses: Self.pauses([("2026-05-04T11:00:00+09:00", nil)]))
        #expect(early.state(at: F.at("2026-06-01T12:00:00+09:00")) == .ok)
    }

    @Test("elapsed business time leaves out lunch, nights and pauses")
    func elapsed() {
        let timer = Self.clock.timer(.resolution, priority: .p2, createdAt: F.at("2026-05-04T10:00:00+09:00"),
                                     pauses: Self.pauses([("2026-05-04T11:00:00+09:00", "2026-05-04T11:30:00+09:00")]))
        // 10–12 and 13–14 are 180 minutes, less the 30-minute pause.
        #expect(timer.elapsed(at: F.at("2026-05-04T14:00:00+09:00")) == 150 * 60)
        #expect(timer.elapsed(at: F.at("2026-05-06T10:00:00+09:00")) == (150 + 240 + 60) * 60)
        #expect(timer.elapsed(at: F.at("2026-05-04T09:00:00+09:00")) == 0)
    }

    @Test("on a 24/7 calendar the business due times equal the wall-clock policy's",
          arguments: TicketPriority.allCases)
    func matchesWallClockPolicy(_ priority: TicketPriority) {
        let created = F.at("2026-03-07T23:10:00-05:00")
        let clock = SLAClock(policy: .default, calendar: .twentyFourSeven(timeZone: F.newYork))
        #expect(clock.timer(.firstResponse, priority: priority, createdAt: created).due
            == SLAPolicy.default.firstResponseDue(priority, from: created))
        #expect(clock.timer(.resolution, priority: priority, createdAt: created).due
            == SLAPolicy.default.resolutionDue(priority, from: created))
    }

    @Test("targets come from the policy, with its fallback for missing priorities")
    func targets() {
        #expect(SLAPolicy.default.targetMinutes(.firstResponse, for: .p4) == 1440)
        #expect(SLAPolicy.default.targetMinutes(.resolution, for: .p2) == 1440)
        let partial = SLAPolicy(firstResponseMinutes: [.p1: 15], resolutionMinutes: [:])
        #expect(partial.targetMinutes(.firstResponse, for: .p1) == 15)
        #expect(partial.targetMinutes(.firstResponse, for: .p4) == 480)
        #expect(partial.targetMinutes(.resolution, for: .p4) == 4320)
    }

    @Test("a calendar without hours never falls due and never breaches")
    func closedCalendar() {
        let clock = SLAClock(policy: .default, calendar: BusinessCalendar(timeZone: F.seoul, weeklyHours: [:]))
        let timer = clock.timer(.firstResponse, priority: .p1, createdAt: F.at("2026-05-04T10:00:00+09:00"))
        #expect(timer.due == nil)
        #expect(timer.state(at: F.at("2030-01-01T00:00:00Z")) == .ok)
    }
}
