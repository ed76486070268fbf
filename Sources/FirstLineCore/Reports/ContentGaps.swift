import Foundation

/// A message the knowledge base did not settle (issue: console, point 3, the content-gap report).
public struct GapMessage: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Nothing matched, even after asking to rephrase.
        case unanswered
        /// Not an IT matter.
        case outOfScope = "out_of_scope"
        /// An article was shown and the employee said Still broken.
        case stillBroken = "still_broken"
        /// It became a ticket.
        case escalated
    }

    public var text: String
    public var kind: Kind
    public var at: Date
    public var ticketNumber: String?

    public init(text: String, kind: Kind, at: Date, ticketNumber: String? = nil) {
        self.text = text
        self.kind = kind
        self.at = at
        self.ticketNumber = ticketNumber
    }
}

/// Messages about the same thing, with what the editors need to write the missing article.
public struct GapCluster: Sendable, Equatable, Codable {
    /// The word the messages share, as most of them write it.
    public var term: String
    public var count: Int
    /// How many of each kind (`unanswered`, `out_of_scope`, `still_broken`, `escalated`).
    public var kinds: [String: Int]
    /// Up to five, one per language first, so a cluster shows its ko, ja and en wording.
    public var examples: [String]
    public var tickets: [String]
    /// The article closest to the messages, when there is one: perhaps it only needs these questions.
    public var nearestArticle: String?

    public init(term: String, count: Int, kinds: [String: Int], examples: [String], tickets: [String], nearestArticle: String?) {
        self.term = term
        self.count = count
        self.kinds = kinds
        self.examples = examples
        self.tickets = tickets
        self.nearestArticle = nearestArticle
    }
}

/// Groups gap messages by the distinctive words they share, across ko, ja and en: the synonym
/// groups of the content ("프린터", "プリンター", "printer") make one feature, so the three
/// languages' reports of one problem land in one cluster. Greedy: the feature shared by most
/// messages forms the first cluster, its messages leave, and so on; ranked by volume.
public struct ContentGaps: Sendable {
    let tokenizer: Tokenizer
    let words: DistinctiveWords
    let detector = LanguageDetector()
    /// A cluster needs this many messages; a single odd message is noise, not a gap.
    public var minimumCount = 2

    public init(tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
        words = DistinctiveWords(tokenizer: tokenizer)
    }

    /// `nearest`: the best article for a text, if any (the search), to name beside a cluster.
    public func clusters(_ messages: [GapMessage], limit: Int = 30,
                         nearest: (String) -> String? = { _ in nil }) -> [GapCluster] {
        var features: [[String]] = messages.map(features(of:))
        var remaining = Set(messages.indices)
        var clusters: [GapCluster] = []
        while clusters.count < limit {
            var counts: [String: Int] = [:]
            for index in remaining { for feature in features[index] { counts[feature, default: 0] += 1 } }
            guard let (feature, count) = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), count >= minimumCount else { break }
            let members = remaining.filter { features[$0].contains(feature) }.sorted()
            remaining.subtract(members)
            for index in members { features[index] = [] }
            clusters.append(cluster(members.map { messages[$0] }, feature: feature, nearest: nearest))
        }
        return clusters.sorted { ($0.count, $1.term) > ($1.count, $0.term) }
    }

    /// Distinctive words and the synonym groups they belong to.
    func features(of message: GapMessage) -> [String] {
        let synonyms = tokenizer.terms(message.text).filter { $0.kind == .synonym }.map { "=" + $0.text }
        return Array(Set(words.words(of: message.text) + synonyms)).sorted()
    }

    private func cluster(_ members: [GapMessage], feature: String, nearest: (String) -> String?) -> GapCluster {
        // A synonym group is shown as the word most of its messages use.
        var term = feature
        if feature.hasPrefix("=") {
            var spelled: [String: Int] = [:]
            for message in members {
                for word in words.words(of: message.text)
                    where tokenizer.terms(word).contains(where: { "=" + $0.text == feature }) { spelled[word, default: 0] += 1 }
            }
            term = spelled.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? String(feature.dropFirst())
        }
        var kinds: [String: Int] = [:]
        for message in members { kinds[message.kind.rawValue, default: 0] += 1 }
        // One example per language first, then the newest others.
        let newest = members.sorted { $0.at > $1.at }
        var examples: [String] = []
        for language in Language.allCases {
            if let first = newest.first(where: { detector.detect($0.text) == language && !examples.contains($0.text) }) {
                examples.append(first.text)
            }
        }
        for message in newest where examples.count < 5 && !examples.contains(message.text) { examples.append(message.text) }
        let tickets = Array(Set(members.compactMap(\.ticketNumber))).sorted()
        let votes = Dictionary(grouping: members.compactMap { nearest($0.text) }, by: { $0 }).mapValues(\.count)
        let article = votes.max { ($0.value, $1.key) < ($1.value, $0.key) }
            .flatMap { $0.value * 2 >= members.count ? $0.key : nil }
        return GapCluster(term: term, count: members.count, kinds: kinds, examples: Array(examples.prefix(5)),
                          tickets: tickets, nearestArticle: article)
    }
}
