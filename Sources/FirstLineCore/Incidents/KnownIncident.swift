/// A confirmed major incident as the dialogue engine sees it (issue: outages, points 2–3): what
/// it is about, and the agents' notice for employees, if they wrote one. The edge reads the
/// active ones fresh for every turn, so a notice edited or ended on one replica is used at once.
public struct KnownIncident: Sendable, Equatable {
    /// `INC-7`.
    public var number: String
    public var topic: IncidentTopic
    /// The agents' short notice per language; empty when none was written (a default text is told).
    public var notice: [Language: String]

    public init(number: String, topic: IncidentTopic, notice: [Language: String] = [:]) {
        self.number = number
        self.topic = topic
        self.notice = notice
    }

    /// The notice in `language`, or in another language when that one was not written:
    /// `fallback` says which, so the reply can say it is not in the employee's language.
    public func notice(in language: Language) -> (text: String, fallback: Language?)? {
        Self.text(in: language, from: notice)
    }

    /// An agents' text in `language`, else in the first written of English, Korean, Japanese (the
    /// same fallback for everyone), with the language it fell back to.
    public static func text(in language: Language, from texts: [Language: String]) -> (text: String, fallback: Language?)? {
        if let text = texts[language], !text.isEmpty { return (text, nil) }
        for other in [Language.en, .ko, .ja] where other != language {
            if let text = texts[other], !text.isEmpty { return (text, other) }
        }
        return nil
    }

    /// Whether a problem report is about this incident: it reads as the incident's article (the
    /// best answer, or among the few offered), or it names the incident's word.
    func covers(articles: [String], words: [String]) -> Bool {
        switch topic {
        case let .article(id): articles.contains(id)
        case let .term(word): words.contains(word)
        }
    }
}
