import FirstLineCore
import Foundation
import Yams

/// Reads `firstline.yml` (design §6): every field optional, every unknown or invalid one an
/// error naming its line, so a typo never silently falls back to a default.
///
/// ```yaml
/// dialogue:
///   time_zone: Asia/Seoul
///   default_language: ko
///   repeat_window_hours: 168
///   thresholds: { answer_confidence: 0.3, answer_gap: 0.2, choices_confidence: 0.12, max_choices: 3 }
/// sla:
///   first_response_minutes: { P1: 30, P2: 120, P3: 480, P4: 1440 }
///   resolution_minutes: { P1: 240, P2: 1440, P3: 4320, P4: 10080 }
/// ```
public enum SettingsFile {
    public struct Failure: Error, CustomStringConvertible {
        public var issues: [ContentIssue]
        public var description: String { issues.map(\.description).joined(separator: "\n") }
    }

    public static func load(_ file: URL, base: DialogueSettings = DialogueSettings()) throws -> DialogueSettings {
        guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
            throw Failure(issues: [ContentIssue(file: file.path, line: 1, message: "cannot read the settings file")])
        }
        return try parse(text, file: file.path, base: base)
    }

    public static func parse(_ text: String, file: String, base: DialogueSettings = DialogueSettings()) throws -> DialogueSettings {
        var reader = Reader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw Failure(issues: [YAMLMapping.issue(from: error, file: file, offset: 0)])
        }
        var settings = base
        guard let root else { return settings }
        for (key, value) in reader.mapping(root, allowed: ["dialogue", "sla"]) {
            switch key {
            case "dialogue":
                for (name, node) in reader.mapping(value, allowed: ["time_zone", "default_language", "repeat_window_hours", "thresholds"]) {
                    switch name {
                    case "time_zone":
                        if let zone = reader.string(node).flatMap(TimeZone.init(identifier:)) { settings.timeZone = zone } else {
                            reader.fail(node, "'time_zone' must be an IANA time zone such as Asia/Seoul")
                        }
                    case "default_language":
                        if let language = reader.string(node).flatMap(Language.init(rawValue:)) { settings.defaultLanguage = language } else {
                            reader.fail(node, "'default_language' must be ko, ja or en")
                        }
                    case "repeat_window_hours":
                        if let hours = reader.number(node, in: 0...8760) { settings.repeatWindow = hours * 3600 }
                    default:
                        for (field, number) in reader.mapping(node, allowed: ["answer_confidence", "answer_gap", "choices_confidence", "max_choices"]) {
                            switch field {
                            case "answer_confidence": if let v = reader.number(number, in: 0...1) { settings.thresholds.answerConfidence = v }
                            case "answer_gap": if let v = reader.number(number, in: 0...1) { settings.thresholds.answerGap = v }
                            case "choices_confidence": if let v = reader.number(number, in: 0...1) { settings.thresholds.choicesConfidence = v }
                            default: if let v = reader.number(number, in: 1...5) { settings.thresholds.maximumChoices = Int(v) }
                            }
                        }
                    }
                }
            default:
                for (name, node) in reader.mapping(value, allowed: ["first_response_minutes", "resolution_minutes"]) {
                    var minutes: [TicketPriority: Int] = name == "first_response_minutes" ? settings.sla.firstResponseMinutes : settings.sla.resolutionMinutes
                    for (priority, number) in reader.mapping(node, allowed: TicketPriority.allCases.map(\.rawValue)) {
                        if let value = reader.number(number, in: 1...525_600), let level = TicketPriority(rawValue: priority) {
                            minutes[level] = Int(value)
                        }
                    }
                    if name == "first_response_minutes" { settings.sla.firstResponseMinutes = minutes } else { settings.sla.resolutionMinutes = minutes }
                }
            }
        }
        guard reader.issues.isEmpty else { throw Failure(issues: reader.issues) }
        return settings
    }

    /// Collects problems instead of stopping at the first, so one run lists them all.
    private struct Reader {
        let file: String
        var issues: [ContentIssue] = []

        init(file: String) { self.file = file }

        mutating func fail(_ node: Node, _ message: String) {
            issues.append(ContentIssue(file: file, line: YAMLMapping.line(of: node, offset: 0), message: message))
        }

        mutating func mapping(_ node: Node, allowed: [String]) -> [(String, Node)] {
            guard let mapping = node.mapping else {
                fail(node, "expected a mapping with keys \(allowed.joined(separator: ", "))")
                return []
            }
            var result: [(String, Node)] = []
            for (key, value) in mapping {
                guard let name = key.string, allowed.contains(name) else {
                    fail(key, "unknown setting '\(key.string ?? "?")' (known here: \(allowed.joined(separator: ", ")))")
                    continue
                }
                result.append((name, value))
            }
            return result
        }

        mutating func string(_ node: Node) -> String? {
            guard let scalar = node.scalar else {
                fail(node, "expected a text value")
                return nil
            }
            return scalar.string
        }

        mutating func number(_ node: Node, in range: ClosedRange<Double>) -> Double? {
            guard let text = node.scalar?.string, let value = Double(text), range.contains(value) else {
                fail(node, "expected a number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return value
        }
    }
}
