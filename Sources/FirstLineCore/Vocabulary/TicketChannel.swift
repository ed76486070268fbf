/// Where a request came in. Wider than `Platform` because agents also log phone calls, walk-ins
/// and e-mails. The raw values are what the database and the APIs carry.
public enum TicketChannel: String, Sendable, Codable, CaseIterable, Hashable {
    case slack, telegram, line, lineworks, web, terminal, phone, visit, email

    /// The ticket channel of a conversation held on `platform`.
    public init(_ platform: Platform) {
        switch platform {
        case .slack: self = .slack
        case .telegram: self = .telegram
        case .line: self = .line
        case .lineworks: self = .lineworks
        case .web: self = .web
        case .terminal: self = .terminal
        }
    }
}
