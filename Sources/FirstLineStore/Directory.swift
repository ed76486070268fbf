import FirstLineCore
import Foundation
import GRDB

extension AppDatabase: DirectoryRepository {
    public func findOrCreateEmployee(
        platform: Platform, platformUserID: String, displayName: String, at now: Date
    ) async throws -> Employee {
        try await write { db in
            // Inside the write transaction the lookup and the insert cannot interleave with another writer.
            if let existing = try Self.employee(db, platform: platform, platformUserID: platformUserID) {
                return existing
            }
            let employee = try Employee(displayName: displayName, createdAt: now).inserted(db)
            try Identity(platform: platform, platformUserID: platformUserID, employeeID: try employee.storedID).insert(db)
            return employee
        }
    }

    public func employee(id: Int64) async throws -> Employee? {
        try await read { db in try Employee.fetchOne(db, key: id) }
    }

    public func employee(platform: Platform, platformUserID: String) async throws -> Employee? {
        try await read { db in try Self.employee(db, platform: platform, platformUserID: platformUserID) }
    }

    public func identities(employeeID: Int64) async throws -> [Identity] {
        try await read { db in
            try Identity
                .filter(Identity.Columns.employeeID == employeeID)
                .order(Identity.Columns.platform, Identity.Columns.platformUserID)
                .fetchAll(db)
        }
    }

    public func linkIdentity(platform: Platform, platformUserID: String, employeeID: Int64) async throws -> Identity {
        try await write { db in
            guard try Employee.exists(db, key: employeeID) else {
                throw StoreError.notFound(.employee, String(employeeID))
            }
            let key = ["platform": platform.databaseValue, "platformUserID": platformUserID.databaseValue]
            if let existing = try Identity.fetchOne(db, key: key) {
                guard existing.employeeID == employeeID else {
                    // Moving an identity silently would hand one person's tickets and chats to another.
                    throw StoreError.duplicate(.identity, "\(platform.rawValue):\(platformUserID)")
                }
                return existing
            }
            let identity = Identity(platform: platform, platformUserID: platformUserID, employeeID: employeeID)
            try identity.insert(db)
            return identity
        }
    }

    public func updateEmployee(_ employee: Employee) async throws -> Employee {
        guard let id = employee.id else { throw StoreError.notFound(.employee, "nil") }
        return try await write { db in
            guard try Employee.exists(db, key: id) else { throw StoreError.notFound(.employee, String(id)) }
            try employee.update(db)
            return employee
        }
    }

    static func employee(_ db: Database, platform: Platform, platformUserID: String) throws -> Employee? {
        let key = ["platform": platform.databaseValue, "platformUserID": platformUserID.databaseValue]
        guard let identity = try Identity.fetchOne(db, key: key) else { return nil }
        return try Employee.fetchOne(db, key: identity.employeeID)
    }
}
