import FirstLineCore
import Foundation

/// Why a webhook request was rejected before its body was trusted. Every case maps to HTTP 401.
/// Cases carry header names and numbers only, never secrets or body content.
public enum VerificationError: Error, Sendable, Equatable {
    /// A required header (lower-cased name) is absent.
    case missingHeader(String)
    /// The signature header is not in the platform's format (`v0=<hex>`, base64).
    case malformedSignature
    /// Slack's timestamp header is not a number.
    case malformedTimestamp
    /// The signature is authentic but the request is older (or newer) than the replay window:
    /// a replay, or a clock that is off. `skewSeconds` is now − timestamp.
    case staleTimestamp(skewSeconds: Int)
    /// The signature or secret token does not match.
    case signatureMismatch
}

/// Why a verified webhook body could not be read. Maps to HTTP 400. Never carries body content.
public enum ParseError: Error, Sendable, Equatable {
    /// The body is not JSON (or, for Slack interactivity, its `payload` is not).
    case notJSON
    /// A form body (Slack interactivity) without a readable `payload` field.
    case malformedForm
    /// A field the platform always sends is missing (dotted path).
    case missingField(String)
    /// A field has the wrong type (dotted path).
    case unexpectedValue(field: String)
}

/// Why a reply could not be turned into platform requests. These are programming or content
/// errors, not transient ones: retrying the same reply fails the same way.
public enum RenderError: Error, Sendable, Equatable {
    /// The conversation key belongs to another platform than the adapter.
    case wrongPlatform(expected: Platform, got: Platform)
    /// The reply has no text; every platform rejects empty messages.
    case emptyText
    /// A button's action string is longer than the platform carries (Telegram `callback_data` is
    /// 1–64 bytes, LINE postback `data` 300 characters, Slack `value` 2000 characters).
    case actionTooLong(action: String, length: Int, limit: Int)
    /// More buttons than the platform shows on one message.
    case tooManyButtons(count: Int, limit: Int)
}

/// Why the messenger configuration from the environment is unusable. Names variables, never values.
public enum ConfigurationError: Error, Sendable, Equatable {
    /// Some but not all of a platform's required variables are set.
    case incomplete(platform: Platform, missing: [String])
    /// A base URL variable is not an absolute http(s) URL.
    case invalidURL(variable: String)
    /// A variable's value is not in the accepted format.
    case invalidValue(variable: String)
    /// The LINE WORKS private key file cannot be read.
    case privateKeyUnreadable(path: String)
    /// The LINE WORKS private key file is not an RSA private key PEM (≥ 2048 bits).
    case invalidPrivateKey(path: String)
}
