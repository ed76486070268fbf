import FirstLineCore
import FirstLineStore
import Foundation

/// Who is calling the API, once their token is checked.
public struct Principal: Sendable, Equatable, Hashable {
    public var name: String
    public var role: Account.Role
    /// The employee an `employee` principal speaks for: the only requester whose tickets it can read.
    public var employeeID: Int64?

    public init(name: String, role: Account.Role, employeeID: Int64? = nil) {
        self.name = name
        self.role = role
        self.employeeID = employeeID
    }

    public func can(_ permission: Permission) -> Bool {
        role.permissions.contains(permission)
    }

    /// How the principal appears in ticket history. Admins act as agents there: an admin's reply is as
    /// much a first response as an agent's.
    var actor: TicketActor { .agent(name) }
}

/// What a role may do. Routes ask for a permission, never for a role, so a new role is one table row.
public enum Permission: String, Sendable, CaseIterable {
    /// Read tickets where the principal's employee is the requester.
    case readOwnTickets
    /// Read every ticket (queue, detail, history).
    case readAllTickets
    /// Reply, add notes, change, resolve and log tickets.
    case workTickets
    /// Create accounts and hand out tokens.
    case manageAccounts
    /// Change the knowledge base through the API.
    case editKnowledgeBase
}

extension Account.Role {
    /// The role table (the full matrix is in `AgentController`'s comment). Editors get no ticket access: tickets carry employees'
    /// personal data and editors do not need it to fix articles.
    public var permissions: Set<Permission> {
        switch self {
        case .admin: Set(Permission.allCases)
        case .agent: [.readAllTickets, .workTickets]
        case .editor: [.editKnowledgeBase]
        case .employee: [.readOwnTickets]
        }
    }
}
