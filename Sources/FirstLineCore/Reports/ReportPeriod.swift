import Foundation

/// A report's dates as people write them (`2026-05-01` to `2026-05-31`, both days included), cut
/// at midnight in the viewer's time zone, with the period of the same length just before it.
public struct ReportPeriod: Sendable, Equatable {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notADate(field: String, value: String)
        case backwards
        case tooLong(days: Int)

        public var description: String {
            switch self {
            case let .notADate(field, value): "\(field) must be a date like 2026-05-31, not \(value.prefix(40))"
            case .backwards: "to is before from"
            case let .tooLong(days): "at most \(ReportPeriod.maximumDays) days at once, not \(days)"
            }
        }

        public var field: String {
            switch self {
            case let .notADate(field, _): field
            case .backwards, .tooLong: "to"
            }
        }
    }

    public static let maximumDays = 366

    public var from: Date
    /// The instant after the last day.
    public var to: Date
    public var days: Int
    public var timeZone: TimeZone

    public init(from: String, to: String, timeZone: TimeZone) throws(Problem) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        func day(_ text: String, _ field: String) throws(Problem) -> Date {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
                  parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                  let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
                  calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
            else { throw .notADate(field: field, value: text) }
            return date
        }
        let start = try day(from, "from")
        let last = try day(to, "to")
        guard last >= start else { throw .backwards }
        let days = (calendar.dateComponents([.day], from: start, to: last).day ?? 0) + 1
        guard days <= Self.maximumDays else { throw .tooLong(days: days) }
        guard let end = calendar.date(byAdding: .day, value: 1, to: last) else { throw .notADate(field: "to", value: to) }
        self.from = start
        self.to = end
        self.days = days
        self.timeZone = timeZone
    }

    /// A day as reports write it (`2026-05-31`), on `zone`'s calendar.
    public static func day(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    /// The same number of days just before.
    public var previous: (from: Date, to: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return (calendar.date(byAdding: .day, value: -days, to: from) ?? from, from)
    }
}
