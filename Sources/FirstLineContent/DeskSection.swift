import FirstLineCore
import Foundation
import Yams

/// The desk's part of `firstline.yml`: calendars, teams, agents, routing and approvals. Read in
/// two steps, because teams and agents refer to calendars and to each other by name wherever
/// they appear in the file: first every section, then the references, each checked at the line
/// that makes it.
struct DeskSection {
    private struct TeamEntry {
        var team: Team
        var calendar: (name: String, node: Node)?
        var memberNodes: [(String, Node)]
        var leadNode: Node?
    }

    private struct AgentEntry {
        var agent: Agent
        var calendar: (name: String, node: Node)?
        var address: MessengerAddress?
    }

    static let platforms = Platform.messengers.map(\.rawValue)
    static let weekdayKeys = Weekday.allCases.map(\.rawValue) + ["weekdays", "weekend", "every_day"]

    private var calendars: [String: BusinessCalendar] = [:]
    private var teams: [TeamEntry] = []
    private var agents: [AgentEntry] = []
    private var defaultTeam: (name: String, node: Node)?
    private var reassignAfterMinutes = 30
    private var approvals = ApprovalPolicy()

    mutating func read(_ section: String, _ node: Node, reader: inout SettingsReader) {
        switch section {
        case "calendars":
            for (name, _, value) in reader.namedMapping(node, of: "calendar") {
                if let calendar = readCalendar(value, reader: &reader) { calendars[name] = calendar }
            }
        case "teams":
            teams = Self.uniqueList(node, of: "team", reader: &reader, id: \.team.id) { readTeam($0, reader: &$1) }
        case "default_team":
            if let name = reader.string(node) { defaultTeam = (name, node) }
        case "agents":
            agents = Self.uniqueList(node, of: "agent", reader: &reader, id: \.agent.id) { readAgent($0, reader: &$1) }
        case "routing":
            for (_, value) in reader.mapping(node, allowed: ["reassign_after_minutes"]) {
                if let minutes = reader.integer(value, in: 1...10_080) { reassignAfterMinutes = minutes }
            }
        default:  // approvals
            for (name, value) in reader.mapping(node, allowed: ["reminder_after_minutes", "reminders"]) {
                if name == "reminders" {
                    if let count = reader.integer(value, in: 0...20) { approvals.maximumReminders = count }
                } else if let minutes = reader.integer(value, in: 1...43_200) {
                    approvals.reminderAfterMinutes = minutes
                }
            }
        }
    }

    /// The policy with every reference resolved; unresolvable references are issues.
    func policy(reader: inout SettingsReader) -> DeskPolicy {
        var policy = DeskPolicy.standard
        policy.reassignAfterMinutes = reassignAfterMinutes
        policy.approvals = approvals
        policy.calendars.merge(calendars) { _, configured in configured }
        let agentIDs = Set(agents.map(\.agent.id))

        var resolvedTeams: [Team] = []
        var teamCalendars: [String: String] = [:]
        for entry in teams {
            for (member, node) in entry.memberNodes where !agentIDs.contains(member) {
                reader.fail(node, "team '\(entry.team.id)' lists '\(member)', who is not among the agents")
            }
            if let lead = entry.team.leadID, let node = entry.leadNode, !agentIDs.contains(lead) {
                reader.fail(node, "team '\(entry.team.id)' has lead '\(lead)', who is not among the agents")
            }
            if let calendar = entry.calendar {
                if policy.calendars[calendar.name] == nil {
                    reader.fail(calendar.node, "team '\(entry.team.id)' uses calendar '\(calendar.name)', which is not defined")
                }
                teamCalendars[entry.team.id] = calendar.name
            } else {
                teamCalendars[entry.team.id] = DeskPolicy.defaultCalendarID
            }
            resolvedTeams.append(entry.team)
        }

        var resolvedAgents: [Agent] = []
        for var entry in agents {
            if let calendar = entry.calendar {
                if let found = policy.calendars[calendar.name] {
                    entry.agent.calendar = found
                } else {
                    reader.fail(calendar.node, "agent '\(entry.agent.id)' uses calendar '\(calendar.name)', which is not defined")
                }
            } else if let team = teams.first(where: { $0.team.memberIDs.contains(entry.agent.id) }),
                      let name = teamCalendars[team.team.id], let found = policy.calendars[name] {
                // Without hours of their own, agents work their (first) team's hours.
                entry.agent.calendar = found
            }
            if let address = entry.address { policy.agentAddresses[entry.agent.id] = address }
            resolvedAgents.append(entry.agent)
        }

        if !resolvedTeams.isEmpty {
            policy.teams = resolvedTeams
            policy.teamCalendars = teamCalendars
        }
        if let defaultTeam {
            if policy.teams.contains(where: { $0.id == defaultTeam.name }) {
                policy.defaultTeamID = defaultTeam.name
            } else {
                reader.fail(defaultTeam.node, "default_team '\(defaultTeam.name)' is not among the teams")
            }
        } else if !resolvedTeams.isEmpty {
            // The configured teams replace the built-in one; the first of them catches the rest.
            policy.defaultTeamID = resolvedTeams[0].id
        }
        policy.agents = resolvedAgents
        return policy
    }

    /// The entries of a list section, each read by `read`; an id given twice is an issue at its item.
    private static func uniqueList<Entry>(_ node: Node, of what: String, reader: inout SettingsReader,
                                          id: (Entry) -> String,
                                          read: (Node, inout SettingsReader) -> Entry?) -> [Entry] {
        var seen = Set<String>()
        var entries: [Entry] = []
        for item in reader.sequence(node, of: "\(what)s") {
            guard let entry = read(item, &reader) else { continue }
            guard seen.insert(id(entry)).inserted else {
                reader.fail(item, "\(what) '\(id(entry))' is defined twice")
                continue
            }
            entries.append(entry)
        }
        return entries
    }

