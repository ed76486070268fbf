import Foundation
import PostgresNIO

/// Where the PostgreSQL store lives, read from a `postgres://user[:password]@host[:port]/database` URL
/// (`firstline serve --db …` or `FIRSTLINE_DATABASE_URL`).
///
/// The password comes from the URL or, when the URL has none, from `PGPASSWORD`, as with `psql`.
/// `description` never shows it, so the settings can be logged.
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is encrypted, from the URL's `sslmode` (libpq's names).
    public enum TLSMode: String, Sendable, Equatable {
        /// Plain TCP only.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS, with the server's certificate verified; no connection without it.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String?
    public var tls: TLSMode
    /// The schema the store's tables live in (the server's `search_path`); nil means the user's default.
    /// The tests give each test a schema of its own.
    public var schema: String?
    /// The most connections this process opens to the server.
    public var maximumConnections: Int

    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String? = nil,
                tls: TLSMode = .prefer, schema: String? = nil, maximumConnections: Int = 20) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.schema = schema
        self.maximumConnections = maximumConnections
    }

    /// Whether `value` is meant as a PostgreSQL URL rather than a SQLite file path.
    public static func isPostgresURL(_ value: String) -> Bool {
        value.hasPrefix("postgres://") || value.hasPrefix("postgresql://")
    }

    /// Reads a URL. Throws `StoreError.invalidValue` naming what is wrong (never the password).
    /// Query items: `sslmode` (disable, prefer, require; verify-ca and verify-full mean require),
    /// `search_path` or `schema`, and `pool_max` (connections of this process).
    public init(url: String, environment: [String: String]) throws {
        guard Self.isPostgresURL(url), let components = URLComponents(string: url) else {
            throw StoreError.invalidValue("database URL must look like postgres://user@host:5432/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.invalidValue("database URL has no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError.invalidValue("database URL has no user name (postgres://user@\(host)/…)")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else {
            throw StoreError.invalidValue("database URL path must be just the database name")
        }
        var tls = TLSMode.prefer
        var schema: String?
        var maximumConnections = 20
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                switch value {
                case "disable": tls = .disable
                case "allow", "prefer": tls = .prefer
                case "require", "verify-ca", "verify-full": tls = .require
                default: throw StoreError.invalidValue("database URL: sslmode \(value) is not disable, prefer or require")
                }
            case "search_path", "schema":
                guard Self.isPlainIdentifier(value) else {
                    throw StoreError.invalidValue("database URL: \(item.name) must be one lower-case name (a-z, 0-9, _)")
                }
                schema = value
            case "pool_max":
                guard let count = Int(value), count > 0 else {
                    throw StoreError.invalidValue("database URL: pool_max \(value) is not a positive number")
                }
                maximumConnections = count
            default:
                // A misspelt option silently ignored would leave the operator believing it applies.
                throw StoreError.invalidValue("database URL: unknown option \(item.name)")
            }
        }
        let password = components.password?.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 }
        self.init(host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
                  password: password ?? environment["PGPASSWORD"], database: path.isEmpty ? nil : path.removingPercentEncoding,
                  tls: tls, schema: schema, maximumConnections: maximumConnections)
    }

    /// A name PostgreSQL takes as it is, without quotes: lower-case letters, digits and `_`, not first a digit.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 63,
              ("a"..."z").contains(first) || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The URL without its password: safe for logs and error messages.
    public var description: String {
        var text = "postgres://\(username)@\(host):\(port)/\(database ?? "")"
        var options: [String] = []
        if tls != .prefer { options.append("sslmode=\(tls.rawValue)") }
        if let schema { options.append("search_path=\(schema)") }
        if !options.isEmpty { text += "?" + options.joined(separator: "&") }
        return text
    }

    var clientConfiguration: PostgresClient.Configuration {
        let tlsConfiguration: PostgresClient.Configuration.TLS
        switch tls {
        case .disable: tlsConfiguration = .disable
        case .prefer: tlsConfiguration = .prefer(.makeClientConfiguration())
        case .require: tlsConfiguration = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                                         database: database, tls: tlsConfiguration)
        configuration.options.maximumConnections = maximumConnections
        if let schema, Self.isPlainIdentifier(schema) {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return configuration
    }
}
