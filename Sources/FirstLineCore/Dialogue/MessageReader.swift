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
    /// Whether the message itself says so in words ("至急", "asap", "everyone is locked out"): what
    /// sends a problem to a person at once or raises an open ticket. The urgent intent's score
    /// alone is not enough there, since its examples share "안 돼요" with every failure report.
    var saysUrgent: Bool = false
    /// The best hit's score as a share of a perfect match (0 when nothing matched).
    var confidence: Double = 0
    /// Whether "solved" and "still broken" score about the same (after the negation rule of
    /// `winningIntent`), so such a message must not close or escalate anything on a guess.
    var feedbackIsAmbiguous: Bool = false
}

/// What the bot does with a message that opens a conversation, as `firstline eval` scores it.
public enum FirstReading: Sendable, Equatable {
    case answer(articleID: String)
    case choices(articleIDs: [String])
    case intent(id: String, action: IntentAction?)
    /// Nothing fits: the bot asks to rephrase.
    case weak

    /// Whether an article is offered, alone or as a choice: what an out-of-scope message must not get.
    public var offersArticle: Bool {
        switch self {
        case .answer, .choices: true
        case .intent, .weak: false
        }
    }
}

extension DialogueEngine {
    /// How the engine reads `text` as the first message of a conversation (nothing suggested yet).
    public func firstReading(of text: String) -> FirstReading {
        switch reader.read(text, recentlySuggested: [], feedbackExpected: false).outcome {
        case let .intent(intent): .intent(id: intent.id, action: intent.action)
        case let .answer(hit, _): .answer(articleID: hit.id)
        case let .choices(hits, _): .choices(articleIDs: hits.map(\.id))
        case .weak: .weak
        }
    }
}

/// Turns a message into a `MessageReading`.
struct MessageReader: Sendable {
    let content: ContentIndex
    let thresholds: DecisionThresholds

    /// Greetings and goodbyes give way to an article that scores at least this share of their
    /// score: "hi, my VPN is down" is a VPN question, not a greeting.
    static let articlePreference = 0.8

    /// How many further articles "Still broken" may try before the ticket (a setting, default 1).
    var furtherArticles = DialogueSettings.defaultFurtherArticles

    /// A further article must score at least this share of the first one: a distant runner-up is
    /// a guess, and after a miss a person helps more than a guess.
    static let furtherArticleCloseness = 0.5

    /// `recentlySuggested` articles are skipped (design §4: not the same article twice within
    /// the repeat window); the next hits take their place.
    ///
    /// `feedbackExpected` is false when nothing was suggested to react to: then "solved" and
    /// "still broken" are not candidates at all, so "the elevator is broken" is read for what it
    /// is about instead of as feedback on nothing.
    func read(_ text: String, recentlySuggested: Set<String>, feedbackExpected: Bool = true) -> MessageReading {
        var result = weighingEvidence(content.search(text), text: text)
        if !feedbackExpected {
            result.hits.removeAll { hit in action(of: hit).map { $0 == .feedbackYes || $0 == .feedbackNo } ?? false }
        }
        let negated = content.index.tokenizer.words(text).contains(Tokenizer.negation)
        return MessageReading(outcome: outcome(of: result, text: text, recentlySuggested: recentlySuggested, negated: negated),
                              mentionsUrgency: Self.saysUrgent(text) || mentionsUrgency(result),
                              saysUrgent: Self.saysUrgent(text), confidence: result.confidence,
                              feedbackIsAmbiguous: !negated && feedbackIsAmbiguous(result))
    }

