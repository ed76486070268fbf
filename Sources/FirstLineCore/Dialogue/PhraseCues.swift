/// A list of short phrases that signal one thing about a message ("it is urgent", "something is
/// broken"), in Korean, Japanese and English, matched on the text as `TypedAnswer` normalises it
/// (NFKC, lower case, punctuation as spaces).
///
/// Latin phrases match whole words ("lost" is not in "almost"); Korean and Japanese ones match
/// anywhere, since particles and endings attach to the word without a space ("잠겼어요", "急ぎです").
struct PhraseCues: Sendable {
    private let latin: [String]
    private let cjk: [String]

    init(_ phrases: [String]) {
        let normalised = phrases.map(TypedAnswer.normalised).filter { !$0.isEmpty }
        latin = normalised.filter { $0.unicodeScalars.allSatisfy(\.isASCII) }.map { " \($0) " }
        cjk = normalised.filter { !$0.unicodeScalars.allSatisfy(\.isASCII) }
    }

    /// Whether `text` (raw, as the employee wrote it) contains one of the phrases.
    func matches(_ text: String) -> Bool {
        matches(normalised: TypedAnswer.normalised(text))
    }

    func matches(normalised text: String) -> Bool {
        let padded = " \(text) "
        return latin.contains { padded.contains($0) } || cjk.contains { text.contains($0) }
    }
}

/// What a message says about itself, beyond what it is about: whether it reports a failure, asks
/// for something, is urgent, affects many people, or reports a security emergency. The search
/// decides the topic; these decide how the bot treats it.
enum MessageCues {
    /// Something does not work: "locked", "안 돼요", "できない". A request intent ("I need an
    /// account") gives way to an article for a report like this unless it also asks for something.
    static let failure = PhraseCues([
        // ko
        "안 돼", "안돼", "안 되", "안되", "안 될", "안될", "안 나오", "안나오", "지 않", "없다고", "잠겼", "잠김", "잠금", "잠겨", "오류", "에러", "못 해", "못해", "못하", "못 들어",
        "못들어", "실패", "안 열", "안열", "멈췄", "멈춰", "멈춤", "느려", "느림", "깨졌", "고장", "안 나와", "안나와", "튕겨",
        "꺼져", "꺼졌", "먹통", "안 켜", "안켜", "안 보여", "안보여", "끊겨", "끊김", "사라졌", "틀렸", "만료", "이상해",
        "문제가", "안 먹", "안먹", "걸려요",
        // ja
        "できない", "できません", "出来ない", "出来ません", "使えない", "使えません", "開かない", "開きません", "動かない",
        "動きません", "つながらない", "つながりません", "繋がらない", "繋がりません", "入れない", "入れません", "映らない",
        "映りません", "届かない", "届きません", "表示されない", "表示されません", "出ない", "出ません", "ロック", "エラー",
        "失敗", "壊れ", "固ま", "落ちる", "落ちた", "落ちて", "遅い", "重い", "消えた", "おかしい", "不具合", "障害",
        "切れる", "切れた", "起動しない", "起動しません", "期限切れ", "効かない", "反応しない", "反応しません",
        // en
        "can t", "cant", "cannot", "can not", "couldn t", "couldnt", "won t", "wont", "doesn t", "doesnt", "isn t",
        "not working", "stopped working", "stopped", "broken", "error", "errors", "locked", "locked out", "lockout",
        "fail", "fails", "failed", "failing", "crash", "crashes", "crashed", "crashing", "stuck", "freezes", "frozen",
        "freezing", "slow", "keeps asking", "not loading", "denied", "unable", "expired", "disappeared", "missing",
        "no signal", "not showing", "not printing", "won t turn on", "dead", "blocked", "keeps dropping", "disconnects",
    ])

    /// The message asks for something to be provided or done: "please create", "申請", "need a".
    static let request = PhraseCues([
        // ko
        "주세요", "해줘", "해 줘", "만들어줘", "부탁", "신청", "요청", "필요", "만들어", "발급", "설치해", "받고 싶", "하고 싶",
        "싶어요", "싶습니다", "추가해", "권한 주", "줄 수", "주실 수", "바꿔 주", "교체", "새로 ",
        // ja
        "ください", "下さい", "ほしい", "欲しい", "お願い", "申請", "依頼", "必要", "作成", "発行", "したい", "いただけ",
        "頂け", "追加して", "交換", "新しい", "払い出し",
        // en
        "need a", "need an", "need new", "need access", "needs an", "needs a", "request", "requesting", "want a",
        "want to get", "would like", "i d like", "can i get", "could i get", "can i have", "give me", "set up", "setup",
        "create", "new hire", "new starter", "new joiner", "install", "order", "replacement", "add me", "grant",
        "provision", "a new", "another",
    ])

    /// The employee says it is urgent or that work has stopped: "급해요", "至急", "asap".
    static let urgency = PhraseCues([
        // ko
        "급해", "급함", "급합니다", "긴급", "빨리 좀", "빨리요", "빨리 해", "빨리 부탁", "당장", "일을 못", "업무를 못",
        "업무 마비", "업무가 마비", "지금 바로", "시급",
        // ja
        "至急", "急ぎ", "急いで", "大急ぎ", "今すぐ", "緊急", "業務が止ま", "仕事が止ま", "仕事ができない",
        "仕事にならない", "業務ができない", "業務に支障",
        // en
        "asap", "urgent", "urgently", "right now", "emergency", "critical issue", "can t work", "cant work",
        "cannot work", "nobody can work", "no one can work", "blocking my work", "production down", "right away",
    ])

    /// More than one person is affected: "팀 전체", "全員", "whole team". Raises impact, not urgency.
    static let teamWide = PhraseCues([
        // ko
        "팀 전체", "팀전체", "전원", "다 같이", "다같이", "전사", "층 전체", "모두 안", "모든 사람", "우리 팀 다", "전부 다",
        "아무도",
        // ja
        "全員", "チーム全体", "全社", "フロア全体", "みんな", "誰も", "部署全体", "全体で",
        // en
        "whole team", "entire team", "everyone", "everybody", "all of us", "nobody", "no one", "entire office",
        "whole office", "whole floor", "the whole company", "all users", "whole department",
    ])
}
