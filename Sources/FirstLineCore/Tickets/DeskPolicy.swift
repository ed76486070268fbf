import Foundation

/// Where a person can be reached in a messenger: a platform (`slack`, `telegram`, `line`,
/// `lineworks`) and the platform's id for them (a Slack user id, a Telegram chat id…).
public struct MessengerAddress: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var platform: Platform
    public var id: String

    public init(platform: Platform, id: String) {
        self.platform = platform
        self.id = id
    }

    /// `slack:U0123`.
    public var description: String { "\(platform.rawValue):\(id)" }
}

/// How service requests that need a manager's approval are chased (design §5, approvals).
public struct ApprovalPolicy: Sendable, Equatable {
    /// Minutes (wall clock) after the request, and after each reminder, before the manager is reminded.
    public var reminderAfterMinutes: Int
    /// Reminders sent at most; after the last one the request waits for a person (an agent may decide).
    public var maximumReminders: Int

    public init(reminderAfterMinutes: Int = 240, maximumReminders: Int = 2) {
        self.reminderAfterMinutes = reminderAfterMinutes
        self.maximumReminders = maximumReminders
    }
}

/// The helpdesk's organisation (design §5, `firstline.yml`): calendars, teams, agents, SLA targets,
/// reassignment and approvals. A plain value; the server builds its router and SLA clocks from it.
///
/// Without a configuration file there is one team, `service-desk`, that owns every category, has
/// no members (agents claim tickets from its queue) and works around the clock in UTC: SLA
/// minutes are then wall-clock minutes.
public struct DeskPolicy: Sendable, Equatable {
    public static let defaultTeamID = "service-desk"
    public static let defaultCalendarID = "always"

    /// Calendars by name; teams and agents refer to them.
    public var calendars: [String: BusinessCalendar]
    /// In order: when several teams own a category, the first one gets it.
    public var teams: [Team]
    /// The calendar each team's SLA clocks run on, by team id.
    public var teamCalendars: [String: String]
    public var agents: [Agent]
    /// Where each agent is told about assignments and breaches, by agent id.
    public var agentAddresses: [String: MessengerAddress]
    /// Gets tickets whose category no team owns.
    public var defaultTeamID: String
    public var sla: SLAPolicy
    /// Wall-clock minutes an assignee may leave a ticket unanswered before it goes to someone else.
    public var reassignAfterMinutes: Int
    public var approvals: ApprovalPolicy

    public init(calendars: [String: BusinessCalendar], teams: [Team], teamCalendars: [String: String] = [:],
                agents: [Agent] = [], agentAddresses: [String: MessengerAddress] = [:],
                defaultTeamID: String, sla: SLAPolicy = .default, reassignAfterMinutes: Int = 30,
                approvals: ApprovalPolicy = ApprovalPolicy()) {
        self.calendars = calendars
        self.teams = teams
        self.teamCalendars = teamCalendars
        self.agents = agents
        self.agentAddresses = agentAddresses
        self.defaultTeamID = defaultTeamID
        self.sla = sla
        self.reassignAfterMinutes = reassignAfterMinutes
        self.approvals = approvals
    }

    /// One team for everything, no members, 24/7 in UTC.
    public static let standard = DeskPolicy(
        calendars: [defaultCalendarID: .twentyFourSeven(timeZone: .gmt)],
        teams: [Team(id: defaultTeamID, categories: Set(ArticleCategory.allCases), memberIDs: [], strategy: .roundRobin)],
        teamCalendars: [defaultTeamID: defaultCalendarID],
        defaultTeamID: defaultTeamID)

    /// The router for these teams and agents. Fails when the default team is not among the teams
    /// (the configuration check reports that first).
    public func router() throws(RoutingError) -> TicketRouter {
        try TicketRouter(teams: teams, agents: agents, defaultTeamID: defaultTeamID,
                         reassignAfterMinutes: reassignAfterMinutes)
    }

    /// The team that gets tickets of `category`: the first team owning it, else the default team.
    public func teamID(for category: ArticleCategory?) -> String {
        if let category, let owner = teams.first(where: { $0.categories.contains(category) }) { return owner.id }
        return defaultTeamID
    }

    /// The team's calendar; a team without one (or naming an unknown one) runs around the clock
    /// in UTC, so a clock always exists.
    public func calendar(ofTeam teamID: String) -> BusinessCalendar {
        teamCalendars[teamID].flatMap { calendars[$0] } ?? .twentyFourSeven(timeZone: .gmt)
    }

    /// SLA targets counted on the team's calendar.
    public func slaClock(ofTeam teamID: String) -> SLAClock {
        SLAClock(policy: sla, calendar: calendar(ofTeam: teamID))
    }

    /// The calendar of the team that would get each category, for the dialogue engine to tell the
    /// employee due times in the same business time the desk counts them in.
    public var categoryCalendars: SLACalendars {
        var byCategory: [ArticleCategory: BusinessCalendar] = [:]
        for category in ArticleCategory.allCases {
            byCategory[category] = calendar(ofTeam: teamID(for: category))
        }
        return SLACalendars(byCategory: byCategory, fallback: calendar(ofTeam: defaultTeamID))
    }
}

/// The business calendar that SLA due times of each category are counted on. Without one
/// (`fallback` nil and no entry) due times are wall-clock: `SLAPolicy`'s own arithmetic.
public struct SLACalendars: Sendable, Equatable {
    public var byCategory: [ArticleCategory: BusinessCalendar]
    /// For uncategorised tickets and categories without an entry.
    public var fallback: BusinessCalendar?

    public init(byCategory: [ArticleCategory: BusinessCalendar] = [:], fallback: BusinessCalendar? = nil) {
        self.byCategory = byCategory
        self.fallback = fallback
    }

    public func calendar(for category: ArticleCategory?) -> BusinessCalendar? {
        category.flatMap { byCategory[$0] } ?? fallback
    }
}

extension SLAPolicy {
    /// The due time of `metric` for a ticket opened at `start`: in business time of `calendar`
    /// when there is one, wall-clock otherwise. A calendar that never opens falls back to wall
    /// clock too, rather than promising "never".
    public func due(_ metric: SLAMetric, priority: TicketPriority, from start: Date,
                    calendar: BusinessCalendar?) -> Date {
        let wallClock = switch metric {
        case .firstResponse: firstResponseDue(priority, from: start)
        case .resolution: resolutionDue(priority, from: start)
        }
        guard let calendar else { return wallClock }
        return SLAClock(policy: self, calendar: calendar).timer(metric, priority: priority, createdAt: start).due ?? wallClock
    }
}
