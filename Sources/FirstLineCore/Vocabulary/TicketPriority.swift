/// Ticket priority from impact × urgency (design §5); P1 the most urgent. SLA targets are set per
/// priority. The raw values are what the database and the APIs carry.
public enum TicketPriority: String, Codable, Sendable, CaseIterable, Comparable, Hashable {
    case p1 = "P1", p2 = "P2", p3 = "P3", p4 = "P4"

    /// High impact (a team, not one person) and high urgency (work is blocked) each raise it.
    public init(teamWide: Bool, blocksWork: Bool) {
        switch (teamWide, blocksWork) {
        case (true, true): self = .p1
        case (true, false), (false, true): self = .p2
        case (false, false): self = .p3
        }
    }

    /// 1 for P1 … 4 for P4, for sorting queues by urgency.
    public var rank: Int {
        switch self {
        case .p1: 1
        case .p2: 2
        case .p3: 3
        case .p4: 4
        }
    }

    /// P1 < P2: the more urgent sorts first.
    public static func < (lhs: TicketPriority, rhs: TicketPriority) -> Bool { lhs.rank < rhs.rank }
}
