import Foundation

/// The little Markdown that articles use inside a line — `**bold**`, `` `code` `` and
/// `[text](https://…)` — read once, so that each messenger can show it its own way: Slack as
/// mrkdwn, LINE and Telegram as plain text, the web chat as escaped HTML. Lists and line breaks
/// are plain text already and pass through. An unmatched marker is text.
public enum InlineMarkdown {
    public enum Span: Sendable, Equatable {
        case text(String)
        case bold(String)
        case code(String)
        case link(text: String, url: String)
    }

    /// The spans of `text`, in order; adjacent text is merged.
    public static func spans(_ text: String) -> [Span] {
        var spans: [Span] = []
        var plain = ""
        var rest = Substring(text)
        func flush() {
            if !plain.isEmpty { spans.append(.text(plain)) }
            plain = ""
        }
        while let first = rest.first {
            if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**"), end.lowerBound > rest.index(rest.startIndex, offsetBy: 2),
               !rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound].contains("\n") {
                flush()
                spans.append(.bold(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])))
                rest = rest[end.upperBound...]
            } else if first == "`", let end = rest.dropFirst().firstIndex(of: "`"), end > rest.index(after: rest.startIndex),
                      !rest[rest.index(after: rest.startIndex)..<end].contains("\n") {
                flush()
                spans.append(.code(String(rest[rest.index(after: rest.startIndex)..<end])))
                rest = rest[rest.index(after: end)...]
            } else if first == "[", let link = link(at: rest) {
                flush()
                spans.append(.link(text: link.text, url: link.url))
                rest = link.rest
            } else {
                plain.append(first)
                rest = rest.dropFirst()
            }
        }
        flush()
        return spans
    }

    /// Without markers: what a messenger that shows no formatting should get. A link keeps its
    /// address, since a plain-text reader cannot follow the words.
    public static func plain(_ text: String) -> String {
        spans(text).map { span in
            switch span {
            case let .text(text), let .bold(text), let .code(text): text
            case let .link(text, url): text == url ? url : "\(text) (\(url))"
            }
        }.joined()
    }

    /// Escaped HTML for the web chat: every character of the text is escaped, then only the
    /// formatting this renderer itself writes is markup. Links are http(s) or mailto only.
    public static func html(_ text: String) -> String {
        spans(text).map { span in
            switch span {
            case let .text(text): escapeHTML(text).replacingOccurrences(of: "\n", with: "<br>")
            case let .bold(text): "<strong>\(escapeHTML(text))</strong>"
            case let .code(text): "<code>\(escapeHTML(text))</code>"
            case let .link(text, url):
                "<a href=\"\(escapeHTML(url))\" rel=\"noopener noreferrer\" target=\"_blank\">\(escapeHTML(text))</a>"
            }
        }.joined()
    }

    public static func escapeHTML(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `[text](url)` at the start of `rest`, when the address is one a reader may follow.
    private static func link(at rest: Substring) -> (text: String, url: String, rest: Substring)? {
        guard let close = rest.firstIndex(of: "]") else { return nil }
        let text = rest[rest.index(after: rest.startIndex)..<close]
        let afterClose = rest[rest.index(after: close)...]
        guard !text.isEmpty, !text.contains("\n"), afterClose.first == "(",
              let end = afterClose.firstIndex(of: ")") else { return nil }
        let url = String(afterClose[afterClose.index(after: afterClose.startIndex)..<end])
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:"),
              !url.contains(where: { $0 == " " || $0 == "\n" || $0 == "\"" || $0 == "<" || $0 == ">" }) else { return nil }
        return (String(text), url, afterClose[afterClose.index(after: end)...])
    }
}
