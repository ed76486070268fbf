/// Turns text in Korean, Japanese, English or any mix into weighted-evidence terms.
///
/// The text is normalised, cut into runs of one script, and each run is tokenised the way its
/// language needs (design §3): Latin words stemmed, Hangul stems plus bigrams and unigrams,
/// kanji compounds plus unigrams and bigrams, katakana words whole, hiragana as bigrams.
/// Synonym groups are recognised over the resulting word sequence and added as extra terms.
///
/// The scanner works on the UTF-8 bytes of the normalised text and hands out byte slices, so
/// indexing and querying allocate no string per term.
public struct Tokenizer: Sendable {
    public let synonyms: SynonymTable
    private let normalizer = TextNormalizer()
    private let korean = KoreanSuffixStripper()
    private let english = EnglishStemmer()
    private static let englishStopWords = FingerprintSet(StopWords.english)
    private static let koreanStopWords = FingerprintSet(StopWords.korean)
    private static let hiraganaStopWords = FingerprintSet(StopWords.hiragana)
    private static let englishNegations = FingerprintSet(StopWords.englishNegations)
    private static let koreanNegations = FingerprintSet(StopWords.koreanNegations)
    /// `StopWords.japaneseNegationEndings` as scalar values, compared without building strings.
    private static let japaneseNegationEndings = StopWords.japaneseNegationEndings.map { $0.unicodeScalars.map(\.value) }
    /// The term every negation becomes (see `StopWords.englishNegations`).
    public static let negation = "¬"

    public init(synonyms: SynonymTable = .empty) {
        self.synonyms = synonyms
    }

    /// All terms of `text`, in order of appearance, duplicates kept (they are term frequencies).
    public func terms(_ text: String) -> [Term] {
        var terms: [Term] = []
        forEachTerm(in: text) { kind, bytes in terms.append(Term(String(decoding: bytes, as: UTF8.self), kind)) }
        return terms
    }

    /// The whole-word terms only, without n-grams or synonyms.
    public func words(_ text: String) -> [String] {
        terms(text).filter { $0.kind == .word }.map(\.text)
    }

    /// Fingerprints of the whole-word terms: what synonym entries are matched on.
    func wordFingerprints(_ text: String) -> [UInt64] {
        var prints: [UInt64] = []
        scan(text) { kind, bytes in
            if kind == .word { prints.append(Fingerprint.of(bytes, kind: kind.rawValue)) }
        }
        return prints
    }

    /// Calls `emit` with every term of `text`: kind and UTF-8 bytes, valid only during the call.
    public func forEachTerm(in text: String, _ emit: (TermKind, UnsafeBufferPointer<UInt8>) -> Void) {
        var wordPrints: [UInt64] = []
        scan(text) { kind, bytes in
            if kind == .word, !synonyms.isEmpty { wordPrints.append(Fingerprint.of(bytes, kind: kind.rawValue)) }
            emit(kind, bytes)
        }
        guard !synonyms.isEmpty else { return }
        for group in synonyms.groups(in: wordPrints) {
            var label = String(group)
            label.withUTF8 { emit(.synonym, $0) }
        }
    }