    // MARK: - Entries

    private func readCalendar(_ node: Node, reader: inout SettingsReader) -> BusinessCalendar? {
        var zone: TimeZone?
        var hours: [Weekday: [BusinessHours]] = [:]
        var holidays = Set<LocalDate>()
        var alwaysOpen = false
        for (name, value) in reader.mapping(node, allowed: ["time_zone", "hours", "holidays", "always_open"]) {
            switch name {
            case "time_zone":
                if let identifier = reader.string(value) {
                    if let found = TimeZone(identifier: identifier) { zone = found } else {
                        reader.fail(value, "'\(identifier)' is not an IANA time zone such as Asia/Seoul")
                    }
                }
            case "hours":
                for (day, stretches) in reader.mapping(value, allowed: Self.weekdayKeys) {
                    let parsed = reader.strings(stretches).compactMap { text -> BusinessHours? in
                        guard let hours = BusinessHours(text) else {
                            reader.fail(stretches, "'\(text)' is not opening hours like 09:00-18:00")
                            return nil
                        }
                        return hours
                    }
                    for weekday in Self.weekdays(for: day) { hours[weekday, default: []] += parsed }
                }
            case "holidays":
                for item in reader.sequence(value, of: "dates (YYYY-MM-DD)") {
                    guard let text = reader.string(item) else { continue }
                    if let date = LocalDate(text) { holidays.insert(date) } else {
                        reader.fail(item, "'\(text)' is not a date like 2026-12-25")
                    }
                }
            default:
                alwaysOpen = reader.bool(value) ?? false
            }
        }
        guard let zone else {
            reader.fail(node, "a calendar needs a time_zone")
            return nil
        }
        let calendar = BusinessCalendar(timeZone: zone, weeklyHours: hours, holidays: holidays, alwaysOpen: alwaysOpen)
        guard calendar.hasOpenHours else {
            reader.fail(node, "a calendar needs hours or always_open: true (otherwise SLA clocks never run)")
            return nil
        }
        return calendar
    }

    private static func weekdays(for key: String) -> [Weekday] {
        switch key {
        case "weekdays": Weekday.workweek
        case "weekend": [.saturday, .sunday]
        case "every_day": Weekday.allCases
        default: Weekday(rawValue: key).map { [$0] } ?? []
        }
    }

    private func readTeam(_ node: Node, reader: inout SettingsReader) -> TeamEntry? {
        var id: String?
        var categories = Set<ArticleCategory>()
        var members: [(String, Node)] = []
        var strategy = RoutingStrategy.roundRobin
        var lead: (String, Node)?
        var calendar: (String, Node)?
        for (name, value) in reader.mapping(node, allowed: ["id", "categories", "members", "strategy", "lead", "calendar"]) {
            switch name {
            case "id": id = reader.string(value)
            case "categories":
                for text in reader.strings(value) {
                    if let category = ArticleCategory(rawValue: text) { categories.insert(category) } else {
                        reader.fail(value, "'\(text)' is not a category (\(ArticleCategory.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                }
            case "members":
                for item in reader.sequence(value, of: "agent ids") {
                    if let member = reader.string(item) { members.append((member, item)) }
                }
            case "strategy":
                if let text = reader.string(value) {
                    if let found = RoutingStrategy(rawValue: text) { strategy = found } else {
                        reader.fail(value, "'\(text)' is not a strategy (round_robin, least_open, skills)")
                    }
                }
            case "lead": if let text = reader.string(value) { lead = (text, value) }
            default: if let text = reader.string(value) { calendar = (text, value) }
            }
        }
        guard let id else {
            reader.fail(node, "a team needs an id")
            return nil
        }
        let team = Team(id: id, categories: categories, memberIDs: members.map(\.0), strategy: strategy, leadID: lead?.0)
        return TeamEntry(team: team, calendar: calendar.map { (name: $0.0, node: $0.1) }, memberNodes: members,
                         leadNode: lead?.1)
    }

    private func readAgent(_ node: Node, reader: inout SettingsReader) -> AgentEntry? {
        var id: String?
        var skills = Set<String>()
        var capacity = 10
        var online = true
        var calendar: (String, Node)?
        var address: MessengerAddress?
        for (name, value) in reader.mapping(node, allowed: ["id", "skills", "capacity", "calendar", "messenger", "online"]) {
            switch name {
            case "id": id = reader.string(value)
            case "skills": skills = Set(reader.strings(value))
            case "capacity": capacity = reader.integer(value, in: 1...1000) ?? capacity
            case "online": online = reader.bool(value) ?? online
            case "messenger":
                guard let text = reader.string(value) else { continue }
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                if parts.count == 2, let platform = Platform(rawValue: parts[0]), platform.isMessenger, !parts[1].isEmpty,
                   platform != .telegram || Int64(parts[1]) != nil {
                    address = MessengerAddress(platform: platform, id: parts[1])
                } else {
                    reader.fail(value, "'messenger' must be platform:id, such as slack:U0123 (platforms: \(Self.platforms.joined(separator: ", ")); a Telegram id is a number)")
                }
            default: if let text = reader.string(value) { calendar = (text, value) }
            }
        }
        guard let id else {
            reader.fail(node, "an agent needs an id (the account name they sign in with)")
            return nil
        }
        let agent = Agent(id: id, skills: skills, capacity: capacity,
                          calendar: .twentyFourSeven(timeZone: .gmt), isOnline: online)
        return AgentEntry(agent: agent, calendar: calendar.map { (name: $0.0, node: $0.1) }, address: address)
    }
}
