import Foundation

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
    public let documents: [SearchDocument]

    private let termIDs: [String: UInt32]
    /// Postings of term `t` are `postingDocs[postingStart[t] ..< postingStart[t + 1]]`.
    private let postingStart: [UInt32]
    private let postingDocs: [UInt32]
    private let postingImpacts: [Float]
    private let idf: [Float]
    private let typos: TypoCandidates
    /// Ceiling of any idf, used for query terms the index has never seen.
    private let unseenIDF: Double

    public var count: Int { documents.count }
    public var vocabularySize: Int { idf.count }

    public init(documents: [SearchDocument], tokenizer: Tokenizer = Tokenizer(), parameters: RankingParameters = RankingParameters()) {
        self.tokenizer = tokenizer
        self.parameters = parameters
        self.documents = documents

        let fieldCount = SearchField.allCases.count
        var termIDs: [String: UInt32] = [:]
        var termKinds: [TermKind] = []
        // Per document: sorted (term << 2 | field) codes, one per occurrence.
        var docCodes: [[UInt32]] = []
        docCodes.reserveCapacity(documents.count)
        var fieldLengths = [[Float]](repeating: [], count: fieldCount)
        for document in documents {
            var codes: [UInt32] = []
            for field in SearchField.allCases {
                let terms = tokenizer.terms(document.text(of: field))
                fieldLengths[field.rawValue].append(Float(terms.count))
                for term in terms {
                    let key = term.key
                    let id: UInt32
                    if let known = termIDs[key] {
                        id = known
                    } else {
                        id = UInt32(termKinds.count)
                        termIDs[key] = id
                        termKinds.append(term.kind)
                    }
                    codes.append(id << 2 | UInt32(field.rawValue))
                }
            }
            codes.sort()
            docCodes.append(codes)
        }

        let termCount = termKinds.count
        var documentFrequency = [UInt32](repeating: 0, count: termCount)
        for codes in docCodes {
            var previous = UInt32.max
            for code in codes where code >> 2 != previous {
                previous = code >> 2
                documentFrequency[Int(previous)] += 1
            }
        }
        let n = Double(max(documents.count, 1))
        let idf = documentFrequency.map { Float(log(1 + (n - Double($0) + 0.5) / (Double($0) + 0.5))) }
        unseenIDF = log(1 + (n + 0.5) / 0.5)

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

        for (doc, codes) in docCodes.enumerated() {
            // Length normalisation of each field of this document.
            var norm = [Float](repeating: 1, count: fieldCount)
            for f in 0..<fieldCount {
                norm[f] = 1 - b[f] + b[f] * fieldLengths[f][doc] / averageLength[f]
            }
            var index = 0
            while index < codes.count {
                let term = codes[index] >> 2
                var pseudoFrequency: Float = 0
                while index < codes.count, codes[index] >> 2 == term {
                    let field = Int(codes[index] & 3)
                    var run = 0
                    while index < codes.count, codes[index] == (term << 2 | UInt32(field)) { run += 1; index += 1 }
                    pseudoFrequency += weights[field] * Float(run) / norm[field]
                }
                let slot = Int(cursor[Int(term)])
                cursor[Int(term)] += 1
                docsOut[slot] = UInt32(doc)
                impactsOut[slot] = idf[Int(term)] * pseudoFrequency * (k1 + 1) / (k1 + pseudoFrequency)
            }
        }

        self.termIDs = termIDs
        self.postingStart = start
        self.postingDocs = docsOut
        self.postingImpacts = impactsOut
        self.idf = idf
        self.typos = TypoCandidates(vocabulary: termIDs.compactMap { key, id in
            termKinds[Int(id)] == .word ? (key, id) : nil
        })
    }

    /// The best `limit` articles for `text`, one hit per article id (its best language version).
    public func search(_ text: String, limit: Int = 10) -> SearchResult {
        let query = weightedQuery(text)
        guard !query.terms.isEmpty, !documents.isEmpty, limit > 0 else {
            return SearchResult(hits: [], attainableScore: query.attainable)
        }
        var scores = [Float](repeating: 0, count: documents.count)
        var touched: [UInt32] = []
        touched.reserveCapacity(256)
        for (term, weight) in query.terms {
            let w = Float(weight)
            for slot in Int(postingStart[Int(term)])..<Int(postingStart[Int(term) + 1]) {
                let doc = postingDocs[slot]
                if scores[Int(doc)] == 0 { touched.append(doc) }
                scores[Int(doc)] += w * postingImpacts[slot]
            }
        }
        return SearchResult(hits: top(limit, of: touched, scores: scores), attainableScore: query.attainable)
    }

    /// Query terms resolved to term ids with their weights, and the score a perfect article could reach.
    private func weightedQuery(_ text: String) -> (terms: [(UInt32, Double)], attainable: Double) {
        var weights: [UInt32: Double] = [:]
        var attainable = 0.0
        let saturation = parameters.k1 + 1
        for term in tokenizer.terms(text) {
            let weight = parameters.weight(of: term.kind)
            if let id = termIDs[term.key] {
                weights[id, default: 0] += weight
                attainable += weight * Double(idf[Int(id)]) * saturation
                continue
            }
            attainable += weight * unseenIDF * saturation
            guard term.kind == .word else { continue }
            for candidate in typos.corrections(of: term.text, in: termIDs) {
                weights[candidate, default: 0] += weight * parameters.typoDiscount
            }
        }
        return (weights.map { ($0.key, $0.value) }, attainable)
    }

    private func top(_ limit: Int, of touched: [UInt32], scores: [Float]) -> [SearchHit] {
        // Articles share ids across languages: keep the best version of each.
        var ranked = touched.map { (doc: Int($0), score: scores[Int($0)]) }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : documents[$0.doc].id < documents[$1.doc].id }
        var seen = Set<String>()
        var hits: [SearchHit] = []
        for entry in ranked {
            let document = documents[entry.doc]
            guard seen.insert(document.id).inserted else { continue }
            hits.append(SearchHit(id: document.id, lang: document.lang, title: document.title,
                                  category: document.category, score: Double(entry.score)))
            if hits.count == limit { break }
        }
        return hits
    }
}
