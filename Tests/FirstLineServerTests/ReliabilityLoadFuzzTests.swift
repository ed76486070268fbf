import Crypto
import FirstLineHarness
import FirstLineTestSupport
import Foundation
import Synchronization
import Testing

/// Issue 15, point 7 a and d, short versions (what CI runs); `Benchmarks/reliability/load.sh` and `fuzz.sh` run
/// the same scenarios with the full figures through the `FIRSTLINE_HARNESS_*` knobs. A real `firstline serve`
/// process (the built binary) on a SQLite file, every platform enabled against the fake platform API.
@Suite("Reliability harness: load and fuzz against a running firstline serve", .serialized)
struct ReliabilityLoadFuzzTests {
    /// a. Signed webhooks of the four platforms, open loop at a fixed rate for a fixed time: throughput, the
    /// acknowledgement latency, then every acknowledged event found in the inbox, answered, and its replies
    /// received by the fake API exactly once.
    @Test("load: every acknowledged webhook of the four platforms stored, answered and replied to exactly once",
          .timeLimit(.minutes(20)))
    func load() async throws {
        let rate = Harness.knob("FIRSTLINE_HARNESS_LOAD_RATE", 40)
        let seconds = Harness.knob("FIRSTLINE_HARNESS_LOAD_SECONDS", 5)
        let conversations = Harness.knob("FIRSTLINE_HARNESS_LOAD_CONVERSATIONS", 100)
        let folder = try Harness.folder("load")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = FakePlatformAPI()
        let base = try await fake.start().absoluteString
        let dbPath = folder.appendingPathComponent("firstline.sqlite").path
        let server = try HarnessServer(database: dbPath, folder: folder,
                                       environment: Harness.serverEnvironment(fakeURL: base, folder: folder))
        try await server.start()
        defer { server.kill() }
        let database = HarnessDatabase(path: dbPath)
        let factory = WebhookFactory()
        let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)

        // Given requests built and signed before the clock starts, round-robin over the platforms and conversations
        let total = rate * seconds
        let platforms = HarnessPlatform.allCases
        let webhooks = (0..<total).map { index in
            factory.message(platforms[index % platforms.count], conversation: (index / platforms.count) % conversations,
                            serial: index, text: WebhookFactory.questions[index % WebhookFactory.questions.count], runID: runID)
        }

        // When they are offered at `rate` per second (latency counts from when each was due: no coordinated omission)
        let answers = Shared([Harness.Answer?](repeating: nil, count: total))
        let started = DispatchTime.now().uptimeNanoseconds
        let interval = 1e9 / Double(rate)
        await withTaskGroup(of: Void.self) { group in
            for (index, webhook) in webhooks.enumerated() {
                let due = started + UInt64(Double(index) * interval)
                let now = DispatchTime.now().uptimeNanoseconds
                if due > now { try? await Task.sleep(for: .nanoseconds(Int64(due - now))) }
                group.addTask {
                    var answer = await Harness.send(webhook, port: server.port)
                    answer.nanoseconds = DispatchTime.now().uptimeNanoseconds - due
                    answers.withLock { $0[index] = answer }
                }
            }
        }
        let offeredSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let results = answers.value.map { $0! }
        let acknowledged = zip(webhooks, results).filter { $0.1.status == 200 }.map(\.0)

        // Then every acknowledged event is answered, every reply is sent, ...
        let drainStarted = ContinuousClock.now
        let (inbox, outbox) = try await Harness.eventually("every acknowledged event answered and every reply sent",
                                                           timeout: .seconds(max(120, total / 10))) {
            let inbox = try database.inbox()
            let outbox = try database.outbox()
            let done = acknowledged.allSatisfy { inbox[$0.eventKey] == "done" }
            return done && outbox.allSatisfy { $0.status == "sent" } ? (inbox, outbox) : nil
        }
        let drained = ContinuousClock.now - drainStarted
        // (the fake may still be receiving the last reply's second part: wait until its count stops moving)
        var calls = Harness.messageCalls(await fake.calls)
        while true {
            try await Task.sleep(for: .milliseconds(300))
            let again = Harness.messageCalls(await fake.calls)
            if again == calls { break }
            calls = again
        }
        let stop = await server.terminate()
        await fake.stop()

