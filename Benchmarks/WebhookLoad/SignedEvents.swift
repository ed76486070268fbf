import Crypto
import FirstLineHarness
import Foundation
import NIOCore
import NIOHTTP1

/// One request ready to write: everything that costs CPU (JSON, HMAC, header strings) is done
/// before the clock starts, so the load process spends its core on the socket, not on signing.
struct PreparedRequest: Sendable {
    let head: HTTPRequestHead
    let body: ByteBuffer?
}

/// Slack Events API deliveries as Slack sends them (messengers.md §1): an `event_callback`
/// envelope around a direct `message`, signed with the v0 scheme over `v0:{timestamp}:{body}`.
enum SignedEvents {
    /// `count` distinct events. `runID` makes every `event_id` unique across phases and runs
    /// against the same database, so none is dropped as a redelivery. Users and channels cycle
    /// over `conversations` direct chats, the shape of a busy help desk rather than one chat.
    static func make(count: Int, runID: String, secret: String, host: String, path: String,
                     conversations: Int = 500) -> [PreparedRequest] {
        let key = SymmetricKey(data: Array(secret.utf8))
        // The timestamp Slack would send; the server rejects it after 300 s, far longer than a run.
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let questions = ["my vpn does not connect", "how do I reset my password", "printer on floor 3 is jammed",
                         "outlook keeps asking for my password", "I need access to the finance share"]
        var requests: [PreparedRequest] = []
        requests.reserveCapacity(count)
        for index in 0..<count {
            let person = index % max(1, conversations)
            let body = #"{"token":"bench","team_id":"T0BENCH","api_app_id":"A0BENCH","type":"event_callback","#
                + #""event_id":"Ev\#(runID)\#(index)","event_time":\#(timestamp),"event":{"type":"message","#
                + #""channel":"D\#(person)","channel_type":"im","user":"U\#(person)","#
                + #""text":"\#(questions[index % questions.count])","ts":"\#(timestamp).\#(index)"}}"#
            let bytes = Array(body.utf8)
            let mac = HMAC<SHA256>.authenticationCode(for: Array("v0:\(timestamp):".utf8) + bytes, using: key)
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: host)
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(bytes.count))
            headers.add(name: "X-Slack-Request-Timestamp", value: timestamp)
            headers.add(name: "X-Slack-Signature", value: "v0=" + hex(mac))
            requests.append(PreparedRequest(head: HTTPRequestHead(version: .http1_1, method: .POST, uri: path, headers: headers),
                                            body: ByteBuffer(bytes: bytes)))
        }
        return requests
    }

    /// `count` distinct signed direct messages, taking `platforms` in turn (FirstLineHarness's signing: Telegram's
    /// secret header, LINE's and LINE WORKS's base64 HMAC), over 500 conversations per platform.
    static func make(count: Int, runID: String, platforms: [HarnessPlatform], slackSecret: String, host: String) -> [PreparedRequest] {
        var secrets = HarnessSecrets()
        secrets.slackSigningSecret = slackSecret
        let factory = WebhookFactory(secrets: secrets)
        let now = Date()
        return (0..<count).map { index in
            let platform = platforms[index % platforms.count]
            let webhook = factory.message(platform, conversation: (index / platforms.count) % 500, serial: index,
                                          text: WebhookFactory.questions[index % WebhookFactory.questions.count],
                                          runID: runID, now: now)
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: host)
            for header in webhook.headers { headers.add(name: header.name, value: header.value) }
            headers.add(name: "Content-Length", value: String(webhook.body.count))
            return PreparedRequest(head: HTTPRequestHead(version: .http1_1, method: .POST, uri: webhook.path, headers: headers),
                                   body: ByteBuffer(bytes: webhook.body))
        }
    }

    /// A body-less GET, the same value every time: the ceiling needs no per-request work.
    static func get(path: String, host: String) -> PreparedRequest {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        return PreparedRequest(head: HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers), body: nil)
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
