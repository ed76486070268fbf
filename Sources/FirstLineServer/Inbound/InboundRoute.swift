import FirstLineCore

/// Which handler an inbox entry goes to: the shape of a webhook bot that routes one kind of event
/// to one handler. Decided from the message alone, before anything is read or written.
enum InboundRoute: Sendable {
    /// An employee wrote or pressed one of the dialogue's buttons.
    case employeeTurn(DialogueEvent, transcript: String)
    /// An employee opened the chat with the bot (follow, /start, join).
    case joined
    /// A desk button: a manager's Approve / Reject, an agent's Claim or Open in the agents' channel.
    case deskButton(DeskAction)
    /// An agent wrote under a ticket's post in the agents' channel: a reply to the employee.
    case agentRelay(text: String, post: String, channel: AgentChannel)

    /// A button this version does not know (an old message's button after an upgrade).
    struct UnknownButton: Error, Equatable {
        var action: String
    }

    static func of(_ message: InboundMessage, agentChannel: AgentChannel?) throws(UnknownButton) -> InboundRoute {
        switch message.content {
        case let .text(text):
            if let channel = agentChannel, message.platform == channel.platform,
               let post = agentPost(answeredBy: message, in: channel) {
                return .agentRelay(text: text, post: post, channel: channel)
            }
            return .employeeTurn(.message(text), transcript: text)
        case .joined:
            return .joined
        case let .button(action):
            if let desk = DeskAction(rawValue: action) { return .deskButton(desk) }
            guard let button = ButtonAction(rawValue: action) else { throw UnknownButton(action: action) }
            return .employeeTurn(.button(button), transcript: "[\(action)]")
        }
    }

    /// The platform id of the agents' channel post a message answers: a Slack thread under it, or
    /// a Telegram reply to it. Nil for anything else.
    static func agentPost(answeredBy message: InboundMessage, in channel: AgentChannel) -> String? {
        if message.conversationKey.hasPrefix(channel.conversationKey + ":") {
            return String(message.conversationKey.dropFirst(channel.conversationKey.count + 1))
        }
        if message.conversationKey == channel.conversationKey { return message.repliesTo }
        return nil
    }
}
