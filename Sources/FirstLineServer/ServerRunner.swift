import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the application until SIGTERM or SIGINT, then stops it within a bounded time (design §7):
///
/// 1. the server stops accepting connections and finishes the requests in flight (Hummingbird's
///    graceful shutdown of its server service);
/// 2. the workers stop in reverse order of `FirstLineApplication.build`: the inbox worker after the turn in
///    progress (the backlog stays committed for the next start), the outbox after the send in progress;
/// 3. if that takes longer than `gracefulLimit` (a platform API that does not answer), what is left is
///    cancelled: a cancelled turn's transaction is not committed, so its event is still pending; an
///    interrupted send is retried at the next start.
///
/// A stop asked for by a signal returns normally (exit code 0), also when it had to cancel.
public enum ServerRunner {
    /// Within `gracefulLimit` plus `cancellationLimit` the process has stopped, whatever the backlog.
    public static func run(_ app: some ApplicationProtocol, logger: Logger,
                           gracefulLimit: Duration = .seconds(3), cancellationLimit: Duration = .seconds(1)) async throws {
        let stop = StopRequest()
        var configuration = ServiceGroupConfiguration(
            services: [StoppableApplication(app: app, stop: stop)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = gracefulLimit
        // Past this, ServiceLifecycle ends the process with a fatal error: better than hanging until
        // the supervisor's SIGKILL, and it names the service that ignored cancellation.
        configuration.maximumCancellationDuration = cancellationLimit
        let group = ServiceGroup(configuration: configuration)
        do {
            try await group.run()
        } catch {
            guard let since = stop.requestedAt else { throw error }
            logger.warning("stopped after cancelling work that outlasted the graceful shutdown",
                           metadata: ["error": "\(error)", "shutdown.ms": "\(milliseconds(since: since))"])
            return
        }
        if let since = stop.requestedAt {
            let elapsed = ContinuousClock.now - since
            if elapsed >= gracefulLimit {
                // ServiceLifecycle cancelled what was still running (a send to a platform that did not answer).
                logger.warning("stopped after cancelling work that outlasted the graceful shutdown",
                               metadata: ["shutdown.ms": "\(milliseconds(since: since))"])
            } else {
                logger.info("stopped", metadata: ["shutdown.ms": "\(milliseconds(since: since))"])
            }
        }
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }
}

/// When the graceful shutdown began; nil while running.
private final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var instant: ContinuousClock.Instant?

    var requestedAt: ContinuousClock.Instant? { lock.withLock { instant } }

    func mark() { lock.withLock { if instant == nil { instant = .now } } }
}

/// The application as the one service of the signal-handling group, noting when its shutdown began.
private struct StoppableApplication<App: ApplicationProtocol>: Service {
    let app: App
    let stop: StopRequest

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await app.run()
        } onGracefulShutdown: {
            stop.mark()
        }
    }
}
