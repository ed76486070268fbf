/// Puts reports into topics. A report that matched an article belongs to that article. The
/// others are grouped by the distinctive word most of them share: each report joins the word
/// (of its own) that the most different employees used, so "SAP 접속이 안 돼요", "SAPに入れない"
/// and "SAP is down" meet under `sap`, and one report is never counted in two topics.
public struct ReportGrouping: Sendable {
    public init() {}

    public func topics(of signals: [ReportSignal]) -> [IncidentTopic: [ReportSignal]] {
        var groups: [IncidentTopic: [ReportSignal]] = [:]
        for signal in signals {
            if let article = signal.articleID { groups[.article(article), default: []].append(signal) }
        }
        // Someone shown the VPN article who then asks for a person reports one outage, not two:
        // once a reporter is under an article, their unmatched reports do not start a word topic.
        let underArticles = Set(groups.values.joined().map(\.reporter))
        let unmatched = signals.filter { $0.articleID == nil && !$0.words.isEmpty && !underArticles.contains($0.reporter) }
        let reach = reporters(perWord: unmatched)
        for signal in unmatched {
            // Widest reach first; ties by the word itself, so the grouping never depends on order.
            guard let word = signal.words.max(by: { (reach[$0] ?? 0, $1) < (reach[$1] ?? 0, $0) }) else { continue }
            groups[.term(word), default: []].append(signal)
        }
        return groups
    }

    /// How many different employees used each word.
    func reporters(perWord signals: [ReportSignal]) -> [String: Int] {
        var who: [String: Set<String>] = [:]
        for signal in signals {
            for word in signal.words { who[word, default: []].insert(signal.reporter) }
        }
        return who.mapValues(\.count)
    }

    /// Whether a report belongs to a topic (used to measure the topic's normal level in history).
    public func belongs(_ signal: ReportSignal, to topic: IncidentTopic) -> Bool {
        switch topic {
        case let .article(id): signal.articleID == id
        case let .term(word): signal.articleID == nil && signal.words.contains(word)
        }
    }
}
