import Foundation
import Yams

/// A YAML mapping read field by field, each problem reported with its line in the file.
struct YAMLMapping {
    let file: String
    /// Added to Yams' 1-based line numbers: the line of the file where the YAML text starts, minus one.
    let lineOffset: Int
    private let pairs: [String: (key: Node, value: Node)]
    let line: Int
    private(set) var issues: [ContentIssue] = []

    /// Parses `yaml`; a syntax error becomes the only issue and an empty mapping.
    init(yaml: String, file: String, lineOffset: Int) {
        self.file = file
        self.lineOffset = lineOffset
        self.line = lineOffset + 1
        var pairs: [String: (key: Node, value: Node)] = [:]
        do {
            guard let root = try Yams.compose(yaml: yaml) else {
                self.pairs = [:]
                issues.append(ContentIssue(file: file, line: lineOffset + 1, message: "empty YAML"))
                return
            }
            guard let mapping = root.mapping else {
                self.pairs = [:]
                issues.append(ContentIssue(file: file, line: Self.line(of: root, offset: lineOffset),
                                           message: "expected a mapping of fields"))
                return
            }
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                if pairs[name] != nil {
                    issues.append(ContentIssue(file: file, line: Self.line(of: key, offset: lineOffset),
                                               message: "duplicate field '\(name)'"))
                }
                pairs[name] = (key, value)
            }
        } catch {
            issues.append(Self.issue(from: error, file: file, offset: lineOffset))
        }
        self.pairs = pairs
    }

    var fieldNames: [String] { Array(pairs.keys) }

    func lineOf(_ field: String) -> Int {
        guard let pair = pairs[field] else { return line }
        return Self.line(of: pair.value, offset: lineOffset)
    }

    mutating func string(_ field: String, required: Bool = true) -> String? {
        guard let pair = pairs[field] else {
            if required { missing(field) }
            return nil
        }
        guard let scalar = pair.value.scalar, !scalar.string.trimmingCharacters(in: .whitespaces).isEmpty else {
            report(field, "'\(field)' must be a non-empty text")
            return nil
        }
        return scalar.string
    }

    mutating func stringList(_ field: String, required: Bool = true) -> [String]? {
        guard let pair = pairs[field] else {
            if required { missing(field) }
            return nil
        }
        return strings(in: pair.value, field: field)
    }

    /// A mapping from language code to a list of strings (`examples:` and `replies:` of intents).
    mutating func languageLists(_ field: String) -> [String: (line: Int, values: [String])]? {
        guard let pair = pairs[field] else {
            missing(field)
            return nil
        }
        guard let mapping = pair.value.mapping else {
            report(field, "'\(field)' must map languages (ko, ja, en) to lists")
            return nil
        }
        var result: [String: (line: Int, values: [String])] = [:]
        for (key, value) in mapping {
            guard let language = key.string else { continue }
            let values: [String]?
            if let scalar = value.scalar {
                values = [scalar.string]
            } else {
                values = strings(in: value, field: "\(field).\(language)")
            }
            if let values { result[language] = (Self.line(of: key, offset: lineOffset), values) }
        }
        return result
    }

    mutating func report(_ field: String, _ message: String) {
        issues.append(ContentIssue(file: file, line: lineOf(field), message: message, field: field))
    }

    mutating func report(line: Int, _ message: String) {
        issues.append(ContentIssue(file: file, line: line, message: message))
    }

    private mutating func missing(_ field: String) {
        issues.append(ContentIssue(file: file, line: line, message: "missing required field '\(field)'", field: field))
    }

    private mutating func strings(in node: Node, field: String) -> [String]? {
        guard let sequence = node.sequence else {
            issues.append(ContentIssue(file: file, line: Self.line(of: node, offset: lineOffset),
                                       message: "'\(field)' must be a list"))
            return nil
        }
        var values: [String] = []
        for item in sequence {
            guard let scalar = item.scalar, !scalar.string.trimmingCharacters(in: .whitespaces).isEmpty else {
                issues.append(ContentIssue(file: file, line: Self.line(of: item, offset: lineOffset),
                                           message: "'\(field)' items must be non-empty texts"))
                continue
            }
            values.append(scalar.string)
        }
        return values
    }

    static func line(of node: Node, offset: Int) -> Int {
        (node.mark?.line ?? 1) + offset
    }

    static func issue(from error: any Error, file: String, offset: Int) -> ContentIssue {
        if let yamlError = error as? YamlError {
            switch yamlError {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
                 let .composer(context, problem, mark, _):
                let prefix = context.map { "\($0.text) " } ?? ""
                return ContentIssue(file: file, line: mark.line + offset, message: "invalid YAML: \(prefix)\(problem)")
            case let .duplicatedKeysInMapping(duplicates, context):
                return ContentIssue(file: file, line: context.mark.line + offset,
                                    message: "duplicate field \(duplicates.joined(separator: ", "))")
            default:
                break
            }
        }
        return ContentIssue(file: file, line: offset + 1, message: "invalid YAML: \(error)")
    }
}
