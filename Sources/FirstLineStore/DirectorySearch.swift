import FirstLineCore
import Foundation
import GRDB
import PostgresNIO

/// The directory as an agent searches it when logging a call or a visit for an employee (issue: console,
/// point 2): a part of a name, an e-mail address or a department, in any script.
public protocol DirectorySearchRepository: Sendable {
    /// Employees whose name, e-mail or department contains `text` (case-insensitive for Latin letters),
    /// by name, at most `limit`. An empty or blank `text` finds nobody rather than everyone.
    func searchEmployees(_ text: String, limit: Int) async throws -> [Employee]
}

enum DirectorySearch {
    /// The LIKE pattern for `text` with `%`, `_` and the escape character itself taken literally: an
    /// agent typing `50%` or `a_b` means those characters.
    static func pattern(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        let escaped = trimmed.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return "%\(escaped)%"
    }

    static let maximumLimit = 100
}

extension AppDatabase: DirectorySearchRepository {
    public func searchEmployees(_ text: String, limit: Int) async throws -> [Employee] {
        guard let pattern = DirectorySearch.pattern(text) else { return [] }
        let limit = max(1, min(limit, DirectorySearch.maximumLimit))
        return try await read { db in
            try Employee.fetchAll(db, sql: """
                SELECT * FROM employee
                WHERE displayName LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\' OR department LIKE ? ESCAPE '\\'
                ORDER BY displayName, id LIMIT ?
                """, arguments: [pattern, pattern, pattern, limit])
        }
    }
}

extension PostgresStore: DirectorySearchRepository {
    public func searchEmployees(_ text: String, limit: Int) async throws -> [Employee] {
        guard let pattern = DirectorySearch.pattern(text) else { return [] }
        let limit = max(1, min(limit, DirectorySearch.maximumLimit))
        return try await read { db in
            // COLLATE "C" orders names the same way SQLite's binary collation does.
            try await db.all("""
                SELECT \(unescaped: PostgresRows.employeeColumns) FROM employee
                WHERE displayName ILIKE \(pattern) ESCAPE '\\' OR email ILIKE \(pattern) ESCAPE '\\'
                   OR department ILIKE \(pattern) ESCAPE '\\'
                ORDER BY displayName COLLATE "C", id LIMIT \(limit)
                """, PostgresRows.employee)
        }
    }
}
