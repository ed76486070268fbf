import FirstLineCore
import GRDB

/// Every failure the store reports. Callers switch on these cases instead of parsing SQLite messages,
/// and a future PostgreSQL store can throw the same cases.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kinds of stored things an error can be about.
    public enum Entity: String, Sendable, Equatable {
        case employee, identity, conversation, message, suggestion, learnedPhrase, ticket, ticketEvent, inbox, outbox
        case account, approval, timer, incident, chatSession
    }

    /// No row of `entity` has this id (an integer id, a ticket number, or a platform key).
    case notFound(Entity, String)
    /// A row with this unique key already exists and the operation must not merge with it silently.
    case duplicate(Entity, String)
    /// The row exists but is not in a state from which the requested change is allowed.
    case invalidTransition(Entity, id: String, from: String, to: String)
    /// A value the schema or the domain rejects (for example a rating outside 1...5).
    case invalidValue(String)
    /// SQLite failed for a reason the store does not model (I/O, busy timeout, corruption).
    /// `code` is SQLite's extended result code so operators can look it up.
    case database(code: Int32, message: String)
    /// The store cannot take writes right now, for a reason outside the request: the disk is full, the file
    /// or its file system is read-only, an I/O error, a file that cannot be opened (SQLite's `SQLITE_FULL`,
    /// `SQLITE_READONLY`, `SQLITE_IOERR`, `SQLITE_CANTOPEN`), or PostgreSQL out of space, read-only or not
    /// reachable. Nothing of the failed transaction is stored; the same request succeeds once the disk does,
    /// so the server answers 503 with `Retry-After` (platforms redeliver) instead of a 500.
    case unavailable(code: Int32, message: String)

    public var description: String {
        switch self {
        case let .notFound(entity, id): "\(entity.rawValue) \(id) not found"
        case let .duplicate(entity, id): "\(entity.rawValue) \(id) already exists"
        case let .invalidTransition(entity, id, from, to): "\(entity.rawValue) \(id) cannot go from \(from) to \(to)"
        case let .invalidValue(message): "invalid value: \(message)"
        case let .database(code, message): "database error \(code): \(message)"
        case let .unavailable(code, message): "storage unavailable (\(code)): \(message)"
        }
    }

    /// Wraps a GRDB error so that nothing GRDB-specific leaks through the repository protocols.
    init(_ error: DatabaseError) {
        let code = error.extendedResultCode.rawValue
        let message = error.message ?? "\(error)"
        self = Self.storageTrouble.contains(error.resultCode) ? .unavailable(code: code, message: message)
            : .database(code: code, message: message)
    }

    /// The primary result codes of a disk or file that refuses writes: transient from the request's point of
    /// view (an operator frees space or remounts), as opposed to a constraint or a bug.
    static let storageTrouble: [ResultCode] = [.SQLITE_FULL, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_CANTOPEN]

    /// Whether this is `.unavailable`: the store refuses writes for now.
    public var isStorageUnavailable: Bool {
        if case .unavailable = self { return true }
        return false
    }
}
