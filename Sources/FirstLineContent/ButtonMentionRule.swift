import FirstLineCore
import Foundation

/// `kb check`: an article that tells the employee to press one of the bot's buttons names it
/// with the label the button really has ("press **Talk to a person**", 「担当者と話す」を押して),
/// so nobody looks for a button that does not exist.
///
/// A quoted or bold phrase ("…", “…”, 「…」, **…**) is read as a button's name when it contains
/// that button's key word in the article's language; it must then be the label itself.
enum ButtonMentionRule {
    /// The buttons articles talk about, with the word that gives a mention of each away.
    private static let buttons: [(action: ButtonAction, keyWords: [Language: String])] = [
        (.talkToPerson, [.ko: "담당자", .ja: "担当者", .en: "person"]),
        (.solved(articleID: "x"), [.ko: "해결됐", .ja: "解決しました", .en: "solved"]),
        (.stillBroken(articleID: "x"), [.ko: "아직 안", .ja: "まだ解決", .en: "still broken"]),
        (.backToBot, [.ko: "봇으로", .ja: "ボットに", .en: "back to the bot"]),
    ]

    static func issues(in article: Article, text: String, file: String) -> [ContentIssue] {
        let strings = DialogueStrings(article.lang)
        var issues: [ContentIssue] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for phrase in quotedPhrases(in: String(line)) {
                for button in buttons {
                    guard let keyWord = button.keyWords[article.lang],
                          phrase.lowercased().contains(keyWord) else { continue }
                    let label = strings.label(for: button.action)
                    if phrase != label {
                        issues.append(ContentIssue(file: file, line: index + 1,
                            message: "names the button '\(phrase)', but the button reads '\(label)'"))
                    }
                }
            }
        }
        return issues
    }

    /// The phrases between "…", “…”, 「…」 or **…** on one line.
    static func quotedPhrases(in line: String) -> [String] {
        var phrases: [String] = []
        for (open, close) in [("\"", "\""), ("“", "”"), ("「", "」"), ("**", "**")] {
            var rest = Substring(line)
            while let start = rest.range(of: open), let end = rest[start.upperBound...].range(of: close) {
                let phrase = rest[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespaces)
                if !phrase.isEmpty, phrase.count <= 40 { phrases.append(phrase) }
                rest = rest[end.upperBound...]
            }
        }
        return phrases
    }
}
