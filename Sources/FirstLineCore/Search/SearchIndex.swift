import Foundation

/// What the index keeps of a document to show it in a hit.
public struct IndexedArticle: Sendable, Equatable {
    public var id: String
    public var lang: String
    public var title: String
    public var category: String?
}

/// One ranked article.
public struct SearchHit: Sendable, Equatable {
    public var id: String
    public var lang: String
    public var title: String
    public var category: String?
    public var score: Double
}

/// An immutable BM25F index over a set of articles.
///
/// Everything that does not depend on the query — idf, field length normalisation, saturation —
/// is folded into one precomputed impact per posting at build time, so a query is a sum of
/// impacts over the postings of its terms. Snapshots are values: the server swaps a new one in
/// when the knowledge base changes, and queries in flight keep the one they started with.
public struct SearchIndex: Sendable {
    public let tokenizer: Tokenizer
    public let parameters: RankingParameters
    /// What each document shows in a hit, by document number.
    public let articles: [IndexedArticle]

    /// Term fingerprint (kind and text) → term id.
    private let termIDs: FingerprintTable
    /// Postings of term `t` are `postingDocs[postingStart[t] ..< postingStart[t + 1]]`.
    private let postingStart: [UInt32]
    private let postingDocs: [UInt32]
    private let postingImpacts: [Float]
    private let idf: [Float]
    private let typos: TypoCandidates
    /// Ceiling of any idf, used for query terms the index has never seen.
    private let unseenIDF: Double

    public var count: Int { articles.count }
    public var vocabularySize: Int { idf.count }
    /// Total (term, document) pairs: the size of the index.
    public var postingCount: Int { postingDocs.count }

    /// Builds the index in one pass over `documents`, which may be produced lazily: only what a
    /// hit shows is kept of each, so a large collection never has to be in memory as text.
    public init(documents: some Sequence<SearchDocument>, tokenizer: Tokenizer = Tokenizer(),
                parameters: RankingParameters = RankingParameters()) {
        self.tokenizer = tokenizer
        self.parameters = parameters
        var articles: [IndexedArticle] = []

        let fieldCount = SearchField.allCases.count
        var termIDs = FingerprintTable(minimumCapacity: 1024)
        var termKinds: [TermKind] = []
        var termScripts: [TermScript] = []
        var typoVocabulary: [(String, UInt32)] = []
        // How many documents use each script: the population a term's idf is counted against.
        var documentsWithScript = [Int](repeating: 0, count: TermScript.allCases.count)
        // Each document's distinct terms with their per-field frequencies (one byte per field,
        // capped at 255), flat over all documents: a compact intermediate between tokenising
        // and the postings, so building a large index does not hold every token at once.
        var docTerms: [UInt32] = []
        var docFrequencies: [UInt32] = []
        var docEnds: [Int] = []
        docEnds.reserveCapacity(documents.underestimatedCount)
        var fieldLengths = [[Float]](repeating: [], count: fieldCount)
        var codes: [UInt32] = []
        for document in documents {
            articles.append(IndexedArticle(id: document.id, lang: document.lang, title: document.title,
                                           category: document.category))
            codes.removeAll(keepingCapacity: true)
            var scriptsSeen: UInt8 = 0
            for field in SearchField.allCases {
                var length = 0
                tokenizer.forEachTerm(in: document.text(of: field)) { kind, bytes in
                    // Single characters help short texts (titles, example questions) meet a
                    // differently conjugated query; in a long body they match nearly every
                    // article and would be a third of the index for no ranking gain.
                    if kind == .unigram, field == .body { return }
                    length += 1
                    let id = termIDs.value(for: Fingerprint.of(bytes, kind: kind.rawValue)) {
                        let id = UInt32(termKinds.count)
                        termKinds.append(kind)
                        termScripts.append(TermScript(kind: kind, bytes: bytes))
                        if kind == .word, TypoCandidates.isEligible(bytes) {
                            typoVocabulary.append((String(decoding: bytes, as: UTF8.self), id))
                        }
                        return id
                    }
                    scriptsSeen |= 1 << UInt8(termScripts[Int(id)].rawValue)
                    codes.append(id << 2 | UInt32(field.rawValue))
                }
                fieldLengths[field.rawValue].append(Float(length))
            }
            for script in TermScript.allCases where scriptsSeen & (1 << UInt8(script.rawValue)) != 0 {
                documentsWithScript[script.rawValue] += 1
            }
            codes.sort()
            var index = 0
            while index < codes.count {
                let term = codes[index] >> 2
                var packed: UInt32 = 0
                while index < codes.count, codes[index] >> 2 == term {
                    let field = codes[index] & 3
                    let count = min((packed >> (8 * field)) & 0xFF + 1, 0xFF)
                    packed = packed & ~(0xFF << (8 * field)) | count << (8 * field)
                    index += 1
                }
                docTerms.append(term)
                docFrequencies.append(packed)
            }
            docEnds.append(docTerms.count)
        }

        let termCount = termKinds.count
        var documentFrequency = [UInt32](repeating: 0, count: termCount)
        for term in docTerms { documentFrequency[Int(term)] += 1 }
        // A Korean word is rare or common among the documents that contain Korean, not among all
        // of them: counted against the whole multilingual collection, every Korean function word
        // would look rarer than an English product name that all three translations mention.
        let idf = (0..<termCount).map { t -> Float in
            let df = Double(documentFrequency[t])
            let population = Double(max(documentsWithScript[termScripts[t].rawValue], Int(documentFrequency[t]), 1))
            return Float(log(1 + (population - df + 0.5) / (df + 0.5)))
        }
        unseenIDF = log(1 + (Double(max(articles.count, 1)) + 0.5) / 0.5)
        self.articles = articles

        let averageLength = fieldLengths.map { lengths -> Float in
            lengths.isEmpty ? 1 : max(lengths.reduce(0, +) / Float(lengths.count), 1)
        }
        var start = [UInt32](repeating: 0, count: termCount + 1)
        for t in 0..<termCount { start[t + 1] = start[t] + documentFrequency[t] }
        var cursor = Array(start.dropLast())
        var docsOut = [UInt32](repeating: 0, count: Int(start[termCount]))
        var impactsOut = [Float](repeating: 0, count: Int(start[termCount]))
        let k1 = Float(parameters.k1)
        let weights = parameters.fieldWeights.map(Float.init)
        let b = parameters.fieldB.map(Float.init)

        var begin = 0
        for (doc, end) in docEnds.enumerated() {
            // Length normalisation of each field of this document.
            var norm = [Float](repeating: 1, count: fieldCount)
            for f in 0..<fieldCount {
                norm[f] = 1 - b[f] + b[f] * fieldLengths[f][doc] / averageLength[f]
            }
            for entry in begin..<end {
                let term = Int(docTerms[entry])
                let packed = docFrequencies[entry]
                var pseudoFrequency: Float = 0
                for f in 0..<fieldCount {
                    let count = (packed >> (8 * UInt32(f))) & 0xFF
                    if count > 0 { pseudoFrequency += weights[f] * Float(count) / norm[f] }
                }
                let slot = Int(cursor[term])
                cursor[term] += 1
                docsOut[slot] = UInt32(doc)
                impactsOut[slot] = idf[term] * pseudoFrequency * (k1 + 1) / (k1 + pseudoFrequency)
            }
            begin = end
        }

        self.termIDs = termIDs
        self.postingStart = start
        self.postingDocs = docsOut
        self.postingImpacts = impactsOut
        self.idf = idf
        self.typos = TypoCandidates(vocabulary: typoVocabulary)
    }

