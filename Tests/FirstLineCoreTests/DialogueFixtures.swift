import FirstLineCore
import Foundation

/// A small helpdesk built in code for the dialogue tests: six articles in Korean, Japanese and
/// English, and the intents of `Intents/*.yml` with a subset of their examples and their first
/// replies. No files are read, so the tests pin the engine, not the shipped content.
enum DialogueFixtures {
    static let articles: [Article] = vpn + password + paperJam + notPrinting + wifi + mailbox

    static let vpn = [
        Article(id: "vpn-connect", lang: .ko, title: "VPN 연결이 안 될 때", category: .network,
                keywords: ["VPN", "원격 접속", "재택"], questions: ["VPN이 안 돼요", "VPN 연결이 안 돼요", "재택근무 중 VPN 접속 불가"],
                body: "1. VPN 앱을 완전히 종료했다가 다시 실행하세요.\n2. 인터넷이 되는지 확인하세요."),
        Article(id: "vpn-connect", lang: .ja, title: "VPNに接続できないとき", category: .network,
                keywords: ["VPN", "リモート接続", "在宅"], questions: ["VPNに接続できません", "VPNがつながらない", "在宅でVPNが使えない"],
                body: "1. VPNアプリを終了してから再起動してください。\n2. インターネットにつながっているか確認してください。"),
        Article(id: "vpn-connect", lang: .en, title: "VPN won't connect", category: .network,
                keywords: ["vpn", "remote access", "work from home"], questions: ["vpn is down", "cant connect to vpn", "vpn keeps dropping"],
                body: "1. Quit the VPN app and start it again.\n2. Check that your internet works."),
    ]

    static let password = [
        Article(id: "password-reset", lang: .ko, title: "비밀번호를 잊어버렸을 때", category: .account,
                keywords: ["비밀번호", "비번", "초기화", "재설정"], questions: ["비밀번호를 잊어버렸어요", "비밀번호 초기화", "비번 재설정 방법"],
                body: "1. 로그인 화면에서 '비밀번호 재설정'을 누르세요.\n2. 휴대폰으로 받은 인증번호를 입력하세요."),
        Article(id: "password-reset", lang: .ja, title: "パスワードを忘れたとき", category: .account,
                keywords: ["パスワード", "リセット", "再設定"], questions: ["パスワードを忘れました", "パスワードをリセットしたい", "パスワード再設定"],
                body: "1. ログイン画面で「パスワードを再設定」を押してください。\n2. 届いた確認コードを入力してください。"),
        Article(id: "password-reset", lang: .en, title: "Reset a forgotten password", category: .account,
                keywords: ["password", "reset", "forgot"], questions: ["forgot my password", "reset password", "how do i change my password"],
                body: "1. Click 'Reset password' on the sign-in page.\n2. Enter the code sent to your phone."),
    ]

    static let paperJam = [
        Article(id: "printer-paper-jam", lang: .ko, title: "프린터 용지 걸림", category: .hardware,
                keywords: ["프린터", "용지 걸림", "종이 걸림", "잼"], questions: ["프린터에 종이가 걸렸어요", "용지 걸림 오류", "프린터 종이 걸림"],
                body: "1. 프린터 앞문을 여세요.\n2. 걸린 종이를 천천히 당겨 빼세요."),
        Article(id: "printer-paper-jam", lang: .ja, title: "プリンターの紙詰まり", category: .hardware,
                keywords: ["プリンター", "紙詰まり", "用紙"], questions: ["プリンターで紙詰まりしました", "紙が詰まった", "紙詰まりのエラー"],
                body: "1. プリンターの前面カバーを開けてください。\n2. 詰まった紙をゆっくり引き抜いてください。"),
        Article(id: "printer-paper-jam", lang: .en, title: "Printer paper jam", category: .hardware,
                keywords: ["printer", "paper jam", "jammed"], questions: ["paper jam in the printer", "printer is jammed", "paper stuck in printer"],
                body: "1. Open the printer's front door.\n2. Gently pull out the stuck paper."),
    ]

    static let notPrinting = [
        Article(id: "printer-not-printing", lang: .ko, title: "프린터에서 인쇄가 안 될 때", category: .hardware,
                keywords: ["프린터", "인쇄", "출력"], questions: ["프린터 인쇄가 안 돼요", "출력이 안 돼요", "인쇄 대기열에 걸려 있어요"],
                body: "1. 프린터 전원과 케이블을 확인하세요.\n2. 인쇄 대기열을 비우고 다시 인쇄하세요."),
        Article(id: "printer-not-printing", lang: .ja, title: "プリンターで印刷できないとき", category: .hardware,
                keywords: ["プリンター", "印刷", "出力"], questions: ["プリンターで印刷できません", "印刷されない", "印刷ジョブが止まっている"],
                body: "1. プリンターの電源とケーブルを確認してください。\n2. 印刷キューを空にしてから、もう一度印刷してください。"),
        Article(id: "printer-not-printing", lang: .en, title: "Printer doesn't print", category: .hardware,
                keywords: ["printer", "print", "printing"], questions: ["printer not printing", "my document won't print", "print job stuck in queue"],
                body: "1. Check the printer's power and cable.\n2. Clear the print queue and print again."),
    ]

