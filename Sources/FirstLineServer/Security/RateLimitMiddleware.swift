import FirstLineCore
import Foundation
import HTTPTypes
import Hummingbird

/// The per-address limits (issue 15, point 4), before any handler runs: webhooks (`webhook_per_ip`),
/// the chat API (`chat_per_ip`, and `sessions_per_ip` for new sessions), and failed logins on the rest
/// of `/api/v1` (`login_failures_per_ip`: each 401 for a presented token spends one, and an address with none left gets
/// 429 before its token is even looked at). The client address is resolved once here (`ClientAddress`,
/// trusting only the configured proxies) and left in the context for the handlers.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let limiter: RateLimiter
    let trustedProxies: [String]
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let client = ClientAddress.resolve(peer: ClientAddress.peerAddress(context.remoteAddress), headers: request.headers,
                                           trustedProxies: trustedProxies)
        context.client = client
        let path = request.uri.path
        if path.hasPrefix("/webhooks/") {
            try await admit([(.webhookIP, client.address)])
            return try await next(request, context)
        }
        if path.hasPrefix("/api/v1/chat/") {
            var scopes: [(RateLimiter.Scope, String)] = [(.chatIP, client.address)]
            if request.method == .post, path == "/api/v1/chat/sessions" { scopes.append((.sessionsIP, client.address)) }
            try await admit(scopes)
            return try await next(request, context)
        }
        guard path.hasPrefix("/api/v1/"), path != "/api/v1/openapi.json" else { return try await next(request, context) }
        if let wait = await limiter.waitTime(.loginIP, client.address) {
            metrics.rateLimited(RateLimiter.Scope.loginIP.rawValue)
            throw AppError.rateLimited(retryAfter: wait)
        }
        do {
            return try await next(request, context)
        } catch let error as AppError {
            // Only a presented credential is a guess; a request without one is not a login attempt.
            if case .unauthorized = error, request.headers[.authorization] != nil { await limiter.spend(.loginIP, client.address) }
            throw error
        }
    }

    private func admit(_ scopes: [(RateLimiter.Scope, String)]) async throws {
        if let refused = await limiter.admit(scopes) {
            metrics.rateLimited(refused.scope.rawValue)
            throw AppError.rateLimited(retryAfter: refused.retryAfter)
        }
    }
}

/// Headers on every response (issue 15): no MIME sniffing, no referrer to other sites, no framing; and
/// on HTML pages a Content-Security-Policy that allows only this server's own script, style and API —
/// no inline script or style, so injected markup cannot run.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; "
            + "base-uri 'none'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.xFrameOptions] = "DENY"
        if response.headers[.contentType]?.hasPrefix("text/html") == true, response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        }
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
}
