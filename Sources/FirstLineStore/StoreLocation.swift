import Foundation
import Logging

/// Where the store lives: a SQLite file (the default) or a PostgreSQL server that several replicas share.
/// Read from `--db` or, without it, `FIRSTLINE_DATABASE_URL`; `description` never shows a password.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresSettings)

    /// The environment variable that names the store when `--db` is not given.
    public static let environmentVariable = "FIRSTLINE_DATABASE_URL"
    public static let defaultPath = "firstline.sqlite"

    /// `option` (the `--db` value) wins over the environment, which wins over `firstline.sqlite`.
    /// A `postgres://` or `postgresql://` value is a server; any other `scheme://` value (`mysql://…`,
    /// `sqlite://…`) is refused rather than taken for a file path; anything else is a file path. A value the
    /// store cannot use throws `StoreError.invalidValue` with the reason (never the URL's password).
    public init(option: String?, environment: [String: String]) throws {
        let value = option ?? environment[Self.environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultPath
        if PostgresSettings.isPostgresURL(value) {
            self = .postgres(try PostgresSettings(url: value, environment: environment))
        } else if let scheme = Self.urlScheme(of: value) {
            throw StoreError.invalidValue(
                "\(scheme):// is not a database FirstLine can use; give a SQLite file path or a postgres:// URL")
        } else if value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError.invalidValue("the database path is empty")
        } else {
            self = .sqlite(path: value)
        }
    }

    /// The scheme of a `scheme://…` value (RFC 3986 letters), nil for a plain path.
    static func urlScheme(of value: String) -> String? {
        guard let range = value.range(of: "://") else { return nil }
        let scheme = value[..<range.lowerBound]
        guard let first = scheme.first, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
        return String(scheme)
    }

    public var description: String {
        switch self {
        case let .sqlite(path): path
        case let .postgres(settings): settings.description
        }
    }

    /// Opens the store, migrated. Throws `StoreError` when it cannot be opened or reached.
    ///
    /// - Parameter lockPurpose: for a SQLite file, takes its `DatabaseLock` first (throwing
    ///   `DatabaseLock.Failure.held` when another process has it) and holds it until `close`; the purpose
    ///   ("firstline serve") is what a second process's error names. PostgreSQL is shared by design: no lock.
    public func open(logger: Logger, lockPurpose: String? = nil) async throws -> OpenedStore {
        switch self {
        case let .sqlite(path):
            try AppDatabase.requireFolder(of: path)
            let lock = try lockPurpose.map { try DatabaseLock.acquire(databaseAt: path, purpose: $0) }
            let database: AppDatabase
            do {
                database = try AppDatabase.open(path: path)
            } catch {
                lock?.release()
                throw error
            }
            return OpenedStore(store: database, close: {
                try? database.close()
                lock?.release()
            })
        case let .postgres(settings):
            let database = try await PostgresStore.connect(settings, logger: logger)
            return OpenedStore(store: database, close: { database.close() })
        }
    }
}

/// An open store and how to close it when the command ends.
public struct OpenedStore: Sendable {
    public let store: any HelpdeskStore
    public let close: @Sendable () -> Void
}

extension StoreLocation {
    /// Whether several processes may share this store (a PostgreSQL server); a SQLite file has one `serve`.
    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }
}
