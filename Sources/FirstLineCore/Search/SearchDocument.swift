/// The fields of an article that the index ranks on, in BM25F weight order.
public enum SearchField: Int, Sendable, CaseIterable {
    case title = 0
    /// Keywords and example questions: the employees' own words, so boosted.
    case keywords = 1
    case body = 2
    /// Messages that employees confirmed this article solved (design §3, learning).
    case learned = 3
}

/// One searchable unit: an article in one language.
public struct SearchDocument: Sendable, Equatable {
    public var id: String
    public var lang: String
    public var title: String
    public var category: String?
    public var keywords: String
    public var body: String
    public var learned: String

    public init(id: String, lang: String, title: String, category: String? = nil,
                keywords: String = "", body: String = "", learned: String = "") {
        self.id = id
        self.lang = lang
        self.title = title
        self.category = category
        self.keywords = keywords
        self.body = body
        self.learned = learned
    }

    func text(of field: SearchField) -> String {
        switch field {
        case .title: return title
        case .keywords: return keywords
        case .body: return body
        case .learned: return learned
        }
    }
}
