import Foundation
import Yams

/// Reads `KnowledgeBase/synonyms.yml`: a list of groups, each a list of equivalent terms.
public struct SynonymsLoader: Sendable {
    public init() {}

    public func load(file: URL) -> (groups: [[String]], issues: [ContentIssue]) {
        guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
            return ([], [ContentIssue(file: file.path, line: 1, message: "cannot read file as UTF-8")])
        }
        return parse(text, file: file.path)
    }

    public func parse(_ text: String, file: String) -> (groups: [[String]], issues: [ContentIssue]) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            return ([], [YAMLMapping.issue(from: error, file: file, offset: 0)])
        }
        guard let root else { return ([], []) }
        guard let sequence = root.sequence else {
            return ([], [ContentIssue(file: file, line: YAMLMapping.line(of: root, offset: 0),
                                      message: "synonyms must be a list of groups, each a list of terms")])
        }
        var groups: [[String]] = []
        var issues: [ContentIssue] = []
        var owner: [String: Int] = [:]
        for item in sequence {
            let line = YAMLMapping.line(of: item, offset: 0)
            guard let terms = item.sequence?.compactMap({ $0.scalar?.string }), terms.count == item.sequence?.count else {
                issues.append(ContentIssue(file: file, line: line, message: "each synonym group must be a list of texts"))
                continue
            }
            if terms.count < 2 {
                issues.append(ContentIssue(file: file, line: line, message: "a synonym group needs at least two terms"))
            }
            for term in terms {
                let key = term.lowercased()
                if let other = owner[key] {
                    issues.append(ContentIssue(file: file, line: line,
                        message: "'\(term)' is already in the group on line \(other); a term may belong to one group only"))
                }
                owner[key] = line
            }
            groups.append(terms)
        }
        return (groups, issues)
    }
}
