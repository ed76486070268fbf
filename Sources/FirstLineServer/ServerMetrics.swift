import FirstLineCore
import FirstLineStore
import Foundation
import Metrics
import Prometheus

/// The server's metrics (design §6 `GET /metrics`), recorded through swift-metrics into a
/// Prometheus registry that belongs to this server: injected, not the process-wide bootstrap, so
/// two servers in one test process never count into each other.
///
/// Counters are cumulative since the process started; the gauges of work waiting (inbox,
/// outbox, queued and open tickets) are read from the database when `/metrics` is scraped, so
/// they are right after a restart too.
public struct ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
    }

    /// A webhook event committed to the inbox (`accepted`), dropped as a redelivery
    /// (`duplicate`), or refused before storing anything (`rejected`).
    public func webhook(_ platform: String, _ result: String) {
        Counter(label: "firstline_webhook_events_total", dimensions: [("platform", platform), ("result", result)],
                factory: factory).increment()
    }

    /// One outbox delivery attempt's outcome: sent, retried, refused (permanent), given_up.
    public func delivery(_ platform: String, _ outcome: String) {
        Counter(label: "firstline_outbox_deliveries_total", dimensions: [("platform", platform), ("outcome", outcome)],
                factory: factory).increment()
    }

    /// A message given up after the retry policy's maximum age (also noted on the ticket).
    public func givenUp(_ platform: String) {
        Counter(label: "firstline_outbox_given_up_total", dimensions: [("platform", platform)], factory: factory).increment()
    }

    /// An outbox row found in doubt (interrupted mid-send, or no answer) sent again on a platform that cannot
    /// tell a repeat (Telegram, LINE WORKS, an expired LINE reply token): the employee may see it twice.
    public func inDoubt(_ platform: String) {
        Counter(label: "firstline_outbox_in_doubt_total", dimensions: [("platform", platform)], factory: factory).increment()
    }

    /// An in-doubt row settled without guessing: `found` (Slack had it: not sent again), `absent` (Slack did not:
    /// sent), `retry_key` (LINE drops a repeat itself).
    public func inDoubtSettled(_ platform: String, _ how: String) {
        Counter(label: "firstline_outbox_in_doubt_settled_total", dimensions: [("platform", platform), ("how", how)],
                factory: factory).increment()
    }

    public func turn(_ platform: String) {
        Counter(label: "firstline_turns_total", dimensions: [("platform", platform)], factory: factory).increment()
    }

    /// A request refused with 429: `scope` is the limit that refused it (webhook_ip, chat_session, …).
    public func rateLimited(_ scope: String) {
        Counter(label: "firstline_rate_limited_total", dimensions: [("scope", scope)], factory: factory).increment()
    }

    public func ticketOpened() {
        Counter(label: "firstline_tickets_opened_total", factory: factory).increment()
    }

    /// An SLA alarm raised: `metric` first_response or resolution, `alarm` warning or breach.
    public func slaAlarm(metric: String, alarm: String) {
        Counter(label: "firstline_sla_alarms_total", dimensions: [("metric", metric), ("alarm", alarm)],
                factory: factory).increment()
    }

    /// The Prometheus text exposition, with the waiting-work gauges read from `database` first.
    public func exposition(database: any StoreHealth) async throws -> String {
        let backlog = try await database.backlog()
        for (name, value) in [("firstline_inbox_pending", backlog.inboxPending), ("firstline_outbox_pending", backlog.outboxPending),
                              ("firstline_tickets_open", backlog.openTickets), ("firstline_tickets_queued", backlog.queuedTickets)] {
            Gauge(label: name, factory: factory).record(value)
        }
        return registry.emitToString()
    }
}