    /// The best `limit` articles for `text`, one hit per article id (its best language version).
    public func search(_ text: String, limit: Int = 10) -> SearchResult {
        let query = weightedQuery(text)
        guard !query.terms.isEmpty, !articles.isEmpty, limit > 0 else {
            return SearchResult(hits: [], attainableScore: query.attainable)
        }
        // Enough candidates to still have `limit` distinct ids after merging the (at most three)
        // language versions of each article.
        let depth = limit * 3 + 3
        // Terms in a fixed order, so that float sums, and so ties, are the same on every run.
        let terms = query.terms.sorted { $0.0 < $1.0 }
        var scores = [Float](repeating: 0, count: articles.count)
        var touched: [UInt32] = []
        touched.reserveCapacity(256)
        // The hot loop: one add per posting. Unsafe buffers drop the bounds and uniqueness
        // checks that otherwise cost as much as the add itself; every index comes from the
        // index's own postings, built in `init`.
        scores.withUnsafeMutableBufferPointer { scores in
            postingDocs.withUnsafeBufferPointer { docs in
                postingImpacts.withUnsafeBufferPointer { impacts in
                    for (term, weight) in terms {
                        let w = Float(weight)
                        for slot in Int(postingStart[Int(term)])..<Int(postingStart[Int(term) + 1]) {
                            let doc = Int(docs[slot])
                            if scores[doc] == 0 { touched.append(UInt32(doc)) }
                            scores[doc] += w * impacts[slot]
                        }
                    }
                }
            }
        }
        return SearchResult(hits: top(limit, depth: depth, of: touched, scores: scores), attainableScore: query.attainable)
    }


    /// The idf of a word that at most two documents contain (in a collection big enough for that
    /// to mean rare); such words are also looked up as possible misspellings.
    private var rareWordIDF: Double {
        let count = Double(articles.count)
        guard count >= 20 else { return .infinity }
        return log(1 + (count - 2 + 0.5) / (2 + 0.5))
    }

