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
    private let articlesByKey: [String: Article]
    private let intentsByID: [String: Intent]

    public init(articles: [Article], intents: [Intent], synonyms: [[String]] = [],
                parameters: RankingParameters = RankingParameters(), learned: [String: String] = [:]) {
        let published = articles.filter { $0.status == .published }
        self.articles = published
        self.intents = intents
        index = SearchIndex(documents: Self.documents(articles: published, intents: intents, learned: learned),
                            tokenizer: Tokenizer(synonyms: SynonymTable(groups: synonyms)), parameters: parameters)
        articlesByKey = Dictionary(published.map { ("\($0.lang.rawValue)/\($0.id)", $0) }, uniquingKeysWith: { first, _ in first })
        intentsByID = Dictionary(intents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
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

    /// Ranked matches for a message.
    public func search(_ text: String, limit: Int = 10) -> SearchResult {
        index.search(text, limit: limit)
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
