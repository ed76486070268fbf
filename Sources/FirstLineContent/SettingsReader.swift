import Foundation
import Yams

/// Reads values out of a composed YAML tree, collecting problems with their lines instead of
/// stopping at the first, so one run of `firstline config check` lists them all.
struct SettingsReader {
    let file: String
    var issues: [ContentIssue] = []

    init(file: String) { self.file = file }

    mutating func fail(_ node: Node, _ message: String) {
        issues.append(ContentIssue(file: file, line: YAMLMapping.line(of: node, offset: 0), message: message))
    }

    /// The pairs of a mapping whose keys are all in `allowed`; unknown and repeated keys are issues.
    mutating func mapping(_ node: Node, allowed: [String]) -> [(String, Node)] {
        guard let mapping = node.mapping else {
            fail(node, "expected a mapping with keys \(allowed.joined(separator: ", "))")
            return []
        }
        var result: [(String, Node)] = []
        var seen = Set<String>()
        for (key, value) in mapping {
            guard let name = key.string, allowed.contains(name) else {
                fail(key, "unknown setting '\(key.string ?? "?")' (known here: \(allowed.joined(separator: ", ")))")
                continue
            }
            guard seen.insert(name).inserted else {
                fail(key, "'\(name)' is given twice")
                continue
            }
            result.append((name, value))
        }
        return result
    }

    /// The pairs of a mapping whose keys are free-form names (calendar names, for example).
    mutating func namedMapping(_ node: Node, of what: String) -> [(String, Node, Node)] {
        guard let mapping = node.mapping else {
            fail(node, "expected a mapping of \(what) by name")
            return []
        }
        var result: [(String, Node, Node)] = []
        var seen = Set<String>()
        for (key, value) in mapping {
            guard let name = key.string, !name.isEmpty else {
                fail(key, "a \(what) needs a name")
                continue
            }
            guard seen.insert(name).inserted else {
                fail(key, "\(what) '\(name)' is defined twice")
                continue
            }
            result.append((name, key, value))
        }
        return result
    }

    mutating func sequence(_ node: Node, of what: String) -> [Node] {
        guard let sequence = node.sequence else {
            fail(node, "expected a list of \(what)")
            return []
        }
        return Array(sequence)
    }

    mutating func string(_ node: Node) -> String? {
        guard let scalar = node.scalar, !scalar.string.trimmingCharacters(in: .whitespaces).isEmpty else {
            fail(node, "expected a non-empty text value")
            return nil
        }
        return scalar.string.trimmingCharacters(in: .whitespaces)
    }

    /// A list of texts; a single text is accepted as a list of one.
    mutating func strings(_ node: Node) -> [String] {
        if node.scalar != nil { return string(node).map { [$0] } ?? [] }
        return sequence(node, of: "texts").compactMap { string($0) }
    }

    mutating func number(_ node: Node, in range: ClosedRange<Double>) -> Double? {
        guard let text = node.scalar?.string, let value = Double(text), range.contains(value) else {
            fail(node, "expected a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
            return nil
        }
        return value
    }

    mutating func integer(_ node: Node, in range: ClosedRange<Int>) -> Int? {
        guard let text = node.scalar?.string, let value = Int(text), range.contains(value) else {
            fail(node, "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node) -> Bool? {
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail(node, "expected true or false")
            return nil
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
