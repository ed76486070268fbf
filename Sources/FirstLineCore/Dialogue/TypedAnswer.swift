import Foundation

/// A button answered in words. On LINE WORKS, Telegram or a phone keyboard people type "yes",
/// "2" or the button's own label instead of tapping; this reads such a message as the button it
/// means, among the buttons the conversation has on offer. Anything it does not recognise is
/// left to the ordinary reading of a message, so nothing typed is dropped.
///
/// Only a whole short answer counts: "no, the VPN is down" is a sentence, not an answer.
struct TypedAnswer: Sendable {
    /// The buttons the conversation's last question offered, in the order shown.
    let offered: [ButtonAction]
    /// Labels of a button in every language: an employee may type the English label into a
    /// Korean chat or the other way round.
    let labels: @Sendable (ButtonAction) -> [String]

    /// The button the text means, or nil when it is not an answer to any of them.
    func read(_ text: String) -> ButtonAction? {
        let answer = Self.normalised(text)
        guard !answer.isEmpty else { return nil }
        for action in offered where labels(action).contains(where: { Self.normalised($0) == answer }) {
            return action
        }
        if let number = Self.number(in: answer) { return numbered(number) }
        if let yes = Self.yesOrNo(answer) { return affirmative(yes) }
        if offered.contains(.reopen), Self.reopenPhrases.contains(answer) { return .reopen }
        if offered.contains(where: Self.isBlocksWork), let blocks = Self.blocksWorkPhrase(answer) { return .blocksWork(blocks) }
        if let yes = leadingYesOrNo(answer) { return affirmative(yes) }
        if offered.contains(where: Self.isBlocksWork), let blocks = Self.blocksWorkCue(answer) { return .blocksWork(blocks) }
        return nil
    }

    /// "네, 업무가 막혀요", "yes it's down for everyone", "いいえ、後で大丈夫": a yes or no in front
    /// of a few words that say the same thing in other words. At the blocks-work question the rest
    /// only has to not say the opposite, because people explain their yes there; under an article,
    /// "no, the VPN is down" may be a new problem, so the rest has to read as the same answer.
    private func leadingYesOrNo(_ answer: String) -> Bool? {
        let words = answer.split(separator: " ").map(String.init)
        guard words.count >= 2, words.count <= Self.longestLeadingAnswer, let yes = Self.yesOrNo(words[0]) else { return nil }
        let rest = words.dropFirst().joined(separator: " ")
        // "Work is stuck" says yes to "does it block you?", not to "did this help?".
        let asksBlocksWork = offered.contains(where: Self.isBlocksWork)
        let restReading: Bool? = {
            if let action = offered.first(where: { labels($0).contains { Self.normalised($0) == rest } }) {
                switch action {
                case .solved, .blocksWork(true): return true
                case .stillBroken, .blocksWork(false): return false
                default: return nil
                }
            }
            guard asksBlocksWork else { return Self.yesOrNo(rest) }
            return Self.yesOrNo(rest) ?? Self.blocksWorkPhrase(rest) ?? Self.blocksWorkCue(rest)
        }()
        if restReading == !yes { return nil }
        if asksBlocksWork { return yes }
        return restReading == yes ? yes : nil
    }

    /// The yes or no plus this many words still counts as an answer; longer is a sentence.
    private static let longestLeadingAnswer = 6

    /// Word stems that say whether work is stopped, for a short answer worded in a way the phrase
    /// lists do not hold ("업무가 막혀요", "仕事が進まない", "I'm completely blocked"). Negated stems
    /// are looked for first: "안 급해요" holds "급해" too. Stems that also describe a new symptom
    /// ("안 돼요", "doesn't work") are left out: "모니터도 안 돼요" is more detail, not an answer.
    static func blocksWorkCue(_ answer: String) -> Bool? {
        guard answer.split(separator: " ").count <= 5 else { return nil }
        if notBlockingStems.contains(where: answer.contains) { return false }
        if blockingStems.contains(where: answer.contains) { return true }
        return nil
    }

    private static let notBlockingStems: [String] = [
        "안 급", "안급", "급하지 않", "급한 건 아니", "괜찮", "할 수 있", "나중에", "천천히",
        "急ぎません", "急がない", "急ぎではない", "急ぎじゃない", "大丈夫", "できます", "後で",
        "not urgent", "can wait", "no rush", "no hurry", "still work", "not block", "doesn t block", "not stopping",
    ].map(normalised)

