import FirstLineCore
import Foundation
import GRDB

/// Someone who may call the agent API (design §6): a person with a name, a role and a bearer token.
/// Only the SHA-256 of the token is stored, so a copy of the database (a backup, a support bundle) cannot be
/// used to act as anyone; the token itself is shown once, when the account is created.
public struct Account: Codable, Sendable, Equatable, Hashable {
    /// What an account may do. Raw values are stored, so they must never be renamed.
    public enum Role: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
        /// Everything agents may do, plus managing accounts.
        case admin
        /// Works tickets: reads every ticket, replies, notes, changes, resolves, logs calls.
        case agent
        /// Maintains the knowledge base; sees no tickets (they hold employees' personal data).
        case editor
        /// One employee reading their own tickets.
        case employee
    }

    public var id: Int64?
    /// Unique regardless of case, so "Ana" and "ana" cannot both be assignees.
    public var name: String
    public var role: Role
    /// Lowercase hex SHA-256 of the token.
    public var tokenHash: String
    /// The employee this account speaks for; required for role `employee`, optional for the others
    /// (an agent is also an employee who may file tickets).
    public var employeeID: Int64?
    public var createdAt: Date
    /// Set when the account is disabled; its token stops working at once.
    public var disabledAt: Date?

    public init(
        id: Int64? = nil, name: String, role: Role, tokenHash: String, employeeID: Int64? = nil, createdAt: Date,
        disabledAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.tokenHash = tokenHash
        self.employeeID = employeeID
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }

    public var isDisabled: Bool { disabledAt != nil }
}

extension Account: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "account"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let name = Column(CodingKeys.name)
        public static let role = Column(CodingKeys.role)
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let employeeID = Column(CodingKeys.employeeID)
        public static let disabledAt = Column(CodingKeys.disabledAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// What is needed to create an account; the caller hashes the token (the store never sees it).
public struct NewAccount: Sendable, Equatable, Hashable {
    public var name: String
    public var role: Account.Role
    public var tokenHash: String
    public var employeeID: Int64?

    public init(name: String, role: Account.Role, tokenHash: String, employeeID: Int64? = nil) {
        self.name = name
        self.role = role
        self.tokenHash = tokenHash
        self.employeeID = employeeID
    }
}
