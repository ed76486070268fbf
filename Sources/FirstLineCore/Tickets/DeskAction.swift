import Foundation

/// Buttons that act on a ticket rather than on a conversation: a manager approving a request, an
/// agent claiming a ticket from the agents' channel. Their `rawValue` is the button's action
/// string (`approve:HD-000012`); the ticket number travels in it because the click may come from
/// a conversation that is not the ticket's.
public enum DeskAction: Sendable, Equatable, Hashable, RawRepresentable {
    case approve(ticket: String)
    case reject(ticket: String)
    case claim(ticket: String)
    /// Show the ticket's details in the agents' channel.
    case open(ticket: String)
    /// A suspected incident's Confirm / Dismiss in the agents' channel (`INC-7`).
    case confirmIncident(incident: String)
    case dismissIncident(incident: String)

    public init?(rawValue: String) {
        let parts = rawValue.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        if Self.isIncidentNumber(parts[1]) {
            switch parts[0] {
            case "incident-confirm": self = .confirmIncident(incident: parts[1])
            case "incident-dismiss": self = .dismissIncident(incident: parts[1])
            default: return nil
            }
            return
        }
        guard Self.isTicketNumber(parts[1]) else { return nil }
        switch parts[0] {
        case "approve": self = .approve(ticket: parts[1])
        case "reject": self = .reject(ticket: parts[1])
        case "claim": self = .claim(ticket: parts[1])
        case "open": self = .open(ticket: parts[1])
        default: return nil
        }
    }

    public var rawValue: String {
        switch self {
        case let .approve(ticket): "approve:\(ticket)"
        case let .reject(ticket): "reject:\(ticket)"
        case let .claim(ticket): "claim:\(ticket)"
        case let .open(ticket): "open:\(ticket)"
        case let .confirmIncident(incident): "incident-confirm:\(incident)"
        case let .dismissIncident(incident): "incident-dismiss:\(incident)"
        }
    }

    /// The ticket or incident number the button acts on.
    public var ticketNumber: String {
        switch self {
        case let .approve(ticket), let .reject(ticket), let .claim(ticket), let .open(ticket): ticket
        case let .confirmIncident(incident), let .dismissIncident(incident): incident
        }
    }

    /// `INC-` and digits.
    static func isIncidentNumber(_ text: String) -> Bool {
        text.hasPrefix("INC-") && text.count > 4 && text.count <= 16 && text.dropFirst(4).allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `HD-` and digits: anything else in a button is not ours (and is not looked up).
    static func isTicketNumber(_ text: String) -> Bool {
        text.hasPrefix("HD-") && text.count <= 16 && text.dropFirst(3).allSatisfy(\.isASCII) && text.dropFirst(3).allSatisfy(\.isNumber)
            && text.count > 3
    }
}

/// What the desk says to managers and employees about approvals, in their language.
public enum ApprovalWording {
    public static func request(ticket: String, requester: String, subject: String, reminder: Bool,
                               language: Language) -> String {
        switch language {
        case .ko:
            (reminder ? "[다시 알림] " : "") + "\(requester) 님의 요청 \(ticket)에 승인이 필요합니다: \"\(subject)\""
        case .ja:
            (reminder ? "[リマインド] " : "") + "\(requester)さんの申請\(ticket)に承認が必要です：「\(subject)」"
        case .en:
            (reminder ? "[Reminder] " : "") + "\(requester) asks for approval of \(ticket): \"\(subject)\""
        }
    }

    public static func buttons(ticket: String, language: Language) -> [ReplyButton] {
        let (yes, no) = switch language {
        case .ko: ("승인", "반려")
        case .ja: ("承認", "却下")
        case .en: ("Approve", "Reject")
        }
        return [ReplyButton(action: .approve(ticket: ticket), label: yes),
                ReplyButton(action: .reject(ticket: ticket), label: no)]
    }

    /// The confirmation the approver sees after clicking.
    public static func recorded(ticket: String, approved: Bool, language: Language) -> String {
        switch (language, approved) {
        case (.ko, true): "\(ticket) 요청을 승인했습니다. 담당 팀에 전달됩니다."
        case (.ko, false): "\(ticket) 요청을 반려했습니다. 요청자에게 알립니다."
        case (.ja, true): "\(ticket)を承認しました。担当チームに引き継ぎます。"
        case (.ja, false): "\(ticket)を却下しました。申請者に通知します。"
        case (.en, true): "You approved \(ticket). It goes to the team now."
        case (.en, false): "You rejected \(ticket). The requester will be told."
        }
    }

    /// A click on a request that was already decided (a double click, or a second manager).
    public static func alreadyDecided(ticket: String, language: Language) -> String {
        switch language {
        case .ko: "\(ticket) 요청은 이미 처리되었습니다."
        case .ja: "\(ticket)はすでに処理済みです。"
        case .en: "\(ticket) has already been decided."
        }
    }

    /// A click by someone who is not the approver.
    public static func notApprover(ticket: String, language: Language) -> String {
        switch language {
        case .ko: "\(ticket) 요청의 승인자가 아니어서 처리할 수 없습니다."
        case .ja: "\(ticket)の承認者ではないため、操作できません。"
        case .en: "Only the approver of \(ticket) can decide it."
        }
    }

    /// What the requester is told about the decision.
    public static func outcome(ticket: String, approved: Bool, language: Language) -> String {
        switch (language, approved) {
        case (.ko, true): "\(ticket) 요청이 승인되어 담당 팀에 전달되었습니다."
        case (.ko, false): "\(ticket) 요청이 승인되지 않아 종료되었습니다. 궁금한 점은 관리자에게 문의해 주세요."
        case (.ja, true): "\(ticket)が承認され、担当チームに引き継がれました。"
        case (.ja, false): "\(ticket)は承認されなかったため、クローズされました。詳しくは上長にご確認ください。"
        case (.en, true): "\(ticket) was approved and is now with the team."
        case (.en, false): "\(ticket) was not approved and has been closed. Please check with your manager."
        }
    }
}
