/// Finds vocabulary words within a small edit distance of a misspelt Latin word.
///
/// A symmetric-deletion index (every vocabulary word with one letter removed) answers in a
/// handful of hash lookups instead of a scan of the vocabulary: two words within one edit of
/// each other always share a one-deletion variant. Long words (8+ letters) also get a second
/// deletion on both sides, which reaches every two-edit typo.
struct TypoCandidates: Sendable {
    private let deletions: [String: [UInt32]]
    private let words: [UInt32: String]
    private let ids: [String: UInt32]
    static let minimumLength = 4
    static let longWord = 8

    init(vocabulary: [(String, UInt32)]) {
        var deletions: [String: [UInt32]] = [:]
        var words: [UInt32: String] = [:]
        var ids: [String: UInt32] = [:]
        for (word, id) in vocabulary where Self.isEligible(word) {
            words[id] = word
            ids[word] = id
            let letters = Array(word.utf8)
            var variants = Set(Self.deletionVariants(of: letters))
            if letters.count >= Self.longWord {
                for variant in Array(variants) { variants.formUnion(Self.deletionVariants(of: Array(variant.utf8))) }
            }
            for variant in variants { deletions[variant, default: []].append(id) }
        }
        self.deletions = deletions
        self.words = words
        self.ids = ids
    }

    static func isEligible(_ word: String) -> Bool {
        word.utf8.count >= minimumLength && word.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
    }

    static func isEligible(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= minimumLength && bytes.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
    }

    /// Vocabulary ids of the words closest to `word` (all at the smallest distance found).
    /// `excluding`: the word's own id when the word is in the vocabulary, to find its neighbours.
    func corrections(of word: String, excluding own: UInt32? = nil) -> [UInt32] {
        guard Self.isEligible(word) else { return [] }
        let letters = Array(word.utf8)
        let maximum = letters.count >= Self.longWord ? 2 : 1
        var variants = Set([word])
        var frontier = [letters]
        for _ in 0..<maximum {
            var next: [[UInt8]] = []
            for current in frontier {
                for variant in Self.deletionVariants(of: current) where variants.insert(variant).inserted {
                    next.append(Array(variant.utf8))
                }
            }
            frontier = next
        }
        var candidates: [UInt32: String] = [:]
        for variant in variants {
            if let id = ids[variant] { candidates[id] = variant }
            for id in deletions[variant] ?? [] { candidates[id] = words[id] }
        }
        var best = Int.max
        var result: [UInt32] = []
        for (id, candidate) in candidates where id != own {
            let distance = EditDistance.damerauLevenshtein(letters, Array(candidate.utf8), limit: maximum)
            guard distance <= maximum else { continue }
            if distance < best { best = distance; result = [id] } else if distance == best { result.append(id) }
        }
        return result.sorted()
    }

    private static func deletionVariants(of letters: [UInt8]) -> [String] {
        guard letters.count > 1 else { return [] }
        return (0..<letters.count).map { skip in
            var copy = letters
            copy.remove(at: skip)
            return String(decoding: copy, as: UTF8.self)
        }
    }
}

/// Edit distances over byte strings.
public enum EditDistance {
    /// Optimal-string-alignment distance (insert, delete, substitute, swap neighbours);
    /// returns `limit + 1` as soon as the distance is known to exceed `limit`.
    public static func damerauLevenshtein(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
