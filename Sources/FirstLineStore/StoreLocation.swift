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
    /// A `postgres://` or `postgresql://` value is a server; anything else is a file path. A server URL the
    /// store cannot use throws `StoreError.invalidValue` with the reason.
    public init(option: String?, environment: [String: String]) throws {
        let value = option ?? environment[Self.environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultPath
        if PostgresSettings.isPostgresURL(value) {
            self = .postgres(try PostgresSettings(url: value, environment: environment))
        } else {
            self = .sqlite(path: value)
        }
    }

    public var description: String {
        switch self {
        case let .sqlite(path): path
        case let .postgres(settings): settings.description
        }
    }

    /// Opens the store, migrated. Throws `StoreError` when it cannot be opened or reached.
    public func open(logger: Logger) async throws -> OpenedStore {
        switch self {
        case let .sqlite(path):
            let database = try AppDatabase.open(path: path)
            return OpenedStore(store: database, close: { try? database.close() })
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
