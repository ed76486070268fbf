/// A ticket's lifecycle (design §5). `waiting` means waiting on the employee (SLA clocks may pause).
/// The raw values are what the database and the APIs carry.
public enum TicketStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case new, open, waiting, resolved, closed

    /// Statuses in which the ticket still needs someone; while one exists the bot stays quiet (design §4).
    public static let openStatuses: [TicketStatus] = [.new, .open, .waiting]

    public var isOpen: Bool { Self.openStatuses.contains(self) }

    /// Whether a ticket may move from `self` to `next`. A closed ticket is final so that reports never see
    /// it change after the survey; a resolved one may be reopened while the employee disagrees.
    public func canTransition(to next: TicketStatus) -> Bool {
        switch (self, next) {
        case (.new, .open), (.new, .waiting), (.new, .resolved), (.new, .closed): true
        case (.open, .waiting), (.open, .resolved), (.open, .closed): true
        case (.waiting, .open), (.waiting, .resolved), (.waiting, .closed): true
        case (.resolved, .open), (.resolved, .closed): true
        default: false
        }
    }
}
