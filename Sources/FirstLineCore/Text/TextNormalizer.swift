import Foundation

/// Brings text to the one form the index compares: NFKC (full-width → half-width,
/// half-width katakana → full-width), lower case, Latin diacritics removed.
///
/// Diacritic stripping is applied to Latin letters only: folding the whole string would
/// also strip the voicing marks of kana (`が` → `か`) and decompose Hangul syllables.
public struct TextNormalizer: Sendable {
    public init() {}

    public func normalize(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy(Self.isStable) {
            return Self.lowercasingASCII(text)
        }
        // Foundation on Linux leaves the voicing marks of half-width katakana uncombined after
        // NFKC (`ﾌﾟ` → `フ` + U+309A); composing once more gives the single `プ` NFKC promises.
        let compatible = text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping.lowercased()
        var needsLatinFolding = false
        for scalar in compatible.unicodeScalars where (0xC0...0x24F).contains(scalar.value) {
            needsLatinFolding = true
            break
        }
        guard needsLatinFolding else { return compatible }
        var folded = String.UnicodeScalarView()
        for scalar in compatible.unicodeScalars {
            if (0xC0...0x24F).contains(scalar.value) {
                let base = String(scalar).folding(options: [.diacriticInsensitive], locale: nil)
                folded.append(contentsOf: base.unicodeScalars)
            } else {
                folded.append(scalar)
            }
        }
        return String(folded)
    }

    /// Scalars that NFKC, case folding and diacritic stripping leave unchanged, apart from
    /// ASCII upper case. Most messages consist only of these, and skipping Foundation's
    /// normaliser for them is most of the cost of a query.
    @inlinable
    static func isStable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0x0A, 0x0D, 0x09: return true
        case 0xAC00...0xD7A3: return true             // Hangul syllables (precomposed)
        case 0x3041...0x3096, 0x309D, 0x309E: return true  // hiragana, without combining voicing marks
        case 0x30A1...0x30FA, 0x30FC...0x30FE: return true // katakana
        case 0x4E00...0x9FFF, 0x3400...0x4DBF: return true // CJK unified ideographs
        case 0x3001...0x3002, 0x300C...0x300F, 0x30FB: return true // 、。「」『』・
        default: return false
        }
    }

    static func lowercasingASCII(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