    static let wifi = [
        Article(id: "wifi-connect", lang: .ko, title: "와이파이 연결이 안 될 때", category: .network,
                keywords: ["와이파이", "무선랜", "Wi-Fi", "인터넷"], questions: ["와이파이가 안 돼요", "무선 인터넷 연결 안 됨", "사내 와이파이 접속 불가"],
                body: "1. 와이파이를 껐다가 다시 켜세요.\n2. 사내 네트워크를 선택하고 사번으로 로그인하세요."),
        Article(id: "wifi-connect", lang: .ja, title: "Wi-Fiにつながらないとき", category: .network,
                keywords: ["Wi-Fi", "無線LAN", "ワイファイ"], questions: ["Wi-Fiにつながりません", "無線LANに接続できない", "社内Wi-Fiが使えない"],
                body: "1. Wi-Fiをオフにしてから、もう一度オンにしてください。\n2. 社内ネットワークを選び、社員番号でログインしてください。"),
        Article(id: "wifi-connect", lang: .en, title: "Can't connect to Wi-Fi", category: .network,
                keywords: ["wifi", "wi-fi", "wireless"], questions: ["wifi not working", "cant connect to wifi", "office wireless is down"],
                body: "1. Turn Wi-Fi off and on again.\n2. Pick the office network and sign in with your employee number."),
    ]

    static let mailbox = [
        Article(id: "mailbox-full", lang: .ko, title: "메일함 용량이 가득 찼을 때", category: .email,
                keywords: ["메일함", "용량", "메일 용량 초과"], questions: ["메일함이 가득 찼어요", "메일 용량이 부족해요", "메일함 용량 초과"],
                body: "1. 첨부파일이 큰 메일을 지우세요.\n2. 지운 편지함을 비우세요."),
        Article(id: "mailbox-full", lang: .ja, title: "メールボックスの容量がいっぱいのとき", category: .email,
                keywords: ["メールボックス", "容量", "メール容量"], questions: ["メールボックスがいっぱいです", "メールの容量が足りない", "容量超過"],
                body: "1. 添付ファイルの大きいメールを削除してください。\n2. 削除済みアイテムを空にしてください。"),
        Article(id: "mailbox-full", lang: .en, title: "Mailbox is full", category: .email,
                keywords: ["mailbox", "quota", "storage"], questions: ["my mailbox is full", "mailbox quota exceeded", "outlook says mailbox full"],
                body: "1. Delete mails with large attachments.\n2. Empty the Deleted Items folder."),
    ]

