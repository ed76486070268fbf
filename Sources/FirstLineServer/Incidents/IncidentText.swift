import FirstLineCore
import FirstLineStore
import Foundation

/// What the agents' channel is told about incidents (English, like the rest of `DeskText`: the
/// agents' channel is one shared room).
enum IncidentText {
    /// "Suspected incident INC-3: 12 employees reported the same problem (VPN …) …".
    static func suspected(_ incident: Incident, topicName: String, window: TimeInterval) -> String {
        let minutes = Int((window / 60).rounded())
        let normal = incident.normalLevel < 1.5 ? "about 1" : "about \(Int(incident.normalLevel.rounded()))"
        return """
            Suspected incident \(incident.number): \(incident.reporters) employees reported \(topicName) \
            in the last \(minutes) minutes (normally \(normal)). Nothing has been said to employees. \
            Confirm it as a major incident (its reports are then linked and told) or dismiss it, here or \
            with POST /api/v1/incidents/\(incident.number)/confirm or …/dismiss.
            """
    }

    /// The answer to an agent's Confirm / Dismiss in the agents' channel.
    static func decided(_ incident: Incident, linked: Int) -> String {
        switch incident.status {
        case .confirmed:
            "\(incident.decidedBy ?? "An agent") confirmed \(incident.number) as a major incident; \(linked) open tickets linked. "
                + "New reports are linked and told it is known. Resolve it with POST /api/v1/incidents/\(incident.number)/resolve."
        default:
            "\(incident.decidedBy ?? "An agent") dismissed \(incident.number); nothing was said to employees."
        }
    }

    static func alreadyDecided(_ incident: Incident) -> String {
        "\(incident.number) is already \(incident.status.rawValue)\(incident.decidedBy.map { " (by \($0))" } ?? "")."
    }

    /// The topic as agents read it: the article's title, or the shared word.
    static func topicName(_ topic: IncidentTopic, articleTitle: (String) -> String?) -> String {
        switch topic {
        case let .article(id): articleTitle(id).map { "\"\($0)\" (article \(id))" } ?? "the article \(id)"
        case let .term(word): "problems mentioning \"\(word)\""
        }
    }
}
