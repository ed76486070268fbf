import FirstLineCore
import FirstLineStore
import Foundation
import Logging

/// What the server's conversation side needs from the store: a turn's reads and commit, the inbox,
/// tickets, transcripts and notices. `AppDatabase` is one; a PostgreSQL store would be another.
public typealias ConversationStore = TurnStore & InboxRepository & TicketRepository & TicketQueueRepository & IncidentStore
    & ConversationRepository & DirectoryRepository & NoticeStore & InboxClaims

/// What every inbound handler works with, built once by `ConversationService`.
struct InboundContext: Sendable {
    let store: any ConversationStore
    let library: ContentLibrary
    let settings: DialogueSettings
    let clock: any ServerClock
    let logger: Logger
    let composer = OutboxComposer()
    let states = ConversationStateCodec()
    /// Routing, SLA and approvals; nil in setups without a desk (some tests, `firstline chat`).
    let desk: TicketDesk?
    let metrics: ServerMetrics
    /// Confirm / Dismiss from the agents' channel; nil in setups without it.
    var incidents: IncidentWatch? = nil
}

/// How handling one inbox entry ended.
enum InboundOutcome: Sendable {
    case answered(TurnResult)
    /// Another caller answered the entry while this one waited for its turn; nothing was written.
    case answeredMeanwhile
}
