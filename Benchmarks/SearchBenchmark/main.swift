import FirstLineCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Search engine benchmark (issue 2): a synthetic, deterministic, mixed ko/ja/en knowledge base of
// 10k and 100k articles; index build time, single-thread query latency, resident memory.
//
//   swift run -c release firstline-bench [sizes…]      (default: 10000 100000)

/// SplitMix64: tiny, fast and the same on every machine, so the corpus is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Pseudo-words per language, drawn with a Zipf-like skew so common words have long postings.
struct Vocabulary {
    var words: [String]
    var particles: [String]
    var separator: String

    func word(_ rng: inout SeededGenerator) -> String {
        // Inverse-power sampling: rank ~ n^u, which favours low ranks like natural text.
        let u = Double.random(in: 0..<1, using: &rng)
        let rank = Int(pow(Double(words.count), u)) - 1
        return words[max(0, min(rank, words.count - 1))]
    }

    func sentence(_ count: Int, _ rng: inout SeededGenerator) -> String {
        (0..<count).map { _ in
            let w = word(&rng)
            return Bool.random(using: &rng) ? w + (particles.randomElement(using: &rng) ?? "") : w
        }.joined(separator: separator)
    }

    /// Characters drawn from a pool with a skew, as real text uses a few hundred syllables or
    /// kanji for most of its words and a long tail of rarer ones.
    static func skewedCharacters(from range: ClosedRange<UInt32>, pool: Int, _ rng: inout SeededGenerator) -> [Character] {
        var chosen = Set<UInt32>()
        while chosen.count < pool { chosen.insert(UInt32.random(in: range, using: &rng)) }
        return chosen.sorted().shuffled(using: &rng).map { Character(Unicode.Scalar($0)!) }
    }

    static func skewedPick(_ characters: [Character], _ rng: inout SeededGenerator) -> Character {
        let u = Double.random(in: 0..<1, using: &rng)
        return characters[min(Int(pow(Double(characters.count), u)) - 1, characters.count - 1)]
    }

    static func korean(_ rng: inout SeededGenerator) -> Vocabulary {
        let syllables = skewedCharacters(from: 0xAC00...0xD7A3, pool: 1500, &rng)
        var words = Set<String>()
        while words.count < 20000 {
            let length = Int.random(in: 2...4, using: &rng)
            words.insert(String((0..<length).map { _ in skewedPick(syllables, &rng) }))
        }
        return Vocabulary(words: words.sorted().shuffled(using: &rng), particles: ["가", "를", "에서", "는", "이", "도"], separator: " ")
    }

    static func japanese(_ rng: inout SeededGenerator) -> Vocabulary {
        let katakana = Array("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロワンー")
        let kanji = skewedCharacters(from: 0x4E00...0x9FFF, pool: 2000, &rng)
        var words = Set<String>()
        while words.count < 20000 {
            if Bool.random(using: &rng) {
                words.insert(String((0..<Int.random(in: 3...6, using: &rng)).map { _ in katakana.randomElement(using: &rng)! }))
            } else {
                words.insert(String((0..<Int.random(in: 2...3, using: &rng)).map { _ in skewedPick(kanji, &rng) }))
            }
        }
        return Vocabulary(words: words.sorted().shuffled(using: &rng), particles: ["を", "が", "に", "で", "は", "の"], separator: "")
    }

    static func english(_ rng: inout SeededGenerator) -> Vocabulary {
        let consonants = Array("bcdfghklmnprstvw"), vowels = Array("aeiou")
        var words = Set<String>()
        while words.count < 20000 {
            let syllables = Int.random(in: 2...4, using: &rng)
            words.insert(String((0..<syllables).flatMap { _ in [consonants.randomElement(using: &rng)!, vowels.randomElement(using: &rng)!] }))
        }
        return Vocabulary(words: words.sorted().shuffled(using: &rng), particles: ["", "s"], separator: " ")
    }
}

/// The synthetic collection: articles are generated one at a time while the index consumes
/// them, as a knowledge base is read file by file, so the texts are never all in memory.
struct Corpus: Sequence, IteratorProtocol {
    let size: Int
    private var rng: SeededGenerator
    private let languages: [(String, Vocabulary)]
    private var produced = 0
    /// Every thousandth article's example question, kept to make the queries.
    private(set) var questions: [String] = []

