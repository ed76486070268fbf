/// Groups of equivalent terms across languages (`password, pw, 비번, パスワード`).
///
/// Each entry is stored as the fingerprints of the whole-word terms it tokenises to, so that
/// matching happens after normalisation and particle stripping: `비번이` in a message meets
/// `비번` here, and the entry `shared drive` matches the two words in sequence.
public struct SynonymTable: Sendable {
    private struct Entry: Sendable {
        var words: [UInt64]
        var group: Int
    }

    /// Entries by the fingerprint of their first word, longest entries first.
    private let firstWord: FingerprintTable
    private let entries: [[Entry]]

    public static let empty = SynonymTable(firstWord: FingerprintTable(), entries: [])

    private init(firstWord: FingerprintTable, entries: [[Entry]]) {
        self.firstWord = firstWord
        self.entries = entries
    }

    /// Builds the table; `groups[i]` becomes group `i`. Terms that tokenise to no word are skipped.
    public init(groups: [[String]]) {
        let plain = Tokenizer()
        var firstWord = FingerprintTable()
        var entries: [[Entry]] = []
        for (group, terms) in groups.enumerated() {
            for term in terms {
                let words = plain.wordFingerprints(term)
                guard let first = words.first else { continue }
                let slot = Int(firstWord.value(for: first) {
                    entries.append([])
                    return UInt32(entries.count - 1)
                })
                entries[slot].append(Entry(words: words, group: group))
            }
        }
        for slot in entries.indices { entries[slot].sort { $0.words.count > $1.words.count } }
        self.firstWord = firstWord
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The group ids found in a sequence of word fingerprints, each once per occurrence.
    func groups(in words: [UInt64]) -> [Int] {
        var found: [Int] = []
        var index = 0
        while index < words.count {
            var advanced = 1
            if let slot = firstWord.value(for: words[index]) {
                for entry in entries[Int(slot)] where matches(entry.words, in: words, at: index) {
                    found.append(entry.group)
                    advanced = entry.words.count
                    break
                }
            }
            index += advanced
        }
        return found
    }

    /// The group ids found in `text`, for tests and diagnostics.
    public func groups(inText text: String) -> [Int] {
        groups(in: Tokenizer().wordFingerprints(text))
    }

    private func matches(_ entry: [UInt64], in words: [UInt64], at index: Int) -> Bool {
        guard index + entry.count <= words.count else { return false }
        for offset in 1..<max(entry.count, 1) where words[index + offset] != entry[offset] {
            return false
        }
        return true
    }
}
