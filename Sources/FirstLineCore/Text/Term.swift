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

    /// The string the index stores: kind marker plus text.
    public var key: String {
        switch kind {
        case .word: return text
        case .bigram: return "\u{2}" + text
        case .unigram: return "\u{1}" + text
        case .synonym: return "\u{3}" + text
        }
    }
}