    init(size: Int, seed: UInt64 = 42) {
        self.size = size
        var rng = SeededGenerator(state: seed)
        languages = [("ko", .korean(&rng)), ("ja", .japanese(&rng)), ("en", .english(&rng))]
        self.rng = rng
    }

    mutating func next() -> SearchDocument? {
        guard produced < size else { return nil }
        let n = produced
        produced += 1
        let (lang, vocabulary) = languages[n % 3]
        let question = vocabulary.sentence(6, &rng)
        if n % Swift.max(size / 1000, 1) == 0 { questions.append(question) }
        return SearchDocument(
            id: "a\(n)", lang: lang, title: vocabulary.sentence(5, &rng),
            keywords: (0..<5).map { _ in vocabulary.word(&rng) }.joined(separator: "\n") + "\n" + question + "\n" + vocabulary.sentence(6, &rng),
            body: (0..<6).map { _ in vocabulary.sentence(12, &rng) }.joined(separator: "\n")
        )
    }

    /// Queries: example questions with one word dropped, as an employee would half-remember them.
    static func queries(from questions: [String], seed: UInt64 = 7) -> [String] {
        var rng = SeededGenerator(state: seed)
        return questions.map { question in
            var words = question.split(separator: " ").map(String.init)
            if words.count > 2 { words.remove(at: Int.random(in: 0..<words.count, using: &rng)) }
            return words.joined(separator: " ")
        }
    }
}

func residentMegabytes(_ field: String = "VmRSS:") -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix(field) {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
    return nil
}

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let clock = ContinuousClock()
/// Hands freed heap pages back to the kernel, as the server does after swapping in a new index,
/// so the resident figure shows what the index keeps rather than what building it touched.
func trimHeap() {
    #if canImport(Glibc)
    // glibc's malloc_trim is not in Swift's Glibc module; look it up at run time.
    typealias MallocTrim = @convention(c) (Int) -> Int32
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }
    #endif
}

print("size     build_ms  query_p50_us  query_p99_us  rss_mb  vocabulary")
for size in sizes.isEmpty ? [10_000, 100_000] : sizes {
    // 1. Build time and query latency: the articles are generated first, so the timing is the
    //    index's alone, not the synthetic text generator's.
    var generator = Corpus(size: size)
    var documents: [SearchDocument] = []
    documents.reserveCapacity(size)
    while let document = generator.next() { documents.append(document) }
    let queries = Corpus.queries(from: generator.questions)
    var timed: SearchIndex?
    let build = clock.measure { timed = SearchIndex(documents: documents) }
    guard let index = timed else { fatalError("index not built") }
    documents = []
    var latencies: [Double] = []
    var checksum = 0.0
    for _ in 0..<3 {  // three passes; the first warms caches
        for query in queries {
            var top = 0.0
            let elapsed = clock.measure { top = index.search(query, limit: 10).hits.first?.score ?? 0 }
            latencies.append(microseconds(elapsed))
            checksum += top
        }
    }
    latencies.sort()
    let p50 = latencies[latencies.count / 2], p99 = latencies[Int(Double(latencies.count) * 0.99)]
    let vocabulary = index.vocabularySize, postings = index.postingCount
    timed = nil

    // 2. Resident memory: a fresh process-state build from articles generated one at a time
    //    while the index consumes them, as a knowledge base is read file by file, so the texts
    //    are never all in memory and the figure is what the index keeps.
    final class Source: Sequence, IteratorProtocol {
        var corpus: Corpus
        init(_ corpus: Corpus) { self.corpus = corpus }
        func next() -> SearchDocument? { corpus.next() }
    }
    trimHeap()
    let resident = SearchIndex(documents: Source(Corpus(size: size)))
    trimHeap()
    let megabytes = residentMegabytes() ?? -1
    print(String(format: "%-8d %9.1f %13.1f %13.1f %7.1f  %d terms, %d postings", size,
                 microseconds(build) / 1000, p50, p99, megabytes, vocabulary, postings))
    if checksum.isNaN || resident.count != size { print("unreachable") }
}
