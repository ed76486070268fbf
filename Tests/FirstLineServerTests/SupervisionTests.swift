@testable import FirstLineServer
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Testing

/// Workers run under `SupervisedService`: one that throws (or returns) is logged and started again after
/// a growing pause, and a graceful shutdown ends it. The pauses go through a recording sleeper: no real sleeps.
@Suite("workers: supervised, restarted with backoff")
struct SupervisionTests {
    /// Records every pause and returns at once.
    actor RecordingSleeper: RestartSleeper {
        private(set) var pauses: [Duration] = []
        nonisolated func sleep(for duration: Duration) async throws { await record(duration) }
        private func record(_ duration: Duration) { pauses.append(duration) }
    }

    /// Fails its first `failures` runs (throwing, or returning when `returns`), then runs until shutdown.
    actor FlakyWorker: Service {
        struct Broken: Error, CustomStringConvertible { var run: Int; var description: String { "broken on run \(run)" } }
        let failures: Int
        let returns: Bool
        private(set) var runs = 0
        /// Set when the healthy run has started.
        private var healthy: [CheckedContinuation<Void, Never>] = []
        private var isHealthy = false

        init(failures: Int, returns: Bool = false) {
            self.failures = failures
            self.returns = returns
        }

        func run() async throws {
            runs += 1
            if runs <= failures {
                if returns { return }
                throw Broken(run: runs)
            }
            isHealthy = true
            healthy.forEach { $0.resume() }
            healthy = []
            try? await gracefulShutdown()
        }

        func waitUntilHealthy() async {
            if isHealthy { return }
            await withCheckedContinuation { healthy.append($0) }
        }
    }

    @Test("a worker that throws is logged each time and restarted after 0.5 s, 1 s, 2 s; shutdown then ends it")
    func throwingWorkerIsRestarted() async throws {
        // Given a worker that throws three times, supervised with the default backoff
        let logs = ErrorMappingTests.RecordedLogs()
        let sleeper = RecordingSleeper()
        let worker = FlakyWorker(failures: 3)
        let supervised = SupervisedService("inbox", worker: worker, sleeper: sleeper, logger: logs.logger)
        let group = ServiceGroup(configuration: .init(services: [supervised], logger: logs.logger))

        // When it runs until the worker is healthy, then the group shuts down gracefully
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await worker.waitUntilHealthy()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }

        // Then it ran four times, paused with a doubling backoff, and logged each failure with its error
        #expect(await worker.runs == 4)
        #expect(await sleeper.pauses == [.milliseconds(500), .seconds(1), .seconds(2)])
        let records = logs.records.withLockedValue { $0 }.filter { $0.message.contains("worker failed") }
        #expect(records.count == 3)
        #expect(records.map { $0.metadata["worker"] } == ["inbox", "inbox", "inbox"])
        #expect(records.map { $0.metadata["error"] } == ["broken on run 1", "broken on run 2", "broken on run 3"])
        #expect(records.map { $0.metadata["restart.attempt"] } == ["1", "2", "3"])
        #expect(records.allSatisfy { $0.level == .error })
    }

    @Test("a worker that returns on its own is not silently gone: logged and started again")
    func returningWorkerIsRestarted() async throws {
        let logs = ErrorMappingTests.RecordedLogs()
        let sleeper = RecordingSleeper()
        let worker = FlakyWorker(failures: 1, returns: true)
        let supervised = SupervisedService("outbox", worker: worker, sleeper: sleeper, logger: logs.logger)
        let group = ServiceGroup(configuration: .init(services: [supervised], logger: logs.logger))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await worker.waitUntilHealthy()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }

        #expect(await worker.runs == 2)
        #expect(await sleeper.pauses == [.milliseconds(500)])
        let records = logs.records.withLockedValue { $0 }
        #expect(records.contains { $0.message.contains("stopped on its own") && $0.metadata["worker"] == "outbox" })
    }

    @Test("a graceful shutdown during the pause ends the supervisor without another run")
    func shutdownDuringPause() async throws {
        // Given a worker that always throws and a sleeper that really waits (for an hour), cut short by shutdown
        actor HourSleeper: RestartSleeper {
            private(set) var cutShort = false
            nonisolated func sleep(for duration: Duration) async throws {
                do {
                    try await Task.sleep(for: .seconds(3600))
                } catch {
                    await markCutShort()
                    throw error
                }
            }
            private func markCutShort() { cutShort = true }
        }
        let logs = ErrorMappingTests.RecordedLogs()
        let worker = FlakyWorker(failures: .max)
        let sleeper = HourSleeper()
        let supervised = SupervisedService("desk", worker: worker, sleeper: sleeper, logger: logs.logger)
        let group = ServiceGroup(configuration: .init(services: [supervised], logger: logs.logger))
        let started = ContinuousClock.now

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while logs.records.withLockedValue({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }

        // Then the hour's pause was cancelled by the shutdown, and the worker never ran again
        #expect(await worker.runs == 1)
        #expect(await sleeper.cutShort)
        #expect(ContinuousClock.now - started < .seconds(600), "well under the hour")
    }

    @Test("the backoff doubles up to its maximum")
    func backoffSequence() {
        let backoff = RestartBackoff(initial: .milliseconds(500), maximum: .seconds(30))
        #expect((1...9).map { backoff.delay(afterFailures: $0) } == [
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30), .seconds(30),
        ])
    }
}
