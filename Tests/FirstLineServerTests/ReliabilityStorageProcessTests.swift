import FirstLineHarness
import FirstLineTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A small ext4 file system of its own, loop-mounted (root with CAP_SYS_ADMIN and a loop device, as in CI's
/// container). ext4 because it enforces the immutable flag on descriptors already open (tmpfs does not), and
/// `-m 0` so that root (the server here) has no reserved blocks to write into once it is full.
struct LoopDisk {
    let image: URL
    let mountPoint: URL

    static func make(in folder: URL, megabytes: Int) throws -> LoopDisk {
        let disk = LoopDisk(image: folder.appendingPathComponent("disk.img"), mountPoint: folder.appendingPathComponent("disk"))
        try FileManager.default.createDirectory(at: disk.mountPoint, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: disk.image.path, contents: nil) else { throw ReplicaTestFailure("no image") }
        let handle = try FileHandle(forWritingTo: disk.image)
        try handle.truncate(atOffset: UInt64(megabytes) << 20)
        try handle.close()
        guard try Harness.run("/sbin/mkfs.ext4", ["-q", "-F", "-m", "0", disk.image.path]) == 0,
              try Harness.run("/bin/mount", ["-o", "loop", disk.image.path, disk.mountPoint.path]) == 0
        else { throw ReplicaTestFailure("cannot loop-mount an ext4 image") }
        return disk
    }

    func unmount() { _ = try? Harness.run("/bin/umount", [mountPoint.path]) }
}

/// Whether a loop-mounted ext4 image can be made here: tried once.
private let canMount: Bool = {
    guard getuid() == 0 else { return false }
    let probe = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-mount-probe-\(UUID().uuidString)")
    guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil else { return false }
    defer { try? FileManager.default.removeItem(at: probe) }
    guard let disk = try? LoopDisk.make(in: probe, megabytes: 4) else { return false }
    disk.unmount()
    return true
}()

/// Issue 15, point 7 e, as a process scenario: `firstline serve` on a SQLite file in a small ext4 file system of
/// its own (a loop-mounted image).
/// First the database and its WAL are made immutable (`chattr +i`: an open descriptor's writes then fail with
/// EPERM, which `chmod` would not do), then the file system is filled (`ENOSPC` once the WAL must grow). Each
/// time webhooks must answer 503 with Retry-After, `/readyz` 503, and once the disk is back (`chattr -i`, the
/// filler removed) the server must recover by itself: `/readyz` 200, the refused deliveries (redelivered, as
/// platforms do) acknowledged, and every acknowledged event answered and replied to exactly once.
@Suite("Reliability harness: storage trouble under a running firstline serve", .serialized)
struct ReliabilityStorageProcessTests {
    @Test("read-only file, then full disk: 503 and /readyz 503, nothing acknowledged lost, recovery by itself",
          .enabled(if: canMount, "storage scenario skipped: loop-mounting an ext4 image needs root (CI runs as root)"),
          .timeLimit(.minutes(10)))
    func readOnlyThenFull() async throws {
        let burst = Harness.knob("FIRSTLINE_HARNESS_STORAGE_EVENTS", 40)
        let folder = try Harness.folder("storage")
        let disk = try LoopDisk.make(in: folder, megabytes: 32)
        let mountPoint = disk.mountPoint
        let dbPath = mountPoint.appendingPathComponent("firstline.sqlite").path
        let filler = mountPoint.appendingPathComponent("filler").path
        let fake = FakePlatformAPI()
        let base = try await fake.start().absoluteString
        let server = try HarnessServer(database: dbPath, folder: folder,
                                       environment: Harness.serverEnvironment(fakeURL: base, folder: folder))
        defer {
            server.kill()
            _ = try? Harness.run("/usr/bin/chattr", ["-i", dbPath, dbPath + "-wal", dbPath + "-shm"])
            disk.unmount()
            try? FileManager.default.removeItem(at: folder)
        }
        try await server.start()
        let database = HarnessDatabase(path: dbPath)
        let factory = WebhookFactory()
        let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        var serial = 0
        func next(_ platform: HarnessPlatform) -> SignedWebhook {
            serial += 1
            return factory.message(platform, conversation: serial, serial: serial,
                                   text: WebhookFactory.questions[serial % WebhookFactory.questions.count], runID: runID)
        }
        var acknowledged: [SignedWebhook] = []
        var rows: [[String]] = []

        // Given a burst of acknowledged events of every platform, still being answered when the trouble starts
        let first = (0..<burst).map { next(HarnessPlatform.allCases[$0 % 4]) }
        for answer in await Self.sendAll(first, port: server.port) { #expect(answer.status == 200) }
        acknowledged += first
        let backlog = try database.inbox().values.filter { $0 == "pending" }.count

        // When the database file and its WAL become read-only under the running server
        try #require(try Harness.run("/usr/bin/chattr", ["+i", dbPath, dbPath + "-wal"]) == 0)
        let readOnly = try await Self.trouble(name: "read-only file (chattr +i)", server: server, next: next,
                                              backlog: backlog, rows: &rows) {
            try #require(try Harness.run("/usr/bin/chattr", ["-i", dbPath, dbPath + "-wal"]) == 0)
        }
        acknowledged += readOnly

        // When the file system fills up (the WAL can no longer grow)
        let more = (0..<burst).map { next(HarnessPlatform.allCases[$0 % 4]) }
        for answer in await Self.sendAll(more, port: server.port) { #expect(answer.status == 200) }
        acknowledged += more
        let backlogFull = try database.inbox().values.filter { $0 == "pending" }.count
        _ = try? Harness.run("/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=64k"])
        let full = try await Self.trouble(name: "disk full (file system filled)", server: server, next: next,
                                          backlog: backlogFull, rows: &rows) {
            try FileManager.default.removeItem(atPath: filler)
        }
        acknowledged += full

        // Then every event acknowledged at any point is answered, and every reply reached the fake exactly once
        let (inbox, outbox): ([String: String], [HarnessDatabase.Outbox])
        do {
            (inbox, outbox) = try await Harness.eventually("every acknowledged event answered", timeout: .seconds(120)) {
                let inbox = try database.inbox()
                let outbox = try database.outbox()
                return acknowledged.allSatisfy({ inbox[$0.eventKey] == "done" }) && outbox.allSatisfy({ $0.status == "sent" })
                    ? (inbox, outbox) : nil
            }
        } catch {
            let inbox = try database.inbox()
            let missing = acknowledged.filter { inbox[$0.eventKey] == nil }.map(\.eventKey)
            let statuses = Dictionary(grouping: inbox.values, by: { $0 }).mapValues(\.count)
            let outbox = Dictionary(grouping: try database.outbox(), by: \.status).mapValues(\.count)
            Issue.record("not drained: inbox \(statuses), missing \(missing.prefix(5)) of \(missing.count), outbox \(outbox); \(server.log())")
            throw error
        }
        var calls = Harness.messageCalls(await fake.calls)
        while true {
            try await Task.sleep(for: .milliseconds(300))
            let again = Harness.messageCalls(await fake.calls)
            if again == calls { break }
            calls = again
        }
        let stop = await server.terminate()
        await fake.stop()
        let expected = outbox.reduce(0) { $0 + max(1, $1.partsSent) }
        let received = calls.values.reduce(0, +)
        #expect(inbox.count == acknowledged.count, "\(inbox.count) inbox rows for \(acknowledged.count) acknowledged events")
        #expect(received == expected, "\(received) platform calls for \(expected) reply parts")
        #expect(stop.status == 0 && !stop.killed)
        print("""
            reliability storage: \(acknowledged.count) events acknowledged over the run, \(inbox.count) in the inbox, \
            all answered; \(outbox.count) replies, \(received) platform calls for \(expected) parts \
            (\(received - expected) sent twice); SIGTERM exit \(stop.status)
            \(Harness.table(["trouble", "backlog then", "acked before 503", "503 (Retry-After)", "/readyz in trouble",
                             "recovered: /readyz 200 after", "redelivered acked"], rows))
            """)
    }

    /// Sends until webhooks are refused (a full disk still takes what fits in the WAL's allocated space), checks
    /// the refusals and `/readyz`, ends the trouble with `recover`, waits for `/readyz` 200 and redelivers the
    /// refused events. Returns every event acknowledged in the phase.
    static func trouble(name: String, server: HarnessServer, next: (HarnessPlatform) -> SignedWebhook, backlog: Int,
                        rows: inout [[String]], recover: () throws -> Void) async throws -> [SignedWebhook] {
        var acknowledged: [SignedWebhook] = []
        var refused: [SignedWebhook] = []
        var retryAfter: Set<String> = []
        var attempts = 0
        while refused.count < 8, attempts < 4000 {
            let webhook = next(HarnessPlatform.allCases[attempts % 4])
            attempts += 1
            let answer = await Harness.send(webhook, port: server.port)
            switch answer.status {
            case 200: acknowledged.append(webhook)
            case 503:
                refused.append(webhook)
                retryAfter.insert(answer.retryAfter ?? "none")
            default: Issue.record("\(name): \(webhook.platform) answered \(answer.status.map(String.init) ?? "nothing")")
            }
        }
        #expect(refused.count == 8, "\(name): webhooks were never refused (\(attempts) sent)")
        #expect(retryAfter == ["5"], "\(name): Retry-After \(retryAfter)")
        let ready = await Harness.get("/readyz", port: server.port)
        #expect(ready == 503, "\(name): /readyz \(ready.map(String.init) ?? "none")")
        #expect(server.isRunning, "\(name): the server died: \(server.log())")

        try recover()
        let started = ContinuousClock.now
        _ = try await Harness.eventually("\(name): /readyz 200 again", timeout: .seconds(30), every: .milliseconds(50)) {
            await Harness.get("/readyz", port: server.port) == 200 ? true : nil
        }
        let recovered = ContinuousClock.now - started
        var redelivered = 0
        for answer in await sendAll(refused, port: server.port, retry: true) where answer.status == 200 { redelivered += 1 }
        #expect(redelivered == refused.count, "\(name): \(redelivered) of \(refused.count) redeliveries acknowledged")
        rows.append([name, "\(backlog) pending", "\(acknowledged.count)", "\(refused.count) (\(retryAfter.sorted().joined(separator: ",")) s)",
                     "\(ready.map(String.init) ?? "none")", "\(recovered)", "\(redelivered) of \(refused.count)"])
        return acknowledged + refused
    }

    /// Sends `webhooks` 8 at a time; `retry` marks Slack's as a redelivery, as Slack does.
    static func sendAll(_ webhooks: [SignedWebhook], port: Int, retry: Bool = false) async -> [Harness.Answer] {
        var answers: [Harness.Answer] = []
        for chunk in stride(from: 0, to: webhooks.count, by: 8).map({ Array(webhooks[$0..<min($0 + 8, webhooks.count)]) }) {
            await withTaskGroup(of: (Int, Harness.Answer).self) { group in
                for (index, webhook) in chunk.enumerated() {
                    group.addTask {
                        let extra = retry && webhook.platform == .slack ? [("X-Slack-Retry-Num", "1"), ("X-Slack-Retry-Reason", "http_error")] : []
                        return (index, await Harness.send(webhook, port: port, extraHeaders: extra))
                    }
                }
                var results = [(Int, Harness.Answer)]()
                for await result in group { results.append(result) }
                answers += results.sorted { $0.0 < $1.0 }.map(\.1)
            }
        }
        return answers
    }
}
