import FirstLineCore
import FirstLineMessengers
import Foundation

/// What an outbox row carries: the bot's reply, and for LINE the reply token of the message it
/// answers (usable once, for about a minute; the worker decides at send time whether to use it).
struct OutboundEnvelope: Codable, Sendable, Equatable {
    var reply: Reply
    var replyToken: ReplyToken?

    func encoded(_ encoder: JSONEncoder) throws -> String {
        String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a row's payload: an envelope, or a bare `Reply` as written by older rows.
    static func decode(_ payload: String) -> OutboundEnvelope? {
        let data = Data(payload.utf8)
        let decoder = JSONDecoder()
        if let envelope = try? decoder.decode(OutboundEnvelope.self, from: data) { return envelope }
        if let reply = try? decoder.decode(Reply.self, from: data) { return OutboundEnvelope(reply: reply, replyToken: nil) }
        return nil
    }
}
