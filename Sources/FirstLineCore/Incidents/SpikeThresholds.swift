import Foundation

/// When similar reports count as a suspected incident (`incidents:` in firstline.yml). Both
/// conditions must hold: enough different employees, and well above what is normal for that
/// weekday and hour. The count alone would cry wolf every Monday at 9 for password resets; the
/// ratio alone would fire on three reports in a quiet hour.
public struct SpikeThresholds: Sendable, Equatable {
    /// Different employees reporting the same topic within the window.
    public var minimumReporters: Int
    /// The sliding window the reports are counted over.
    public var window: TimeInterval
    /// How many times the normal level the count must reach.
    public var ratioOverNormal: Double
    /// The normal level, per window, assumed when history says less (a new installation has
    /// none): without a floor any first report would be infinitely above normal.
    public var normalFloor: Double
    /// How many past weeks the normal level is learned from.
    public var historyWeeks: Int

    /// A new installation raises one at 10 similar reports from different employees within 10
    /// minutes (issue: outages).
    public init(minimumReporters: Int = 10, window: TimeInterval = 600, ratioOverNormal: Double = 3,
                normalFloor: Double = 1, historyWeeks: Int = 4) {
        self.minimumReporters = minimumReporters
        self.window = window
        self.ratioOverNormal = ratioOverNormal
        self.normalFloor = normalFloor
        self.historyWeeks = historyWeeks
    }

    /// The reason a setting cannot be used, or nil.
    public var problem: String? {
        if minimumReporters < 2 { return "min_reports must be at least 2" }
        if window < 60 || window > 24 * 3600 { return "window_minutes must be between 1 and 1440" }
        if !(ratioOverNormal >= 1) { return "ratio_over_normal must be at least 1" }
        if !(normalFloor > 0) { return "normal_floor must be above 0" }
        if historyWeeks < 1 || historyWeeks > 52 { return "history_weeks must be between 1 and 52" }
        return nil
    }
}
