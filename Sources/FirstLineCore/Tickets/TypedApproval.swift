import Foundation

/// A manager's Approve / Reject typed instead of pressed: "승인", "承認します", "approve HD-12".
/// The words are the buttons' labels and their everyday variants; a ticket number may be added
/// when the manager has several requests waiting. Anything longer is an ordinary message.
public struct TypedApproval: Sendable, Equatable {
    public var approve: Bool
    /// The ticket named in the message, if any.
    public var ticket: String?

    public init(approve: Bool, ticket: String? = nil) {
        self.approve = approve
        self.ticket = ticket
    }

    public static func read(_ text: String) -> TypedApproval? {
        var ticket: String?
        var words: [String] = []
        for word in text.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "、" }) {
            let upper = word.uppercased().trimmingCharacters(in: .punctuationCharacters.subtracting(["-"]))
            if DeskAction.isTicketNumber(upper), ticket == nil {
                ticket = upper
            } else {
                words.append(String(word))
            }
        }
        let answer = TypedAnswer.normalised(words.joined(separator: " "))
        if approving.contains(answer) { return TypedApproval(approve: true, ticket: ticket) }
        if rejecting.contains(answer) { return TypedApproval(approve: false, ticket: ticket) }
        return nil
    }

    private static let approving: Set<String> = Set([
        "승인", "승인합니다", "승인해요", "승인할게요", "승인이요", "승인해 주세요", "네 승인합니다", "허가", "허가합니다",
        "承認", "承認します", "承認です", "はい 承認します", "許可", "許可します", "ok 承認",
        "approve", "approved", "i approve", "approve it", "yes approve", "approve please", "ok approve",
    ].map(TypedAnswer.normalised))

    private static let rejecting: Set<String> = Set([
        "반려", "반려합니다", "반려해요", "반려할게요", "거절", "거절합니다", "승인 안 함", "승인하지 않습니다", "불허",
        "却下", "却下します", "却下です", "承認しません", "否認", "不許可",
        "reject", "rejected", "i reject", "reject it", "deny", "denied", "decline", "declined", "not approved",
    ].map(TypedAnswer.normalised))
}
