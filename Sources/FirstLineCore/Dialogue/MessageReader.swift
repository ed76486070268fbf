/// What one message means to the dialogue, read from the shared search over articles and
/// intents (design §3, "Decide").
struct MessageReading: Sendable {
    enum Outcome: Sendable {
        /// A conversational intent won.
        case intent(Intent)
        /// One article is clearly best; `fallbacks` are the next plausible ones, best first.
        case answer(SearchHit, fallbacks: [String])
        /// A few articles are close; `fallbacks` are plausible ones beyond those offered.
        case choices([SearchHit], fallbacks: [String])
        /// Nothing fits well enough.
        case weak
    }

    var outcome: Outcome
    /// Whether the message also says it is urgent ("급해요", "至急", "asap"), even when
    /// something else won: it raises the priority of a service request.
    var mentionsUrgency: Bool
    /// Whether "solved" and "still broken" score about the same (after the negation rule of
    /// `winningIntent`), so such a message must not close or escalate anything on a guess.
    var feedbackIsAmbiguous: Bool = false
}

/// Turns a message into a `MessageReading`.
struct MessageReader: Sendable {
    let content: ContentIndex
    let thresholds: DecisionThresholds

    /// Greetings and goodbyes give way to an article that scores at least this share of their
    /// score: "hi, my VPN is down" is a VPN question, not a greeting.
    static let articlePreference = 0.8

    /// At most this many next-best articles are tried after "Still broken".
    static let maximumFallbacks = 2

    /// `recentlySuggested` articles are skipped (design §4: not the same article twice within
    /// the repeat window); the next hits take their place.
    func read(_ text: String, recentlySuggested: Set<String>) -> MessageReading {
        let result = content.search(text)
        let negated = content.index.tokenizer.words(text).contains(Tokenizer.negation)
        return MessageReading(outcome: outcome(of: result, recentlySuggested: recentlySuggested, negated: negated),
                              mentionsUrgency: mentionsUrgency(result),
                              feedbackIsAmbiguous: !negated && feedbackIsAmbiguous(result))
    }

    /// The category of the best article for a problem, when that article is at least good
    /// enough to have been offered as a choice: a routing guess from a plausible article saves
    /// a hop, one from noise sends the ticket to the wrong team. Agents can still change it.
    ///
    /// When no article fits, the ticket classifier (trained on the articles' own phrasings and on
    /// resolved tickets) names the category instead, if it recognises the text at all.
    func likelyCategory(of problem: String) -> ArticleCategory? {
        let result = content.search(problem)
        if let best = result.hits.first(where: Self.isArticle), isPlausible(best, in: result) {
            return best.category.flatMap(ArticleCategory.init(rawValue:))
        }
        guard let classifier = content.categoryClassifier else { return nil }
        let prediction = classifier.predict(problem)
        guard prediction.knownFeatures > 0 else { return nil }
        return ArticleCategory(rawValue: prediction.label)
    }

    private func outcome(of result: SearchResult, recentlySuggested: Set<String>, negated: Bool) -> MessageReading.Outcome {
        if let intent = winningIntent(result, negated: negated) { return .intent(intent) }

        let articles = SearchResult(
            hits: result.hits.filter { Self.isArticle($0) && !recentlySuggested.contains($0.id) },
            attainableScore: result.attainableScore)
        // Only articles that could have been offered as a choice are worth trying later.
        let plausible = articles.hits.filter { isPlausible($0, in: articles) }
        switch articles.decision(thresholds) {
        case .answer:
            guard let top = articles.hits.first else { return .weak }
            // "Still broken" moves on to the next plausible articles, but not down the whole
            // list: after a couple of misses a person helps more than a fourth article.
            let next = plausible.filter { $0.id != top.id }
            return .answer(top, fallbacks: Array(next.prefix(Self.maximumFallbacks).map(\.id)))
        case .choices:
            let offered = Array(plausible.prefix(max(thresholds.maximumChoices, 1)))
            guard !offered.isEmpty else { return .weak }
            return .choices(offered, fallbacks: plausible.dropFirst(offered.count).map(\.id))
        case .rephrase:
            return .weak
        }
    }

    /// The intent to act on, if the top hit is one and the match is good enough.
    private func winningIntent(_ result: SearchResult, negated: Bool) -> Intent? {
        guard let top = result.hits.first, case let .intent(id) = ContentIndex.target(of: top),
              result.decision(thresholds) != .rephrase, result.confidence >= thresholds.choicesConfidence,
              let intent = content.intent(id: id)
        else { return nil }
        // "해결 안 됐어요", "not fixed", "まだ直らない": the words of "solved" with a negation. When
        // "still broken" is a close runner-up, the negation decides for it.
        if intent.action == .feedbackYes, negated,
           let runnerUp = result.hits.dropFirst().first(where: { action(of: $0) == .feedbackNo }),
           runnerUp.score >= top.score * 0.5,
           case let .intent(runnerUpID) = ContentIndex.target(of: runnerUp), let stillBroken = content.intent(id: runnerUpID) {
            return stillBroken
        }
        if intent.action?.givesWayToArticles == true,
           let article = result.hits.first(where: Self.isArticle),
           article.score >= top.score * Self.articlePreference {
            return nil
        }
        return intent
    }

    /// The top hit is one feedback intent and the opposite one is within the answer gap of it.
    private func feedbackIsAmbiguous(_ result: SearchResult) -> Bool {
        guard let top = result.hits.first, let action = action(of: top),
              action == .feedbackYes || action == .feedbackNo else { return false }
        let opposite: IntentAction = action == .feedbackYes ? .feedbackNo : .feedbackYes
        return result.hits.dropFirst().contains { hit in
            self.action(of: hit) == opposite && hit.score >= top.score * (1 - thresholds.answerGap)
        }
    }

    private func action(of hit: SearchHit) -> IntentAction? {
        guard case let .intent(id) = ContentIndex.target(of: hit) else { return nil }
        return content.intent(id: id)?.action
    }

    private func mentionsUrgency(_ result: SearchResult) -> Bool {
        guard result.attainableScore > 0 else { return false }
        return result.hits.contains { hit in
            action(of: hit) == .urgent && hit.score / result.attainableScore >= thresholds.choicesConfidence
        }
    }

    private func isPlausible(_ hit: SearchHit, in result: SearchResult) -> Bool {
        result.attainableScore > 0 && hit.score / result.attainableScore >= thresholds.choicesConfidence
    }

    private static func isArticle(_ hit: SearchHit) -> Bool {
        if case .article = ContentIndex.target(of: hit) { return true }
        return false
    }
}

extension IntentAction {
    /// Small talk that carries no problem of its own, so an article mentioned in the same
    /// message matters more. Thanks is not one of them: "thanks, the printer works now" must
    /// not bring the printer article back.
    var givesWayToArticles: Bool {
        self == .greet || self == .bye
    }
}
