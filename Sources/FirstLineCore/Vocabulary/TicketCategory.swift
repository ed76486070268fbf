/// What a ticket is about: an article category, or `general` when nothing more precise is known.
/// The raw values are what the database and the APIs carry.
public enum TicketCategory: String, Sendable, Codable, CaseIterable, Hashable {
    case account, network, hardware, software, email, security, access, facilities, general

    /// The ticket category of an article category; `general` when there is none.
    public init(_ category: ArticleCategory?) {
        self = category.flatMap { TicketCategory(rawValue: $0.rawValue) } ?? .general
    }

    /// The article category with the same name; nil for `general`.
    public var articleCategory: ArticleCategory? { ArticleCategory(rawValue: rawValue) }
}
