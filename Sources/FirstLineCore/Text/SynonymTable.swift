/// Groups of equivalent terms across languages (`password, pw, 비번, パスワード`).
///
/// Each entry is stored as the sequence of whole-word terms it tokenises to, so that matching
/// happens after normalisation and particle stripping: `비번이` in a message meets `비번` here.
public struct SynonymTable: Sendable {
    /// Entry word sequences, keyed by their first word, longest first.
    private let entries: [String: [(words: [String], group: Int)]]

    public static let empty = SynonymTable(entries: [:])

    private init(entries: [String: [(words: [String], group: Int)]]) {
        self.entries = entries
    }

    /// Builds the table; `groups[i]` becomes group `i`. Terms that tokenise to no word are skipped.
    public init(groups: [[String]]) {
        let plain = Tokenizer()
        var entries: [String: [(words: [String], group: Int)]] = [:]
        for (group, terms) in groups.enumerated() {
            for term in terms {
                let words = plain.words(term)
                guard let first = words.first else { continue }
                entries[first, default: []].append((words, group))
            }
        }
        for key in entries.keys {
            entries[key]?.sort { $0.words.count > $1.words.count }
        }
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The group ids found in a word sequence, each once per occurrence.
    public func groups(in words: [String]) -> [Int] {
        var found: [Int] = []
        var index = 0
        while index < words.count {
            var advanced = 1
            if let candidates = entries[words[index]] {
                for candidate in candidates where matches(candidate.words, in: words, at: index) {
                    found.append(candidate.group)
                    advanced = candidate.words.count
                    break
                }
            }
            index += advanced
        }
        return found
    }

    private func matches(_ entry: [String], in words: [String], at index: Int) -> Bool {
        guard index + entry.count <= words.count else { return false }
        for offset in 1..<max(entry.count, 1) where words[index + offset] != entry[offset] {
            return false
        }
        return true
    }
}
