import Foundation

/// Turns one ticket text into the fingerprints of its features, in two blocks.
///
/// - Characters: n-grams of the normalised text, after punctuation has become space and runs of
///   space one space, with a space at either end. A gram can thus say "starts a word" or "ends a
///   word" (`" card"`, `"ed "`), and the longer ones reach across a space into the next word
///   (`"p up"`, `"가 안"`), which keeps short phrases and the function words around them. Grams
///   need no dictionary and survive typos, inflection and Korean endings alike; a Japanese
///   sentence without spaces simply yields all its substrings. Single characters count only in
///   Hangul, kana and kanji, where one character is often a word by itself.
/// - Terms: what the project's `Tokenizer` makes of the text (stemmed words without stop words,
///   Korean stems and verb roots, CJK bigrams and unigrams, the negation marker), plus ordered
///   pairs of adjacent words, which join content words that stop words kept apart
///   ("card ... declin").
///
/// Fingerprints, not strings, identify features: the vocabulary then costs a few bytes per entry
/// and no string is allocated per gram.
struct TicketFeatures: Sendable {
    /// One text's features: each distinct fingerprint once, with its number of occurrences.
    struct Counts: Sendable {
        var characters: [(print: UInt64, count: Int)] = []
        var terms: [(print: UInt64, count: Int)] = []
    }

    let characterGrams: ClosedRange<Int>
    let cjkUnigrams: Bool
    let wordPairs: Bool
    let tokenizer: Tokenizer
    private let normalizer = TextNormalizer()

    /// Fingerprint kinds keep the blocks and the term kinds apart: `메일` the character bigram,
    /// `메일` the Korean stem and `메일` the CJK bigram term are three features.
    private static let characterKind: UInt8 = 0x40
    private static let termKindBase: UInt8 = 0x50
    private static let wordPairSalt: UInt64 = 0x5851_F42D_4C95_7F2D

    init(characterGrams: ClosedRange<Int>, cjkUnigrams: Bool, wordPairs: Bool, tokenizer: Tokenizer) {
        self.characterGrams = max(characterGrams.lowerBound, 1)...max(characterGrams.upperBound, 1)
        self.cjkUnigrams = cjkUnigrams
        self.wordPairs = wordPairs
        self.tokenizer = tokenizer
    }

    func counts(_ text: String) -> Counts {
        var characterPrints: [UInt64] = []
        var termPrints: [UInt64] = []
        characterGrams(of: text, into: &characterPrints)
        terms(of: text, into: &termPrints)
        return Counts(characters: Self.tally(&characterPrints), terms: Self.tally(&termPrints))
    }

    /// Sorting then counting runs is cheaper than a dictionary for a few hundred prints, and the
    /// result comes out in one fixed order, which keeps training deterministic.
    private static func tally(_ prints: inout [UInt64]) -> [(print: UInt64, count: Int)] {
        prints.sort()
        var result: [(print: UInt64, count: Int)] = []
        result.reserveCapacity(prints.count)
        for print in prints {
            if let last = result.last, last.print == print {
                result[result.count - 1].count += 1
            } else {
                result.append((print, 1))
            }
        }
        return result
    }

    private func characterGrams(of text: String, into prints: inout [UInt64]) {
        let space: UInt32 = 0x20
        let scalars = Array(normalizer.normalize(text).unicodeScalars)
        var joined: [UInt32] = [space]
        joined.reserveCapacity(scalars.count + 2)
        for (position, scalar) in scalars.enumerated() {
            let keep: Bool
            switch ScriptClass(scalar) {
            case .separator:
                keep = false
            case .joiner:
                // `wi-fi`, `can't`, `1.5` stay one word; a trailing full stop is punctuation.
                keep = joined.last != space && position + 1 < scalars.count
                    && ![.separator, .joiner].contains(ScriptClass(scalars[position + 1]))
            default:
                keep = true
            }
            if keep {
                joined.append(scalar.value)
            } else if joined.last != space {
                joined.append(space)
            }
        }
        if joined.last != space { joined.append(space) }
        guard joined.count > 1 else { return }

        let shortest = characterGrams.lowerBound, longest = characterGrams.upperBound
        prints.reserveCapacity(joined.count * (longest - shortest + 1))
        for first in joined.indices {
            // FNV-1a extended one character at a time: every length from one start costs one step.
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(Self.characterKind)
            for length in 1...longest where first + length <= joined.count {
                hash ^= UInt64(joined[first + length - 1])
                hash &*= 0x0000_0100_0000_01B3
                if length >= shortest || (length == 1 && cjkUnigrams && Self.isMeaningfulAlone(joined[first])) {
                    prints.append(Fingerprint.mix(hash))
                }
            }
        }
    }

    /// A single Hangul syllable, kana or kanji: unlike a Latin letter, often a word by itself.
    private static func isMeaningfulAlone(_ value: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(value) else { return false }
        switch ScriptClass(scalar) {
        case .hangul, .hiragana, .katakana, .kanji: return true
        default: return false
        }
    }

    private func terms(of text: String, into prints: inout [UInt64]) {
        var previousWord: UInt64?
        tokenizer.forEachTerm(in: text) { kind, bytes in
            let print = Fingerprint.of(bytes, kind: Self.termKindBase &+ kind.rawValue)
            prints.append(print)
            guard kind == .word, wordPairs else { return }
            if let previousWord {
                // Ordered: "card top" and "top card" differ.
                prints.append(Fingerprint.mix(previousWord &* Self.wordPairSalt ^ print))
            }
            previousWord = print
        }
    }
}

