/// What kind of evidence a term is; the ranker weighs each kind differently.
public enum TermKind: UInt8, Sendable, CaseIterable, Codable {
    /// A whole word: a stemmed Latin word, a Korean stem, a katakana word, a kanji compound.
    case word
    /// Two adjacent characters inside one CJK run; robust to unknown compounds and endings.
    case bigram
    /// One CJK character; catches one-syllable words and kanji shared by different compounds.
    case unigram
    /// The group id of a synonym, shared by every term of the group in every language.
    case synonym
    /// The dictionary form of a conjugated Korean verb stem (`지울`, `지워` → `지우`), so that
    /// differently conjugated forms of one verb meet.
    case root
}

/// One token of normalised text, tagged with its kind.
///
/// The kind is part of the identity, so the Korean stem `메일` and the bigram `메일` are
/// different terms, each with its own document frequency.
public struct Term: Hashable, Sendable {
    public var text: String
    public var kind: TermKind

    public init(_ text: String, _ kind: TermKind) {
        self.text = text
        self.kind = kind
    }

    /// Terms compare by their UTF-8 bytes. Text is normalised before it becomes a term, so
    /// String's own canonical-equivalence hashing (costly for Hangul and kana) is not needed.
    public static func == (lhs: Term, rhs: Term) -> Bool {
        guard lhs.kind == rhs.kind, lhs.text.utf8.count == rhs.text.utf8.count else { return false }
        var left = lhs.text, right = rhs.text
        return left.withUTF8 { l in right.withUTF8 { r in l.elementsEqual(r) } }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind.rawValue)
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