    static let intents: [Intent] = [
        Intent(id: "greet", action: .greet,
               examples: [.ko: ["안녕하세요", "안녕", "하이", "좋은 아침이에요"],
                          .ja: ["こんにちは", "おはようございます", "こんばんは", "お疲れ様です"],
                          .en: ["hi", "hello", "hey", "hi there", "good morning"]],
               replies: [.ko: ["안녕하세요! IT 헬프데스크 봇이에요. 어떤 문제가 있으신지 편하게 적어 주세요."],
                         .ja: ["こんにちは！ITヘルプデスクのボットです。お困りのことを気軽に入力してください。"],
                         .en: ["Hi! I'm the IT helpdesk bot. Tell me what's going on and I'll help you sort it out."]]),
        Intent(id: "thanks", action: .thanks,
               examples: [.ko: ["감사합니다", "고마워요", "고맙습니다", "감사해요"],
                          .ja: ["ありがとうございます", "ありがとう", "助かります"],
                          .en: ["thanks", "thank you", "thx", "thanks a lot"]],
               replies: [.ko: ["천만에요! 다른 문제가 있으면 언제든 말씀해 주세요."],
                         .ja: ["どういたしまして！ほかにもお困りのことがあれば、いつでもどうぞ。"],
                         .en: ["You're welcome! Let me know if anything else comes up."]]),
        Intent(id: "bye", action: .bye,
               examples: [.ko: ["안녕히 계세요", "수고하세요", "이만 갈게요"],
                          .ja: ["さようなら", "では失礼します", "お疲れ様でした"],
                          .en: ["bye", "goodbye", "see you"]],
               replies: [.ko: ["좋은 하루 보내세요! 문제가 생기면 언제든 다시 찾아 주세요."],
                         .ja: ["お疲れ様でした。また何かあればいつでもどうぞ。"],
                         .en: ["Bye! Come back anytime something breaks."]]),
        Intent(id: "human", action: .escalate,
               examples: [.ko: ["상담원 연결", "상담원 연결해 주세요", "사람이랑 얘기하고 싶어요", "담당자 연결"],
                          .ja: ["担当者と話したい", "担当者につないでください", "オペレーターにつないで", "人と話したい"],
                          .en: ["talk to a person", "talk to a human", "connect me to an agent", "real person"]],
               replies: [.ko: ["알겠어요. 담당자에게 연결해 드릴게요. 잠시만 기다려 주세요."],
                         .ja: ["承知しました。担当者におつなぎしますので、少々お待ちください。"],
                         .en: ["Sure, I'll connect you to a person from the IT team. Please hold on a moment."]]),
        Intent(id: "status", action: .status,
               examples: [.ko: ["내 티켓 상태", "티켓 상태 확인", "내 요청 어떻게 됐어요?", "진행상황 확인"],
                          .ja: ["問い合わせの状況", "チケットの状態", "申請どうなってますか", "対応状況を確認したい"],
                          .en: ["my tickets", "ticket status", "check my ticket", "status of my request"]],
               replies: [.ko: ["진행 중인 티켓을 확인해 볼게요."], .ja: ["現在のお問い合わせ状況を確認します。"],
                         .en: ["Let me pull up your open tickets."]]),
        Intent(id: "cancel", action: .cancel,
               examples: [.ko: ["취소", "취소할게요", "봇으로 돌아가기", "처음으로"],
                          .ja: ["キャンセル", "キャンセルします", "ボットに戻る", "やっぱりいいです"],
                          .en: ["cancel", "never mind", "back to the bot", "start over"]],
               replies: [.ko: ["알겠어요, 취소했어요. 다른 도움이 필요하면 말씀해 주세요."],
                         .ja: ["キャンセルしました。ほかにお手伝いできることがあればお知らせください。"],
                         .en: ["OK, cancelled. What else can I help you with?"]]),
        Intent(id: "feedback-yes", action: .feedbackYes,
               examples: [.ko: ["해결됐어요", "됐어요", "이제 돼요", "고쳐졌어요"],
                          .ja: ["解決しました", "直りました", "できました", "うまくいきました"],
                          .en: ["it worked", "solved", "fixed", "that fixed it", "works now"]],
               replies: [.ko: ["해결됐다니 다행이에요! 다른 문제가 있으면 언제든 말씀해 주세요."],
                         .ja: ["解決してよかったです！ほかにもお困りのことがあればどうぞ。"],
                         .en: ["Great, glad that fixed it! Anything else I can help with?"]]),
        Intent(id: "feedback-no", action: .feedbackNo,
               examples: [.ko: ["여전히 안 돼요", "아직도 안돼요", "해결 안 됐어요", "그래도 안 돼요"],
                          .ja: ["まだ直らない", "まだ直りません", "解決しません", "だめでした"],
                          .en: ["still broken", "didn't help", "still not working", "not fixed"]],
               replies: [.ko: ["도움이 되지 못해 죄송해요."], .ja: ["お役に立てず申し訳ありません。"],
                         .en: ["Sorry that didn't help."]]),
        Intent(id: "urgent", action: .urgent,
               examples: [.ko: ["급해요", "긴급", "팀 전체가 안 돼요", "아무도 일을 못 해요"],
                          .ja: ["至急", "至急お願いします", "緊急です", "チーム全員が使えません"],
                          .en: ["urgent", "its urgent", "whole team is down", "nobody can work", "emergency"]],
               replies: [.ko: ["긴급 건으로 접수할게요."], .ja: ["緊急の案件として受け付けました。"],
                         .en: ["Understood, I'm flagging this as urgent."]]),
        Intent(id: "request-software", action: .request,
               examples: [.ko: ["프로그램 설치해 주세요", "포토샵 설치 요청", "소프트웨어 설치 신청"],
                          .ja: ["ソフトをインストールしてほしい", "フォトショップ入れてください", "ソフトウェアのインストール申請"],
                          .en: ["can you install photoshop for me", "software request", "request new software"]],
               replies: [.ko: ["소프트웨어 설치 요청으로 접수할게요."], .ja: ["ソフトウェアのインストール依頼として申請します。"],
                         .en: ["I'll file a software install request."]],
               category: .software, needsManagerApproval: true),
    ]

    static let content = ContentIndex(articles: articles, intents: intents)

    /// Friday 2 May 2025, 10:00 in Seoul: P1 is due 10:30 today, P3 18:00 today, P4 tomorrow.
    static let now = Date(timeIntervalSince1970: 1_746_147_600)

    static var settings: DialogueSettings {
        var settings = DialogueSettings()
        settings.timeZone = TimeZone(identifier: "Asia/Seoul")!
        return settings
    }

    static let engine = DialogueEngine(content: content, settings: settings)
}
