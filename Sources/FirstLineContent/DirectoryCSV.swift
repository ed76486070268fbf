import Foundation

/// Reads the employee directory for `firstline users import directory.csv`: a header line, then
/// one person per line. Columns (any order, header names as below):
///
/// `id,name,email,department,manager,slack,telegram,line,lineworks`
///
/// `id` and `name` are required; `manager` is the manager's `id`; the last four are the person's
/// user ids on each messenger (empty when they do not use it). Quoted fields (RFC 4180, with `""`
/// for a quote) may hold commas and line breaks. Every problem names its line.
public enum DirectoryCSV {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var id: String
        public var name: String
        public var email: String?
        public var department: String?
        public var manager: String?
        /// Messenger name → user id, for the messengers the person uses.
        public var platformIDs: [String: String]
    }

    public static let columns = ["id", "name", "email", "department", "manager", "slack", "telegram", "line", "lineworks"]
    public static let platformColumns = ["slack", "telegram", "line", "lineworks"]

    public static func parse(_ text: String, file: String) throws(SettingsFile.Failure) -> [Row] {
        let records = try split(text, file: file)
        guard let header = records.first else {
            throw SettingsFile.Failure(issues: [ContentIssue(file: file, line: 1, message: "the file is empty; expected a header line")])
        }
        var issues: [ContentIssue] = []
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for name in names where !columns.contains(name) {
            issues.append(ContentIssue(file: file, line: header.line, message: "unknown column '\(name)' (known: \(columns.joined(separator: ", ")))"))
        }
        for required in ["id", "name"] where !names.contains(required) {
            issues.append(ContentIssue(file: file, line: header.line, message: "the header needs a '\(required)' column"))
        }
        guard issues.isEmpty else { throw SettingsFile.Failure(issues: issues) }

        var rows: [Row] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() where !(record.fields.count == 1 && record.fields[0].isEmpty) {
            guard record.fields.count == names.count else {
                issues.append(ContentIssue(file: file, line: record.line,
                                           message: "\(record.fields.count) fields, but the header has \(names.count)"))
                continue
            }
            var values: [String: String] = [:]
            for (name, value) in zip(names, record.fields) {
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { values[name] = trimmed }
            }
            guard let id = values["id"], let name = values["name"] else {
                issues.append(ContentIssue(file: file, line: record.line, message: "'id' and 'name' must not be empty"))
                continue
            }
            if let first = seen[id] {
                issues.append(ContentIssue(file: file, line: record.line, message: "id '\(id)' is already used on line \(first)"))
                continue
            }
            seen[id] = record.line
            if let email = values["email"], !email.contains("@") {
                issues.append(ContentIssue(file: file, line: record.line, message: "'\(email)' is not an e-mail address"))
            }
            if values["manager"] == id {
                issues.append(ContentIssue(file: file, line: record.line, message: "'\(id)' cannot be their own manager"))
            }
            var platformIDs: [String: String] = [:]
            for platform in platformColumns { if let value = values[platform] { platformIDs[platform] = value } }
            rows.append(Row(line: record.line, id: id, name: name, email: values["email"], department: values["department"],
                            manager: values["manager"], platformIDs: platformIDs))
        }
        guard issues.isEmpty else { throw SettingsFile.Failure(issues: issues) }
        return rows
    }

    /// Splits into records with the line each starts on; a quoted field may span lines.
    private static func split(_ text: String, file: String) throws(SettingsFile.Failure) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var characters = Array(text.replacingOccurrences(of: "\r\n", with: "\n"))
        if characters.first == "\u{FEFF}" { characters.removeFirst() }  // a byte-order mark from spreadsheet exports
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if quoted {
                if character == "\"" {
                    if index + 1 < characters.count, characters[index + 1] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" { line += 1 }
                    field.append(character)
                }
            } else {
                switch character {
                case "\"" where field.isEmpty:
                    quoted = true
                    quoteLine = line
                case ",":
                    fields.append(field)
                    field = ""
                case "\n":
                    fields.append(field)
                    records.append((recordLine, fields))
                    fields = []
                    field = ""
                    line += 1
                    recordLine = line
                default:
                    field.append(character)
                }
            }
            index += 1
        }
        if quoted {
            throw SettingsFile.Failure(issues: [ContentIssue(file: file, line: quoteLine, message: "a quoted field is never closed")])
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }
}
