import Foundation

/// Turns one ticket text into the fingerprints of its features, in two blocks.
///
/// - Characters: n-grams of the normalised text taken inside each word padded with a space on
///   both sides, so that a gram can say "starts a word" or "ends a word" (`" card"`, `"ed "`).
///   They need no dictionary and survive typos, inflection and Korean endings alike; a Japanese
///   sentence without spaces is one long "word" whose grams are simply all its substrings.
///   Single characters count only outside Latin and digits, where one kanji or syllable already
///   carries meaning.
/// - Terms: what the project's `Tokenizer` makes of the text (stemmed words without stop words,
///   Korean stems and verb roots, CJK bigrams and unigrams, the negation marker), plus pairs of
///   adjacent whole words, which catch short phrases ("card declin", "top up") that characters
///   cannot see across a space.
///
/// Fingerprints, not strings, identify features: the vocabulary then costs 12 bytes per entry
/// and no string is allocated per gram.
struct TicketFeatures: Sendable {
    enum Block: Int, Sendable, CaseIterable {
        case characters = 0
        case terms = 1
    }

    /// One text's features: each distinct fingerprint once, with its number of occurrences.
    struct Counts {
        var characters: [(print: UInt64, count: Int)] = []
        var terms: [(print: UInt64, count: Int)] = []
    }

    let characterGrams: ClosedRange<Int>
    let cjkUnigrams: Bool
    let wordBigrams: Bool
    let surfaceWords: Int
    var crossWords = false
    let tokenizer: Tokenizer
    private let normalizer = TextNormalizer()

    /// Fingerprint kinds keep the blocks and the term kinds apart: `메일` the character bigram,
    /// `메일` the Korean stem and `메일` the CJK bigram term are three features.
    private static let characterKind: UInt8 = 0x40
    private static let termKindBase: UInt8 = 0x50
    private static let wordPairSalt: UInt64 = 0x5851_F42D_4C95_7F2D

    init(characterGrams: ClosedRange<Int>, cjkUnigrams: Bool, wordBigrams: Bool, surfaceWords: Int = 0, tokenizer: Tokenizer) {
        self.surfaceWords = surfaceWords
        self.characterGrams = max(characterGrams.lowerBound, 1)...max(characterGrams.upperBound, 1)
        self.cjkUnigrams = cjkUnigrams
        self.wordBigrams = wordBigrams
        self.tokenizer = tokenizer
    }

    func counts(_ text: String) -> Counts {
        var characterPrints: [UInt64] = []
        var termPrints: [UInt64] = []
        characterGrams(of: text, into: &characterPrints, words: &termPrints)
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

    private func characterGrams(of text: String, into prints: inout [UInt64], words: inout [UInt64]) {
        let space: UInt32 = 0x20
        // The words of the normalised text, each padded with one space on either side.
        var padded: [UInt32] = []
        var wordStarts: [Int] = []
        var inWord = false
        let scalars = Array(normalizer.normalize(text).unicodeScalars)
        if surfaceWords > 0 { surface(scalars, into: &words) }
        for (position, scalar) in scalars.enumerated() {
            let script = ScriptClass(scalar)
            let keep: Bool
            switch script {
            case .separator:
                keep = false
            case .joiner:
                // `wi-fi`, `can't`, `1.5`: kept only between two word characters.
                keep = inWord && position + 1 < scalars.count
                    && ![.separator, .joiner].contains(ScriptClass(scalars[position + 1]))
            default:
                keep = true
            }
            if keep {
                if !inWord {
                    wordStarts.append(padded.count)
                    padded.append(space)
                    inWord = true
                }
                padded.append(scalar.value)
            } else if inWord {
                padded.append(space)
                inWord = false
            }
        }
        if inWord { padded.append(space) }
        wordStarts.append(padded.count)
        if crossWords {
            var joined: [UInt32] = []
            for value in padded where !(value == space && joined.last == space) { joined.append(value) }
            padded = joined
            wordStarts = [0, padded.count]
        }

        let shortest = characterGrams.lowerBound, longest = characterGrams.upperBound
        for word in 0..<(wordStarts.count - 1) {
            let start = wordStarts[word], end = wordStarts[word + 1]
            for first in start..<end {
                var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(Self.characterKind)
                for length in 1...longest where first + length <= end {
                    hash ^= UInt64(padded[first + length - 1])
                    hash &*= 0x0000_0100_0000_01B3
                    if length >= shortest {
                        prints.append(Fingerprint.mix(hash))
                    } else if length == 1, cjkUnigrams, Self.isMeaningfulAlone(padded[first]) {
                        prints.append(Fingerprint.mix(hash))
                    }
                }
            }
        }
    }

    private func surface(_ scalars: [Unicode.Scalar], into words: inout [UInt64]) {
        func group(_ s: ScriptClass) -> Int {
            switch s {
            case .latin, .digit: return 1
            case .hangul: return 2
            case .hiragana: return 3
            case .katakana: return 4
            case .kanji: return 5
            case .joiner: return -1
            case .separator: return 0
            }
        }
        var previous: UInt64?
        var index = 0
        while index < scalars.count {
            let g = group(ScriptClass(scalars[index]))
            if g <= 0 { index += 1; continue }
            var end = index + 1
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ 0x60
            hash ^= UInt64(scalars[index].value); hash &*= 0x0000_0100_0000_01B3
            while end < scalars.count {
                var h = group(ScriptClass(scalars[end]))
                if h == -1, end + 1 < scalars.count, group(ScriptClass(scalars[end + 1])) == (surfaceWords >= 3 ? g : max(group(ScriptClass(scalars[end + 1])), 1)) { h = g; }
                if h <= 0 { break }
                if surfaceWords >= 3, h != g { break }
                if ScriptClass(scalars[end]) != .joiner {
                    hash ^= UInt64(scalars[end].value); hash &*= 0x0000_0100_0000_01B3
                }
                end += 1
            }
            let print = Fingerprint.mix(hash)
            if surfaceWords == 4, g != 1 { previous = nil; index = end; continue }
            words.append(print)
            if surfaceWords > 1, let previous { words.append(Fingerprint.mix(previous &* Self.wordPairSalt ^ print ^ 0x77)) }
            previous = print
            index = end
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
            guard kind == .word, wordBigrams else { return }
            if let previousWord {
                // Ordered pair: "card top" and "top card" differ.
                prints.append(Fingerprint.mix(previousWord &* Self.wordPairSalt ^ print))
            }
            previousWord = print
        }
    }
}

/// Fingerprint → dense feature index, with each feature's block and inverse document frequency.
struct TicketVocabulary: Sendable {
    private(set) var table = FingerprintTable()
    private(set) var blocks: [TicketFeatures.Block] = []
    private(set) var inverseDocumentFrequencies: [Float] = []

