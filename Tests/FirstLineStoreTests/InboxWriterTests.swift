import FirstLineCore
import Foundation
import GRDB
import Testing

@testable import FirstLineStore

@Suite("Inbox group commit")
struct InboxWriterTests {
    private static func entry(_ eventID: String) -> InboxEntry {
        InboxEntry(platform: .slack, eventID: eventID, conversationKey: "D1", payload: "{}", receivedAt: Fixed.now)
    }

    @Test("concurrent records of distinct events are all stored, and repeats are dropped", arguments: StorageKind.tested)
    func concurrentRecords(kind: StorageKind) async throws {
        // Given an empty inbox and a writer with small batches, so several transactions run
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let writer = InboxWriter(database: store.database, maximumBatch: 16)

        // When 150 events are recorded at once, each of them twice (a platform retry racing the first delivery)
        let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for index in 0..<150 {
                for _ in 0..<2 {
                    group.addTask { ("Ev\(index)", try await writer.record(Self.entry("Ev\(index)"))) }
                }
            }
            var outcomes: [String: [Bool]] = [:]
            for try await (eventID, isNew) in group { outcomes[eventID, default: []].append(isNew) }
            return outcomes
        }

        // Then each event was new exactly once and is stored exactly once
        #expect(outcomes.count == 150)
        #expect(outcomes.values.allSatisfy { $0.count == 2 && $0.filter { $0 }.count == 1 })
        #expect(try await store.count("inbox") == 150)
    }

    @Test("a lone event is no burst; a large batch of concurrent webhooks is", arguments: StorageKind.tested)
    func burstDetection(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        // A long memory, so a slow CI machine cannot make "just now" stale before the check.
        let writer = InboxWriter(database: store.database, burstMemory: .seconds(60))
        _ = try await writer.record(Self.entry("Lone"))
        #expect(await writer.isUnderBurst == false)

        // Many events at once: while the first transaction is written the rest queue into one large batch.
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<200 { group.addTask { try await writer.record(Self.entry("Burst\(index)")) } }
            for try await _ in group {}
        }
        #expect(try await store.count("inbox") == 201)
        #expect(await writer.isUnderBurst, "a batch of at least \(InboxWriter.burstBatch) was committed just now")
    }

    @Test("one batch records an event repeated inside it once", arguments: StorageKind.tested)
    func repeatInsideBatch(kind: StorageKind) async throws {
        // Given an inbox holding Ev1
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        _ = try await store.database.record(platform: .slack, eventID: "Ev1", conversationKey: "D1", payload: "{}",
                                            receivedAt: Fixed.now)

        // When a batch brings Ev1 again, Ev2 twice and Ev3
        let recorded = try await store.database.record([Self.entry("Ev1"), Self.entry("Ev2"), Self.entry("Ev2"), Self.entry("Ev3")])

        // Then only the first Ev2 and Ev3 are new
        #expect(recorded == [false, true, false, true])
        #expect(try await store.count("inbox") == 3)
    }

    @Test("a failed transaction fails every event in it and stores none of them")
    func failedBatchFailsEveryWaiter() async throws {
        // Given an inbox that refuses one event id (a trigger stands in for a full disk or an I/O error),
        // and a writer whose first transaction is held open until the test lets it go
        let store = try await TestStore(.file)
        defer { store.cleanUp() }
        try await #require(store.sqlite).dbWriter.write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_poison BEFORE INSERT ON inbox WHEN NEW.eventID = 'poison'
                BEGIN SELECT RAISE(ABORT, 'refused'); END
                """)
        }
        let gate = Gate()
        let database = store.database
        let writer = InboxWriter(maximumBatch: 100) { entries in
            await gate.pass()
            return try await database.record(entries)
        }

        // When one event is being written and ten more, one of them refused, queue behind it
        async let first = writer.record(Self.entry("first"))
        let ids = (0..<9).map { "Ev\($0)" } + ["poison"]
        let queued = Task {
            await withTaskGroup(of: (String, Bool?).self) { group in
                for id in ids { group.addTask { (id, try? await writer.record(Self.entry(id))) } }
                var outcomes: [String: Bool?] = [:]
                for await (id, outcome) in group { outcomes[id] = outcome }
                return outcomes
            }
        }
        while true {
            let held = await gate.waiting > 0
            let queuedCount = await writer.waitingCount
            if held, queuedCount == ids.count { break }
            try await Task.sleep(for: .milliseconds(1))
        }
        await gate.open()
        let outcomes = await queued.value

        // Then the first transaction commits; the second fails as a whole: every caller in it gets an error
        // (so no webhook acknowledges), and none of its rows is stored
        #expect(try await first == true)
        #expect(outcomes.count == ids.count)
        #expect(outcomes.values.allSatisfy { $0 == nil })
        let stored = try await #require(store.sqlite).dbWriter.read { db in try String.fetchAll(db, sql: "SELECT eventID FROM inbox") }
        #expect(stored == ["first"])
    }
}

/// Holds callers until opened.
private actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    var waiting: Int { waiters.count }

    func pass() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}
