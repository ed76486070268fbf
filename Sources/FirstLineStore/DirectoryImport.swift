import FirstLineCore
import Foundation
import GRDB

/// One person of the company directory (`firstline users import directory.csv`).
public struct DirectoryEntry: Sendable, Equatable {
    public var directoryID: String
    public var name: String
    public var email: String?
    public var department: String?
    /// The manager's directory id; they approve this person's service requests.
    public var managerDirectoryID: String?
    public var identities: [(platform: Platform, userID: String)]

    public init(directoryID: String, name: String, email: String? = nil, department: String? = nil,
                managerDirectoryID: String? = nil, identities: [(platform: Platform, userID: String)] = []) {
        self.directoryID = directoryID
        self.name = name
        self.email = email
        self.department = department
        self.managerDirectoryID = managerDirectoryID
        self.identities = identities
    }

    public static func == (lhs: DirectoryEntry, rhs: DirectoryEntry) -> Bool {
        lhs.directoryID == rhs.directoryID && lhs.name == rhs.name && lhs.email == rhs.email
            && lhs.department == rhs.department && lhs.managerDirectoryID == rhs.managerDirectoryID
            && lhs.identities.map { "\($0.platform.rawValue):\($0.userID)" } == rhs.identities.map { "\($0.platform.rawValue):\($0.userID)" }
    }
}

/// What an import changed.
public struct DirectoryImportSummary: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var identitiesLinked = 0

    public init(created: Int = 0, updated: Int = 0, identitiesLinked: Int = 0) {
        self.created = created
        self.updated = updated
        self.identitiesLinked = identitiesLinked
    }
}

extension AppDatabase {
    /// Creates or updates the directory's people and their managers, all or nothing.
    ///
    /// A person is matched by directory id, else by one of their platform identities (someone who
    /// chatted with the bot before the import: their employee row, tickets and conversations are
    /// kept and completed, not duplicated). An identity that already belongs to a *different*
    /// directory person is refused: moving it would hand one person's tickets to another.
    /// A manager id must name a person of this file or one imported before.
    public func importDirectory(_ entries: [DirectoryEntry], at now: Date) async throws -> DirectoryImportSummary {
        try await write { db in
            var summary = DirectoryImportSummary()
            var ids: [String: Int64] = [:]
            for entry in entries {
                var employee = try Employee.filter(Employee.Columns.directoryID == entry.directoryID).fetchOne(db)
                if employee == nil {
                    for identity in entry.identities {
                        if let known = try Self.employee(db, platform: identity.platform, platformUserID: identity.userID),
                           known.directoryID == nil {
                            employee = known
                            break
                        }
                    }
                }
                var row = employee ?? Employee(displayName: entry.name, createdAt: now)
                row.displayName = entry.name
                row.email = entry.email
                row.department = entry.department
                row.directoryID = entry.directoryID
                if row.id == nil {
                    try row.insert(db)
                    summary.created += 1
                } else {
                    try row.update(db)
                    summary.updated += 1
                }
                let id = try row.storedID
                ids[entry.directoryID] = id
                for identity in entry.identities {
                    let key = ["platform": identity.platform.databaseValue, "platformUserID": identity.userID.databaseValue]
                    if let existing = try Identity.fetchOne(db, key: key) {
                        guard existing.employeeID != id else { continue }
                        let owner = try Employee.fetchOne(db, key: existing.employeeID)
                        guard owner?.directoryID == nil else {
                            throw StoreError.duplicate(.identity, "\(identity.platform.rawValue):\(identity.userID)")
                        }
                        // Someone seen only in chat under this identity is the same person: take the identity over.
                        try db.execute(sql: "UPDATE identity SET employeeID = ? WHERE platform = ? AND platformUserID = ?",
                                       arguments: [id, identity.platform.rawValue, identity.userID])
                    } else {
                        try Identity(platform: identity.platform, platformUserID: identity.userID, employeeID: id).insert(db)
                    }
                    summary.identitiesLinked += 1
                }
            }
            for entry in entries {
                guard let id = ids[entry.directoryID], var row = try Employee.fetchOne(db, key: id) else {
                    throw StoreError.notFound(.employee, entry.directoryID)
                }
                if let manager = entry.managerDirectoryID {
                    let managerID = try ids[manager]
                        ?? Employee.filter(Employee.Columns.directoryID == manager).fetchOne(db)?.id
                    guard let managerID else {
                        throw StoreError.notFound(.employee, "manager \(manager) of \(entry.directoryID)")
                    }
                    row.managerEmployeeID = managerID
                } else {
                    row.managerEmployeeID = nil
                }
                try row.update(db)
            }
            return summary
        }
    }

    /// The employee's conversations, most recently active first.
    public func conversations(employeeID: Int64) async throws -> [Conversation] {
        try await read { db in
            try Conversation.filter(Column("employeeID") == employeeID).order(Column("updatedAt").desc).fetchAll(db)
        }
    }
}

extension AppDatabase {
    public func employee(directoryID: String) async throws -> Employee? {
        try await read { db in try Employee.filter(Employee.Columns.directoryID == directoryID).fetchOne(db) }
    }
}
