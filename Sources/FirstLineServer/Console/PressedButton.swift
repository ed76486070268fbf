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

    static func describe(_ action: ButtonAction, _ words: ConsoleText) -> String {
        switch action {
        case let .solved(id): "\(words["button_solved"]) (\(id))"
        case let .stillBroken(id): "\(words["button_broken"]) (\(id))"
        case let .choose(id): "\(words["button_choose"]) (\(id))"
        case .talkToPerson: words["button_human"]
        case .backToBot: words["button_bot"]
        case let .blocksWork(blocks): words[blocks ? "button_blocks_yes" : "button_blocks_no"]
        case let .rate(stars): "\(words["button_rate"]) \(String(repeating: "★", count: stars))\(String(repeating: "☆", count: 5 - stars))"
        case .reopen: words["button_reopen"]
        case .separateProblem: words["button_separate"]
        case .addToTicket: words["button_append"]
        case .somethingElse: words["button_other"]
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