    private static let blockingStems: [String] = [
        "막혀", "막혔", "막힌", "못 해", "못해", "못 하", "못하", "급해", "급합", "급한", "멈췄", "멈춰", "마비",
        "できない", "できません", "止まって", "止まった", "進まない", "進みません", "急ぎ", "困って",
        "block", "can t work", "cannot work", "cant work", "urgent", "asap", "stuck", "stopped",
    ].map(normalised)

    /// "2" picks the second of the offered articles; with the rating on offer, it is the stars.
    private func numbered(_ number: Int) -> ButtonAction? {
        let choices = offered.filter { if case .choose = $0 { true } else { false } }
        if !choices.isEmpty { return choices.indices.contains(number - 1) ? choices[number - 1] : nil }
        let rating = ButtonAction.rate(number)
        return offered.contains(rating) ? rating : nil
    }

    /// Yes and no answer the yes/no questions: "Did this help?" and "Does it block your work?".
    private func affirmative(_ yes: Bool) -> ButtonAction? {
        for action in offered {
            switch action {
            case .solved where yes, .stillBroken where !yes: return action
            case .blocksWork(let blocks) where blocks == yes: return action
            default: continue
            }
        }
        return nil
    }

    private static func isBlocksWork(_ action: ButtonAction) -> Bool {
        if case .blocksWork = action { true } else { false }
    }

    // MARK: - Reading the words

    /// Lower-cased, width-folded (full-width "１" is "1"), without punctuation, emoji or
    /// repeated spaces: "네!!", "Yes." and "はい、" are the same answers as "네", "yes", "はい".
    static func normalised(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        let kept = folded.unicodeScalars.map { scalar -> Character in
            if scalar.properties.isWhitespace || scalar.properties.generalCategory.isPunctuationOrSymbol { return " " }
            return Character(scalar)
        }
        return String(kept).split(separator: " ").joined(separator: " ")
    }

    /// A bare number or a number with the word a list or a rating uses: "2", "2번", "2番",
    /// "no 2", "option 2", "3점", "3点", "3 stars", "★★★" (the star is a symbol, so it is counted
    /// before normalising removes it; see `stars`).
    static func number(in answer: String) -> Int? {
        if let value = wordNumbers[answer] { return value }
        let words = answer.split(separator: " ").map(String.init)
        let prefixes: Set<String> = ["no", "number", "option", "choice", "#", "번호"]
        let suffixes: Set<String> = ["번", "번째", "번이요", "번이에요", "번요", "점", "점이요", "점요", "番", "番目", "番です",
                                     "点", "点です", "つ星", "star", "stars", "개"]
        var digits: String
        switch words.count {
        case 1: digits = words[0]
        case 2 where prefixes.contains(words[0]): digits = words[1]
        case 2 where suffixes.contains(words[1]): digits = words[0]
        default: return nil
        }
        // "2번", "3点", "5stars": the suffix written without a space.
        if let suffix = suffixes.sorted(by: { $0.count > $1.count }).first(where: { digits.hasSuffix($0) && digits.count > $0.count }) {
            digits = String(digits.dropLast(suffix.count))
        }
        if let value = wordNumbers[digits] { return value }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int(digits), (1...9).contains(value) else { return nil }
        return value
    }

