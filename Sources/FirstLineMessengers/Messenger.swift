import FirstLineCore

/// The messaging platforms FirstLine can live in, as adapters name them.
///
/// The raw values match the store's `MessagingPlatform` raw values, so the server can convert
/// between the two with `init(rawValue:)`.
public enum MessengerPlatform: String, Sendable, CaseIterable, Codable {
    case slack, telegram, line, lineworks
}
