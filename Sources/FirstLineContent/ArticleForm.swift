import FirstLineCore
import Foundation

/// An article as the editors' console form holds it (issue 14, point 3): its front-matter fields one by
/// one and the Markdown body. `markdown` writes the file the loader reads (design §6, `KnowledgeBase/`),
/// quoting a value only when YAML would read it otherwise; `init(markdown:)` reads a file back leniently,
/// so a draft saved half-written still opens in the form (the check happens at Preview and Publish).
public struct ArticleForm: Sendable, Equatable {
    public var id: String
    public var lang: String
    public var title: String
    public var category: String
    public var keywords: [String]
    public var questions: [String]
    public var updated: String?
    public var body: String

    public init(id: String = "", lang: String = "", title: String = "", category: String = "", keywords: [String] = [],
                questions: [String] = [], updated: String? = nil, body: String = "") {
        self.id = id
        self.lang = lang
        self.title = title
        self.category = category
        self.keywords = keywords
        self.questions = questions
        self.updated = updated
        self.body = body
    }

    /// The fields of `markdown` as far as they can be read; what cannot be read is left empty.
    public init(markdown: String) {
        self.init()
        guard case let .success(split) = FrontMatter.split(markdown, file: "article") else {
            body = markdown.trimmingCharacters(in: .whitespacesAndNewlines)
            return
        }
        var fields = YAMLMapping(yaml: split.yaml, file: "article", lineOffset: split.yamlFirstLine - 1)
        id = fields.string("id", required: false) ?? ""
        lang = fields.string("lang", required: false) ?? ""
        title = fields.string("title", required: false) ?? ""
        category = fields.string("category", required: false) ?? ""
        keywords = fields.stringList("keywords", required: false) ?? []
        questions = fields.stringList("questions", required: false) ?? []
        updated = fields.string("updated", required: false)
        body = split.body
    }

    /// The Markdown file: front matter in the shipped articles' order, then the body.
    public func markdown() -> String {
        var lines = ["---", "id: \(Self.scalar(id))", "title: \(Self.scalar(title))", "lang: \(Self.scalar(lang))",
                     "category: \(Self.scalar(category))"]
        lines.append("keywords: [" + keywords.map { Self.scalar($0, inFlow: true) }.joined(separator: ", ") + "]")
        lines.append("questions:")
        lines += questions.map { "  - " + Self.scalar($0) }
        if let updated, !updated.isEmpty { lines.append("updated: \(Self.scalar(updated))") }
        lines.append("---")
        lines.append(body.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A one-line YAML scalar: as written when YAML reads it back unchanged as a text, else double-quoted.
    static func scalar(_ raw: String, inFlow: Bool = false) -> String {
        // Fields are one line each; a pasted line break would start a new YAML line.
        let value = raw.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        return needsQuotes(value, inFlow: inFlow) ? quoted(value) : value
    }

    private static func needsQuotes(_ value: String, inFlow: Bool) -> Bool {
        guard let first = value.first, let last = value.last else { return true }
        if first == " " || last == " " || last == ":" { return true }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) { return true }
        if value.contains(": ") || value.contains(" #") || value.contains("\t") { return true }
        if inFlow, value.contains(where: { ",[]{}".contains($0) }) { return true }
        // Words and numbers YAML reads as something other than text.
        let lower = value.lowercased()
        if ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"].contains(lower) { return true }
        if Double(value) != nil || value.hasPrefix("0x") || value.hasPrefix("0o") { return true }
        return value.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    private static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\t": result += "\\t"
            default:
                if scalar.properties.generalCategory == .control {
                    result += String(format: "\\u%04X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
