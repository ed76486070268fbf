import Crypto
import FirstLineCore
import FirstLineStore
import Foundation
import Hummingbird
import Logging

/// Turns `Authorization: Bearer TOKEN` into a `Principal`, or refuses with 401/403 (design §6).
///
/// Two kinds of token work: an account's token (looked up by its SHA-256), and the bootstrap admin token
/// from `FIRSTLINE_ADMIN_TOKEN`, which exists so that the first accounts can be created through the API.
/// The bootstrap token is compared as SHA-256 digests with swift-crypto's constant-time `==`, so the time a
/// refusal takes says nothing about how much of a guess was right. The account lookup is by hash, so its
/// timing can at most reveal a prefix of a hash, which does not help to find a token.
public struct Authenticator: Sendable {
    /// The name the bootstrap admin acts under in ticket history; no account may take it.
    public static let bootstrapAdminName = "bootstrap-admin"

    let accounts: any AccountRepository
    /// Only the digests are kept: the configured tokens themselves are not held in memory longer than `init`.
    /// Two during a rotation (`FIRSTLINE_ADMIN_TOKEN` and `FIRSTLINE_ADMIN_TOKEN_PREVIOUS`), else one or none.
    let bootstrapDigests: [SHA256.Digest]
    let logger: Logger?

    /// An empty `bootstrapToken` means no bootstrap admin; `previousBootstrapToken` is also accepted while
    /// scripts move to the new one (it works only alongside a current one).
    public init(accounts: any AccountRepository, bootstrapToken: String?, previousBootstrapToken: String? = nil,
                logger: Logger? = nil) {
        self.accounts = accounts
        self.logger = logger
        let current = bootstrapToken.flatMap { $0.isEmpty ? nil : $0 }
        let previous = current == nil ? nil : previousBootstrapToken.flatMap { $0.isEmpty ? nil : $0 }
        bootstrapDigests = [current, previous].compactMap(\.self).map(AccessToken.digest)
    }

    /// The principal of `request`, or 401.
    public func principal(for request: Request) async throws(AppError) -> Principal {
        try await principal(token: Self.bearerToken(request.headers[.authorization]))
    }

    /// The principal of `request` if its role has `permission`; 401 without valid credentials, 403 without
    /// the permission. Authentication comes first so that an anonymous caller learns nothing about roles.
    public func authorize(_ request: Request, _ permission: Permission) async throws(AppError) -> Principal {
        let principal = try await principal(for: request)
        guard principal.can(permission) else {
            throw AppError.forbidden("the \(principal.role.rawValue) role may not do this")
        }
        return principal
    }

    /// The principal a raw token stands for, or 401 for an unknown or disabled one.
    public func principal(token: String) async throws(AppError) -> Principal {
        // Digest `==` is swift-crypto's constant-time comparison; every digest is compared, no early exit.
        let presented = AccessToken.digest(token)
        if bootstrapDigests.map({ $0 == presented }).contains(true) {
            return Principal(name: Self.bootstrapAdminName, role: .admin)
        }
        let account: Account?
        do {
            account = try await accounts.account(tokenHash: AccessToken.hash(token))
        } catch {
            // A store failure is not the caller's fault: 500, logged (the token and its hash are not).
            logger?.error("account lookup failed", metadata: ["error": "\(error)"])
            throw AppError.internalFailure
        }
        guard let account, !account.isDisabled else { throw Self.invalidToken }
        return Principal(name: account.name, role: account.role, employeeID: account.employeeID)
    }

    /// The token of an `Authorization` header value: the `Bearer` scheme (any case, RFC 7235 §2.1), one or more
    /// spaces, then a token of visible ASCII characters.
    static func bearerToken(_ header: String?) throws(AppError) -> String {
        guard let header, !header.isEmpty else {
            throw AppError.unauthorized("missing 'Authorization: Bearer <token>' header")
        }
        guard header.count <= AccessToken.maximumLength else { throw malformed }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw malformed }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw malformed
        }
        return token
    }

    static let malformed = AppError.unauthorized("the Authorization header must be 'Bearer <token>'")
    static let invalidToken = AppError.unauthorized("the token is not valid")
}
