import Crypto
import FirstLineCore
import FirstLineMessengers
import Foundation
import Logging
import Synchronization
import Testing

/// 2023-11-14T22:13:20Z, the timestamp of the messengers.md §8 vectors.
let vectorEpoch = Date(timeIntervalSince1970: 1_700_000_000)

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func sha256Hex(_ data: [UInt8]) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}

/// The §8 Python functions, ported: tests sign fixtures with these.
func slackSignature(secret: String, timestamp: String, body: [UInt8]) -> String {
    let mac = HMAC<SHA256>.authenticationCode(for: bytes("v0:\(timestamp):") + body, using: SymmetricKey(data: bytes(secret)))
    return "v0=" + mac.map { String(format: "%02x", $0) }.joined()
}

func base64Signature(secret: String, body: [UInt8]) -> String {
    Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: bytes(secret)))).base64EncodedString()
}

func jsonObject(_ data: [UInt8]) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any])
}

/// The events of a parsed webhook; records an issue for a handshake.
func events(_ parsed: ParsedWebhook, sourceLocation: SourceLocation = #_sourceLocation) -> [InboundEvent] {
    guard case let .events(events) = parsed else {
        Issue.record("expected events, got \(parsed)", sourceLocation: sourceLocation)
        return []
    }
    return events
}

func singleEvent(_ parsed: ParsedWebhook, sourceLocation: SourceLocation = #_sourceLocation) throws -> InboundEvent {
    let all = events(parsed, sourceLocation: sourceLocation)
    try #require(all.count == 1, "expected one event, got \(all.count)", sourceLocation: sourceLocation)
    return all[0]
}

/// A settable clock for token expiry.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = vectorEpoch) { current = Mutex(start) }

    func now() -> Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

let quietLogger = Logger(label: "FirstLineMessengersTests", factory: { _ in SwiftLogNoOpLogHandler() })

/// Percent-encodes a Slack interactivity payload into its form body, as Slack sends it.
func slackFormBody(payload: String) -> [UInt8] {
    let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return bytes("payload=" + (payload.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""))
}

/// Decodes Slack's mrkdwn escaping back to the text.
func slackUnescape(_ text: String) -> String {
    text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&amp;", with: "&")
}
