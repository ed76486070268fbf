/// A typed "yes" or "no" to a yes/no question, for employees who answer in words instead of
/// pressing the buttons. Only a whole short answer counts: "no, the VPN is down" is a sentence,
/// not an answer, and is left alone.
enum YesNoAnswer {
    private static let yes: Set<String> = [
        "네", "예", "응", "어", "넵", "넹", "네네", "맞아요", "그래요", "네 맞아요",
        "はい", "うん", "ええ", "そうです", "はいそうです",
        "yes", "y", "yeah", "yep", "yup", "sure", "it does", "yes it does",
    ]
    private static let no: Set<String> = [
        "아니요", "아니오", "아뇨", "아니", "아니에요", "괜찮아요",
        "いいえ", "いや", "ううん", "いえ", "大丈夫です",
        "no", "n", "nope", "nah", "it doesnt", "no it doesnt", "not really",
    ]

    /// true for yes, false for no, nil for anything else.
    static func read(_ text: String) -> Bool? {
        let words = text.lowercased()
            .unicodeScalars
            .filter { !Self.ignored($0) }
            .map(Character.init)
        let answer = String(words).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if yes.contains(answer) { return true }
        if no.contains(answer) { return false }
        return nil
    }

    /// Punctuation that does not change the answer: "네!", "yes.", "はい、", "doesn't".
    private static func ignored(_ scalar: Unicode.Scalar) -> Bool {
        "!?.,~'’、。！？～…".unicodeScalars.contains(scalar)
    }
}
