import GRDB

/// The chat surfaces an employee reaches the bot through. The raw values are what the database stores,
/// so they must never be renamed; add cases instead.
public enum MessagingPlatform: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case slack, telegram, line, lineworks, web, terminal
}
