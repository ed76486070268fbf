import Foundation

/// One employee's report, as the spike detector sees it: who, when, and what it matched. Both
/// first messages that got an article and escalations are signals: during an outage some people
/// are told "restart the client" and some ask for a person at once; both are the same outage.
public struct ReportSignal: Sendable, Hashable {
    public var at: Date
    /// The employee (directory id or conversation key): ten reports from one person are one.
    public var reporter: String
    /// The article the message matched with confidence, if any.
    public var articleID: String?
    /// The message's distinctive words (see `DistinctiveWords`), used when no article matched.
    public var words: [String]

    public init(at: Date, reporter: String, articleID: String? = nil, words: [String] = []) {
        self.at = at
        self.reporter = reporter
        self.articleID = articleID
        self.words = words
    }
}