    /// The best article for `text` when it could at least have been offered as a choice: what
    /// an urgent message that names its problem ("至急、VPNがつながりません") shows while waiting.
    func plausibleArticle(for text: String) -> SearchHit? {
        let result = content.search(text)
        guard let best = result.hits.first(where: Self.isArticle), isPlausible(best, in: result),
              isGrounded(best, in: text) else { return nil }
        return best
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

    private func outcome(of result: SearchResult, text: String, recentlySuggested: Set<String>, negated: Bool) -> MessageReading.Outcome {
        if let intent = winningIntent(result, text: text, negated: negated) { return .intent(intent) }
        if let elsewhere = closeOutOfScope(result) { return .intent(elsewhere) }
        if let request = closeRequest(result, text: text) { return .intent(request) }

        let articles = SearchResult(
            hits: result.hits.filter { Self.isArticle($0) && !recentlySuggested.contains($0.id) },
            attainableScore: result.attainableScore)
        if let top = articles.hits.first, !isGrounded(top, in: text) { return .weak }
        // Only articles that could have been offered as a choice are worth trying later.
        let plausible = articles.hits.filter { isPlausible($0, in: articles) }
        switch articles.decision(thresholds) {
        case .answer:
            guard let top = articles.hits.first else { return .weak }
            // "Still broken" moves on to the next plausible articles, but not down the whole
            // list: after a couple of misses a person helps more than a fourth article.
            return .answer(top, fallbacks: further(after: top, among: plausible))
        case .choices:
            let offered = Array(plausible.prefix(max(thresholds.maximumChoices, 1)))
            // A "choice" of one is no choice: a single article this weak is more likely a
            // coincidence of one shared word ("name" in "what's your name?") than an answer, so
            // the employee is asked to say more instead, unless it is nearly good enough to answer.
            // One that is nearly good enough to answer is shown as the answer.
            if offered.count == 1, let only = offered.first,
               only.score / articles.attainableScore >= (thresholds.choicesConfidence + thresholds.answerConfidence) / 2 {
                return .answer(only, fallbacks: further(after: only, among: plausible))
            }
            guard offered.count >= 2 else { return .weak }
            return .choices(offered, fallbacks: plausible.dropFirst(offered.count).map(\.id))
        case .rephrase:
            return .weak
        }
    }

    /// The intent to act on, if the top hit is one and the match is good enough.
    private func winningIntent(_ result: SearchResult, text: String, negated: Bool) -> Intent? {
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

    /// "My account is locked" shares "account" with "I need an account for a new hire", but it
    /// reports a failure and asks for nothing: what provides something new — a request intent,
    /// or an article titled like one ("I'm a new starter and need my account") — counts for less
    /// than what fixes something, so a locked-out employee is not held for a manager's approval.
    ///
    /// The other way round, "can I get a headset" asks for something and reports nothing broken:
    /// an article titled as a fix ("Headset … not working") counts for less than the request.
    func weighingEvidence(_ result: SearchResult, text: String) -> SearchResult {
        let failure = MessageCues.failure.matches(text), request = MessageCues.request.matches(text)
        guard failure != request else { return result }
        var weighed = result
        for index in weighed.hits.indices where failure ? providesSomething(weighed.hits[index]) : fixesSomething(weighed.hits[index]) {
            weighed.hits[index].score *= Self.provisionDiscount
        }
        weighed.hits.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        return weighed
    }

    /// What a failure report keeps of a request's score (see `weighingEvidence`).
    static let provisionDiscount = 0.5

    private func fixesSomething(_ hit: SearchHit) -> Bool {
        guard case .article = ContentIndex.target(of: hit) else { return false }
        return MessageCues.failure.matches(hit.title) && !MessageCues.request.matches(hit.title)
    }

    private func providesSomething(_ hit: SearchHit) -> Bool {
        switch ContentIndex.target(of: hit) {
        case .intent: action(of: hit) == .request
        case .article: MessageCues.request.matches(hit.title) && !MessageCues.failure.matches(hit.title)
        }
    }

    /// The reverse of the rule in `winningIntent`: an article leads, but the message asks for
    /// something ("I need an account for a new hire") and reports nothing broken, and a request
    /// intent is close behind. Then the request is what the employee wants.
    private func closeRequest(_ result: SearchResult, text: String) -> Intent? {
        guard let top = result.hits.first, Self.isArticle(top), result.attainableScore > 0,
              MessageCues.request.matches(text), !MessageCues.failure.matches(text),
              let request = result.hits.dropFirst().prefix(3).first(where: { action(of: $0) == .request }),
              request.score >= top.score * Self.requestPreference,
              request.score / result.attainableScore >= thresholds.choicesConfidence,
              case let .intent(id) = ContentIndex.target(of: request) else { return nil }
        return content.intent(id: id)
    }

    /// How close a request intent must come to the best article to win for a message that asks.
    static let requestPreference = 0.7

    /// An article leads, but a topic that is not IT's (HR, facilities, finance, small talk) is
    /// nearly as close: "I need new business cards" shares "card" with the access-card article and
    /// reads like the finance desk's "order business cards". Offering the article would be a guess
    /// against good evidence that it is not IT's at all.
    private func closeOutOfScope(_ result: SearchResult) -> Intent? {
        guard let top = result.hits.first, Self.isArticle(top),
              let other = result.hits.dropFirst().prefix(3).first(where: { action(of: $0) == .outOfScope }),
              other.score >= top.score * Self.outOfScopePreference,
              result.attainableScore > 0, other.score / result.attainableScore >= thresholds.choicesConfidence,
              case let .intent(id) = ContentIndex.target(of: other) else { return nil }
        return content.intent(id: id)
    }

    /// How close an out-of-scope topic must come to the best article to win (see `closeOutOfScope`).
    static let outOfScopePreference = 0.8

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

    /// An urgency phrase in any of the three languages ("至急", "asap"), or many people who cannot
    /// work. "Everyone" alone ("share my calendar with everyone") is not urgent; "everyone is
    /// locked out" is.
    static func saysUrgent(_ text: String) -> Bool {
        MessageCues.urgency.matches(text) || (MessageCues.teamWide.matches(text) && MessageCues.failure.matches(text))
    }

    /// The urgent intent is close enough (for a service request: "급해요 포토샵 설치 요청").
    private func mentionsUrgency(_ result: SearchResult) -> Bool {
        guard result.attainableScore > 0 else { return false }
        return result.hits.contains { hit in
            action(of: hit) == .urgent && hit.score / result.attainableScore >= thresholds.choicesConfidence
        }
    }

    /// The articles "Still broken" may move on to: close to the first in score and on the same
    /// topic (category), at most `furtherArticles` of them.
    func further(after first: SearchHit, among candidates: [SearchHit]) -> [String] {
        let close = candidates.filter { hit in
            hit.id != first.id && hit.category == first.category
                && hit.score >= first.score * Self.furtherArticleCloseness
        }
        return Array(close.prefix(max(furtherArticles, 0)).map(\.id))
    }

    /// Whether the best article is about what the message is about, not about one word of it:
    /// "who won the game last night" shares only "last" with "change my last name". Each word of
    /// the message is looked up on its own. Words the content knows from other articles say
    /// nothing either way (a vague "the printer is acting up" is still a printer question); words
    /// no article or intent contains are what the message is really about when the article is
    /// found by few of them. Messages of one or two words are always grounded.
    func isGrounded(_ hit: SearchHit, in text: String) -> Bool {
        let words = Set(content.index.tokenizer.words(text))
        guard words.count >= 3 else { return true }
        var finding = 0, unknown = 0
        for word in words {
            let hits = content.index.search(word, limit: 30).hits
            if hits.isEmpty { unknown += 1 } else if hits.contains(where: { $0.id == hit.id }) { finding += 1 }
        }
        guard finding + unknown > 0 else { return true }
        return Double(finding) / Double(finding + unknown) >= Self.minimumGrounding
    }

    static let minimumGrounding = 0.3

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
