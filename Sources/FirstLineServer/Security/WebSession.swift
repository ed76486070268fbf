import Crypto
import FirstLineCore
import FirstLineStore
import Foundation
import Hummingbird

/// Web chat sessions (issue 15): issued by `POST /api/v1/chat/sessions`, 256 random bits each,
/// kept by the page in an HttpOnly cookie and in the `chatSession` table only as their SHA-256.
/// A session the server never issued is `unknown_session` (404) everywhere. The store never holds a
/// session itself: the conversation, its identity and its queued replies are filed under
/// `WebChatKey.conversationKey(session)`, so a copy of the database (a backup, a replica) cannot be used to
/// take over an employee's chat.
struct WebSession: Sendable {
    /// A request's session as the page sent it (echoed in answers) and the key the store files it under.
    struct Resolved: Sendable {
        let session: String
        let key: String
    }

    static let cookieName = "firstline_session"
    static let prefix = "ws_"
    /// Thirty days: the cookie outlives a holiday, not a laptop's owner.
    static let cookieMaxAge = 30 * 24 * 3600

    let store: any ChatSessionRepository
    let clock: any ServerClock

    /// A new session from the system's cryptographic random source, recorded (as its hash) before it is handed out.
    func issue() async throws -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let session = Self.prefix + bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        try await store.createChatSession(keyHash: Self.key(session), at: clock.now())
        return session
    }

    /// What the store keeps of a session: lowercase hex SHA-256 of its UTF-8 bytes.
    static func key(_ session: String) -> String {
        WebChatKey.hash(session)
    }

    /// The session of a request, given in the body or query (`explicit`) or else in the cookie, checked for
    /// shape and for having been issued.
    func resolve(explicit: String?, request: Request) async throws -> Resolved {
        guard let raw = explicit ?? request.cookies[Self.cookieName]?.value else {
            throw AppError.invalidRequest("missing 'session' (or the \(Self.cookieName) cookie): start one with POST /api/v1/chat/sessions")
        }
        let session = try ChatController.validSession(raw)
        guard try await store.chatSessionExists(keyHash: Self.key(session)) else { throw AppError.unknownSession }
        return Resolved(session: session, key: WebChatKey.conversationKey(session))
    }

    /// The cookie that carries `session` for the page: HttpOnly (no script reads it), SameSite=Strict (no
    /// other site's form or fetch sends it), Secure when the request came over HTTPS (a trusted proxy said so).
    static func cookie(_ session: String, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: session, maxAge: cookieMaxAge, path: "/", secure: secure, httpOnly: true,
               sameSite: .strict)
    }
}