    /// Query terms resolved to term ids with their weights, and the score a perfect article could reach.
    private func weightedQuery(_ text: String) -> (terms: [(UInt32, Double)], attainable: Double) {
        var weights: [UInt32: Double] = [:]
        var attainable = 0.0
        let saturation = parameters.perfectMatchSaturation
        tokenizer.forEachTerm(in: text) { kind, bytes in
            let weight = parameters.weight(of: kind)
            if let id = termIDs.value(for: Fingerprint.of(bytes, kind: kind.rawValue)) {
                weights[id, default: 0] += weight
                attainable += weight * Double(idf[Int(id)]) * saturation
                // A word only one or two documents contain may itself be a misspelling that an
                // example kept on purpose ("new hire acount pls"): its correctly spelt neighbour
                // counts too, or that one example would outrank every article about "account".
                if kind == .word, Double(idf[Int(id)]) >= rareWordIDF, TypoCandidates.isEligible(bytes) {
                    for candidate in typos.corrections(of: String(decoding: bytes, as: UTF8.self), excluding: id)
                    where idf[Int(candidate)] < idf[Int(id)] {
                        weights[candidate, default: 0] += weight * parameters.typoDiscount
                    }
                }
                return
            }
            attainable += weight * unseenIDF * saturation
            guard kind == .word, TypoCandidates.isEligible(bytes) else { return }
            for candidate in typos.corrections(of: String(decoding: bytes, as: UTF8.self)) {
                weights[candidate, default: 0] += weight * parameters.typoDiscount
            }
        }
        return (weights.map { ($0.key, $0.value) }, attainable)
    }

    private func top(_ limit: Int, depth: Int, of touched: [UInt32], scores: [Float]) -> [SearchHit] {
        let articles = articles
        var ranked = TopScores(capacity: depth) { articles[$0].id < articles[$1].id }
        for doc in touched { ranked.offer(doc: Int(doc), score: scores[Int(doc)]) }
        var candidates = ranked.entries
        candidates.sort { $0.score != $1.score ? $0.score > $1.score : articles[$0.doc].id < articles[$1.doc].id }
        var seen = Set<String>()
        var hits: [SearchHit] = []
        for entry in candidates {
            let document = articles[entry.doc]
            guard seen.insert(document.id).inserted else { continue }
            hits.append(SearchHit(id: document.id, lang: document.lang, title: document.title,
                                  category: document.category, score: Double(entry.score)))
            if hits.count == limit { break }
        }
        return hits
    }
}

/// The best `capacity` (document, score) pairs seen so far: a min-heap on rank, so a query
/// touching thousands of documents costs a comparison each, not a full sort. Equal scores rank
/// by `precedes` (article id order), so the same query always returns the same hits.
struct TopScores {
    private(set) var entries: [(doc: Int, score: Float)] = []
    let capacity: Int
    let precedes: (Int, Int) -> Bool

    init(capacity: Int, precedes: @escaping (Int, Int) -> Bool) {
        self.capacity = capacity
        self.precedes = precedes
        entries.reserveCapacity(capacity)
    }

    /// Whether `a` ranks below `b`.
    private func below(_ a: (doc: Int, score: Float), _ b: (doc: Int, score: Float)) -> Bool {
        a.score != b.score ? a.score < b.score : precedes(b.doc, a.doc)
    }

    mutating func offer(doc: Int, score: Float) {
        if entries.count < capacity {
            entries.append((doc, score))
            siftUp(entries.count - 1)
        } else if score > entries[0].score || (score == entries[0].score && precedes(doc, entries[0].doc)) {
            entries[0] = (doc, score)
            siftDown(0)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard below(entries[child], entries[parent]) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var lowest = parent
            if left < entries.count, below(entries[left], entries[lowest]) { lowest = left }
            if right < entries.count, below(entries[right], entries[lowest]) { lowest = right }
            guard lowest != parent else { return }
            entries.swapAt(parent, lowest)
            parent = lowest
        }
    }
}

/// The script family of a term, which decides the population its idf is counted against.
enum TermScript: Int, CaseIterable, Hashable {
    case latin, hangul, japanese, shared

    init(kind: TermKind, bytes: UnsafeBufferPointer<UInt8>) {
        guard kind != .synonym else {
            self = .shared
            return
        }
        // The first scalar decides.
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        guard case let .scalarValue(first) = decoder.decode(&iterator) else {
            self = .shared
            return
        }
        switch ScriptClass(first) {
        case .hangul: self = .hangul
        case .hiragana, .katakana, .kanji: self = .japanese
        default: self = .latin
        }
    }
}