    /// "★★★★" typed as a rating.
    static func stars(in text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0 == "★" || $0 == "⭐" || $0 == "☆" }) else { return nil }
        let filled = trimmed.filter { $0 == "★" || $0 == "⭐" }.count
        return (1...5).contains(filled) ? filled : nil
    }

    /// The phrases as `normalised` leaves them (NFKC turns "ㄴㄴ" into conjoining jamo, "it's" into "it s").
    private static func normalisedSet(_ phrases: [String]) -> Set<String> {
        Set(phrases.map(normalised))
    }

    private static let wordNumbers: [String: Int] = Dictionary(uniqueKeysWithValues: [
        "하나": 1, "첫번째": 1, "첫 번째": 1, "첫째": 1, "둘": 2, "두번째": 2, "두 번째": 2, "둘째": 2, "셋": 3, "세번째": 3,
        "세 번째": 3, "셋째": 3, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "一つ目": 1, "二つ目": 2, "三つ目": 3,
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "first": 1, "second": 2, "third": 3,
        "the first one": 1, "the second one": 2, "the third one": 3, "first one": 1, "second one": 2, "third one": 3,
        "첫": 1, "두": 2, "세": 3,
    ].map { (normalised($0.key), $0.value) })

    /// true for yes, false for no, nil for anything else.
    static func yesOrNo(_ answer: String) -> Bool? {
        if yes.contains(answer) { return true }
        if no.contains(answer) { return false }
        return nil
    }

    private static let yes: Set<String> = normalisedSet([
        "네", "예", "응", "어", "넵", "넹", "넴", "네네", "네에", "예예", "웅", "ㅇㅇ", "ㅇ", "맞아요", "맞아", "맞습니다", "그래요",
        "그래", "네 맞아요", "네 그래요", "그렇습니다", "당연하죠", "예스", "네 해결됐어요",
        "はい", "うん", "ええ", "そうです", "はいそうです", "はい そうです", "そう", "そうですね", "うんうん", "はい はい",
        "yes", "y", "yeah", "yea", "ya", "yep", "yup", "sure", "it does", "yes it does", "yes it did", "it did",
        "correct", "right", "yes please", "affirmative", "definitely", "absolutely",
    ])
    private static let no: Set<String> = normalisedSet([
        "아니요", "아니오", "아뇨", "아니", "아니에요", "아닙니다", "아녀", "ㄴㄴ", "ㄴ", "노", "아니요 괜찮아요",
        "いいえ", "いや", "ううん", "いえ", "違います", "いいえ違います", "いいえ 違います", "ちがう", "いや違う",
        "no", "n", "nope", "nah", "it doesnt", "it doesn t", "no it doesnt", "no it doesn t", "it didnt", "it didn t",
        "not really", "not at all", "negative",
    ])

    private static let reopenPhrases: Set<String> = normalisedSet([
        "다시 열기", "다시 열어 주세요", "다시 열어주세요", "다시 열어줘", "재오픈", "다시 안 돼요", "다시 안돼요",
        "再オープン", "再開", "再開してください", "再オープンしてください", "もう一度開いて",
        "reopen", "reopen it", "reopen please", "please reopen", "reopen the ticket", "open it again",
    ])

    /// Everyday ways of saying whether the problem stops work, beyond yes and no.
    static func blocksWorkPhrase(_ answer: String) -> Bool? {
        if blocking.contains(answer) { return true }
        if notBlocking.contains(answer) { return false }
        return nil
    }

    private static let blocking: Set<String> = normalisedSet([
        "급해요", "급합니다", "네 급해요", "업무를 못 해요", "업무를 못해요", "일을 못 해요", "일을 못해요", "일을 못 하고 있어요",
        "업무 불가", "업무가 안 돼요", "업무가 멈췄어요", "네 업무를 못 해요", "네 업무를 못 하고 있어요", "아무것도 못 해요",
        "急ぎです", "急ぎ", "はい 急ぎです", "仕事ができません", "仕事にならない", "業務が止まっています", "業務が止まってます",
        "作業できません", "何もできません", "はい 業務が止まっています", "困っています",
        "it blocks my work", "it does block my work", "yes it blocks me", "yes it s blocking me", "it s blocking me",
        "blocking", "blocked", "i can t work", "i cant work", "cant work", "i can t do anything", "urgent", "yes urgent",
        "yes it s urgent", "it s urgent", "very urgent",
    ])
    private static let notBlocking: Set<String> = normalisedSet([
        "급하지 않아요", "안 급해요", "안급해요", "괜찮아요", "천천히 해도 돼요", "나중에 해도 돼요", "일은 할 수 있어요",
        "急ぎません", "急ぎではありません", "大丈夫です", "後でいいです", "作業はできます", "仕事はできます",
        "not urgent", "it can wait", "no rush", "no hurry", "not blocking", "it doesn t block me", "i can still work",
        "not really urgent", "it s fine",
    ])
}

private extension Unicode.GeneralCategory {
    var isPunctuationOrSymbol: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            true
        default:
            false
        }
    }
}
