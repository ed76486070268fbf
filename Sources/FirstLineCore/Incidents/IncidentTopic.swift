/// What a group of similar reports is about: the article they match, or, when no article does,
/// the distinctive word they share ("SAP", "FortiClient", "급여시스템"). An article's id is the
/// same in ko, ja and en, so reports in the three languages fall into one topic.
public enum IncidentTopic: Sendable, Hashable, Comparable, CustomStringConvertible {
    case article(String)
    case term(String)

    /// The stored form: `article:vpn-connect`, `term:sap`.
    public var description: String {
        switch self {
        case let .article(id): "article:\(id)"
        case let .term(word): "term:\(word)"
        }
    }

    /// Reads the stored form back; nil for anything else.
    public init?(_ stored: String) {
        if stored.hasPrefix("article:"), stored.count > 8 {
            self = .article(String(stored.dropFirst(8)))
        } else if stored.hasPrefix("term:"), stored.count > 5 {
            self = .term(String(stored.dropFirst(5)))
        } else {
            return nil
        }
    }

    public static func < (lhs: IncidentTopic, rhs: IncidentTopic) -> Bool {
        lhs.description < rhs.description
    }
}
