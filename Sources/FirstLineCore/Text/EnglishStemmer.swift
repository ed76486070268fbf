/// A light English stemmer: plurals and the common verb endings, nothing aggressive.
///
/// Employees write "printing" and "printed", "shared" and "sharing"; they should meet "print" and
/// "share". After "-ed"/"-ing" is removed, a silent e is put back where English spelling dropped
/// it (`shar` → `share`, `updat` → `update`), following step 1b of Porter's algorithm. Heavier
/// stemmers (full Porter) conflate words a helpdesk must keep apart, such as "policy" and "police".
public struct EnglishStemmer: Sendable {
    public init() {}

    public func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        stem(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Stems lowercase ASCII letters in place; anything else is left as it is.
    public func stem(_ w: inout [UInt8]) {
        guard w.count > 3, w.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return }
        if w.ends(with: "ies"), w.count > 4 {
            w.removeLast(3); w.append(UInt8(ascii: "y"))
        } else if w.ends(with: "sses") {
            w.removeLast(2)
        } else if w.ends(with: "s"), !w.ends(with: "ss"), !w.ends(with: "us"), !w.ends(with: "is") {
            w.removeLast()
        }
        if w.ends(with: "ing"), w.count >= 6, Self.hasVowel(w.dropLast(3)) {
            w.removeLast(3); restore(&w)
        } else if w.ends(with: "ed"), w.count >= 5, !w.ends(with: "eed"), Self.hasVowel(w.dropLast(2)) {
            w.removeLast(2); restore(&w)
        }
    }

    /// Porter step 1b's tidy-up after removing a verb ending.
    private func restore(_ w: inout [UInt8]) {
        if w.ends(with: "at") || w.ends(with: "bl") || w.ends(with: "iz") {
            w.append(UInt8(ascii: "e"))
        } else if w.count >= 2, let last = w.last, last == w[w.count - 2], !Self.isVowel(last),
                  ![UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "z")].contains(last) {
            w.removeLast()  // "stopped" → "stopp" → "stop"; but "install" keeps its double l
        } else if Self.measure(w) == 1, Self.endsConsonantVowelConsonant(w) {
            w.append(UInt8(ascii: "e"))  // "shar" → "share", "sav" → "save"
        }
    }

    private static func isVowel(_ byte: UInt8) -> Bool {
        [UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u")].contains(byte)
    }

    private static func hasVowel(_ letters: ArraySlice<UInt8>) -> Bool { letters.contains(where: isVowel) }

    /// Porter's m: the number of vowel-consonant sequences.
    private static func measure(_ w: [UInt8]) -> Int {
        var count = 0, previousVowel = false
        for byte in w {
            let vowel = isVowel(byte)
            if previousVowel, !vowel { count += 1 }
            previousVowel = vowel
        }
        return count
    }

    private static func endsConsonantVowelConsonant(_ w: [UInt8]) -> Bool {
        guard w.count >= 3 else { return false }
        let c1 = w[w.count - 3], v = w[w.count - 2], c2 = w[w.count - 1]
        let excluded = [UInt8(ascii: "w"), UInt8(ascii: "x"), UInt8(ascii: "y")]
        return !isVowel(c1) && isVowel(v) && !isVowel(c2) && !excluded.contains(c2)
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: StaticString) -> Bool {
        let s = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        guard count >= s.count else { return false }
        return zip(self[(count - s.count)...], s).allSatisfy { $0 == $1 }
    }
}
