/// The writing system of one Unicode scalar, as far as tokenisation cares.
///
/// Tokens never cross a change of class, which is how `VPN이`, `Wi-Fiが` or `紙詰まり`
/// split into their meaningful parts without a dictionary.
public enum ScriptClass: Sendable, Equatable {
    case latin      // ASCII letters and Latin letters after diacritics were stripped
    case digit
    case hangul
    case hiragana
    case katakana
    case kanji
    case joiner     // characters that glue Latin words together: `-`, `'`, `.`, `_`
    case separator  // whitespace, punctuation, symbols, anything else

    @inlinable
    public init(_ scalar: Unicode.Scalar) {
        let v = scalar.value
        switch v {
        case 0x61...0x7A, 0x41...0x5A: self = .latin
        case 0x30...0x39: self = .digit
        case 0x2D, 0x27, 0x2E, 0x5F: self = .joiner
        case 0xAC00...0xD7A3, 0x1100...0x11FF, 0x3130...0x318F: self = .hangul
        case 0x3041...0x309F: self = .hiragana
        // The prolonged sound mark belongs to katakana words (`サーバー`), as does the middle dot.
        case 0x30A0...0x30FF, 0x31F0...0x31FF: self = .katakana
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF, 0x3005: self = .kanji
        case 0x00C0...0x024F: self = .latin
        default: self = .separator
        }
    }
}
