/// The words of a report that can say what it is about across people and languages: product and
/// system names ("SAP", "FortiClient", "Outlook"), or the thing that is down ("급여시스템",
/// "勤怠システム"). Words that every problem report uses ("error", "안 돼요", "できない", "please")
/// are left out, or every report would share a topic with every other.
public struct DistinctiveWords: Sendable {
    private let tokenizer: Tokenizer
    private let generic: Set<String>

    public init(tokenizer: Tokenizer = Tokenizer()) {
        self.tokenizer = tokenizer
        // The list goes through the same tokeniser, so "errors" and "error" are one entry.
        generic = Set(Self.genericWords.flatMap { tokenizer.words($0) })
    }

    /// Distinct, sorted: the same message always gives the same words.
    public func words(of text: String) -> [String] {
        let kept = tokenizer.words(text).filter { word in
            !generic.contains(word) && word != Tokenizer.negation && word.count >= Self.minimumLength(word)
                && !word.allSatisfy(\.isNumber)
        }
        return Array(Set(kept)).sorted()
    }

    /// A Latin word needs three letters ("vpn", "sap"); a Hangul or kanji word two ("메일", "勤怠").
    private static func minimumLength(_ word: String) -> Int {
        word.unicodeScalars.allSatisfy(\.isASCII) ? 3 : 2
    }

    private static let genericWords: [String] = [
        // en
        "error", "errors", "problem", "problems", "issue", "issues", "work", "working", "works", "broken", "down",
        "slow", "help", "please", "again", "today", "now", "still", "anyone", "else", "everyone", "same", "also",
        "doesn't", "won't", "can't", "cannot", "not", "connect", "connection", "access", "open", "login", "log",
        "fail", "failed", "failing", "stopped", "keeps", "getting", "get", "seems", "really", "just", "use",
        "computer", "laptop", "office", "it's", "there", "here", "thing", "urgent", "asap",
        // ko
        "오류", "에러", "문제", "안", "돼요", "안돼요", "됩니다", "안됩니다", "되나요", "지금", "갑자기", "계속", "다시", "저도",
        "저만", "다들", "혹시", "좀", "너무", "접속", "연결", "로그인", "사용", "확인", "부탁", "도와", "주세요", "급해요",
        "오늘", "아침", "회사", "사무실", "컴퓨터", "노트북", "먹통", "느려요", "멈췄어요",
        // ja
        "エラー", "問題", "できない", "できません", "使えない", "使えません", "つながらない", "つながりません", "接続", "ログイン",
        "今", "急", "急に", "また", "ずっと", "私", "私も", "皆", "みんな", "お願い", "ください", "確認", "至急", "今日",
        "朝", "会社", "パソコン", "遅い", "重い", "障害", "不具合",
    ]
}
