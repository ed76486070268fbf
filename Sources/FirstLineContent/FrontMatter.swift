import Foundation

/// A Markdown file split into its YAML front matter and its body.
struct FrontMatter {
    let yaml: String
    /// The file line on which the YAML text starts (the line after the opening `---`).
    let yamlFirstLine: Int
    let body: String

    /// Splits `text`; the issue explains what is wrong when there is no well-formed front matter.
    static func split(_ text: String, file: String) -> Result<FrontMatter, ContentIssue> {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" else {
            return .failure(ContentIssue(file: file, line: 1, message: "front matter must start with '---' on the first line"))
        }
        guard let closing = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            return .failure(ContentIssue(file: file, line: 1, message: "front matter opened with '---' is never closed by another '---' line"))
        }
        let yaml = lines[1..<closing].joined(separator: "\n")
        let body = lines[(closing + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return .success(FrontMatter(yaml: yaml, yamlFirstLine: 2, body: body))
    }
}
