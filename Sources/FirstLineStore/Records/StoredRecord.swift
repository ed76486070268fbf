import FirstLineCore

/// A record whose row id is set once it is stored. Rows read from the database always have one;
/// `storedID` says so without a `!`, and a record that was never inserted is an error, not a crash.
protocol StoredRecord {
    var id: Int64? { get }
    static var storeEntity: StoreError.Entity { get }
}

extension StoredRecord {
    var storedID: Int64 {
        get throws(StoreError) {
            guard let id else { throw StoreError.invalidValue("\(Self.storeEntity.rawValue) has no row id: it was never stored") }
            return id
        }
    }
}

extension Ticket: StoredRecord { static var storeEntity: StoreError.Entity { .ticket } }
extension Employee: StoredRecord { static var storeEntity: StoreError.Entity { .employee } }
extension Conversation: StoredRecord { static var storeEntity: StoreError.Entity { .conversation } }
extension Suggestion: StoredRecord { static var storeEntity: StoreError.Entity { .suggestion } }
extension Approval: StoredRecord { static var storeEntity: StoreError.Entity { .approval } }
extension Account: StoredRecord { static var storeEntity: StoreError.Entity { .account } }
extension Incident: StoredRecord { static var storeEntity: StoreError.Entity { .incident } }

extension TicketStatus {
    /// `('new', 'open', 'waiting')`: the open statuses as an SQL list, written once from `openStatuses`.
    static let openSQLList = "(" + openStatuses.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
}
