import Foundation

/// Says when something is due the way a colleague would: "오늘 14:30까지", "本日14:30まで",
/// "by 14:30 today", with the date only when it is not today or tomorrow.
///
/// Times are told on the wall clock of `timeZone` (the helpdesk's), not the server's, and
/// month and weekday names are spelled out here rather than taken from the system locale, so
/// the wording is the same on every machine.
public struct DueTimeWording: Sendable {
    public var timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The due phrase, including its "until" particle (까지 / まで / by) and the clock it is told
    /// on ("(UTC+9)"), so that an employee elsewhere, and the console, read the same moment.
    public func phrase(for due: Date, now: Date, language: Language) -> String {
        let zone = zoneLabel(at: due)
        let local = localPhrase(for: due, now: now, language: language)
        // The clock goes with the time, before the particle: "오늘 14:30(UTC+9)까지", "本日14:30（UTC+9）まで".
        switch language {
        case .ko: return String(local.dropLast(2)) + "(\(zone))까지"
        case .ja: return String(local.dropLast(2)) + "（\(zone)）まで"
        case .en: return local + " (\(zone))"
        }
    }

    /// "UTC+9", "UTC-4", "UTC+5:30" or "UTC": the offset at that moment (summer time included).
    /// Spelled out rather than abbreviated, since abbreviations differ between systems.
    public func zoneLabel(at date: Date) -> String {
        let seconds = timeZone.secondsFromGMT(for: date)
        guard seconds != 0 else { return "UTC" }
        let minutes = abs(seconds) / 60
        let sign = seconds > 0 ? "+" : "-"
        return "UTC\(sign)\(minutes / 60)" + (minutes % 60 == 0 ? "" : ":" + Self.twoDigits(minutes % 60))
    }

    private func localPhrase(for due: Date, now: Date, language: Language) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: due)
        let time = Self.twoDigits(parts.hour ?? 0) + ":" + Self.twoDigits(parts.minute ?? 0)
        let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: now),
                                           to: calendar.startOfDay(for: due)).day ?? 0
        let sameYear = calendar.component(.year, from: now) == parts.year
        let date = CalendarDate(year: sameYear ? nil : parts.year, month: parts.month ?? 1, day: parts.day ?? 1,
                                weekday: parts.weekday ?? 1)

        switch (language, days) {
        case (.ko, 0): return "오늘 \(time)까지"
        case (.ko, 1): return "내일 \(time)까지"
        case (.ko, _): return "\(date.korean) \(time)까지"
        case (.ja, 0): return "本日\(time)まで"
        case (.ja, 1): return "明日\(time)まで"
        case (.ja, _): return "\(date.japanese) \(time)まで"
        case (.en, 0): return "by \(time) today"
        case (.en, 1): return "by \(time) tomorrow"
        case (.en, _): return "by \(time) on \(date.english)"
        }
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

/// A calendar day as shown to employees; the year only when it is not the current one.
private struct CalendarDate {
    var year: Int?
    var month: Int
    var day: Int
    /// 1 = Sunday, as `Calendar` counts.
    var weekday: Int

    private static let koreanWeekdays = ["일", "월", "화", "수", "목", "금", "토"]
    private static let japaneseWeekdays = ["日", "月", "火", "水", "木", "金", "土"]
    private static let englishWeekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private var weekdayIndex: Int { min(max(weekday - 1, 0), 6) }

    /// "5월 2일(금)" or "2026년 1월 5일(월)".
    var korean: String {
        (year.map { "\($0)년 " } ?? "") + "\(month)월 \(day)일(\(Self.koreanWeekdays[weekdayIndex]))"
    }

    /// "5月2日(金)" or "2026年1月5日(月)".
    var japanese: String {
        (year.map { "\($0)年" } ?? "") + "\(month)月\(day)日(\(Self.japaneseWeekdays[weekdayIndex]))"
    }

    /// "Fri 2 May" or "Mon 5 Jan 2026".
    var english: String {
        "\(Self.englishWeekdays[weekdayIndex]) \(day) \(Self.englishMonths[min(max(month - 1, 0), 11)])"
            + (year.map { " \($0)" } ?? "")
    }
}
