import FirstLineCore
import Foundation
import PostgresNIO

// Employees, identities, conversations and accounts. Each find-or-create takes an advisory lock on its key
// first, so two replicas meeting the same new Slack user create one employee, as one SQLite writer does.

extension PostgresStore: DirectoryRepository {
    public func findOrCreateEmployee(
        platform: Platform, platformUserID: String, displayName: String, at now: Date
    ) async throws -> Employee {
        try await write { db in
            try await Self.findOrCreateEmployee(db, platform: platform, platformUserID: platformUserID,
                                                displayName: displayName, at: now)
        }
    }

    public func employee(id: Int64) async throws -> Employee? {
        try await read { db in try await Self.employee(db, id: id) }
    }

    public func employee(platform: Platform, platformUserID: String) async throws -> Employee? {
        try await read { db in try await Self.employee(db, platform: platform, platformUserID: platformUserID) }
    }

    public func identities(employeeID: Int64) async throws -> [Identity] {
        try await read { db in
            try await db.all("""
                SELECT platform, platformUserID, employeeID FROM identity WHERE employeeID = \(employeeID)
                ORDER BY platform COLLATE "C", platformUserID COLLATE "C"
                """, PostgresRows.identity)
        }
    }

    public func linkIdentity(platform: Platform, platformUserID: String, employeeID: Int64) async throws -> Identity {
        try await write { db in
            try await Self.lockIdentity(db, platform: platform, platformUserID: platformUserID)
            guard try await Self.employee(db, id: employeeID) != nil else {
                throw StoreError.notFound(.employee, String(employeeID))
            }
            if let existing = try await Self.identity(db, platform: platform, platformUserID: platformUserID) {
                guard existing.employeeID == employeeID else {
                    // Moving an identity silently would hand one person's tickets and chats to another.
                    throw StoreError.duplicate(.identity, "\(platform.rawValue):\(platformUserID)")
                }
                return existing
            }
            try await db.execute("""
                INSERT INTO identity (platform, platformUserID, employeeID) VALUES (\(platform.rawValue), \(platformUserID), \(employeeID))
                """)
            return Identity(platform: platform, platformUserID: platformUserID, employeeID: employeeID)
        }
    }

    public func updateEmployee(_ employee: Employee) async throws -> Employee {
        guard let id = employee.id else { throw StoreError.notFound(.employee, "nil") }
        return try await write { db in
            let changed = try await db.update("""
                UPDATE employee SET displayName = \(employee.displayName), email = \(employee.email),
                department = \(employee.department), managerEmployeeID = \(employee.managerEmployeeID),
                directoryID = \(employee.directoryID), createdAt = \(employee.createdAt)
                WHERE id = \(id) RETURNING 1
                """)
            guard changed == 1 else { throw StoreError.notFound(.employee, String(id)) }
            return employee
        }
    }

    // MARK: - Inside a transaction

    static func employee(_ db: PostgresTransaction, id: Int64) async throws -> Employee? {
        try await db.first("SELECT \(unescaped: PostgresRows.employeeColumns) FROM employee WHERE id = \(id)", PostgresRows.employee)
    }

    static func employee(_ db: PostgresTransaction, platform: Platform, platformUserID: String) async throws -> Employee? {
        try await db.first("""
            SELECT \(unescaped: PostgresRows.employeeColumns) FROM employee
            WHERE id = (SELECT employeeID FROM identity WHERE platform = \(platform.rawValue) AND platformUserID = \(platformUserID))
            """, PostgresRows.employee)
    }

    static func identity(_ db: PostgresTransaction, platform: Platform, platformUserID: String) async throws -> Identity? {
        try await db.first("""
            SELECT platform, platformUserID, employeeID FROM identity
            WHERE platform = \(platform.rawValue) AND platformUserID = \(platformUserID)
            """, PostgresRows.identity)
    }

    static func lockIdentity(_ db: PostgresTransaction, platform: Platform, platformUserID: String) async throws {
        try await db.lock("identity:\(platform.rawValue):\(platformUserID)")
    }

