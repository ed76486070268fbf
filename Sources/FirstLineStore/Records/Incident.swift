import FirstLineCore
import Foundation
import GRDB

/// A suspected or confirmed outage (issue: outages). Raised by the spike detector as `suspected`;
/// an agent confirms it (a major incident) or dismisses it; confirmed ones are resolved. At most
/// one incident per topic is open (suspected or confirmed) at a time: the schema says so, so two
/// replicas raising the same spike at once make one row.
public struct Incident: Codable, Sendable, Equatable, Hashable {
    public enum Status: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        case suspected, confirmed, dismissed, resolved

        /// Statuses that hold the topic: no second incident of it is raised meanwhile.
        public static let open: [Status] = [.suspected, .confirmed]
    }

    public var id: Int64?
    /// `IncidentTopic`'s stored form (`article:vpn-connect`, `term:sap`).
    public var topic: String
    public var status: Status
    /// Different employees in the window when it was raised.
    public var reporters: Int
    public var reports: Int
    /// The normal level for that window, for the notice ("12 reports, normally 1").
    public var normalLevel: Double
    public var firstReportAt: Date
    public var raisedAt: Date
    public var decidedAt: Date?
    /// The agent who confirmed or dismissed it.
    public var decidedBy: String?
    public var resolvedAt: Date?

    public init(id: Int64? = nil, topic: String, status: Status = .suspected, reporters: Int, reports: Int,
                normalLevel: Double, firstReportAt: Date, raisedAt: Date, decidedAt: Date? = nil,
                decidedBy: String? = nil, resolvedAt: Date? = nil) {
        self.id = id
        self.topic = topic
        self.status = status
        self.reporters = reporters
        self.reports = reports
        self.normalLevel = normalLevel
        self.firstReportAt = firstReportAt
        self.raisedAt = raisedAt
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
        self.resolvedAt = resolvedAt
    }

    /// How the console and the API name it: `INC-7`.
    public var number: String { "INC-\(id ?? 0)" }

    /// Reads `INC-7` (or `7`) back to the id.
    public static func id(fromNumber number: String) -> Int64? {
        let digits = number.hasPrefix("INC-") ? String(number.dropFirst(4)) : number
        guard let id = Int64(digits), id > 0 else { return nil }
        return id
    }
}

extension Incident: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "incident"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let topic = Column(CodingKeys.topic)
        public static let status = Column(CodingKeys.status)
        public static let raisedAt = Column(CodingKeys.raisedAt)
        public static let decidedAt = Column(CodingKeys.decidedAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// One report as the detector reads it from the store: an article shown to an employee, or a
/// ticket an employee opened (its subject carries the words).
public struct ReportRow: Sendable, Equatable {
    public var at: Date
    public var employeeID: Int64
    public var articleID: String?
    /// The ticket's subject, for reports that are tickets.
    public var text: String?
    /// The ticket, for reports that are tickets: what a confirmed incident links.
    public var ticketID: Int64?

    public init(at: Date, employeeID: Int64, articleID: String?, text: String?, ticketID: Int64? = nil) {
        self.at = at
        self.employeeID = employeeID
        self.articleID = articleID
        self.text = text
        self.ticketID = ticketID
    }
}
