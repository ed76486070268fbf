import Foundation

/// What a message matched: a knowledge-base article or a conversational intent.
public enum MatchTarget: Sendable, Equatable {
    case article(id: String)
    case intent(id: String)
}

/// Articles and intents in one index, so that they compete on the same text pipeline
/// (design §3): "thanks, the printer works now" should be thanks, "printer is jammed" an article.
public struct ContentIndex: Sendable {
    /// Intent documents are stored under this id prefix; article ids cannot contain ':'.
    public static let intentPrefix = "intent:"

    public let index: SearchIndex
    public let articles: [Article]
    public let intents: [Intent]
    /// Suggests a ticket's category when no article matched (issue: auto-categorisation).
    public let categoryClassifier: TicketClassifier?
    private let articlesByKey: [String: Article]
    /// Per article, the term sets of messages it failed ("Still broken").
    private let demotions: [String: [Set<Term>]]
    /// Each similar failed message multiplies the article's score by this, at most three times.
    public static let demotionFactor = 0.75
    private let intentsByID: [String: Intent]

    public init(articles: [Article], intents: [Intent], synonyms: [[String]] = [],
                parameters: RankingParameters = RankingParameters(), learned: [String: String] = [:],
                demoted: [String: [String]] = [:], categoryClassifier: TicketClassifier? = nil) {
        self.categoryClassifier = categoryClassifier
        let published = articles.filter { $0.status == .published }
        self.articles = published
        self.intents = intents
        index = SearchIndex(documents: Self.documents(articles: published, intents: intents, learned: learned),
                            tokenizer: Tokenizer(synonyms: SynonymTable(groups: synonyms)), parameters: parameters)
        articlesByKey = Dictionary(published.map { ("\($0.lang.rawValue)/\($0.id)", $0) }, uniquingKeysWith: { first, _ in first })
        intentsByID = Dictionary(intents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let tokenizer = index.tokenizer
        demotions = demoted.mapValues { queries in queries.map { Self.meaningfulTerms(tokenizer.terms($0)) } }
    }

    /// An index over documents that were built elsewhere (an evaluation's JSON Lines collection):
    /// no article texts to show, but the same ranking and the same reading of a message.
    /// `intents` are those whose documents are among `documents`.
    public init(documents: [SearchDocument], intents: [Intent], tokenizer: Tokenizer,
                parameters: RankingParameters = RankingParameters()) {
        categoryClassifier = nil
        articles = []
        self.intents = intents
        index = SearchIndex(documents: documents, tokenizer: tokenizer, parameters: parameters)
        articlesByKey = [:]
        intentsByID = Dictionary(intents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        demotions = [:]
    }

    /// The searchable documents: each published article, and each intent once per language
    /// with its examples as the keywords field.
    public static func documents(articles: [Article], intents: [Intent], learned: [String: String] = [:]) -> [SearchDocument] {
        var documents = articles.filter { $0.status == .published }.map { $0.searchDocument(learned: learned[$0.id] ?? "") }
        for intent in intents {
            for language in Language.allCases {
                guard let examples = intent.examples[language], !examples.isEmpty else { continue }
                documents.append(SearchDocument(id: intentPrefix + intent.id, lang: language.rawValue, title: "",
                                                category: intent.category?.rawValue,
                                                keywords: examples.joined(separator: "\n")))
            }
        }
        return documents
    }

    /// Training examples for the category classifier from the articles themselves: every title,
    /// keyword line and example question labelled with its article's category. Resolved tickets
    /// are added to these by the server as they accumulate.
    public static func categoryExamples(articles: [Article]) -> [(text: String, label: String)] {
        articles.filter { $0.status == .published }.flatMap { article in
            ([article.title] + article.questions + [article.keywords.joined(separator: " ")])
                .map { (text: $0, label: article.category.rawValue) }
        }
    }

    /// The tokeniser the index was built with (its synonyms link words across languages).
    public var tokenizer: Tokenizer { index.tokenizer }

    /// Ranked matches for a message, with articles lowered where they failed similar messages.
    public func search(_ text: String, limit: Int = 10) -> SearchResult {
        guard !demotions.isEmpty else { return index.search(text, limit: limit) }
        // A few extra hits, so that a demoted article can make room for the next one.
        var result = index.search(text, limit: limit + 3)
        let query = Self.meaningfulTerms(index.tokenizer.terms(text))
        for position in result.hits.indices {
            guard let failed = demotions[result.hits[position].id] else { continue }
            let similar = failed.filter { Self.similarity($0, query) >= 0.5 }.count
            if similar > 0 { result.hits[position].score *= pow(Self.demotionFactor, Double(min(similar, 3))) }
        }
        result.hits.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        result.hits = Array(result.hits.prefix(limit))
        return result
    }

    /// Whole words, roots and synonyms: what makes two messages say the same thing.
    private static func meaningfulTerms(_ terms: [Term]) -> Set<Term> {
        Set(terms.filter { $0.kind == .word || $0.kind == .root || $0.kind == .synonym })
    }

    /// Jaccard similarity of two term sets.
    static func similarity(_ a: Set<Term>, _ b: Set<Term>) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 0 }
        return Double(a.intersection(b).count) / Double(a.union(b).count)
    }

    public static func target(of hit: SearchHit) -> MatchTarget {
        hit.id.hasPrefix(intentPrefix) ? .intent(id: String(hit.id.dropFirst(intentPrefix.count))) : .article(id: hit.id)
    }

    /// The article in the wanted language, or in any language it exists in (ko, ja, en order).
    public func article(id: String, language: Language) -> Article? {
        if let exact = articlesByKey["\(language.rawValue)/\(id)"] { return exact }
        for other in Language.allCases { if let found = articlesByKey["\(other.rawValue)/\(id)"] { return found } }
        return nil
    }

    public func intent(id: String) -> Intent? { intentsByID[id] }
}
