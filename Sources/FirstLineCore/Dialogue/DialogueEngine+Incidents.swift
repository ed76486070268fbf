/// Problems that are a known major incident (issue: outages): linked and told, not filed again.
extension DialogueEngine {
    /// The active incident a problem report is about, if any. Only problems count (an article, a
    /// few, nothing that fits, or "urgent" with a problem named); greetings, requests and the rest
    /// are answered as always.
    func knownIncident(for text: String, reading: MessageReading, context: DialogueContext) -> KnownIncident? {
        guard !context.activeIncidents.isEmpty else { return nil }
        let words = incidentWords.words(of: text)
        let articles: [String]
        switch reading.outcome {
        case let .answer(hit, _): articles = [hit.id]
        case let .choices(hits, _):
            // Of close choices the best counts, and one whose title names what the report names
            // ("VPN 접속이 안 됩니다" among remote desktop, VPN and guest Wi-Fi): not a guess.
            articles = hits.enumerated().compactMap { index, hit in
                index == 0 || titleWords(of: hit.id).contains(where: words.contains) ? hit.id : nil
            }
        case .weak: articles = []
        case let .intent(intent):
            guard intent.action == .urgent || intent.action == .escalate else { return nil }
            articles = reader.plausibleArticle(for: text).map { [$0.id] } ?? []
        }
        // A word the report names ("SAP") says more than the article it resembles: those go first.
        let byWord = context.activeIncidents.filter { if case .term = $0.topic { true } else { false } }
        return (byWord + context.activeIncidents.filter { !byWord.contains($0) })
            .first { $0.covers(articles: articles, words: words) }
    }

    /// The distinctive words of an article's titles in every language.
    private func titleWords(of articleID: String) -> Set<String> {
        Set(Language.allCases.compactMap { content.article(id: articleID, language: $0)?.title }
            .flatMap { incidentWords.words(of: $0) })
    }

    /// Links the report to the incident and tells the employee, in their language, that it is
    /// known, what the agents said, and that they will be told when it is fixed.
    func tellKnownIncident(_ incident: KnownIncident, text: String, turn: inout DialogueTurn) {
        let strings = turn.strings
        if turn.state.incidentNumber == incident.number {
            turn.say(strings.stillKnownIncident(incident.number), buttons: [strings.button(.somethingElse)])
            return
        }
        turn.startTopic(text)
        turn.state.incidentNumber = incident.number
        turn.emit(.linkToIncident(number: incident.number, text: text))
        let notice = incident.notice(in: turn.language)
        turn.say(strings.knownIncident(incident.number, notice: notice?.text, fallback: notice?.fallback),
                 buttons: [strings.button(.somethingElse)])
    }

    /// "This is something else": the report leaves the incident and goes to a person as an
    /// ordinary ticket, with the problem as the employee described it.
    func notTheIncident(turn: inout DialogueTurn, context: DialogueContext) {
        guard let number = turn.state.incidentNumber else { return }
        turn.emit(.unlinkFromIncident(number: number))
        turn.state.incidentNumber = nil
        escalate(personDraft(turn.state), turn: &turn, context: context)
    }

    /// The incident was fixed: say so; a ticket of this conversation linked to it was resolved
    /// with it, so its rating is asked, as for any resolved ticket.
    func incidentResolved(_ number: String, note: String?, ticket: String?, turn: inout DialogueTurn) {
        turn.say(turn.strings.incidentFixed(number, note: note))
        if turn.state.incidentNumber == number { turn.state.incidentNumber = nil }
        let followsTicket = ticket != nil && turn.state.ticketNumber == ticket
            && [.ticketOpen, .withAgent].contains(turn.state.phase)
        if let ticket, followsTicket { askForRating(ticket: ticket, turn: &turn) }
    }
}
