/// Every surface an employee reaches the bot through: the four messengers with a platform API,
/// and the two channels that answer within the request (web chat, terminal chat).
///
/// One enum for every module: adapters, the store, the workers and the desk name a platform the
/// same way. The raw values are what the database stores, so they are never renamed; add cases.
public enum Platform: String, Sendable, Codable, CaseIterable, Hashable {
    case slack, telegram, line, lineworks, web, terminal

    /// The platforms that deliver through webhooks and a send API (and so have an adapter).
    public static let messengers: [Platform] = [.slack, .telegram, .line, .lineworks]

    /// Whether replies go out through a platform API rather than in the answer to the request.
    public var isMessenger: Bool { Self.messengers.contains(self) }
}
