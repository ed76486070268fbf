import Foundation

/// A topic that crossed the thresholds: posted to the agents with Confirm / Dismiss. Nothing is
/// said to employees until an agent confirms it.
public struct SuspectedSpike: Sendable, Equatable {
    public var topic: IncidentTopic
    /// Different employees in the window.
    public var reporters: [String]
    /// Reports in the window (one employee may write twice).
    public var reports: Int
    /// The normal number of reporters for such a window at this weekday and hour.
    public var normal: Double
    public var firstReportAt: Date
    public var lastReportAt: Date

    /// How far above normal: what the agents' notice shows.
    public var ratio: Double { Double(reporters.count) / normal }
}

/// Finds outages in the stream of reports (issue: outages). Pure: the caller hands it the
/// reports of the last window, the history around the same time in past weeks, and the topics
/// already raised, and carries out what it returns.
///
/// The normal level of a topic is learned from the same weekday and hour in each of the past
/// `historyWeeks` weeks: the distinct reporters in the hour centred on the same moment 7, 14, …
/// days earlier, averaged and scaled to the window. A week before the installation's first
/// report is no evidence (it would read as a quiet week) and is not averaged in. Comparing with
/// the same moment in absolute time shifts by an hour across a daylight-saving change; an hour
/// either way of a weekly pattern is well within what the ratio tolerates.
public struct SpikeDetector: Sendable {
    public var thresholds: SpikeThresholds
    private let grouping = ReportGrouping()

    public init(thresholds: SpikeThresholds = SpikeThresholds()) {
        self.thresholds = thresholds
    }

    /// How far back `detect` needs history: the caller loads `[now - lookBack, now - window)`.
    public var lookBack: TimeInterval {
        Double(thresholds.historyWeeks) * Self.week + Self.hour / 2
    }

    /// - Parameters:
    ///   - recent: reports of at least the last window (older ones are ignored).
    ///   - history: reports of the past weeks (see `lookBack`); later ones are ignored.
    ///   - historyStart: when the installation's first report was stored; nil for none yet.
    ///   - suppressed: topics with a suspected, confirmed or recently dismissed incident.
    /// - Returns: the topics over both thresholds, most reporters first.
    public func detect(recent: [ReportSignal], history: [ReportSignal], historyStart: Date?, now: Date,
                       suppressed: Set<IncidentTopic> = []) -> [SuspectedSpike] {
        let windowStart = now.addingTimeInterval(-thresholds.window)
        let inWindow = recent.filter { $0.at > windowStart && $0.at <= now }
        var spikes: [SuspectedSpike] = []
        for (topic, signals) in grouping.topics(of: inWindow) where !suppressed.contains(topic) {
            let reporters = Set(signals.map(\.reporter))
            guard reporters.count >= thresholds.minimumReporters else { continue }
            let normal = normalLevel(of: topic, history: history, historyStart: historyStart, now: now)
            guard Double(reporters.count) >= thresholds.ratioOverNormal * normal else { continue }
            let times = signals.map(\.at)
            spikes.append(SuspectedSpike(topic: topic, reporters: reporters.sorted(), reports: signals.count,
                                         normal: normal, firstReportAt: times.min() ?? now,
                                         lastReportAt: times.max() ?? now))
        }
        return spikes.sorted { ($0.reporters.count, $1.topic) > ($1.reporters.count, $0.topic) }
    }

    /// The usual number of different reporters of `topic` in one window at this time of the week.
    public func normalLevel(of topic: IncidentTopic, history: [ReportSignal], historyStart: Date?,
                            now: Date) -> Double {
        var hourly: [Double] = []
        for weeksAgo in 1...thresholds.historyWeeks {
            let centre = now.addingTimeInterval(-Double(weeksAgo) * Self.week)
            let from = centre.addingTimeInterval(-Self.hour / 2)
            let to = centre.addingTimeInterval(Self.hour / 2)
            guard let historyStart, historyStart <= from else { continue }
            let reporters = Set(history.lazy.filter { $0.at >= from && $0.at < to && grouping.belongs($0, to: topic) }
                .map(\.reporter))
            hourly.append(Double(reporters.count))
        }
        guard !hourly.isEmpty else { return thresholds.normalFloor }
        let perWindow = hourly.reduce(0, +) / Double(hourly.count) * thresholds.window / Self.hour
        return max(thresholds.normalFloor, perWindow)
    }

    static let hour: TimeInterval = 3600
    static let week: TimeInterval = 7 * 24 * 3600
}
