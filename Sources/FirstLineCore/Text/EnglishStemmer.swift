/// A light English stemmer: plurals and the common verb endings, nothing aggressive.
///
/// Employees write "printing" and "printed", "shared" and "sharing"; they should meet "print" and
/// "share". A final silent e is dropped everywhere, so "share", "shared" and "sharing" all become
/// "shar" on both the article and the query side. Heavier
/// stemmers (Porter) conflate words a helpdesk must keep apart, such as "policy" and "police".
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
        if w.ends(with: "ing"), w.count >= 6 {
            w.removeLast(3); w = undoubled(w)
        } else if w.ends(with: "ed"), w.count >= 5, !w.ends(with: "eed") {
            w.removeLast(2); w = undoubled(w)
        }
        if w.count > 3, w.last == UInt8(ascii: "e"), w[w.count - 2] != UInt8(ascii: "e") {
            w.removeLast()
        }
    }

    /// "stopped" → "stopp" → "stop"; but "install" keeps its double l.
    private func undoubled(_ w: [UInt8]) -> [UInt8] {
        guard w.count >= 3, let last = w.last, last == w[w.count - 2] else { return w }
        let keep: Set<UInt8> = [UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "z")]
        return keep.contains(last) ? w : Array(w.dropLast())
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: StaticString) -> Bool {
        let s = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        guard count >= s.count else { return false }
        return zip(self[(count - s.count)...], s).allSatisfy { $0 == $1 }
    }
}
