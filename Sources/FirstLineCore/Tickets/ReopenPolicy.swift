import Foundation

/// How long after its resolution a ticket may still be reopened, by the employee (the Reopen
/// button) or by an agent (the API). One rule for both, decided here rather than by the store,
/// which would only reject the change and with it the whole turn.
public struct ReopenPolicy: Sendable, Equatable {
    public var window: TimeInterval

    public init(window: TimeInterval = 7 * 24 * 3600) {
        self.window = max(0, window)
    }

    public init(days: Int) {
        self.init(window: TimeInterval(max(0, days)) * 86_400)
    }

    /// The window in whole days, for messages.
    public var days: Int { Int((window / 86_400).rounded()) }

    /// Whether a ticket in `status`, resolved at `resolvedAt`, may be (re)opened at `now`: an open one
    /// trivially, a resolved one within the window, a closed one never (closed is final).
    public func allows(status: TicketStatus, resolvedAt: Date?, now: Date) -> Bool {
        switch status {
        case .new, .open, .waiting: true
        case .resolved: resolvedAt.map { now.timeIntervalSince($0) <= window } ?? true
        case .closed: false
        }
    }
}