/// Fingerprint → dense feature index, with each feature's inverse document frequency.
struct TicketVocabulary: Sendable {
    private var table = FingerprintTable()
    private var inverseDocumentFrequencies: [Float] = []

    var count: Int { inverseDocumentFrequencies.count }

    /// The vocabulary of `texts`, keeping the features found in at least
    /// `minimumDocumentFrequency` of them, numbered in order of first appearance (so the
    /// numbering does not depend on hashing), and the vectors of the texts themselves.
    ///
    /// While document frequencies are still being counted, each text's features wait as a
    /// provisional id and a count in two flat arrays (6 bytes a feature, against 16 for a
    /// fingerprint and a count in an array per text): this pass is the peak of training's memory.
    static func build(_ texts: [String], features: TicketFeatures, minimumDocumentFrequency: Int,
                      termWeight: Float) -> (vocabulary: TicketVocabulary, rows: SparseRows) {
        var provisional = FingerprintTable(minimumCapacity: 1 << 16)
        var prints: [UInt64] = []
        var frequencies: [Int32] = []
        var ids: [UInt32] = []
        var occurrences: [UInt16] = []
        // Text t's character block is blockStarts[2t] ..< blockStarts[2t + 1], its terms follow.
        var blockStarts = [0]
        blockStarts.reserveCapacity(2 * texts.count + 1)
        for text in texts {
            let counts = features.counts(text)
            for block in [counts.characters, counts.terms] {
                for entry in block {
                    let id = provisional.value(for: entry.print) {
                        prints.append(entry.print)
                        frequencies.append(0)
                        return UInt32(prints.count - 1)
                    }
                    frequencies[Int(id)] += 1
                    ids.append(id)
                    occurrences.append(UInt16(clamping: entry.count))
                }
                blockStarts.append(ids.count)
            }
        }

        var vocabulary = TicketVocabulary()
        vocabulary.table = FingerprintTable(minimumCapacity: prints.count / 2)
        var final = [Int32](repeating: -1, count: prints.count)
        // Smoothed idf, as if one more text contained every feature: never zero or negative.
        let textCount = Double(texts.count)
        for id in prints.indices where Int(frequencies[id]) >= max(minimumDocumentFrequency, 1) {
            final[id] = Int32(vocabulary.count)
            vocabulary.table.insert(prints[id], value: UInt32(vocabulary.count))
            vocabulary.inverseDocumentFrequencies.append(Float(log((1 + textCount) / (1 + Double(frequencies[id]))) + 1))
        }

        var rows = SparseRows()
        var entries: [(index: Int32, value: Float)] = []
        for text in texts.indices {
            entries.removeAll(keepingCapacity: true)
            var charactersEnd = 0
            for block in 0..<2 {
                for position in blockStarts[2 * text + block]..<blockStarts[2 * text + block + 1] {
                    let index = final[Int(ids[position])]
                    if index >= 0 { entries.append((index, Float(occurrences[position]))) }
                }
                if block == 0 { charactersEnd = entries.count }
            }
            rows.append(vocabulary.weigh(&entries, charactersEnd: charactersEnd, termWeight: termWeight))
        }
        return (vocabulary, rows)
    }

    /// The vector of a new text's feature counts; features the vocabulary lacks are left out.
    func vector(_ counts: TicketFeatures.Counts, termWeight: Float) -> SparseVector {
        var entries: [(index: Int32, value: Float)] = []
        entries.reserveCapacity(counts.characters.count + counts.terms.count)
        var charactersEnd = 0
        for (block, found) in [counts.characters, counts.terms].enumerated() {
            for entry in found {
                if let index = table.value(for: entry.print) { entries.append((Int32(index), Float(entry.count))) }
            }
            if block == 0 { charactersEnd = entries.count }
        }
        return weigh(&entries, charactersEnd: charactersEnd, termWeight: termWeight)
    }

    /// Turns counts (character block first, up to `charactersEnd`) into the weighted, normalised
    /// vector, indices ascending.
    ///
    /// Term frequency is sublinear (1 + ln tf): a word said twice is a little more evidence, not
    /// twice as much. Each block is normalised on its own, so that the many character grams do
    /// not drown the few terms, then `termWeight` sets their balance and the whole is normalised.
    private func weigh(_ entries: inout [(index: Int32, value: Float)], charactersEnd: Int, termWeight: Float) -> SparseVector {
        var total: Float = 0
        for (range, weight) in [(0..<charactersEnd, Float(1)), (charactersEnd..<entries.count, termWeight)] {
            var sumOfSquares: Float = 0
            for position in range {
                let value = (1 + log(entries[position].value)) * inverseDocumentFrequencies[Int(entries[position].index)]
                entries[position].value = value
                sumOfSquares += value * value
            }
            guard sumOfSquares > 0 else { continue }
            let scale = weight / sumOfSquares.squareRoot()
            for position in range { entries[position].value *= scale }
            total += weight * weight
        }
        if total > 0, total != 1 {
            let scale = 1 / total.squareRoot()
            for position in entries.indices { entries[position].value *= scale }
        }
        entries.sort { $0.index < $1.index }
        return SparseVector(indices: entries.map(\.index), values: entries.map(\.value))
    }
}

/// A sparse vector: strictly ascending indices and their values.
struct SparseVector: Sendable {
    var indices: [Int32]
    var values: [Float]
}
