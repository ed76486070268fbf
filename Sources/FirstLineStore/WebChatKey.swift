import Crypto
import Foundation

/// What the store keeps of a web chat session (issue 15, point 4): never the session itself, which is a
/// bearer secret, but its SHA-256. `chatSession` keeps the hex hash; the conversation, its identity and
/// its queued replies are filed under `s256:` and the same hash, so a copy of the database (a backup, a
/// replica) cannot be used to take over an employee's chat. The prefix tells a hashed key from a session
/// that a version before migration `v16-web-session-keys` stored as it was.
public enum WebChatKey {
    public static let prefix = "s256:"

    /// Lowercase hex SHA-256 of the session's UTF-8 bytes.
    public static func hash(_ session: String) -> String {
        SHA256.hash(data: Data(session.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static func conversationKey(_ session: String) -> String {
        prefix + hash(session)
    }
}
