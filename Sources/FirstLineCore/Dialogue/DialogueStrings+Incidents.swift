/// What employees are told about a major incident (issue: outages, points 2–4).
extension DialogueStrings {
    /// A report linked to the known incident: it is known, it is being worked on, they will be told.
    /// `notice`: the agents' own words, first; `fallback`: the language they are in when the
    /// employee's is missing.
    public func knownIncident(_ number: String, notice: String?, fallback: Language?) -> String {
        var lines: [String] = []
        if let notice {
            lines.append(pick("IT팀 안내: \(notice)", "IT担当からのお知らせ：\(notice)", "From the IT team: \(notice)"))
            if let fallback { lines.append(noticeOnlyIn(fallback)) }
        }
        lines.append(pick(
            "지금 여러 분께 같은 문제가 생겨 IT팀이 해결하고 있어요(장애 \(number)). 문의하신 내용은 이 장애에 연결해 두었고, 해결되면 여기로 바로 알려 드릴게요.",
            "現在、同じ問題が複数の方に起きており、IT担当が対応しています（障害 \(number)）。お問い合わせはこの障害に紐づけました。解決しだい、こちらでお知らせします。",
            "This is a known problem affecting several people, and the IT team is working on it (incident \(number)). I've added your report to it and will tell you here as soon as it's fixed."))
        lines.append(pick("다른 문제라면 아래 버튼을 눌러 주세요.", "別の問題でしたら、下のボタンを押してください。",
                          "If yours is a different problem, press the button below."))
        return lines.joined(separator: "\n")
    }

    /// The same report again while still linked: no second link, the same promise.
    public func stillKnownIncident(_ number: String) -> String {
        pick("장애 \(number)는 아직 IT팀이 해결하고 있어요. 이미 연결되어 있으니 해결되면 여기로 알려 드릴게요.",
             "障害\(number)はまだIT担当が対応中です。すでに紐づいていますので、解決しだいこちらでお知らせします。",
             "Incident \(number) is still being worked on. You're already on its list; I'll tell you here when it's fixed.")
    }

    /// Sent when an agent confirms the incident to the employees whose open tickets it took in.
    public func ticketJoinedIncident(_ ticket: String, incident: String) -> String {
        pick("문의하신 \(ticket) 티켓은 지금 여러 분께 생긴 같은 문제(장애 \(incident))로 확인되어 IT팀이 해결하고 있어요. 해결되면 여기로 알려 드릴게요.",
             "チケット\(ticket)のお問い合わせは、複数の方に起きている同じ問題（障害 \(incident)）と確認され、IT担当が対応しています。解決しだい、こちらでお知らせします。",
             "Your ticket \(ticket) is part of a known problem affecting several people (incident \(incident)). The IT team is working on it, and I'll tell you here when it's fixed.")
    }

    /// Sent to every linked employee when the incident is resolved. `note`: the agents' words.
    public func incidentFixed(_ number: String, note: String?) -> String {
        var lines = [pick("장애 \(number)가 해결됐어요.", "障害\(number)は復旧しました。", "Incident \(number) is fixed.")]
        if let note, !note.isEmpty { lines.append(note) }
        lines.append(pick("아직 문제가 있으면 여기로 말씀해 주세요.", "まだ問題がある場合は、こちらにお書きください。",
                          "If it still doesn't work for you, write here."))
        return lines.joined(separator: "\n")
    }

    /// Said after a notice that is not in the employee's language.
    func noticeOnlyIn(_ language: Language) -> String {
        switch language {
        case .ko: pick("(이 안내는 한국어로만 작성되어 있어요.)", "（このお知らせは韓国語のみです。）",
                       "(This notice is only available in Korean.)")
        case .ja: pick("(이 안내는 일본어로만 작성되어 있어요.)", "（このお知らせは日本語のみです。）",
                       "(This notice is only available in Japanese.)")
        case .en: pick("(이 안내는 영어로만 작성되어 있어요.)", "（このお知らせは英語のみです。）",
                       "(This notice is only available in English.)")
        }
    }
}
