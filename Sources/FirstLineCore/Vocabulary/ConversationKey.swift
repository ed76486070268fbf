import Foundation

/// Where a reply goes: everything a platform needs to address a message to the conversation an
/// inbound event came from. Also the identity of the conversation (one key, one dialogue state).
public enum ConversationKey: Sendable, Hashable, Codable {
    /// A Slack channel (a DM is a `D…` channel). `threadTS` is set when the conversation lives in
    /// a thread: channel mentions are answered in a thread, so every mention starts its own
    /// conversation and does not flood the channel.
    case slack(channel: String, threadTS: String?)
    /// A Telegram chat (private chats have the user's id; groups have negative ids).
    case telegram(chatID: Int64)
    /// A LINE user, group or room id: the push API takes any of the three as `to`.
    case line(to: String)
    /// A LINE WORKS 1:1 conversation with a user.
    case lineWorksUser(userID: String)
    /// A LINE WORKS group channel (talk room).
    case lineWorksChannel(channelID: String)

    /// The platform this key belongs to.
    public var platform: Platform {
        switch self {
        case .slack: .slack
        case .telegram: .telegram
        case .line: .line
        case .lineWorksUser, .lineWorksChannel: .lineworks
        }
    }

    /// A compact, reversible string for the store's `conversationKey` column, for example
    /// `slack:D01TEST`, `slack:C01:1700000000.000100`, `telegram:123456`, `line:U111…`,
    /// `lineworks:user:u-1`, `lineworks:channel:c-1`. Read it back with `init?(storageKey:)`.
    public var storageKey: String {
        switch self {
        case let .slack(channel, threadTS?): "slack:\(channel):\(threadTS)"
        case let .slack(channel, nil): "slack:\(channel)"
        case let .telegram(chatID): "telegram:\(chatID)"
        case let .line(to): "line:\(to)"
        case let .lineWorksUser(userID): "lineworks:user:\(userID)"
        case let .lineWorksChannel(channelID): "lineworks:channel:\(channelID)"
        }
    }

    /// Parses a `storageKey`; nil when the string is not one.
    public init?(storageKey: String) {
        let parts = storageKey.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        let rest = parts[1]
        switch parts[0] {
        case "slack":
            // Slack channel ids never contain ':', and thread timestamps are "seconds.micros".
            let slackParts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard !slackParts[0].isEmpty else { return nil }
            if slackParts.count == 2 {
                guard !slackParts[1].isEmpty else { return nil }
                self = .slack(channel: slackParts[0], threadTS: slackParts[1])
            } else {
                self = .slack(channel: slackParts[0], threadTS: nil)
            }
        case "telegram":
            guard let chatID = Int64(rest) else { return nil }
            self = .telegram(chatID: chatID)
        case "line":
            self = .line(to: rest)
        case "lineworks":
            let worksParts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard worksParts.count == 2, !worksParts[1].isEmpty else { return nil }
            switch worksParts[0] {
            case "user": self = .lineWorksUser(userID: worksParts[1])
            case "channel": self = .lineWorksChannel(channelID: worksParts[1])
            default: return nil
            }
        default:
            return nil
        }
    }
}
