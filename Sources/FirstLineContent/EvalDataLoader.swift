import FirstLineCore
import Foundation

/// A query of a retrieval evaluation set (`queries.jsonl`).
public struct EvalQuery: Sendable, Equatable, Decodable {
    public var id: String
    public var text: String
    public var relevant: [String]
    public var lang: String?
}

/// An article of a retrieval evaluation set (`articles.jsonl`); extra fields are ignored.
public struct EvalArticle: Sendable, Equatable, Decodable {
    public var id: String
    public var title: String
    public var body: String?
    public var lang: String?
    public var category: String?

    public var searchDocument: SearchDocument {
        SearchDocument(id: id, lang: lang ?? "", title: title, category: category, body: body ?? "")
    }
}

/// A labelled ticket text of a categorisation set (`tickets.jsonl`).
public struct EvalTicket: Sendable, Equatable, Decodable {
    public var id: String
    public var text: String
    public var category: String
    public var split: String
}

/// Reads JSON Lines files, naming the file and line of the first bad row.
public struct JSONLinesReader: Sendable {
    public init() {}

    public func read<Row: Decodable>(_ type: Row.Type, from file: URL) throws -> [Row] {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ContentError.unreadable(path: file.path, reason: "no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ContentError.invalid([ContentIssue(file: file.path, line: 1, message: "file is not valid UTF-8")])
        }
        let decoder = JSONDecoder()
        var rows: [Row] = []
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            do {
                rows.append(try decoder.decode(Row.self, from: Data(trimmed.utf8)))
            } catch {
                throw ContentError.invalid([ContentIssue(file: file.path, line: lineNumber, message: Self.explain(error))])
            }
        }
        return rows
    }

    static func explain(_ error: any Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _):
            return "missing field '\(key.stringValue)'"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "field '\(path)' has the wrong type"
        case DecodingError.dataCorrupted:
            return "not a valid JSON object"
        default:
            return "cannot decode: \(error)"
        }
    }
}
