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

    public var status: HTTPResponse.Status {
        switch self {
        case .invalidJSON, .invalidRequest, .unknownButton: return .badRequest
        case .bodyTooLarge: return .contentTooLarge
        case .emptyText, .textTooLong: return .unprocessableContent
        case .unknownSession, .notFound: return .notFound
        case .notReady: return .serviceUnavailable
        case .internalFailure: return .internalServerError
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
        case .unknownSession: return "no conversation exists for this session; send a text message first"
        case let .notFound(what): return "\(what) not found"
        case let .notReady(what): return "not ready: \(what)"
        case .internalFailure: return "the server could not handle this request; it has been logged"
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(ErrorBody(error: .init(code: code, message: message)))
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The JSON shape of every error response.
struct ErrorBody: Codable, Equatable {
    struct Detail: Codable, Equatable {
        var code: String
        var message: String
    }

    var error: Detail
}
