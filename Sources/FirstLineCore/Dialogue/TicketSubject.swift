/// A ticket subject made from the employee's own words: one line, short enough for a queue.
enum TicketSubject {
    static let maximumLength = 80

    static func make(from text: String) -> String {
        // Line breaks and runs of spaces would break the one-line queue view.
        let oneLine = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard oneLine.count > maximumLength else { return oneLine }
        return String(oneLine.prefix(maximumLength - 1)) + "…"
    }
}
