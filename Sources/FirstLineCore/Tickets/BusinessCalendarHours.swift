/// A day of the week, Monday first (ISO 8601). Its raw value is the key used in configuration.
public enum Weekday: String, Sendable, Hashable, CaseIterable, Codable, CodingKeyRepresentable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Monday through Friday.
    public static let workweek: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]
}

/// One stretch of opening hours on the local wall clock, such as `09:00-12:00`.
///
/// An end earlier than the start is an overnight shift: `22:00-06:00` listed under Friday runs
/// from Friday 22:00 to Saturday 06:00. `24:00` may end a shift (`13:00-24:00`); a start may not.
/// Times are wall-clock minutes, not durations: on a daylight-saving day the shift still begins and
/// ends at those readings of the clock, and its real length is whatever elapses in between.
public struct BusinessHours: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Minutes after local midnight, 0 ..< 1440.
    public let startMinute: Int
    /// Minutes after local midnight, 0 ... 1440; below `startMinute` for an overnight shift.
    public let endMinute: Int

    /// Nil for an empty stretch (start equals end) or minutes outside the day.
    public init?(startMinute: Int, endMinute: Int) {
        guard (0..<1440).contains(startMinute), (0...1440).contains(endMinute), startMinute != endMinute else {
            return nil
        }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses `HH:MM-HH:MM` (spaces around the dash are allowed); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let start = Self.minutes(parts[0].trimmingSpaces),
              let end = Self.minutes(parts[1].trimmingSpaces)
        else { return nil }
        self.init(startMinute: start, endMinute: end)
    }

    /// Whether the stretch crosses midnight into the next local day.
    public var isOvernight: Bool { endMinute < startMinute }

    /// `HH:MM-HH:MM`.
    public var description: String { Self.clock(startMinute) + "-" + Self.clock(endMinute) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let hours = BusinessHours(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not HH:MM-HH:MM hours: \(text)")
        }
        self = hours
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// `HH:MM` → minutes after midnight; `24:00` is the only reading past 23:59.
    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...59).contains(minute), (0...24).contains(hour), hour < 24 || minute == 0
        else { return nil }
        return hour * 60 + minute
    }

    private static func clock(_ minutes: Int) -> String {
        let hour = minutes / 60, minute = minutes % 60
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
}

private extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