    var count: Int { blocks.count }

    /// Keeps the features found in at least `minimumDocumentFrequency` of `documents`, numbered
    /// in order of first appearance so that the numbering does not depend on hashing.
    init(documents: [TicketFeatures.Counts], minimumDocumentFrequency: Int) {
        var provisional = FingerprintTable(minimumCapacity: 1 << 16)
        var prints: [UInt64] = []
        var provisionalBlocks: [TicketFeatures.Block] = []
        var frequencies: [Int32] = []
        for document in documents {
            for (block, entries) in [(TicketFeatures.Block.characters, document.characters), (.terms, document.terms)] {
                for entry in entries {
                    let index = Int(provisional.value(for: entry.print) {
                        prints.append(entry.print)
                        provisionalBlocks.append(block)
                        frequencies.append(0)
                        return UInt32(prints.count - 1)
                    })
                    frequencies[index] += 1
                }
            }
        }
        let kept = prints.indices.filter { Int(frequencies[$0]) >= max(minimumDocumentFrequency, 1) }
        table = FingerprintTable(minimumCapacity: kept.count)
        // Smoothed idf, as if one more document contained every feature: never zero or negative.
        let documentCount = Double(documents.count)
        for index in kept {
            table.insert(prints[index], value: UInt32(blocks.count))
            blocks.append(provisionalBlocks[index])
            inverseDocumentFrequencies.append(Float(log((1 + documentCount) / (1 + Double(frequencies[index]))) + 1))
        }
    }

    /// The weighted, normalised vector of one text's counts, indices ascending.
    ///
    /// Term frequency is sublinear (1 + ln tf): a word said twice is a little more evidence, not
    /// twice as much. Each block is normalised on its own, so that the many character grams do
    /// not drown the few terms, then `termWeight` sets their balance and the whole is normalised.
    func vector(_ counts: TicketFeatures.Counts, termWeight: Float) -> SparseVector {
        var entries: [(index: Int32, value: Float)] = []
        entries.reserveCapacity(counts.characters.count + counts.terms.count)
        var blockStart = 0
        var total: Float = 0
        for (block, weight) in [(counts.characters, Float(1)), (counts.terms, termWeight)] {
            var sumOfSquares: Float = 0
            for entry in block {
                guard let index = table.value(for: entry.print) else { continue }
                let value = (1 + Float(log(Double(entry.count)))) * inverseDocumentFrequencies[Int(index)]
                entries.append((Int32(index), value))
                sumOfSquares += value * value
            }
            if sumOfSquares > 0 {
                let scale = weight / sumOfSquares.squareRoot()
                for position in blockStart..<entries.count { entries[position].value *= scale }
                total += weight * weight
            }
            blockStart = entries.count
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
