import Foundation

/// Articles being offered and tried: one shown with Solved / Still broken, or a few to choose from.
extension DialogueEngine {
    /// Shows one article's steps in the employee's language and remembers what to try next.
    /// Returns false when the article no longer exists (the knowledge base changed).
    @discardableResult
    func showArticle(_ id: String, score: Double, fallbacks: [String], intro: String? = nil,
                     turn: inout DialogueTurn) -> Bool {
        guard let article = content.article(id: id, language: turn.language) else { return false }
        let strings = turn.strings
        let body = article.body.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = [intro, article.title, body, strings.didThisHelp]
            .compactMap { $0 }
            .filter { !$0.isEmpty }
            .joined(separator: "\n\n")

        turn.state.phase = .suggesting
        turn.state.currentArticleID = id
        turn.state.fallbackArticleIDs = fallbacks.filter { $0 != id }
        turn.state.offeredArticleIDs = []
        turn.state.askedToRephrase = false
        turn.emit(.suggestionShown(articleID: id, query: turn.state.problem ?? ""))
        turn.say(text,
                 buttons: [strings.button(.solved(articleID: id)), strings.button(.stillBroken(articleID: id)),
                           strings.button(.talkToPerson)],
                 articles: [ArticleReference(id: id, title: article.title, score: score)])
        return true
    }

    /// Several articles are close: list them and let the employee pick.
    func offerChoices(_ hits: [SearchHit], fallbacks: [String], turn: inout DialogueTurn) {
        let strings = turn.strings
        let offered = hits.compactMap { hit in
            content.article(id: hit.id, language: turn.language).map { (hit, $0.title) }
        }
        let list = offered.enumerated().map { "\($0.offset + 1). \($0.element.1)" }
        turn.state.phase = .clarifying
        turn.state.offeredArticleIDs = offered.map(\.0.id)
        turn.state.fallbackArticleIDs = fallbacks
        turn.state.currentArticleID = nil
        turn.state.askedToRephrase = false
        turn.say(([strings.whichOne] + list).joined(separator: "\n"),
                 buttons: offered.map { ReplyButton(action: .choose(articleID: $0.0.id), label: $0.1) }
                     + [strings.button(.talkToPerson)],
                 articles: offered.map { ArticleReference(id: $0.0.id, title: $0.1, score: $0.0.score) })
    }

    /// The employee picked one of the offered articles. An explicit choice is shown even if it
    /// was suggested recently; the ones not picked become the fallbacks.
    func choose(_ id: String, turn: inout DialogueTurn) {
        // The ones not picked were close enough to be offered; at most `furtherArticles` of them are tried next.
        let others = Array((turn.state.offeredArticleIDs.filter { $0 != id } + turn.state.fallbackArticleIDs)
            .prefix(max(settings.furtherArticles, 0)))
        showArticle(id, score: score(of: id, for: turn.state.problem), fallbacks: others, turn: &turn)
    }

    /// "Solved": learn from it and close the topic.
    func markSolved(_ id: String, saying text: String? = nil, turn: inout DialogueTurn) {
        turn.emit(.feedback(articleID: id, query: turn.state.problem ?? "", solved: true))
        turn.say(text ?? turn.strings.solved)
        turn.clearTopic()
        turn.state.phase = .closed
    }

    /// "Still broken": record it, then try the next plausible article the employee has not
    /// seen recently, or hand over to a person when there is none left.
    func stillBroken(_ id: String, turn: inout DialogueTurn, context: DialogueContext) {
        let problem = turn.state.problem
        turn.emit(.feedback(articleID: id, query: problem ?? "", solved: false))
        var remaining = turn.state.fallbackArticleIDs
        while !remaining.isEmpty {
            let next = remaining.removeFirst()
            guard next != id, !context.recentlySuggested.contains(next) else { continue }
            if showArticle(next, score: score(of: next, for: problem), fallbacks: remaining,
                           intro: turn.strings.tryAnother, turn: &turn) {
                return
            }
        }
        let category = content.article(id: id, language: turn.language)?.category
        escalate(EscalationDraft(reason: .stillBroken, description: problem, category: category, articleID: id),
                 turn: &turn, context: context)
    }

    /// The article's score for the problem, for the reference shown with it (0 if unknown).
    private func score(of id: String, for problem: String?) -> Double {
        guard let problem else { return 0 }
        return content.search(problem).hits.first { $0.id == id }?.score ?? 0
    }
}
