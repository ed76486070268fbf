import Foundation
import Logging
import ServiceLifecycle

/// How a supervised worker waits before it is started again; `TaskSleeper` in production, a recording
/// sleeper that returns at once in tests (no real sleeps).
public protocol RestartSleeper: Sendable {
    /// Waits `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// `Task.sleep` on the continuous clock.
public struct TaskSleeper: RestartSleeper {
    public init() {}
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// The delays between restarts of a worker that keeps failing: `initial`, doubled after each failure,
/// at most `maximum`. A run that lasted `healthyAfter` or longer starts the sequence again.
public struct RestartBackoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var healthyAfter: Duration

    public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30), healthyAfter: Duration = .seconds(60)) {
        self.initial = initial
        self.maximum = maximum
        self.healthyAfter = healthyAfter
    }

    /// The wait after the `failures`-th failure in a row (1 for the first).
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        for _ in 1..<max(1, failures) {
            delay = delay * 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }
}

/// Runs a background worker and, when it throws or returns while the server is not shutting down,
/// logs it at error level and starts it again after a backoff: a worker is never silently gone, and a
/// failing database does not turn into a busy loop. On graceful shutdown (or cancellation) it returns
/// as soon as the worker does, or at once while waiting to restart.
///
/// The server's `ServiceGroup` would otherwise end the whole process when one worker throws, and keep
/// running without it when one returns (`successTerminationBehavior` aside).
public struct SupervisedService: Service {
    public let name: String
    let worker: any Service
    let backoff: RestartBackoff
    let sleeper: any RestartSleeper
    let logger: Logger

    public init(_ name: String, worker: any Service, backoff: RestartBackoff = RestartBackoff(),
                sleeper: any RestartSleeper = TaskSleeper(), logger: Logger) {
        self.name = name
        self.worker = worker
        self.backoff = backoff
        self.sleeper = sleeper
        self.logger = logger
    }

    public func run() async throws {
        var failures = 0
        let clock = ContinuousClock()
        while !Task.isCancelledOrShuttingDown {
            let started = clock.now
            var failure: (any Error)?
            do {
                try await worker.run()
            } catch {
                failure = error
            }
            // Stopping because the server stops is the normal end, whatever the worker threw on the way out.
            if Task.isCancelledOrShuttingDown { return }
            if clock.now - started >= backoff.healthyAfter { failures = 0 }
            failures += 1
            let delay = backoff.delay(afterFailures: failures)
            var metadata: Logger.Metadata = [
                "worker": "\(name)", "restart.attempt": "\(failures)", "restart.delay_ms": "\(delay.milliseconds)",
            ]
            if let failure {
                metadata["error"] = "\(failure)"
                logger.error("worker failed; restarting it after a pause", metadata: metadata)
            } else {
                logger.error("worker stopped on its own; restarting it after a pause", metadata: metadata)
            }
            do {
                try await cancelWhenGracefulShutdown { try await sleeper.sleep(for: delay) }
            } catch {
                return  // shutting down (or cancelled) during the pause
            }
        }
    }
}

extension Duration {
    /// Whole milliseconds, for logs.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
