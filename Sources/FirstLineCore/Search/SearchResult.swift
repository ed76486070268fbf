/// What the bot would do with a ranked list (design §3, "Decide").
public enum MatchDecision: String, Sendable, Codable {
    /// One article is clearly best: show its steps with Solved / Still broken buttons.
    case answer
    /// A few articles are close: let the employee choose.
    case choices
    /// Nothing fits well enough: ask to rephrase (once), then offer a person.
    case rephrase
}

/// Confidence thresholds for `MatchDecision`; part of the configuration.
public struct DecisionThresholds: Sendable, Equatable {
    /// Minimum share of the attainable score for the top article to be answered directly.
    public var answerConfidence: Double = 0.30
    /// Minimum relative lead of the top article over the second for a direct answer.
    public var answerGap: Double = 0.20
    /// Minimum share of the attainable score for the articles to be offered as choices.
    public var choicesConfidence: Double = 0.12
    /// How many choices an ambiguous match offers.
    public var maximumChoices: Int = 3

    public init() {}
}

/// Ranked hits plus what is needed to judge how good the best one is.
public struct SearchResult: Sendable {
    public var hits: [SearchHit]
    /// The score an article matching every query term perfectly would approach; the scale
    /// that makes scores of different queries comparable.
    public var attainableScore: Double

    public init(hits: [SearchHit], attainableScore: Double) {
        self.hits = hits
        self.attainableScore = attainableScore
    }

    /// Top score as a share of the attainable score, in 0...1.
    public var confidence: Double {
        guard let top = hits.first, attainableScore > 0 else { return 0 }
        return min(top.score / attainableScore, 1)
    }

    /// Lead of the top hit over the second, relative to the top (1 when there is no second).
    public var gap: Double {
        guard let top = hits.first, top.score > 0 else { return 0 }
        guard hits.count > 1 else { return 1 }
        return (top.score - hits[1].score) / top.score
    }

    public func decision(_ thresholds: DecisionThresholds = DecisionThresholds()) -> MatchDecision {
        if confidence >= thresholds.answerConfidence, gap >= thresholds.answerGap { return .answer }
        if confidence >= thresholds.choicesConfidence { return .choices }
        return .rephrase
    }
}