    static func findOrCreateEmployee(_ db: PostgresTransaction, platform: Platform, platformUserID: String,
                                     displayName: String, at now: Date) async throws -> Employee {
        try await lockIdentity(db, platform: platform, platformUserID: platformUserID)
        if let existing = try await employee(db, platform: platform, platformUserID: platformUserID) { return existing }
        let employee = try await insertEmployee(db, Employee(displayName: displayName, createdAt: now))
        try await db.execute("""
            INSERT INTO identity (platform, platformUserID, employeeID)
            VALUES (\(platform.rawValue), \(platformUserID), \(try employee.storedID))
            """)
        return employee
    }

    static func insertEmployee(_ db: PostgresTransaction, _ employee: Employee) async throws -> Employee {
        let inserted = try await db.first("""
            INSERT INTO employee (displayName, email, department, managerEmployeeID, directoryID, createdAt)
            VALUES (\(employee.displayName), \(employee.email), \(employee.department), \(employee.managerEmployeeID),
                    \(employee.directoryID), \(employee.createdAt))
            RETURNING \(unescaped: PostgresRows.employeeColumns)
            """, PostgresRows.employee)
        guard let inserted else { throw StoreError.invalidValue("employee insert returned no row") }
        return inserted
    }
}

extension PostgresStore: ConversationRepository {
    public func findOrCreateConversation(
        platform: Platform, conversationKey: String, employeeID: Int64, initialState: String, at now: Date
    ) async throws -> Conversation {
        try await write { db in
            try await Self.lockConversation(db, platform: platform, conversationKey: conversationKey)
            if let existing = try await Self.conversation(db, platform: platform, conversationKey: conversationKey) {
                return existing
            }
            guard try await Self.employee(db, id: employeeID) != nil else {
                throw StoreError.notFound(.employee, String(employeeID))
            }
            return try await Self.insertConversation(db, platform: platform, conversationKey: conversationKey,
                                                     employeeID: employeeID, state: initialState, at: now)
        }
    }

    public func conversation(id: Int64) async throws -> Conversation? {
        try await read { db in try await Self.conversation(db, id: id) }
    }

    public func conversation(platform: Platform, conversationKey: String) async throws -> Conversation? {
        try await read { db in try await Self.conversation(db, platform: platform, conversationKey: conversationKey) }
    }

    public func messages(conversationID: Int64) async throws -> [ConversationMessage] {
        try await read { db in
            // Id order is insertion order; timestamps can tie within one turn.
            try await db.all("""
                SELECT \(unescaped: PostgresRows.messageColumns) FROM message WHERE conversationID = \(conversationID) ORDER BY id
                """, PostgresRows.message)
        }
    }

    public func appendMessage(_ message: NewMessage, conversationID: Int64, at now: Date) async throws -> ConversationMessage {
        try await write { db in
            guard try await Self.conversation(db, id: conversationID) != nil else {
                throw StoreError.notFound(.conversation, String(conversationID))
            }
            return try await Self.insertMessage(db, message, conversationID: conversationID, at: now)
        }
    }

