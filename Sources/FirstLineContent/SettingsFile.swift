import FirstLineCore
import Foundation
import Yams

/// Everything `firstline.yml` configures: the dialogue's thresholds and the desk's organisation.
public struct FirstLineSettings: Sendable {
    public var dialogue: DialogueSettings
    public var desk: DeskPolicy
    /// The header a company's sign-on proxy sets to the signed-in person's e-mail or directory id;
    /// nil (the default) leaves web chat users anonymous, with an optional name and e-mail they type.
    public var webChatSignOnHeader: String?
    /// `incidents:`: when similar reports make a suspected incident (issue: outages).
    public var incidents = SpikeThresholds()
    /// `limits:`: rate limits per address, sender and chat session, and the trusted reverse proxies.
    public var limits = RequestLimits()

    /// The SLA targets and calendars live in `desk`; the server's composition root hands them to
    /// the dialogue engine, so due times told to employees are counted as the desk counts them.
    public init(dialogue: DialogueSettings = DialogueSettings(), desk: DeskPolicy = .standard) {
        self.dialogue = dialogue
        self.desk = desk
    }
}

/// Reads `firstline.yml` (design §6): every field optional, every unknown or invalid one an
/// error naming its line, so a typo never silently falls back to a default. The shipped
/// `firstline.example.yml` shows every field.
///
/// ```yaml
/// dialogue:
///   time_zone: Asia/Seoul
///   default_language: ko
///   repeat_window_hours: 168
///   further_articles: 1      # articles tried after "Still broken" before the ticket
///   topic_idle_minutes: 60   # after this silence a message starts a new topic (and ticket transcript)
///   thresholds: { answer_confidence: 0.3, answer_gap: 0.2, choices_confidence: 0.12, max_choices: 3 }
/// sla:                      # business minutes on the owning team's calendar
///   first_response_minutes: { P1: 30, P2: 120, P3: 480, P4: 1440 }
///   resolution_minutes: { P1: 240, P2: 1440, P3: 4320, P4: 10080 }
/// calendars:
///   seoul: { time_zone: Asia/Seoul, hours: { weekdays: ["09:00-12:00", "13:00-18:00"] }, holidays: [2026-12-25] }
/// teams:
///   - { id: network, categories: [network], members: [ana], strategy: least_open, lead: ana, calendar: seoul }
/// default_team: network
/// agents:
///   - { id: ana, skills: [mac], capacity: 8, calendar: seoul, messenger: "slack:U0123" }
/// routing: { reassign_after_minutes: 30 }
/// approvals: { reminder_after_minutes: 240, reminders: 2 }
/// web_chat: { sign_on_header: X-Forwarded-Email }   # only behind a proxy that sets it and strips it from clients
/// incidents: { min_reports: 10, window_minutes: 10, ratio_over_normal: 3, history_weeks: 4 }
/// limits:                   # token buckets: `requests` at once, refilled over `per_seconds`; requests: 0 is off
///   webhook_per_ip: { requests: 20000, per_seconds: 1 }
///   webhook_per_sender: { requests: 600, per_seconds: 60 }
///   chat_per_session: { requests: 30, per_seconds: 60 }
///   trusted_proxies: [127.0.0.1]   # only these peers' X-Forwarded-For / X-Forwarded-Proto are believed
/// other_desks:              # what IT does not handle, and who does
///   - id: hr
///     names: { ko: 인사팀, ja: 人事部, en: HR }
///     reach: { ko: "#ask-hr 채널", en: "#ask-hr or hr@example.com" }
///     examples: { ko: [연차 신청], ja: [有給の申請], en: [annual leave request] }
/// ```
public enum SettingsFile {
    public struct Failure: Error, CustomStringConvertible {
        public var issues: [ContentIssue]
        public var description: String { issues.map(\.description).joined(separator: "\n") }
    }

    static let sections = ["dialogue", "sla", "calendars", "teams", "default_team", "agents", "routing", "approvals",
                           "other_desks", "web_chat", "incidents", "limits"]

