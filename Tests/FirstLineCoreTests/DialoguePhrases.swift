import FirstLineCore

/// What an employee types in each language, for the shared conversation scripts, and the due
/// times the bot must tell for the fixtures' clock (Friday 10:00 in Seoul).
struct DialoguePhrases: Sendable {
    var language: Language
    var greet: String
    var greetWithProblem: String
    var thanks: String
    var bye: String
    /// Answered confidently with vpn-connect, no plausible second article.
    var vpn: String
    var mailbox: String
    /// Ambiguous between the two printer articles (paper jam first).
    var printer: String
    /// Answered with printer-paper-jam; printer-not-printing is the fallback.
    var paperJam: String
    /// Two messages the knowledge base cannot answer.
    var weak1: String
    var weak2: String
    var human: String
    /// A one-line description that the mailbox article covers.
    var description: String
    var yes: String
    var status: String
    var cancel: String
    var solved: String
    var stillBroken: String
    /// Reads as both solved and still broken to the search.
    var ambiguousFeedback: String
    var urgent: String
    var request: String
    var urgentRequest: String
    /// Something said while a ticket is open.
    var extraDetail: String
    var agent: String
    var agentText: String
    /// First-response due phrases for P1 (30 min), P2 (2 h), P3 (8 h), P4 (1 day).
    var dueP1: String
    var dueP2: String
    var dueP3: String
    var dueP4: String

    static let all: [DialoguePhrases] = [korean, japanese, english]

    static let korean = DialoguePhrases(
        language: .ko, greet: "안녕하세요", greetWithProblem: "안녕하세요, VPN 연결이 안 돼요", thanks: "감사합니다",
        bye: "안녕히 계세요", vpn: "VPN이 안 돼요", mailbox: "메일함이 가득 찼어요", printer: "프린터가 이상해요",
        paperJam: "프린터에 종이가 걸렸어요", weak1: "회의실 커피머신이 고장났어요", weak2: "커피머신에서 물이 새요",
        human: "상담원 연결해 주세요", description: "메일 용량 때문에 메일을 못 보내요", yes: "네", status: "내 티켓 상태",
        cancel: "취소", solved: "해결됐어요", stillBroken: "여전히 안 돼요", ambiguousFeedback: "해결 안 됐어요",
        urgent: "급해요 팀 전체가 안 돼요", request: "포토샵 설치 요청", urgentRequest: "급해요 포토샵 설치 요청",
        extraDetail: "오류 코드는 809예요", agent: "김민수", agentText: "VPN 앱을 다시 설치해 보시겠어요?",
        dueP1: "오늘 10:30(UTC+9)까지", dueP2: "오늘 12:00(UTC+9)까지", dueP3: "오늘 18:00(UTC+9)까지", dueP4: "내일 10:00(UTC+9)까지")

    static let japanese = DialoguePhrases(
        language: .ja, greet: "こんにちは", greetWithProblem: "こんにちは、VPNに接続できません", thanks: "ありがとうございます",
        bye: "では失礼します", vpn: "VPNに接続できません", mailbox: "メールボックスがいっぱいです", printer: "プリンターの調子が悪い",
        paperJam: "プリンターで紙詰まりしました", weak1: "会議室のコーヒーメーカーが壊れました",
        weak2: "コーヒーメーカーから水が漏れています", human: "担当者につないでください",
        description: "メールの容量が足りなくて送信できません", yes: "はい", status: "チケットの状態", cancel: "キャンセル",
        solved: "直りました", stillBroken: "まだ直りません", ambiguousFeedback: "解決した",
        urgent: "至急、チーム全員が使えません", request: "フォトショップ入れてください",
        urgentRequest: "至急フォトショップ入れてください", extraDetail: "エラーコードは809です", agent: "佐藤",
        agentText: "VPNアプリを再インストールしていただけますか？",
        dueP1: "本日10:30（UTC+9）まで", dueP2: "本日12:00（UTC+9）まで", dueP3: "本日18:00（UTC+9）まで", dueP4: "明日10:00（UTC+9）まで")

    static let english = DialoguePhrases(
        language: .en, greet: "hello", greetWithProblem: "hi, my VPN is down", thanks: "thanks", bye: "bye",
        vpn: "I can't connect to the VPN", mailbox: "my mailbox is full", printer: "printer problem",
        paperJam: "paper jam in the printer", weak1: "the coffee machine in the lounge is leaking",
        weak2: "water is dripping from the coffee maker", human: "talk to a person",
        description: "I can't send mail because my mailbox quota is exceeded", yes: "yes", status: "ticket status",
        cancel: "cancel", solved: "solved", stillBroken: "didn't help", ambiguousFeedback: "not fixed",
        urgent: "urgent, the whole team is down", request: "can you install photoshop for me",
        urgentRequest: "urgent: can you install photoshop for me", extraDetail: "the error code is 809",
        agent: "Alex", agentText: "Could you reinstall the VPN app?",
        dueP1: "by 10:30 today", dueP2: "by 12:00 today", dueP3: "by 18:00 today", dueP4: "by 10:00 tomorrow")

    var strings: DialogueStrings { DialogueStrings(language) }

    func title(_ id: String) -> String {
        DialogueFixtures.content.article(id: id, language: language)?.title ?? "?"
    }

    /// The first authored reply of an intent.
    func reply(_ intent: String) -> String {
        DialogueFixtures.content.intent(id: intent)?.replies[language]?.first ?? "?"
    }
}
