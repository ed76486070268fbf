import Foundation

/// What an agent types in the agents' channel, in the thread under a suspected incident's post
/// (issue: outages, point 3): the known-issue notice written or ended, the incident resolved.
/// The words are English, like the rest of the agents' channel; the notice itself is in any of
/// the three languages, named or detected.
public enum IncidentCommand: Sendable, Equatable {
    /// `notice: …` or `notice ko: …`: the notice in one language (the others are kept).
    case notice(Language, String)
    /// `end notice`.
    case endNotice
    /// `resolve` or `resolve: …` (the note told to everyone linked, in its language).
    case resolve(note: String?, language: Language?)
    case confirm
    case dismiss

    /// Nil for anything else (then the agent is told what the thread understands).
    public static func read(_ text: String, detector: LanguageDetector = LanguageDetector()) -> IncidentCommand? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = trimmed.lowercased()
        switch lower {
        case "end notice", "end the notice", "notice end", "remove notice": return .endNotice
        case "resolve", "resolved": return .resolve(note: nil, language: nil)
        case "confirm": return .confirm
        case "dismiss": return .dismiss
        default: break
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        let head = trimmed[..<colon].lowercased().split(separator: " ").map(String.init)
        let body = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { return nil }
        switch head.first {
        case "notice"?:
            guard head.count <= 2 else { return nil }
            if head.count == 2 {
                guard let language = Language(rawValue: head[1]) else { return nil }
                return .notice(language, body)
            }
            return .notice(detector.detect(body) ?? .en, body)
        case "resolve"?, "resolved"?:
            guard head.count == 1 else { return nil }
            return .resolve(note: body, language: detector.detect(body) ?? .en)
        default:
            return nil
        }
    }

    /// Said when a thread message is none of the above.
    public static let help = "Under an incident: \"notice: …\" or \"notice ko: …\" (ko, ja, en) writes the notice employees "
        + "are told first, \"end notice\" ends it, \"resolve: …\" resolves the incident and tells everyone linked."
}
