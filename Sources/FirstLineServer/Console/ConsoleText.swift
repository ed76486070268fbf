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
        // The ticket page's controls and SLA countdowns, the intake form, live refresh, CSV downloads.
        "category": ("분류", "カテゴリ", "Category"),
        "created": ("접수 시각", "受付日時", "Opened at"),
        "intakePath": ("접수 경로", "受付経路", "intake"),
        "replyLabel": ("직원에게 보낼 답장", "社員への返信", "Reply to the employee"),
        "noteLabel": ("내부 메모(직원에게 보이지 않음)", "内部メモ（社員には見えません）", "Internal note (the employee does not see it)"),
        "firstResponseDue": ("첫 응답 기한", "初回応答の期限", "First response due"),
        "resolutionDue": ("해결 기한", "解決の期限", "Resolution due"),
        "slaClock": ("SLA 시계", "SLA の時計", "SLA clock"),
        "slaPausedWhy": ("직원 답변 또는 승인을 기다리는 동안 멈춰 있어요.", "社員の返事か承認を待つ間は止まっています。",
                         "Stopped while waiting for the employee or for an approval."),
        "slaMet": ("충족", "達成", "Met"),
        "slaPaused": ("일시 정지", "一時停止中", "Paused"),
        "slaIn": ("{d} 남음", "残り {d}", "in {d}"),
        "slaOverdue": ("{d} 초과", "{d} 超過", "overdue by {d}"),
        "unitDays": ("{n}일", "{n}日", "{n}d"),
        "unitHours": ("{n}시간", "{n}時間", "{n}h"),
        "unitMinutes": ("{n}분", "{n}分", "{n}m"),
        "approvalState": ("승인", "承認", "Approval"),
        "approval_pending": ("관리자 승인 대기 중", "上長の承認待ち", "Waiting for the manager's approval"),
        "approval_approved": ("승인됨", "承認済み", "Approved"),
        "approval_rejected": ("반려됨", "却下", "Rejected"),
        "saveChanges": ("변경 저장", "変更を保存", "Save changes"),
        "staleTicket": ("그사이 다른 사람이 이 티켓을 바꿨어요. 아무것도 저장하지 않았어요. 티켓을 다시 열어 확인해 주세요.",
                        "その間に他の人がこのチケットを変更しました。何も保存していません。チケットを開き直して確認してください。",
                        "Someone changed this ticket meanwhile. Nothing was saved; open the ticket again to see the change."),
        "badValue": ("{field} 값을 받을 수 없어요. 아무것도 바꾸지 않았어요.", "{field} の値は受け付けられません。何も変更していません。",
                     "That {field} is not allowed. Nothing was changed."),
        "badTransition": ("상태를 {from}에서 {to}(으)로 바꿀 수 없어요. 아무것도 바꾸지 않았어요.",
                          "状態を {from} から {to} に変えることはできません。何も変更していません。",
                          "A ticket cannot go from {from} to {to}. Nothing was changed."),
        "reopenPassed": ("해결 후 {n}일이 지나 다시 열 수 없어요. 새 티켓을 만들어 주세요.",
                         "解決から {n} 日を過ぎたので再オープンできません。新しいチケットを作成してください。",
                         "More than {n} days since it was resolved: it cannot be reopened. Log a new ticket."),
        "refused": ("처리할 수 없었어요. 아무것도 바꾸지 않았어요.", "処理できませんでした。何も変更していません。",
                    "That could not be done. Nothing was changed."),
        "refusedTitle": ("변경되지 않음", "変更されませんでした", "Nothing changed"),
        "back": ("티켓으로 돌아가기", "戻る", "Back"),
        "done_reply": ("답장을 보냈어요.", "返信を送りました。", "Reply sent."),
        "done_note": ("메모를 남겼어요.", "メモを残しました。", "Note added."),
        "done_resolve": ("해결로 닫았어요.", "解決済みにしました。", "Resolved."),
        "done_claim": ("내가 맡았어요.", "担当になりました。", "Claimed."),
        "done_changed": ("변경을 저장했어요.", "変更を保存しました。", "Changes saved."),
        "done_unchanged": ("바뀐 값이 없어요.", "変更された値はありません。", "Nothing was different; nothing saved."),
        "done_logged": ("티켓을 접수했어요.", "チケットを登録しました。", "Ticket logged."),
        "intake": ("전화·방문 접수", "電話・来訪の受付", "Log a call or visit"),
        "intakeHelp": ("전화나 방문으로 받은 요청을 직원 대신 티켓으로 남겨요. 먼저 직원을 찾으세요.",
                       "電話や来訪で受けた依頼を社員の代わりにチケットにします。まず社員を探してください。",
                       "Log a request made by phone or at the desk as a ticket on the employee's behalf. Find the employee first."),
        "searchDirectory": ("직원 찾기", "社員を探す", "Find the employee"),
        "searchPlaceholder": ("이름, 이메일, 부서", "名前、メール、部署", "name, e-mail or department"),
        "search": ("찾기", "検索", "Search"),
        "name": ("이름", "名前", "Name"),
        "email": ("이메일", "メール", "E-mail"),
        "department": ("부서", "部署", "Department"),
        "choose": ("이 직원으로", "この社員で", "Choose"),
        "noEmployees": ("찾은 직원이 없어요. 아래에 이름과 이메일을 적어 주세요.", "該当する社員がいません。下に名前とメールを入力してください。",
                        "Nobody found. Write the name and e-mail below."),
        "requester": ("요청한 직원", "依頼した社員", "Requester"),
        "notInDirectory": ("목록에 없는 직원", "名簿にない社員", "Not in the directory"),
        "description": ("내용", "内容", "Description"),
        "logTicket": ("티켓 접수", "チケットを登録", "Log the ticket"),
        "intakeNoEmployee": ("직원을 고르거나 이름을 적어 주세요. 아무것도 접수하지 않았어요.",
                             "社員を選ぶか名前を入力してください。何も登録していません。",
                             "Choose an employee or write a name. Nothing was logged."),
        "channel_phone": ("전화", "電話", "Phone call"),
        "channel_visit": ("방문(walk-in)", "来訪（walk-in）", "Visit (walk-in)"),
        "subjectField": ("제목", "件名", "subject"),
        "csv": ("CSV 내려받기", "CSV をダウンロード", "Download CSV"),
        "liveHelp": ("변경되면 자동으로 새로 고쳐요.", "変更があると自動で更新します。", "Refreshes by itself when something changes."),
        // Words for the values the store keeps in English (statuses, history events, authors).
        "status_new": ("신규", "新規", "new"),
        "status_open": ("처리 중", "対応中", "open"),
        "status_waiting": ("직원 답변 대기", "社員の返事待ち", "waiting"),
        "status_resolved": ("해결됨", "解決済み", "resolved"),
        "status_closed": ("종료", "クローズ", "closed"),
        "kind_created": ("접수", "受付", "created"),
        "kind_message": ("메시지", "メッセージ", "message"),
        "kind_status": ("상태", "状態", "status"),
        "kind_priority": ("우선순위", "優先度", "priority"),
        "kind_category": ("분류", "カテゴリ", "category"),
        "kind_team": ("팀", "チーム", "team"),
        "kind_assignee": ("담당자", "担当者", "assignee"),
        "kind_note": ("내부 메모", "内部メモ", "note"),
        "kind_rating": ("만족도", "満足度", "rating"),
        "kind_sla": ("SLA 경보", "SLA アラーム", "SLA alarm"),
        "kind_approval": ("승인", "承認", "approval"),
        "kind_incident": ("장애 연결", "障害との紐付け", "incident"),
        "author_employee": ("직원", "社員", "employee"),
        "author_bot": ("봇", "ボット", "bot"),
        "author_agent": ("담당자", "担当者", "agent"),
        "author_system": ("시스템", "システム", "system"),
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

    /// The label, or nil for a key the table does not have (a value from a query string).
    func optional(_ key: String) -> String? { Self.table[key] == nil ? nil : self[key] }

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
