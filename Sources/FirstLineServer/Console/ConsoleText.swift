import FirstLineCore
import Foundation

/// The console's words in Korean, Japanese and English (issue: console, point 1). The language
/// comes from `?lang=` (remembered in a cookie), else the cookie, else Accept-Language.
struct ConsoleText: Sendable {
    let language: Language

    private static let table: [String: (ko: String, ja: String, en: String)] = [
        "title": ("FirstLine 콘솔", "FirstLine コンソール", "FirstLine console"),
        "signIn": ("로그인", "サインイン", "Sign in"),
        "signOut": ("로그아웃", "サインアウト", "Sign out"),
        "token": ("토큰", "トークン", "Token"),
        "tokenHelp": ("관리자에게 받은 토큰을 붙여 넣으세요.", "管理者から受け取ったトークンを貼り付けてください。",
                      "Paste the token your administrator gave you."),
        "badToken": ("토큰이 올바르지 않아요.", "トークンが正しくありません。", "That token is not valid."),
        "queue": ("대기열", "キュー", "Queue"),
        "mine": ("내 티켓", "自分のチケット", "My tickets"),
        "atRisk": ("SLA 위험", "SLA リスク", "At risk"),
        "reports": ("보고서", "レポート", "Reports"),
        "gaps": ("콘텐츠 공백", "コンテンツの不足", "Content gaps"),
        "number": ("번호", "番号", "Number"),
        "subject": ("제목", "件名", "Subject"),
        "status": ("상태", "状態", "Status"),
        "priority": ("우선순위", "優先度", "Priority"),
        "team": ("팀", "チーム", "Team"),
        "assignee": ("담당자", "担当者", "Assignee"),
        "channel": ("채널", "チャネル", "Channel"),
        "due": ("응답 기한", "応答期限", "Response due"),
        "approval": ("승인 대기", "承認待ち", "Awaiting approval"),
        "filter": ("필터", "絞り込み", "Filter"),
        "all": ("전체", "すべて", "All"),
        "count": ("건", "件", "tickets"),
        "transcript": ("대화 기록", "会話の記録", "Transcript"),
        "history": ("변경 이력", "履歴", "History"),
        "reply": ("답장 보내기", "返信する", "Send reply"),
        "note": ("내부 메모 남기기", "内部メモを残す", "Add internal note"),
        "resolve": ("해결로 닫기", "解決済みにする", "Resolve"),
        "claim": ("내가 맡기", "担当する", "Claim"),
        "from": ("시작일", "開始日", "From"),
        "to": ("종료일", "終了日", "To"),
        "show": ("보기", "表示", "Show"),
        "previous": ("이전 기간", "前の期間", "Previous period"),
        "thisPeriod": ("이번 기간", "今回の期間", "This period"),
        "opened": ("접수", "受付", "Opened"),
        "resolved": ("해결", "解決", "Resolved"),
        "reopened": ("재오픈", "再オープン", "Reopened"),
        "deflection": ("셀프 해결률", "自己解決率", "Deflection rate"),
        "fcr": ("1차 해결률", "一次解決率", "First-contact resolution"),
        "firstResponse": ("첫 응답 중앙값(업무 분)", "初回応答の中央値（営業分）", "First response, median (business min)"),
        "resolution": ("해결 시간 중앙값(업무 분)", "解決時間の中央値（営業分）", "Resolution, median (business min)"),
        "rating": ("평균 만족도", "平均満足度", "Average rating"),
        "backlog": ("일별 미해결 건수", "日ごとの未解決件数", "Open tickets at the end of each day"),
        "agents": ("담당자별 처리량", "担当者ごとの処理量", "Workload per agent"),
        "recurring": ("반복되는 문제", "繰り返す問題", "Recurring problems"),
        "incidents": ("장애", "障害", "Incidents"),
        "affected": ("영향받은 직원", "影響を受けた社員", "affected"),
        "suspected": ("의심되는 장애, 신고한 직원", "障害の疑い、報告した社員", "suspected, reporters"),
        "confirm": ("장애로 확정", "障害として確定", "Confirm"),
        "dismiss": ("무시", "却下", "Dismiss"),
        "notice": ("안내", "お知らせ", "Notice"),
        "writeNotice": ("안내 저장", "お知らせを保存", "Save notice"),
        "endNotice": ("안내 종료", "お知らせを終了", "End notice"),
        "resolveIncident": ("장애 해결, 모두에게 알림", "障害を解決して全員に通知", "Resolve and tell everyone"),
        "messages": ("메시지", "メッセージ", "messages"),
        "examples": ("예시", "例", "Examples"),
        "tickets": ("티켓", "チケット", "Tickets"),
        "nearest": ("가장 가까운 문서", "最も近い記事", "Nearest article"),
        "noTickets": ("티켓이 없어요.", "チケットはありません。", "No tickets."),
        "language": ("언어", "言語", "Language"),
        "forbidden": ("이 페이지를 볼 권한이 없어요.", "このページを見る権限がありません。", "You may not see this page."),
        "notFound": ("찾을 수 없어요.", "見つかりません。", "Not found."),
        "staleForm": ("양식이 만료됐어요. 다시 시도해 주세요.", "フォームの有効期限が切れました。もう一度お試しください。",
                      "This form has expired. Please try again."),
    ]

    subscript(key: String) -> String {
        guard let entry = Self.table[key] ?? Self.editorTable[key] else { return key }
        switch language {
        case .ko: return entry.ko
        case .ja: return entry.ja
        case .en: return entry.en
        }
    }

    /// Every label, for the templates (`{{t.queue}}`).
    var labels: [String: String] {
        Dictionary(Self.table.keys.map { ($0, self[$0]) } + Self.editorTable.keys.map { ($0, self[$0]) }) { first, _ in first }
    }

    /// The language a request asks for: `?lang=`, then the `fl_lang` cookie, then Accept-Language.
    static func language(query: String?, cookie: String?, acceptLanguage: String?) -> Language {
        if let query, let language = Language(rawValue: query) { return language }
        if let cookie, let language = Language(rawValue: cookie) { return language }
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            if let language = Language(rawValue: String(tag.prefix(2))) { return language }
        }
        return .en
    }
}
