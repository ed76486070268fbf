/// The languages the bot speaks and its content is written in.
public enum Language: String, Sendable, CaseIterable, Codable, Comparable {
    case ko, ja, en

    /// Order of declaration: Korean, Japanese, English.
    private var rank: Int {
        switch self {
        case .ko: 0
        case .ja: 1
        case .en: 2
        }
    }

    public static func < (lhs: Language, rhs: Language) -> Bool { lhs.rank < rhs.rank }
}

/// The fixed set of categories; each routes escalations to the team that owns it.
public enum ArticleCategory: String, Sendable, CaseIterable, Codable {
    case account, network, hardware, software, email, security, access, facilities
}

/// A knowledge-base article in one language (`KnowledgeBase/<lang>/<slug>.md`).
public struct Article: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case draft, published }

    public var id: String
    public var lang: Language
    public var title: String
    public var category: ArticleCategory
    public var keywords: [String]
    public var questions: [String]
    public var status: Status
    public var updated: String?
    /// The Markdown body: the self-fix steps.
    public var body: String

    public init(id: String, lang: Language, title: String, category: ArticleCategory, keywords: [String],
                questions: [String], status: Status = .published, updated: String? = nil, body: String) {
        self.id = id
        self.lang = lang
        self.title = title
        self.category = category
        self.keywords = keywords
        self.questions = questions
        self.status = status
        self.updated = updated
        self.body = body
    }

    /// The article as the index sees it; `learned` carries confirmed employee phrasings.
    public func searchDocument(learned: String = "") -> SearchDocument {
        SearchDocument(id: id, lang: lang.rawValue, title: title, category: category.rawValue,
                       keywords: (keywords + questions).joined(separator: "\n"), body: body, learned: learned)
    }
}

/// What the bot does when an intent wins (design §6, `Intents/*.yml`).
public enum IntentAction: String, Sendable, CaseIterable, Codable {
    case greet, thanks, bye, escalate, status, cancel, urgent, request
    case feedbackYes = "feedback_yes"
    case feedbackNo = "feedback_no"
    /// Not something IT handles (HR, facilities, finance, small talk): said so, no article offered.
    case outOfScope = "out_of_scope"
}

/// A conversational intent: its example phrasings and replies per language.
public struct Intent: Sendable, Equatable {
    public var id: String
    public var action: IntentAction?
    public var examples: [Language: [String]]
    public var replies: [Language: [String]]
    /// For service requests: the category that routes the resulting ticket.
    public var category: ArticleCategory?
    /// Service requests that need the requester's manager to approve.
    public var needsManagerApproval: Bool

    public init(id: String, action: IntentAction?, examples: [Language: [String]], replies: [Language: [String]],
                category: ArticleCategory? = nil, needsManagerApproval: Bool = false) {
        self.id = id
        self.action = action
        self.examples = examples
        self.replies = replies
        self.category = category
        self.needsManagerApproval = needsManagerApproval
    }
}
