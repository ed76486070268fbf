import FirstLineCore
import Foundation
import GRDB

/// A sign-in to the console (issue: console, point 1): the cookie's value is never stored, only
/// its SHA-256; the CSRF token every form carries; an expiry; revoked on sign-out.
public struct ConsoleSession: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "consoleSession"

    public var tokenHash: String
    public var accountName: String
    public var role: Account.Role
    public var employeeID: Int64?
    public var csrf: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(tokenHash: String, accountName: String, role: Account.Role, employeeID: Int64?, csrf: String, createdAt: Date,
                expiresAt: Date, revokedAt: Date? = nil) {
        self.tokenHash = tokenHash
        self.accountName = accountName
        self.role = role
        self.employeeID = employeeID
        self.csrf = csrf
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Usable at `now`: not revoked, not expired.
    public func isLive(at now: Date) -> Bool { revokedAt == nil && expiresAt > now }
}

public protocol ConsoleSessionStore: Sendable {
    func createConsoleSession(_ session: ConsoleSession) async throws
    func consoleSession(tokenHash: String) async throws -> ConsoleSession?
    func revokeConsoleSession(tokenHash: String, at now: Date) async throws
}

extension AppDatabase: ConsoleSessionStore {
    public func createConsoleSession(_ session: ConsoleSession) async throws {
        try await write { db in try session.insert(db) }
    }

    public func consoleSession(tokenHash: String) async throws -> ConsoleSession? {
        try await read { db in try ConsoleSession.fetchOne(db, key: tokenHash) }
    }

    public func revokeConsoleSession(tokenHash: String, at now: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE consoleSession SET revokedAt = ? WHERE tokenHash = ? AND revokedAt IS NULL",
                           arguments: [now, tokenHash])
        }
    }
}