    /// The employee's conversations, most recently active first.
    public func conversations(employeeID: Int64) async throws -> [Conversation] {
        try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.conversationColumns) FROM conversation WHERE employeeID = \(employeeID)
                ORDER BY updatedAt DESC, id
                """, PostgresRows.conversation)
        }
    }

    // MARK: - Inside a transaction

    static func conversation(_ db: PostgresTransaction, id: Int64, forUpdate: Bool = false) async throws -> Conversation? {
        try await db.first("""
            SELECT \(unescaped: PostgresRows.conversationColumns) FROM conversation WHERE id = \(id) \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """, PostgresRows.conversation)
    }

    static func existingConversation(_ db: PostgresTransaction, id: Int64, forUpdate: Bool = false) async throws -> Conversation {
        guard let conversation = try await conversation(db, id: id, forUpdate: forUpdate) else {
            throw StoreError.notFound(.conversation, String(id))
        }
        return conversation
    }

    static func conversation(_ db: PostgresTransaction, platform: Platform, conversationKey: String) async throws -> Conversation? {
        try await db.first("""
            SELECT \(unescaped: PostgresRows.conversationColumns) FROM conversation
            WHERE platform = \(platform.rawValue) AND channelKey = \(conversationKey)
            """, PostgresRows.conversation)
    }

    static func lockConversation(_ db: PostgresTransaction, platform: Platform, conversationKey: String) async throws {
        try await db.lock("conversation:\(platform.rawValue):\(conversationKey)")
    }

    static func insertConversation(_ db: PostgresTransaction, platform: Platform, conversationKey: String, employeeID: Int64,
                                   state: String, at now: Date) async throws -> Conversation {
        let inserted = try await db.first("""
            INSERT INTO conversation (platform, channelKey, employeeID, state, createdAt, updatedAt)
            VALUES (\(platform.rawValue), \(conversationKey), \(employeeID), \(state), \(now), \(now))
            RETURNING \(unescaped: PostgresRows.conversationColumns)
            """, PostgresRows.conversation)
        guard let inserted else { throw StoreError.invalidValue("conversation insert returned no row") }
        return inserted
    }

    static func insertMessage(_ db: PostgresTransaction, _ message: NewMessage, conversationID: Int64,
                              at now: Date) async throws -> ConversationMessage {
        let inserted = try await db.first("""
            INSERT INTO message (conversationID, direction, author, text, payload, createdAt)
            VALUES (\(conversationID), \(message.direction.rawValue), \(message.author.rawValue), \(message.text),
                    \(message.payload), \(now))
            RETURNING \(unescaped: PostgresRows.messageColumns)
            """, PostgresRows.message)
        guard let inserted else { throw StoreError.invalidValue("message insert returned no row") }
        return inserted
    }
}

extension PostgresStore: AccountRepository {
    public func createAccount(_ new: NewAccount, at now: Date) async throws -> Account {
        try await write { db in
            // One account creation at a time, so two with the same name cannot both pass the check; the
            // unique index on lower(name) stays as the last line of defence.
            try await db.lock("account")
            if try await db.exists("SELECT 1 FROM account WHERE lower(name) = lower(\(new.name))") {
                throw StoreError.duplicate(.account, new.name)
            }
            if try await db.exists("SELECT 1 FROM account WHERE tokenHash = \(new.tokenHash)") {
                // Only a caller reusing a token gets here (random tokens do not collide); the name stays secret-free.
                throw StoreError.duplicate(.account, "token of \(new.name)")
            }
            if new.role == .employee, new.employeeID == nil {
                throw StoreError.invalidValue("an employee account needs an employee")
            }
            if let employeeID = new.employeeID, try await Self.employee(db, id: employeeID) == nil {
                throw StoreError.notFound(.employee, String(employeeID))
            }
            let inserted = try await db.first("""
                INSERT INTO account (name, role, tokenHash, employeeID, createdAt)
                VALUES (\(new.name), \(new.role.rawValue), \(new.tokenHash), \(new.employeeID), \(now))
                RETURNING \(unescaped: PostgresRows.accountColumns)
                """, PostgresRows.account)
            guard let inserted else { throw StoreError.invalidValue("account insert returned no row") }
            return inserted
        }
    }

    public func account(tokenHash: String) async throws -> Account? {
        try await read { db in
            try await db.first("SELECT \(unescaped: PostgresRows.accountColumns) FROM account WHERE tokenHash = \(tokenHash)",
                               PostgresRows.account)
        }
    }

    public func account(name: String) async throws -> Account? {
        try await read { db in
            try await db.first("SELECT \(unescaped: PostgresRows.accountColumns) FROM account WHERE lower(name) = lower(\(name))",
                               PostgresRows.account)
        }
    }

    public func accounts() async throws -> [Account] {
        try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.accountColumns) FROM account ORDER BY lower(name) COLLATE "C", name COLLATE "C"
                """, PostgresRows.account)
        }
    }

    public func disableAccount(name: String, at now: Date) async throws -> Account {
        try await write { db in
            guard var account = try await db.first("""
                SELECT \(unescaped: PostgresRows.accountColumns) FROM account WHERE lower(name) = lower(\(name)) FOR UPDATE
                """, PostgresRows.account)
            else {
                throw StoreError.notFound(.account, name)
            }
            // Disabling twice keeps the first time: that is when access ended.
            guard account.disabledAt == nil else { return account }
            account.disabledAt = now
            try await db.execute("UPDATE account SET disabledAt = \(now) WHERE id = \(try account.storedID)")
            return account
        }
    }
}
