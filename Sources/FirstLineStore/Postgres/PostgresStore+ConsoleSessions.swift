import FirstLineCore
import Foundation
import PostgresNIO

extension PostgresStore: ConsoleSessionStore {
    public func createConsoleSession(_ session: ConsoleSession) async throws {
        try await write { db in
            try await db.execute("""
                INSERT INTO consoleSession (tokenHash, accountName, role, employeeID, csrf, createdAt, expiresAt)
                VALUES (\(session.tokenHash), \(session.accountName), \(session.role.rawValue), \(session.employeeID),
                        \(session.csrf), \(session.createdAt), \(session.expiresAt))
                """)
        }
    }

    public func consoleSession(tokenHash: String) async throws -> ConsoleSession? {
        try await read { db in
            try await db.first("""
                SELECT tokenHash, accountName, role, employeeID, csrf, createdAt, expiresAt, revokedAt FROM consoleSession
                 WHERE tokenHash = \(tokenHash)
                """) { row in
                let (hash, name, role, employee, csrf, created, expires, revoked) =
                    try row.decode((String, String, String, Int64?, String, Date, Date, Date?).self)
                guard let role = Account.Role(rawValue: role) else { throw StoreError.invalidValue("role \(role)") }
                return ConsoleSession(tokenHash: hash, accountName: name, role: role, employeeID: employee, csrf: csrf,
                                      createdAt: created, expiresAt: expires, revokedAt: revoked)
            }
        }
    }

    public func revokeConsoleSession(tokenHash: String, at now: Date) async throws {
        try await write { db in
            try await db.execute("UPDATE consoleSession SET revokedAt = \(now) WHERE tokenHash = \(tokenHash) AND revokedAt IS NULL")
        }
    }
}
