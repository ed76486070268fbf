import FirstLineCore
import Foundation
import GRDB

extension AppDatabase: AccountRepository {
    public func createAccount(_ new: NewAccount, at now: Date) async throws -> Account {
        try await write { db in
            // Checked inside the write transaction, so two concurrent creations cannot both pass; the UNIQUE
            // index stays as the last line of defence against another process.
            if try Account.filter(Account.Columns.name == new.name).fetchCount(db) > 0 {
                throw StoreError.duplicate(.account, new.name)
            }
            if try Account.filter(Account.Columns.tokenHash == new.tokenHash).fetchCount(db) > 0 {
                // Only a caller reusing a token gets here (random tokens do not collide); the name stays secret-free.
                throw StoreError.duplicate(.account, "token of \(new.name)")
            }
            if new.role == .employee, new.employeeID == nil {
                throw StoreError.invalidValue("an employee account needs an employee")
            }
            if let employeeID = new.employeeID, try !Employee.exists(db, key: employeeID) {
                throw StoreError.notFound(.employee, String(employeeID))
            }
            return try Account(
                name: new.name, role: new.role, tokenHash: new.tokenHash, employeeID: new.employeeID, createdAt: now
            ).inserted(db)
        }
    }

    public func account(tokenHash: String) async throws -> Account? {
        try await read { db in try Account.filter(Account.Columns.tokenHash == tokenHash).fetchOne(db) }
    }

    public func account(name: String) async throws -> Account? {
        try await read { db in try Account.filter(Account.Columns.name == name).fetchOne(db) }
    }

    public func accounts() async throws -> [Account] {
        try await read { db in try Account.order(Account.Columns.name).fetchAll(db) }
    }

    public func disableAccount(name: String, at now: Date) async throws -> Account {
        try await write { db in
            guard var account = try Account.filter(Account.Columns.name == name).fetchOne(db) else {
                throw StoreError.notFound(.account, name)
            }
            // Disabling twice keeps the first time: that is when access ended.
            guard account.disabledAt == nil else { return account }
            account.disabledAt = now
            try account.update(db)
            return account
        }
    }
}
