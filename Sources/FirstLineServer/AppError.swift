import FirstLineContent
import FirstLineCore
import Foundation
import Hummingbird

/// Every way a request can be refused, each with its HTTP status and a stable code that clients
/// can branch on. Rendered as `{"error": {"code", "message"}}`.
public enum AppError: Error, HTTPResponseError, Equatable {
    case invalidJSON(String)
    case invalidRequest(String)
    case bodyTooLarge(limit: Int)
    case emptyText
    case textTooLong(limit: Int)
    case unknownButton(String)
    case unknownSession
    case notFound(String)
    case notReady(String)
    case internalFailure
    /// An article that `firstline kb check` would reject: every issue with its field and line.
    case invalidArticle([ContentIssue])
    case conflict(String)
    case storage(String)
    /// A webhook whose signature (or timestamp) does not verify.
    case badSignature(String)
    case malformedWebhook(String)
    /// No usable credentials: the `Authorization: Bearer` header is missing or malformed, or its token is
    /// unknown or disabled. Unknown and disabled tokens get the same message, so a caller cannot probe which exist.
    case unauthorized(String)
    /// Authenticated, but the role does not allow this.
    case forbidden(String)
    /// A field has a value the API does not accept; the field is named so a form can point at it.
    case invalidField(field: String, reason: String)
    /// The ticket's lifecycle does not allow this status change.
    case invalidTransition(from: String, to: String)
    /// A resolved ticket may be reopened only within the configured number of days.
    case reopenWindowPassed(days: Int)
    /// Over a rate limit (`limits:` in firstline.yml): 429 with `Retry-After` in whole seconds.
    case rateLimited(retryAfter: Int)
    /// The store refuses writes for now (disk full, read-only file, I/O error; `StoreError.unavailable`): 503 with
    /// `Retry-After`, so a platform redelivers the webhook and a client tries again, instead of a 500 that
    /// reads as a bug. Nothing of the request was stored.
    case storageUnavailable(retryAfter: Int)

    public var status: HTTPResponse.Status {
        switch self {
        case .invalidJSON, .invalidRequest, .unknownButton: return .badRequest
        case .bodyTooLarge: return .contentTooLarge
        case .emptyText, .textTooLong: return .unprocessableContent
        case .unknownSession, .notFound: return .notFound
        case .notReady: return .serviceUnavailable
        case .internalFailure, .storage: return .internalServerError
        case .invalidArticle: return .unprocessableContent
        case .conflict: return .conflict
        case .badSignature: return .unauthorized
        case .malformedWebhook: return .badRequest
        case .unauthorized: return .unauthorized
        case .forbidden: return .forbidden
        case .invalidField: return .unprocessableContent
        case .invalidTransition, .reopenWindowPassed: return .conflict
        case .rateLimited: return .tooManyRequests
        case .storageUnavailable: return .serviceUnavailable
        }
    }

    public var code: String {
        switch self {
        case .invalidJSON: return "invalid_json"
        case .invalidRequest: return "invalid_request"
        case .bodyTooLarge: return "body_too_large"
        case .emptyText: return "empty_text"
        case .textTooLong: return "text_too_long"
        case .unknownButton: return "unknown_button"
        case .unknownSession: return "unknown_session"
        case .notFound: return "not_found"
        case .notReady: return "not_ready"
        case .internalFailure: return "internal_error"
        case .invalidArticle: return "invalid_article"
        case .conflict: return "conflict"
        case .storage: return "storage_error"
        case .badSignature: return "bad_signature"
        case .malformedWebhook: return "malformed_webhook"
        case .unauthorized: return "unauthorized"
        case .forbidden: return "forbidden"
        case .invalidField: return "invalid_field"
        case .invalidTransition: return "invalid_transition"
        case .reopenWindowPassed: return "reopen_window_passed"
        case .rateLimited: return "rate_limited"
        case .storageUnavailable: return "storage_unavailable"
        }
    }

    public var message: String {
        switch self {
        case let .invalidJSON(detail): return "the body is not valid JSON: \(detail)"
        case let .invalidRequest(detail): return detail
        case let .bodyTooLarge(limit): return "the body is larger than \(limit) bytes"
        case .emptyText: return "the message text is empty"
        case let .textTooLong(limit): return "the message text is longer than \(limit) characters"
        case let .unknownButton(action): return "unknown button action '\(action.prefix(64))'"
        case .unknownSession:
            return "unknown chat session: start one with POST /api/v1/chat/sessions, then send a text message first"
        case let .notFound(what): return "\(what) not found"
        case let .notReady(what): return "not ready: \(what)"
        case .internalFailure: return "the server could not handle this request; it has been logged"
        case let .invalidArticle(issues): return "the article has \(issues.count) problem(s): "
            + issues.map { "line \($0.line): \($0.message)" }.joined(separator: "; ")
        case let .conflict(detail): return detail
        case .storage: return "the article could not be saved; see the server log"
        case .badSignature: return "the request signature does not verify (or its timestamp is stale)"
        case let .malformedWebhook(detail): return "the webhook body cannot be read: \(detail.prefix(200))"
        case let .unauthorized(detail): return detail
        case let .forbidden(detail): return detail
        case let .invalidField(field, reason): return "'\(field)' \(reason)"
        case let .invalidTransition(from, to): return "a ticket cannot go from \(from) to \(to)"
        case let .reopenWindowPassed(days):
            return "the ticket was resolved more than \(days) days ago and can no longer be reopened; open a new ticket"
        case let .rateLimited(seconds):
            // The web chat shows this to the employee as it is.
            return "요청이 너무 많습니다. \(seconds)초 후에 다시 시도해 주세요. · リクエストが多すぎます。\(seconds)秒後にもう一度お試しください。"
                + " · Too many requests; please try again in \(seconds) s."
        case let .storageUnavailable(seconds):
            // Shown by the web chat as it is: the message was not kept, so the employee should send it again.
            return "일시적으로 메시지를 저장할 수 없습니다. \(seconds)초 후에 다시 보내 주세요. · 一時的にメッセージを保存できません。\(seconds)秒後にもう一度送ってください。"
                + " · The message could not be stored right now; please send it again in \(seconds) s."
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var detail = ErrorBody.Detail(code: code, message: message)
        if case let .invalidArticle(issues) = self {
            detail.issues = issues.map { ErrorBody.Issue(line: $0.line, field: $0.field, message: $0.message) }
        }
        let data = try JSONEncoder().encode(ErrorBody(error: detail))
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        // RFC 6750 §3: a 401 names the scheme the client should use.
        if case .unauthorized = self { headers[.wwwAuthenticate] = "Bearer" }
        if case let .rateLimited(seconds) = self { headers[.retryAfter] = String(seconds) }
        if case let .storageUnavailable(seconds) = self { headers[.retryAfter] = String(seconds) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The JSON shape of every error response.
struct ErrorBody: Codable, Equatable {
    struct Issue: Codable, Equatable {
        var line: Int
        var field: String?
        var message: String
    }

    struct Detail: Codable, Equatable {
        var code: String
        var message: String
        var issues: [Issue]?
    }

    var error: Detail
}