    public static func load(_ file: URL) throws(Failure) -> FirstLineSettings {
        guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
            throw Failure(issues: [ContentIssue(file: file.path, line: 1, message: "cannot read the settings file")])
        }
        return try parse(text, file: file.path)
    }

    public static func parse(_ text: String, file: String) throws(Failure) -> FirstLineSettings {
        var reader = SettingsReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw Failure(issues: [YAMLMapping.issue(from: error, file: file, offset: 0)])
        }
        var settings = FirstLineSettings()
        guard let root else { return settings }
        var desk = DeskSection()
        for (key, value) in reader.mapping(root, allowed: sections) {
            switch key {
            case "dialogue": readDialogue(value, into: &settings.dialogue, reader: &reader)
            case "sla": readSLA(value, into: &settings.desk.sla, reader: &reader)
            case "other_desks": settings.dialogue.otherDesks = OtherDesksSection.read(value, reader: &reader)
            case "web_chat": settings.webChatSignOnHeader = readWebChat(value, reader: &reader)
            case "incidents": settings.incidents = readIncidents(value, reader: &reader)
            case "limits": settings.limits = readLimits(value, reader: &reader)
            default: desk.read(key, value, reader: &reader)
            }
        }
        let sla = settings.desk.sla
        settings.desk = desk.policy(reader: &reader)
        settings.desk.sla = sla
        guard reader.issues.isEmpty else { throw Failure(issues: reader.issues) }
        return settings
    }

    /// The sign-on header's name, checked as an HTTP field name so a typo is an error, not a header never seen.
    private static func readWebChat(_ node: Node, reader: inout SettingsReader) -> String? {
        var header: String?
        for (name, node) in reader.mapping(node, allowed: ["sign_on_header"]) where name == "sign_on_header" {
            let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
            if let value = reader.string(node), !value.isEmpty, value.count <= 64, value.allSatisfy(tokenCharacters.contains) {
                header = value
            } else {
                reader.fail(node, "'sign_on_header' must be an HTTP header name such as X-Forwarded-Email")
            }
        }
        return header
    }

    /// The rate limits (each `{requests, per_seconds}`) and the trusted proxies' addresses.
    private static func readLimits(_ node: Node, reader: inout SettingsReader) -> RequestLimits {
        var limits = RequestLimits()
        let keys: [(String, WritableKeyPath<RequestLimits, RateLimit>)] = [
            ("webhook_per_ip", \.webhookPerIP), ("webhook_per_sender", \.webhookPerSender), ("chat_per_ip", \.chatPerIP),
            ("chat_per_session", \.chatPerSession), ("sessions_per_ip", \.sessionsPerIP),
            ("login_failures_per_ip", \.loginFailuresPerIP),
        ]
        for (name, value) in reader.mapping(node, allowed: keys.map(\.0) + ["trusted_proxies"]) {
            if name == "trusted_proxies" {
                for proxy in reader.sequence(value, of: "IP addresses") {
                    guard let address = reader.string(proxy) else { continue }
                    if RequestLimits.isIPAddress(address) {
                        limits.trustedProxies.append(address)
                    } else {
                        reader.fail(proxy, "'\(address)' is not an IPv4 or IPv6 address")
                    }
                }
                continue
            }
            guard let path = keys.first(where: { $0.0 == name })?.1 else { continue }
            var limit = limits[keyPath: path]
            for (field, number) in reader.mapping(value, allowed: ["requests", "per_seconds"]) {
                if field == "requests" {
                    if let count = reader.integer(number, in: 0...10_000_000) { limit.requests = count }
                } else if let seconds = reader.number(number, in: 0.001...86_400) {
                    limit.perSeconds = seconds
                }
            }
            limits[keyPath: path] = limit
        }
        return limits
    }

    /// Spike thresholds; each key is checked on its own line, and the whole against `SpikeThresholds.problem`.
    private static func readIncidents(_ node: Node, reader: inout SettingsReader) -> SpikeThresholds {
        var thresholds = SpikeThresholds()
        for (name, value) in reader.mapping(node, allowed: ["min_reports", "window_minutes", "ratio_over_normal",
                                                           "normal_floor", "history_weeks"]) {
            switch name {
            case "min_reports": if let count = reader.integer(value, in: 2...10_000) { thresholds.minimumReporters = count }
            case "window_minutes": if let minutes = reader.number(value, in: 1...1440) { thresholds.window = minutes * 60 }
            case "ratio_over_normal": if let ratio = reader.number(value, in: 1...1000) { thresholds.ratioOverNormal = ratio }
            case "normal_floor": if let floor = reader.number(value, in: 0.01...10_000) { thresholds.normalFloor = floor }
            default: if let weeks = reader.integer(value, in: 1...52) { thresholds.historyWeeks = weeks }
            }
        }
        if let problem = thresholds.problem { reader.fail(node, "incidents: \(problem)") }
        return thresholds
    }

    private static func readDialogue(_ node: Node, into settings: inout DialogueSettings, reader: inout SettingsReader) {
        for (name, node) in reader.mapping(node, allowed: ["time_zone", "default_language", "repeat_window_hours", "further_articles",
                                                          "topic_idle_minutes", "thresholds"]) {
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
            case "further_articles":
                if let count = reader.integer(node, in: 0...5) { settings.furtherArticles = count }
            case "topic_idle_minutes":
                if let minutes = reader.number(node, in: 1...10080) { settings.topicIdleGap = minutes * 60 }
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
    }

    private static func readSLA(_ node: Node, into sla: inout SLAPolicy, reader: inout SettingsReader) {
        for (name, node) in reader.mapping(node, allowed: ["first_response_minutes", "resolution_minutes"]) {
            var minutes = name == "first_response_minutes" ? sla.firstResponseMinutes : sla.resolutionMinutes
            for (priority, number) in reader.mapping(node, allowed: TicketPriority.allCases.map(\.rawValue)) {
                if let value = reader.integer(number, in: 1...525_600), let level = TicketPriority(rawValue: priority) {
                    minutes[level] = value
                }
            }
            if name == "first_response_minutes" { sla.firstResponseMinutes = minutes } else { sla.resolutionMinutes = minutes }
        }
    }
}
