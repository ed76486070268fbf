import FirstLineCore
import Foundation

/// One event to commit to the inbox: what `AppDatabase.record` stores for a webhook.
public struct InboxEntry: Sendable, Equatable {
    public var platform: Platform
    public var eventID: String
    public var conversationKey: String
    public var payload: String
    public var receivedAt: Date

    public init(platform: Platform, eventID: String, conversationKey: String, payload: String, receivedAt: Date) {
        self.platform = platform
        self.eventID = eventID
        self.conversationKey = conversationKey
        self.payload = payload
        self.receivedAt = receivedAt
    }
}

/// Group commit for the inbox: events recorded by concurrent webhook requests share write transactions.
///
/// SQLite has one writer, and each transaction costs a hop to GRDB's writer queue, the write lock, and the
/// commit's WAL frames plus, with `synchronous=FULL` (what `AppDatabase.open` sets, so that an acknowledged
/// event survives a power loss), an `fdatasync` of the log. One transaction per webhook makes every request queue behind all of that in
/// turn. Here, while one transaction is being written, the events that arrive meanwhile wait and then go
/// together in the next one. Nothing waits on a timer: a lone event is written at once, and batches grow only
/// as far as the load makes them.
///
/// `record` returns only after the transaction holding its event has committed, so a caller that acknowledges
/// on return never acknowledges an event that is not durable. If a transaction fails, every caller in it gets
/// the error (and answers 500, so the platform redelivers); none of its events is stored.
public actor InboxWriter {
    private struct Waiter {
        let entry: InboxEntry
        let continuation: CheckedContinuation<Bool, any Error>
    }

    /// Commits one batch in one transaction; `AppDatabase.record(_:)` outside tests.
    private let commit: @Sendable ([InboxEntry]) async throws -> [Bool]
    private let maximumBatch: Int
    private var waiting: [Waiter] = []
    private var writing = false
    /// When the last batch of at least `burstBatch` events committed: webhooks are arriving faster
    /// than one transaction each.
    private var lastBurst: ContinuousClock.Instant?
    static let burstBatch = 16
    /// How long after a large batch the writer still counts as under a burst.
    private let burstMemory: Duration
    /// When a batch last failed because the store refuses writes (`StoreError.unavailable`); cleared by the next
    /// batch that commits. A one-page write probe can still fit on a full disk while a batch no longer does.
    private var lastRefusal: ContinuousClock.Instant?

    /// - Parameter maximumBatch: the most events per transaction, so one transaction never holds the write
    ///   lock (and the inbox worker's turns) for long.
    public init(database: any InboxBatchStore, maximumBatch: Int = 256, burstMemory: Duration = .milliseconds(50)) {
        self.init(maximumBatch: maximumBatch, burstMemory: burstMemory) { entries in try await database.record(entries) }
    }

    /// Lets tests hold a transaction open, to see what queues behind it.
    init(maximumBatch: Int, burstMemory: Duration = .milliseconds(50),
         commit: @escaping @Sendable ([InboxEntry]) async throws -> [Bool]) {
        self.commit = commit
        self.maximumBatch = max(1, maximumBatch)
        self.burstMemory = burstMemory
    }

    /// Events waiting for the next transaction (not those of the one being written).
    var waitingCount: Int { waiting.count }

    /// Whether webhooks are arriving in a burst (a large batch committed within the last 50 ms):
    /// the inbox worker then leaves the CPU and the writer to the acknowledgements first, because a
    /// platform that does not get its 200 in time redelivers, and answering can wait a moment.
    public var isUnderBurst: Bool {
        guard let lastBurst else { return false }
        return ContinuousClock.now - lastBurst < burstMemory
    }

    /// Whether a batch was refused by the store (full disk, read-only file) within `window`, with none committed
    /// since: `/readyz` reports not ready meanwhile, even when its small write probe happens to fit.
    public func refusedRecently(within window: Duration) -> Bool {
        guard let lastRefusal else { return false }
        return ContinuousClock.now - lastRefusal < window
    }

    /// Commits `entry`; false when (platform, eventID) was already recorded (a redelivery), like
    /// `AppDatabase.record(platform:eventID:conversationKey:payload:receivedAt:)`.
    public func record(_ entry: InboxEntry) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiter(entry: entry, continuation: continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    /// Writes batches until nobody waits. Runs on the actor, but awaits the database outside it, so
    /// new events keep queueing while a transaction is on disk.
    private func drain() async {
        while !waiting.isEmpty {
            let batch: [Waiter]
            if waiting.count <= maximumBatch {
                batch = waiting
                waiting = []
            } else {
                batch = Array(waiting.prefix(maximumBatch))
                waiting.removeFirst(maximumBatch)
            }
            if batch.count >= Self.burstBatch { lastBurst = .now }
            do {
                let recorded = try await commit(batch.map(\.entry))
                lastRefusal = nil
                for (waiter, isNew) in zip(batch, recorded) { waiter.continuation.resume(returning: isNew) }
            } catch {
                if (error as? StoreError)?.isStorageUnavailable == true { lastRefusal = .now }
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }
}
