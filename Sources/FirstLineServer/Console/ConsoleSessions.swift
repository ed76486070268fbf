import Crypto
import FirstLineCore
import FirstLineStore
import Foundation
import Hummingbird

/// Console sign-ins (issue: console, point 1): a user token is exchanged once for a session
/// cookie (HttpOnly, SameSite=Strict, Secure behind TLS, 12 hours); only its SHA-256 is stored,
/// with a CSRF token that every form must carry. Each request checks that the session is live
/// and its account still enabled, so disabling a user ends their sessions at once.
struct ConsoleSessions: Sendable {
    static let cookieName = "fl_console"
    static let lifetime: TimeInterval = 12 * 3600

    let store: any ConsoleSessionStore & AccountRepository
    let authenticator: Authenticator
    let clock: any ServerClock

    struct Signed: Sendable {
        var principal: Principal
        var csrf: String
        var tokenHash: String
    }

    /// A new session for `token`'s account; the cookie value to set. 401 for a bad token.
    func signIn(token: String) async throws -> (cookie: String, principal: Principal) {
        let principal = try await authenticator.principal(token: token)
        let cookie = Self.randomToken()
        let now = clock.now()
        try await store.createConsoleSession(ConsoleSession(
            tokenHash: Self.hash(cookie), accountName: principal.name, role: principal.role, employeeID: principal.employeeID,
            csrf: Self.randomToken(), createdAt: now, expiresAt: now.addingTimeInterval(Self.lifetime)))
        return (cookie, principal)
    }

    /// The signed-in principal of a request, or nil (then the page sends them to the sign-in).
    func current(_ request: Request) async throws -> Signed? {
        guard let cookie = Self.cookie(Self.cookieName, in: request), cookie.count <= 128 else { return nil }
        let hash = Self.hash(cookie)
        guard let session = try await store.consoleSession(tokenHash: hash), session.isLive(at: clock.now()) else { return nil }
        if session.accountName != Authenticator.bootstrapAdminName {
            guard let account = try await store.account(name: session.accountName), !account.isDisabled,
                  account.role == session.role else { return nil }
        }
        return Signed(principal: Principal(name: session.accountName, role: session.role, employeeID: session.employeeID),
                      csrf: session.csrf, tokenHash: hash)
    }

    func signOut(_ signed: Signed) async throws {
        try await store.revokeConsoleSession(tokenHash: signed.tokenHash, at: clock.now())
    }

    /// The CSRF token of a form, compared in constant time.
    static func validCSRF(_ sent: String?, _ expected: String) -> Bool {
        guard let sent else { return false }
        return Data(SHA256.hash(data: Data(sent.utf8))) == Data(SHA256.hash(data: Data(expected.utf8)))
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ value: String) -> String {
        SHA256.hash(data: Data(value.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == name { return parts[1] }
            }
        }
        return nil
    }

    /// `Secure` only when the request came through TLS (a trusted proxy says so), so a plain
    /// local trial still signs in.
    static func setCookie(_ name: String, _ value: String, maxAge: Int, secure: Bool, path: String = "/console") -> String {
        "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}
