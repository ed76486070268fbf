/// Tells which of the bot's languages one message is written in, from its scripts alone.
///
/// Employees mix scripts all the time: product names stay in Latin letters inside Korean and
/// Japanese sentences ("VPN이 안 돼요", "Teamsの会議に入れません"). A Hangul syllable or a kanji
/// carries about as much as a short Latin word, so each is weighed as several Latin letters;
/// that way a Korean or Japanese sentence around an English product name stays Korean or
/// Japanese, while an English sentence quoting one Korean word stays English.
public struct LanguageDetector: Sendable {
    /// Weight of one character, in Latin letters. A Hangul syllable or a kanji is roughly a
    /// short word; a kana is about a syllable.
    static let hangulWeight = 3
    static let kanjiWeight = 3
    static let kanaWeight = 2

    public init() {}

    /// The language of `text`, or nil when it has no letters at all (digits, emoji,
    /// punctuation): such a message should keep the conversation's language.
    public func detect(_ text: String) -> Language? {
        var korean = 0, japanese = 0, latin = 0
        for scalar in text.unicodeScalars {
            switch Self.script(of: scalar) {
            case .hangul: korean += Self.hangulWeight
            case .kana: japanese += Self.kanaWeight
            case .kanji: japanese += Self.kanjiWeight
            case .latin: latin += 1
            case nil: continue
            }
        }
        let asian = max(korean, japanese)
        guard asian > 0 || latin > 0 else { return nil }
        if asian >= latin {
            // Kanji without kana or Hangul still reads as Japanese: Korean text rarely uses hanja.
            return korean >= japanese ? .ko : .ja
        }
        return .en
    }

    /// Words that appear in almost every English sentence and in no product name.
    static let englishFunctionWords: Set<String> = [
        "i", "my", "me", "it", "is", "are", "was", "the", "a", "an", "to", "of", "in", "on", "and", "but", "not",
        "can", "cannot", "can't", "don't", "doesn't", "won't", "isn't", "please", "help", "what", "how", "why",
        "when", "where", "you", "your", "we", "our", "this", "that", "still", "again", "any", "with", "for",
    ]

    /// Whether Latin text is an English sentence rather than names and codes: it has an English
    /// function word, or at least four words of letters.
    public func readsAsEnglishSentence(_ text: String) -> Bool {
        let words = text.lowercased().split { !($0.isLetter || $0 == "'") }.map(String.init)
            .filter { $0.unicodeScalars.allSatisfy { Self.script(of: $0) == .latin || $0 == "'" } }
        if words.contains(where: Self.englishFunctionWords.contains) { return true }
        return words.count >= 4
    }

    private enum Script { case hangul, kana, kanji, latin }

    private static func script(of scalar: Unicode.Scalar) -> Script? {
        switch scalar.value {
        // Full-width Latin letters come from Japanese and Korean input methods.
        case 0xFF21...0xFF3A, 0xFF41...0xFF5A: return .latin
        // Half-width katakana, from older Japanese systems.
        case 0xFF66...0xFF9D: return .kana
        // The prolonged sound mark and the middle dot are shared punctuation, not words.
        case 0x30FB, 0x30FC: return nil
        default: break
        }
        switch ScriptClass(scalar) {
        case .hangul: return .hangul
        case .hiragana, .katakana: return .kana
        case .kanji: return .kanji
        case .latin: return .latin
        case .digit, .joiner, .separator: return nil
        }
    }
}