    private func scan(_ text: String, _ emit: (TermKind, UnsafeBufferPointer<UInt8>) -> Void) {
        var normalized = normalizer.normalize(text)
        normalized.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            scanner.run(korean: korean, english: english, emit)
        }
    }

    /// One pass over the scalars of one normalised text.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        /// Scalar values and the byte offset where each starts (plus one final end offset).
        var values: [UInt32] = []
        var starts: [Int] = []
        var scratch: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            values.reserveCapacity(bytes.count)
            starts.reserveCapacity(bytes.count + 1)
            var offset = 0
            while offset < bytes.count {
                let lead = bytes[offset]
                let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                var value = UInt32(lead)
                switch length {
                case 2: value = UInt32(lead & 0x1F)
                case 3: value = UInt32(lead & 0x0F)
                case 4: value = UInt32(lead & 0x07)
                default: break
                }
                for next in 1..<max(length, 1) where offset + next < bytes.count {
                    value = value << 6 | UInt32(bytes[offset + next] & 0x3F)
                }
                values.append(value)
                starts.append(offset)
                offset += length
            }
            starts.append(min(offset, bytes.count))
        }

        func script(_ index: Int) -> ScriptClass {
            ScriptClass(Unicode.Scalar(values[index]) ?? " ")
        }

        /// The bytes of scalars `from ..< to`.
        func slice(_ from: Int, _ to: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[starts[from]..<starts[to]])
        }

        mutating func run(korean: KoreanSuffixStripper, english: EnglishStemmer,
                          _ emit: (TermKind, UnsafeBufferPointer<UInt8>) -> Void) {
            var index = 0
            while index < values.count {
                let kind = script(index)
                switch kind {
                case .separator, .joiner:
                    index += 1
                case .latin, .digit:
                    index = latinWord(from: index, english: english, emit)
                case .hangul, .hiragana, .katakana, .kanji:
                    var end = index + 1
                    while end < values.count, script(end) == kind { end += 1 }
                    switch kind {
                    case .hangul: hangul(index, end, korean: korean, emit)
                    case .katakana: katakana(index, end, emit)
                    case .kanji: kanji(index, end, emit)
                    default: hiragana(index, end, emit)
                    }
                    index = end
                }
            }
        }

        /// Letters and digits, with `-` `'` `_` inside a word dropped (`wi-fi` → `wifi`).
        mutating func latinWord(from start: Int, english: EnglishStemmer,
                                _ emit: (TermKind, UnsafeBufferPointer<UInt8>) -> Void) -> Int {
            scratch.removeAll(keepingCapacity: true)
            var index = start
            while index < values.count {
                let kind = script(index)
                if kind == .latin || kind == .digit {
                    scratch.append(contentsOf: slice(index, index + 1))
                } else if kind == .joiner, values[index] != 0x2E, index + 1 < values.count,
                          [.latin, .digit].contains(script(index + 1)) {
                    // a joiner between two word characters: the word goes on
                } else {
                    break
                }
                index += 1
            }
            let isNegation = scratch.withUnsafeBufferPointer { Tokenizer.englishNegations.contains($0) }
            if isNegation { emitNegation(emit) }
            let isStopWord = scratch.withUnsafeBufferPointer { Tokenizer.englishStopWords.contains($0) }
            guard !isStopWord, !isNegation else { return index }
            english.stem(&scratch)
            scratch.withUnsafeBufferPointer { emit(.word, $0) }
            return index
        }

        mutating func hangul(_ start: Int, _ end: Int, korean: KoreanSuffixStripper,
                             _ emit: (TermKind, UnsafeBufferPointer<UInt8>) -> Void) {
            let stemEnd = korean.stemEnd(values[start..<end])
            let stem = slice(start, stemEnd)
            if Tokenizer.koreanNegations.contains(stem) || (end - start >= 2 && values[start] == 0xC548 && [0xB3FC, 0xB418, 0xB410].contains(values[start + 1])) {
                emitNegation(emit)  // 안, 못, 않; and 안돼요 / 안되는 / 안됐어요 written as one word
            }
            if Tokenizer.koreanStopWords.contains(stem) || Tokenizer.koreanNegations.contains(stem) { return }
            emit(.word, stem)
            if let root = KoreanSuffixStripper.verbRoot(lastSyllable: values[stemEnd - 1]) {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: slice(start, stemEnd - 1))
                scratch.append(contentsOf: String(Unicode.Scalar(root) ?? " ").utf8)
                scratch.withUnsafeBufferPointer { emit(.root, $0) }
            }
            bigrams(start, end, emit)
            if stemEnd - start > 1 {
                for index in start..<stemEnd { emit(.unigram, slice(index, index + 1)) }
            }
        }

        mutating func katakana(_ start: Int, _ end: Int, _ emit: (TermKind, UnsafeBufferPointer<UInt8>) -> Void) {
            // A lone prolonged-sound mark or middle dot is punctuation, not a word.
            let middleDot: UInt32 = 0x30FB, prolonged: UInt32 = 0x30FC
            guard values[start..<end].contains(where: { $0 != middleDot && $0 != prolonged }) else { return }
            if values[start..<end].contains(middleDot) {
                scratch.removeAll(keepingCapacity: true)
                for index in start..<end where values[index] != middleDot { scratch.append(contentsOf: slice(index, index + 1)) }
                scratch.withUnsafeBufferPointer { emit(.word, $0) }
            } else {
                emit(.word, slice(start, end))
            }
            if end - start >= 4 { bigrams(start, end, emit) }
        }

        func kanji(_ start: Int, _ end: Int, _ emit: (TermKind, UnsafeBufferPointer<UInt8>) -> Void) {
            emit(.word, slice(start, end))
            guard end - start > 1 else { return }
            bigrams(start, end, emit)
            for index in start..<end { emit(.unigram, slice(index, index + 1)) }
        }

        /// Hiragana carries grammar more than meaning; content runs contribute bigrams only.
        func hiragana(_ start: Int, _ end: Int, _ emit: (TermKind, UnsafeBufferPointer<UInt8>) -> Void) {
            let run = values[start..<end]
            if Tokenizer.japaneseNegationEndings.contains(where: { run.count >= $0.count && run.suffix($0.count).elementsEqual($0) }) {
                emitNegation(emit)
            }
            guard end - start >= 2, !Tokenizer.hiraganaStopWords.contains(slice(start, end)) else { return }
            bigrams(start, end, emit)
        }

        func emitNegation(_ emit: (TermKind, UnsafeBufferPointer<UInt8>) -> Void) {
            var marker = Tokenizer.negation
            marker.withUTF8 { emit(.word, $0) }
        }

        func bigrams(_ start: Int, _ end: Int, _ emit: (TermKind, UnsafeBufferPointer<UInt8>) -> Void) {
            var index = start
            while index + 1 < end {
                emit(.bigram, slice(index, index + 2))
                index += 1
            }
        }
    }
}
