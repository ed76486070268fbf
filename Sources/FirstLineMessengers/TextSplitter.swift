import Foundation

/// How a platform counts the length of a text.
public struct TextMeasure: Sendable {
    private let cost: @Sendable (Character) -> Int

    /// `cost` is the length of one grapheme cluster in the platform's unit.
    public init(cost: @escaping @Sendable (Character) -> Int) {
        self.cost = cost
    }

    /// UTF-16 code units: Telegram, LINE, and (conservatively) Slack and LINE WORKS. An emoji
    /// outside the BMP counts 2; Hangul and kana count 1.
    public static let utf16 = TextMeasure { $0.utf16.count }
    /// Unicode scalars ("characters" for platforms that count code points).
    public static let unicodeScalars = TextMeasure { $0.unicodeScalars.count }
    /// UTF-8 bytes (Telegram `callback_data`).
    public static let utf8 = TextMeasure { $0.utf8.count }

    /// The length of one grapheme cluster.
    public func length(of character: Character) -> Int { cost(character) }

    /// The length of a whole text.
    public func length(of text: String) -> Int {
        text.reduce(0) { $0 + cost($1) }
    }
}

/// Splits and truncates texts at platform limits without breaking a character: cuts fall only
/// between grapheme clusters, so no surrogate pair, combining sequence, Hangul syllable block or
/// emoji ZWJ sequence is ever cut in two.
public enum TextSplitter {
    /// Splits `text` into parts no longer than `limit` (as `measure` counts). Concatenating the
    /// parts gives back `text` exactly: nothing is trimmed or added.
    ///
    /// A cut prefers, in order, a paragraph break, a line break, a sentence end (`.!?` before a
    /// space, or `。！？`), then a space or comma, as long as it falls in the second half of the
    /// part (so parts do not become tiny); otherwise it cuts at the last grapheme that fits.
    /// A single grapheme longer than `limit` (absurd for real limits) is cut between its scalars.
    public static func split(_ text: String, limit: Int, measure: TextMeasure = .utf16) -> [String] {
        precondition(limit > 0, "a text limit must be positive")
        if measure.length(of: text) <= limit { return [text] }
        let characters = Array(text)
        var parts: [String] = []
        var start = 0
        while start < characters.count {
            var used = 0
            var end = start
            // The latest cut position seen for each kind of break, indexed by rank (1…4).
            var breaks = [Int](repeating: -1, count: 5)
            while end < characters.count {
                let cost = measure.length(of: characters[end])
                if used + cost > limit { break }
                used += cost
                end += 1
                let rank = breakRank(after: end - 1, in: characters)
                if rank > 0 { breaks[rank] = end }
            }
            if end == characters.count {
                parts.append(String(characters[start...]))
                break
            }
            if end == start {
                parts.append(contentsOf: splitOversized(characters[start], limit: limit, measure: measure))
                start += 1
                continue
            }
            let halfway = start + max(1, (end - start) / 2)
            let cut = (1...4).reversed().lazy.map { breaks[$0] }.first { $0 >= halfway } ?? end
            parts.append(String(characters[start..<cut]))
            start = cut
        }
        return parts
    }

    /// Splits like `split(_:limit:measure:)`, but the last part is kept within `lastLimit`
    /// (LINE WORKS: a button template's text is shorter than a plain message).
    public static func split(_ text: String, limit: Int, lastLimit: Int, measure: TextMeasure = .utf16) -> [String] {
        var parts = split(text, limit: limit, measure: measure)
        if let last = parts.last, measure.length(of: last) > lastLimit {
            parts.removeLast()
            parts.append(contentsOf: split(last, limit: lastLimit, measure: measure))
        }
        return parts
    }

    /// Shortens `text` to at most `limit` (as `measure` counts), ending with `ellipsis` when cut.
    /// Cuts between grapheme clusters only.
    public static func truncate(_ text: String, limit: Int, measure: TextMeasure = .utf16,
                                ellipsis: String = "…") -> String {
        if measure.length(of: text) <= limit { return text }
        // When even the ellipsis does not fit, cut without one.
        let suffix = measure.length(of: ellipsis) < limit ? ellipsis : ""
        let budget = limit - measure.length(of: suffix)
        var used = 0
        var kept = ""
        for character in text {
            let cost = measure.length(of: character)
            if used + cost > budget { break }
            used += cost
            kept.append(character)
        }
        return kept + suffix
    }

    /// How good a cut right after `characters[index]` is: 4 paragraph, 3 line, 2 sentence,
    /// 1 space or comma, 0 not a break.
    private static func breakRank(after index: Int, in characters: [Character]) -> Int {
        let character = characters[index]
        let previous = index > 0 ? characters[index - 1] : nil
        if character.isNewline { return previous?.isNewline == true ? 4 : 3 }
        if "。！？".contains(character) { return 2 }
        if character.isWhitespace {
            if let previous, ".!?".contains(previous) { return 2 }
            return 1
        }
        if "、，,".contains(character) { return 1 }
        return 0
    }

    private static func splitOversized(_ character: Character, limit: Int, measure: TextMeasure) -> [String] {
        var parts: [String] = []
        var current = ""
        var used = 0
        for scalar in character.unicodeScalars {
            let cost = measure.length(of: Character(scalar))
            if used + cost > limit, !current.isEmpty {
                parts.append(current)
                current = ""
                used = 0
            }
            current.unicodeScalars.append(scalar)
            used += cost
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }
}
