import Foundation

/// Brings text to the one form the index compares: NFKC (full-width → half-width,
/// half-width katakana → full-width), lower case, Latin diacritics removed.
///
/// Diacritic stripping is applied to Latin letters only: folding the whole string would
/// also strip the voicing marks of kana (`が` → `か`) and decompose Hangul syllables.
public struct TextNormalizer: Sendable {
    public init() {}

    public func normalize(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.lowercased()
        }
        let compatible = text.precomposedStringWithCompatibilityMapping.lowercased()
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
}
