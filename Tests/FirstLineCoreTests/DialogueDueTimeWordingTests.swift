import FirstLineCore
import Foundation
import Testing

@Suite("DueTimeWording")
struct DialogueDueTimeWordingTests {
    /// Friday 2 May 2025, 10:00 in Seoul (01:00 UTC).
    static let now = DialogueFixtures.now
    static let seoul = DueTimeWording(timeZone: TimeZone(identifier: "Asia/Seoul")!)

    static let cases: [(minutesFromNow: Double, language: Language, expected: String)] = [
        (30.0, Language.ko, "오늘 10:30까지"), (30, .ja, "本日10:30まで"), (30, .en, "by 10:30 today"),
        (13 * 60 + 59, .ko, "오늘 23:59까지"),
        (14 * 60, .ko, "내일 00:00까지"), (14 * 60, .ja, "明日00:00まで"), (14 * 60, .en, "by 00:00 tomorrow"),
        (3 * 1440, .ko, "5월 5일(월) 10:00까지"), (3 * 1440, .ja, "5月5日(月) 10:00まで"),
        (3 * 1440, .en, "by 10:00 on Mon 5 May"),
        (245 * 1440, .ko, "2026년 1월 2일(금) 10:00까지"), (245 * 1440, .ja, "2026年1月2日(金) 10:00まで"),
        (245 * 1440, .en, "by 10:00 on Fri 2 Jan 2026"),
        (-1440, .en, "by 10:00 on Thu 1 May"),
    ]

    @Test("today, tomorrow, another day, another year", arguments: cases)
    func phrase(_ minutesFromNow: Double, _ language: Language, _ expected: String) {
        let due = Self.now.addingTimeInterval(minutesFromNow * 60)
        // The zone sits between the time and the particle in ko and ja, at the end in en.
        let withZone = switch language {
        case .ko: String(expected.dropLast(2)) + "(UTC+9)까지"
        case .ja: String(expected.dropLast(2)) + "（UTC+9）まで"
        case .en: expected + " (UTC+9)"
        }
        #expect(Self.seoul.phrase(for: due, now: Self.now, language: language) == withZone)
    }

    @Test("days are counted on the helpdesk's clock, not UTC's")
    func timeZone() {
        // Due at 23:30 Seoul time: 14:30 the same day in UTC, but in New York "now" is still
        // Thursday 21:00 while the due time is Friday 10:30, so there it is tomorrow.
        let due = Self.now.addingTimeInterval(13.5 * 3600)
        #expect(Self.seoul.phrase(for: due, now: Self.now, language: .en) == "by 23:30 today (UTC+9)")
        let utc = DueTimeWording(timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.phrase(for: due, now: Self.now, language: .en) == "by 14:30 today (UTC)")
        let newYork = DueTimeWording(timeZone: TimeZone(identifier: "America/New_York")!)
        #expect(newYork.phrase(for: due, now: Self.now, language: .en) == "by 10:30 tomorrow (UTC-4)", "New York is on summer time in May")
    }

    @Test("the clock's name is its offset at that moment, half hours included")
    func zoneLabels() {
        let winter = Date(timeIntervalSince1970: 1_736_000_000) // January 2025
        #expect(DueTimeWording(timeZone: TimeZone(identifier: "America/New_York")!).zoneLabel(at: winter) == "UTC-5")
        #expect(DueTimeWording(timeZone: TimeZone(identifier: "Asia/Kolkata")!).zoneLabel(at: winter) == "UTC+5:30")
        #expect(DueTimeWording(timeZone: TimeZone(identifier: "Asia/Tokyo")!).zoneLabel(at: winter) == "UTC+9")
    }
}
