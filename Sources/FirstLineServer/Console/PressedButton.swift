import FirstLineCore

/// A button press as the transcript stores it (`[blocks:yes]`: the action, since the press has no text of its
/// own) read back as what the employee pressed, in the viewer's language. Without this an agent reads payloads.
enum PressedButton {
    /// The words for a stored employee message that is a button press; nil for anything the employee typed.
    static func label(forStored text: String, _ words: ConsoleText) -> String? {
        guard text.hasPrefix("["), text.hasSuffix("]"), text.count <= 120 else { return nil }
        let raw = String(text.dropFirst().dropLast())
        if let action = ButtonAction(rawValue: raw) { return "\(words["pressed"]): \(describe(action, words))" }
        if let desk = DeskAction(rawValue: raw) { return "\(words["pressed"]): \(describe(desk, words))" }
        return nil
    }

    /// The label the employee saw on the button (the dialogue's own words), with the article it was about.
    static func describe(_ action: ButtonAction, _ words: ConsoleText) -> String {
        let label = DialogueStrings(words.language).label(for: action)
        switch action {
        case let .solved(id), let .stillBroken(id), let .choose(id): return "\(label) (\(id))"
        default: return label
        }
    }

    static func describe(_ action: DeskAction, _ words: ConsoleText) -> String {
        switch action {
        case let .approve(ticket): "\(words["button_approve"]) \(ticket)"
        case let .reject(ticket): "\(words["button_reject"]) \(ticket)"
        case let .claim(ticket): "\(words["claim"]) \(ticket)"
        case let .open(ticket): ticket
        case let .confirmIncident(incident): "\(words["confirm"]) \(incident)"
        case let .dismissIncident(incident): "\(words["dismiss"]) \(incident)"
        }
    }
}
