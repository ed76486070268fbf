import Foundation

/// How a team shares its tickets among its members (design §5).
public enum RoutingStrategy: String, Sendable, Codable, CaseIterable {
    /// Members take turns in the team's member order, starting after whoever got the last ticket.
    case roundRobin = "round_robin"
    /// The member with the fewest open tickets; ties go to the smallest agent id.
    case leastOpen = "least_open"
    /// Only members with every skill the ticket requires; among them the least loaded, ties by id.
    case skills
}

/// A person who works tickets.
public struct Agent: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    /// Free-form skill tags (`sap`, `mac`, `korean`) matched against a ticket's required skills.
    public var skills: Set<String>
    /// The most open tickets the agent may hold; automatic routing and manual assignment stop there.
    public var capacity: Int
    /// The agent's working hours; outside them nothing is routed to them.
    public var calendar: BusinessCalendar
    /// Whether the agent is signed in and available right now.
    public var isOnline: Bool

    public init(id: String, skills: Set<String> = [], capacity: Int, calendar: BusinessCalendar, isOnline: Bool = true) {
        self.id = id
        self.skills = skills
        self.capacity = capacity
        self.calendar = calendar
        self.isOnline = isOnline
    }
}

/// A group of agents that owns some ticket categories.
public struct Team: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    /// Categories whose tickets this team gets. When several teams list one, the first team in the
    /// router's list wins.
    public var categories: Set<ArticleCategory>
    /// Member agent ids; the order is the round-robin order.
    public var memberIDs: [String]
    public var strategy: RoutingStrategy
    /// Who is told when one of the team's tickets breaches its SLA.
    public var leadID: String?

    public init(id: String, categories: Set<ArticleCategory>, memberIDs: [String], strategy: RoutingStrategy,
                leadID: String? = nil) {
        self.id = id
        self.categories = categories
        self.memberIDs = memberIDs
        self.strategy = strategy
        self.leadID = leadID
    }
}

/// What routing needs to know about a ticket. Called `RoutingTicket` rather than `Ticket` so it
/// does not clash with the store's full ticket record.
public struct RoutingTicket: Sendable, Equatable, Codable, Identifiable {
    /// The ticket number, such as `HD-000042`.
    public var id: String
    /// Nil (not categorised) goes to the default team, like a category nobody owns.
    public var category: ArticleCategory?
    /// Skills an agent must have when the team routes by skills; other strategies ignore them.
    public var requiredSkills: Set<String>
    public var priority: TicketPriority
    public var createdAt: Date

    public init(id: String, category: ArticleCategory?, requiredSkills: Set<String> = [], priority: TicketPriority,
                createdAt: Date) {
        self.id = id
        self.category = category
        self.requiredSkills = requiredSkills
        self.priority = priority
        self.createdAt = createdAt
    }

    /// The order in which waiting tickets are served: more urgent first, then older first.
    /// Arrival order breaks any remaining tie (the sort that uses this is stable).
    static func servedBefore(_ lhs: RoutingTicket, _ rhs: RoutingTicket) -> Bool {
        if lhs.priority != rhs.priority { return lhs.priority < rhs.priority }
        return lhs.createdAt < rhs.createdAt
    }
}

/// A ticket that is assigned and may need reassigning because its assignee has not answered.
public struct AssignedTicket: Sendable, Equatable {
    public var ticket: RoutingTicket
    public var agentID: String
    public var assignedAt: Date
    /// Whether the assignee has answered since `assignedAt` (an agent message on the ticket).
    public var hasResponded: Bool
    /// Agents who already let this ticket go unanswered; they are not picked again.
    public var passedOverIDs: Set<String>

    public init(ticket: RoutingTicket, agentID: String, assignedAt: Date, hasResponded: Bool,
                passedOverIDs: Set<String> = []) {
        self.ticket = ticket
        self.agentID = agentID
        self.assignedAt = assignedAt
        self.hasResponded = hasResponded
        self.passedOverIDs = passedOverIDs
    }
}