        // ... nothing is stored that was not acknowledged, and the fake received each reply exactly once
        let sentKeys = Set(webhooks.map(\.eventKey))
        let ours = inbox.keys.filter { sentKeys.contains($0) }
        #expect(results.allSatisfy { $0.status == 200 }, "not acknowledged: \(results.filter { $0.status != 200 }.prefix(5))")
        #expect(ours.count == acknowledged.count)
        #expect(inbox.count == acknowledged.count, "inbox rows not from this run")
        var rows: [[String]] = []
        var allReplied = 0
        for platform in platforms {
            let sent = zip(webhooks, results).filter { $0.0.platform == platform }
            let latencies = sent.map(\.1.nanoseconds)
            let acked = sent.filter { $0.1.status == 200 }
            let replies = outbox.filter { $0.platform == platform.rawValue }
            let expected = replies.reduce(0) { $0 + max(1, $1.partsSent) }
            let received = calls[platform] ?? 0
            let replied = Set(replies.map(\.eventKey))
            let answered = acked.filter { replied.contains($0.0.eventKey) }.count
            allReplied += answered
            #expect(received == expected, "\(platform): \(received) platform calls for \(expected) reply parts")
            rows.append([platform.rawValue, "\(sent.count)", "\(acked.count)", "\(sent.count - acked.count)",
                         Harness.milliseconds(Harness.percentile(latencies, 0.5)), Harness.milliseconds(Harness.percentile(latencies, 0.99)),
                         Harness.milliseconds(Harness.percentile(latencies, 1)),
                         "\(acked.filter { inbox[$0.0.eventKey] != nil }.count)", "\(answered)", "\(replies.count)",
                         "\(received)", "\(max(0, received - expected))"])
        }
        let all = results.map(\.nanoseconds)
        rows.append(["all", "\(total)", "\(acknowledged.count)", "\(total - acknowledged.count)",
                     Harness.milliseconds(Harness.percentile(all, 0.5)), Harness.milliseconds(Harness.percentile(all, 0.99)),
                     Harness.milliseconds(Harness.percentile(all, 1)), "\(ours.count)", "\(allReplied)", "\(outbox.count)",
                     "\(calls.values.reduce(0, +))", "\(max(0, calls.values.reduce(0, +) - outbox.reduce(0) { $0 + max(1, $1.partsSent) }))"])
        // (a message may get no reply of its own while its conversation's ticket is open: it joins the ticket)
        #expect(allReplied * 2 >= acknowledged.count, "only \(allReplied) of \(acknowledged.count) events got a reply")
        #expect(stop.status == 0 && !stop.killed, "serve exited with \(stop.status) after \(stop.seconds) s")
        print("""
            reliability load: \(rate)/s offered for \(seconds) s over \(conversations) conversations per platform \
            (\(String(format: "%.1f", Double(acknowledged.count) / offeredSeconds)) acknowledged/s); \
            backlog drained \(drained) after the last request; SIGTERM exit \(stop.status) in \(String(format: "%.2f", stop.seconds)) s
            \(Harness.table(["platform", "sent", "200", "non-200", "ack p50 ms", "ack p99 ms", "max ms", "in inbox", "answered",
                             "replies", "platform calls", "sent twice"], rows))
            """)
    }

    /// d. Mutated bodies and headers for each platform, half signed correctly over the mutated bytes: no crash,
    /// no 5xx, every request answered within 10 s, and nothing stored beyond the correctly signed bodies that
    /// were accepted (a badly signed request is never accepted).
    @Test("fuzz: mutated webhooks of every platform, half signed: no crash, no 5xx, no hang, nothing stored for invalid input",
          .timeLimit(.minutes(30)))
    func fuzz() async throws {
        let perPlatform = Harness.knob("FIRSTLINE_HARNESS_FUZZ_BODIES", 500)
        let seed = UInt64(Harness.knob("FIRSTLINE_HARNESS_FUZZ_SEED", 20_261_207))
        let concurrency = Harness.knob("FIRSTLINE_HARNESS_FUZZ_CONCURRENCY", 16)
        let folder = try Harness.folder("fuzz")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = FakePlatformAPI()
        let base = try await fake.start().absoluteString
        let dbPath = folder.appendingPathComponent("firstline.sqlite").path
        let server = try HarnessServer(database: dbPath, folder: folder,
                                       environment: Harness.serverEnvironment(fakeURL: base, folder: folder))
        try await server.start()
        defer { server.kill() }
        let database = HarnessDatabase(path: dbPath)
        let mutator = Mutator(factory: WebhookFactory(), seed: seed)
        let runID = "fz\(seed % 100_000)"
        let before = try database.inboxCount()

        // When every platform gets `perPlatform` mutated requests, `concurrency` at a time
        struct Tally: Sendable {
            var statuses: [HarnessPlatform: [Int: Int]] = [:]
            var serverErrors: [String] = []
            var hung: [String] = []
            var noAnswer = 0
            var acceptedBadlySigned: [String] = []
            var acceptedBodies: Set<Data> = []
            var slowest: UInt64 = 0
        }
        let tally = Shared(Tally())
        let next = Shared(0)
        let crashed = Shared(false)
        let platforms = HarnessPlatform.allCases
        let total = perPlatform * platforms.count
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while true {
                        let index = next.withLock { value in
                            defer { value += 1 }
                            return value
                        }
                        // A dead server would make every later request wait for its deadline: stop at once.
                        guard index < total, !crashed.value else { return }
                        let platform = platforms[index % platforms.count]
                        let item = mutator.mutated(platform, index: index / platforms.count, runID: runID)
                        let answer = await Harness.send(item.webhook, port: server.port, timeout: .seconds(10))
                        if answer.status == nil, !server.isRunning { crashed.withLock { $0 = true } }
                        let label = "\(platform.rawValue) #\(index / platforms.count) \(item.kinds.map(\.rawValue))"
                        tally.withLock { tally in
                            tally.slowest = max(tally.slowest, answer.nanoseconds)
                            guard let status = answer.status else {
                                if answer.timedOut { tally.hung.append(label) } else { tally.noAnswer += 1 }
                                return
                            }
                            tally.statuses[platform, default: [:]][status, default: 0] += 1
                            if status >= 500 { tally.serverErrors.append("\(label): \(status)") }
                            if status == 200 {
                                // Index even = signed with the right secret; odd = a wrong signature on purpose.
                                if (index / platforms.count) % 2 == 1 { tally.acceptedBadlySigned.append(label) }
                                tally.acceptedBodies.insert(Data(SHA256.hash(data: item.webhook.body)))
                            }
                        }
                    }
                }
            }
        }
        let elapsed = ContinuousClock.now - started

        // Then the server is still up and healthy, and answered everything below 500 within the bound
        let alive = server.isRunning
        let health = await Harness.get("/healthz", port: server.port)
        try await Task.sleep(for: .milliseconds(300))
        let stored = try database.inboxCount() - before
        let stop = await server.terminate()
        await fake.stop()
        let result = tally.value
        #expect(alive && health == 200, "the server did not survive: \(server.log())")
        #expect(result.serverErrors.isEmpty, "5xx: \(result.serverErrors.prefix(10))")
        #expect(result.hung.isEmpty, "no answer within 10 s: \(result.hung.prefix(10))")
        #expect(result.noAnswer == 0, "\(result.noAnswer) requests got no answer (connection closed)")
        #expect(result.acceptedBadlySigned.isEmpty, "accepted with a wrong signature: \(result.acceptedBadlySigned.prefix(10))")
        // ... and nothing was stored for what it refused: at most one inbox row per distinct accepted body
        #expect(stored <= result.acceptedBodies.count, "\(stored) rows stored for \(result.acceptedBodies.count) accepted bodies")
        #expect(stop.status == 0 && !stop.killed, "serve exited with \(stop.status)")

        let codes = Set(result.statuses.values.flatMap(\.keys)).sorted()
        let rows = platforms.map { platform in
            let statuses = result.statuses[platform] ?? [:]
            return [platform.rawValue, "\(perPlatform)"] + codes.map { "\(statuses[$0] ?? 0)" }
                + ["\(result.serverErrors.filter { $0.hasPrefix(platform.rawValue) }.count)",
                   "\(result.hung.filter { $0.hasPrefix(platform.rawValue) }.count)"]
        }
        print("""
            reliability fuzz: seed \(seed), \(total) requests in \(elapsed) (\(String(format: "%.0f", Double(total) / Double(elapsed.components.seconds + 1)))/s), \
            slowest answer \(String(format: "%.1f", Double(result.slowest) / 1e6)) ms; server alive: \(alive); \
            accepted \(result.acceptedBodies.count) distinct correctly signed bodies, \(stored) inbox rows stored; \
            accepted with a wrong signature: \(result.acceptedBadlySigned.count); SIGTERM exit \(stop.status)
            \(Harness.table(["platform", "requests"] + codes.map { "HTTP \($0)" } + ["5xx", "hung"], rows))
            """)
    }
}
