import FirstLineCore
import FirstLineStore
import Foundation

/// Commits an inbound message to the inbox and nothing else: what a webhook does before its 200.
/// The webhook routes depend on this alone, not on the dialogue, so acknowledging never waits
/// for a turn.
public struct InboxRecorder: Sendable {
    let writer: InboxWriter
    let clock: any ServerClock

    /// The inbox payload's encoding: sorted keys, so a payload is the same bytes every time.
    private static let payloadEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public init(writer: InboxWriter, clock: any ServerClock) {
        self.writer = writer
        self.clock = clock
    }

    /// False for a duplicate (the platform redelivered). Returns once the transaction holding the
    /// event has committed, never earlier: an acknowledged event is durable.
    public func record(_ message: InboundMessage) async throws -> Bool {
        let payload = String(decoding: try Self.payloadEncoder.encode(message), as: UTF8.self)
        return try await writer.record(InboxEntry(platform: message.platform, eventID: message.eventID,
                                                  conversationKey: message.conversationKey, payload: payload,
                                                  receivedAt: clock.now()))
    }

    /// Whether the store refused an inbox commit in the last 10 s with none committed since (see `InboxWriter`).
    var refusedRecently: Bool {
        get async { await writer.refusedRecently(within: .seconds(10)) }
    }

    /// Whether webhooks are arriving in a burst (the inbox worker then steps aside before each answer).
    var isUnderBurst: Bool {
        get async { await writer.isUnderBurst }
    }
}
