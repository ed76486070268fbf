import FirstLineCore
import Foundation
import GRDB

/// A person who asks for help. One employee can be known under several platform identities.
public struct Employee: Codable, Sendable, Equatable, Hashable {
    /// Nil until inserted; every employee returned by the store has an id.
    public var id: Int64?
    public var displayName: String
    public var email: String?
    public var department: String?
    /// Who approves this employee's service requests (design §5, approvals).
    public var managerEmployeeID: Int64?
    /// The id in the company's directory (`firstline users import`); nil for employees only seen in chat.
    public var directoryID: String?
    public var createdAt: Date

    public init(
        id: Int64? = nil, displayName: String, email: String? = nil, department: String? = nil,
        managerEmployeeID: Int64? = nil, directoryID: String? = nil, createdAt: Date
    ) {
        self.directoryID = directoryID
        self.id = id
        self.displayName = displayName
        self.email = email
        self.department = department
        self.managerEmployeeID = managerEmployeeID
        self.createdAt = createdAt
    }
}

extension Employee: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "employee"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let displayName = Column(CodingKeys.displayName)
        public static let directoryID = Column(CodingKeys.directoryID)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// How a platform names an employee: (platform, platform user id) → employee. The pair is the primary key,
/// so the same Slack user can never map to two employees.
public struct Identity: Codable, Sendable, Equatable, Hashable {
    public var platform: Platform
    public var platformUserID: String
    public var employeeID: Int64

    public init(platform: Platform, platformUserID: String, employeeID: Int64) {
        self.platform = platform
        self.platformUserID = platformUserID
        self.employeeID = employeeID
    }
}

extension Identity: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "identity"

    public enum Columns {
        public static let platform = Column(CodingKeys.platform)
        public static let platformUserID = Column(CodingKeys.platformUserID)
        public static let employeeID = Column(CodingKeys.employeeID)
    }
}
