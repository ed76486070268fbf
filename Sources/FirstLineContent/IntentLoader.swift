import FirstLineCore
import Foundation

/// Reads `Intents/*.yml`, one intent per file (design §6).
public struct IntentLoader: Sendable {
    public init() {}

    public func load(directory: URL) throws -> (intents: [Intent], issues: [ContentIssue]) {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ContentError.unreadable(path: directory.path, reason: "not a directory")
        }
        var intents: [Intent] = []
        var issues: [ContentIssue] = []
        var seen: Set<String> = []
        let names = try fileManager.contentsOfDirectory(atPath: directory.path).sorted()
        for name in names where name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
            let file = directory.appendingPathComponent(name)
            guard let data = fileManager.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
                issues.append(ContentIssue(file: file.path, line: 1, message: "cannot read file as UTF-8"))
                continue
            }
            let slug = file.deletingPathExtension().lastPathComponent
            let result = parse(text, file: file.path, slug: slug)
            issues += result.issues
            if let intent = result.intent {
                if !seen.insert(intent.id).inserted {
                    issues.append(ContentIssue(file: file.path, line: 1, message: "intent id '\(intent.id)' is used by another file"))
                }
                intents.append(intent)
            }
        }
        return (intents, issues)
    }

    public func parse(_ text: String, file: String, slug: String?) -> (intent: Intent?, issues: [ContentIssue]) {
        var fields = YAMLMapping(yaml: text, file: file, lineOffset: 0)
        guard fields.issues.isEmpty else { return (nil, fields.issues) }
        let known: Set<String> = ["id", "action", "examples", "replies", "category", "approval"]
        for name in fields.fieldNames where !known.contains(name) {
            fields.report(name, "unknown field '\(name)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        let id = fields.string("id")
        if let id, !KnowledgeBaseLoader.isValidID(id) {
            fields.report("id", "'id' must be lowercase letters, digits and '-', got '\(id)'")
        }
        if let id, let slug, id != slug {
            fields.report("id", "'id' is '\(id)' but the file is named '\(slug).yml'; they must match")
        }
        var action: IntentAction?
        if let raw = fields.string("action", required: false) {
            action = IntentAction(rawValue: raw)
            if action == nil {
                fields.report("action", "'action' must be one of \(IntentAction.allCases.map(\.rawValue).joined(separator: ", ")), got '\(raw)'")
            }
        }
        var category: ArticleCategory?
        if let raw = fields.string("category", required: false) {
            category = ArticleCategory(rawValue: raw)
            if category == nil {
                fields.report("category", "'category' must be one of \(ArticleCategory.allCases.map(\.rawValue).joined(separator: ", ")), got '\(raw)'")
            }
        }
        var needsApproval = false
        if let raw = fields.string("approval", required: false) {
            if raw == "manager" { needsApproval = true } else {
                fields.report("approval", "'approval' must be 'manager', got '\(raw)'")
            }
        }
        if action == .request, category == nil {
            fields.report("action", "a 'request' intent needs a 'category' to route the ticket")
        }
        let examples = languageMap(fields.languageLists("examples"), field: "examples", fields: &fields)
        let replies = languageMap(fields.languageLists("replies"), field: "replies", fields: &fields)
        for language in Language.allCases {
            if let examples, examples[language]?.isEmpty ?? true {
                fields.report("examples", "'examples' has no '\(language.rawValue)' examples")
            }
            if let replies, replies[language]?.isEmpty ?? true {
                fields.report("replies", "'replies' has no '\(language.rawValue)' reply")
            }
        }
        guard fields.issues.isEmpty, let id, let examples, let replies else { return (nil, fields.issues) }
        return (Intent(id: id, action: action, examples: examples, replies: replies, category: category,
                       needsManagerApproval: needsApproval), [])
    }

    private func languageMap(_ raw: [String: (line: Int, values: [String])]?, field: String,
                             fields: inout YAMLMapping) -> [Language: [String]]? {
        guard let raw else { return nil }
        var result: [Language: [String]] = [:]
        for (code, entry) in raw {
            guard let language = Language(rawValue: code) else {
                fields.report(line: entry.line, "'\(field)' has unknown language '\(code)' (expected ko, ja, en)")
                continue
            }
            result[language] = entry.values
        }
        return result
    }
}
