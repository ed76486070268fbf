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
    /// The agents' known-issue notice for employees (issue: outages, point 3); nil when none or ended.
    public var notice: IncidentNote?
    /// What the agents said when they resolved it, told to every linked employee.
    public var resolutionNote: IncidentNote?
    public var resolvedBy: String?

    public init(id: Int64? = nil, topic: String, status: Status = .suspected, reporters: Int, reports: Int,
                normalLevel: Double, firstReportAt: Date, raisedAt: Date, decidedAt: Date? = nil,
                decidedBy: String? = nil, resolvedAt: Date? = nil, notice: IncidentNote? = nil,
                resolutionNote: IncidentNote? = nil, resolvedBy: String? = nil) {
        self.notice = notice
        self.resolutionNote = resolutionNote
        self.resolvedBy = resolvedBy
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

/// A short text written by agents in up to three languages (a notice, a resolution note).
/// Stored as one JSON object (`{"ko": …, "en": …}`); a language left out is nil.
public struct IncidentNote: Codable, Sendable, Equatable, Hashable {
    public var ko: String?
    public var ja: String?
    public var en: String?

    public init(ko: String? = nil, ja: String? = nil, en: String? = nil) {
        self.ko = ko
        self.ja = ja
        self.en = en
    }

    /// The written languages only (blank ones left out), as the dialogue engine takes them.
    public var texts: [Language: String] {
        var texts: [Language: String] = [:]
        for (language, text) in [(Language.ko, ko), (.ja, ja), (.en, en)] {
            if let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { texts[language] = text }
        }
        return texts
    }

    public var isEmpty: Bool { texts.isEmpty }

    public subscript(language: Language) -> String? {
        get {
            switch language {
            case .ko: ko
            case .ja: ja
            case .en: en
            }
        }
        set {
            switch language {
            case .ko: ko = newValue
            case .ja: ja = newValue
            case .en: en = newValue
            }
        }
    }

    /// The JSON text stored in the database.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public static func decode(json: String?) throws -> IncidentNote? {
        guard let json else { return nil }
        return try JSONDecoder().decode(IncidentNote.self, from: Data(json.utf8))
    }
}

/// An employee (a conversation) or a ticket linked to a major incident as "me too". A report
/// linked in the chat has no ticket; a ticket opened before the incident was confirmed has one.
/// Unlinking ("this is something else") keeps the row with `unlinkedAt`, so the history stays.
public struct IncidentLink: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "incidentLink"

    public var id: Int64?
    public var incidentID: Int64
    public var conversationID: Int64?
    public var ticketID: Int64?
    /// The report's words, for a report linked in the chat.
    public var text: String?
    public var linkedAt: Date
    /// `bot` for a report linked in the chat, else the agent.
    public var linkedBy: String
    public var unlinkedAt: Date?
    /// When the employee was told it is fixed (the broadcast); nil until then.
    public var notifiedAt: Date?

    public init(id: Int64? = nil, incidentID: Int64, conversationID: Int64?, ticketID: Int64?, text: String?,
                linkedAt: Date, linkedBy: String, unlinkedAt: Date? = nil, notifiedAt: Date? = nil) {
        self.id = id
        self.incidentID = incidentID
        self.conversationID = conversationID
        self.ticketID = ticketID
        self.text = text
        self.linkedAt = linkedAt
        self.linkedBy = linkedBy
        self.unlinkedAt = unlinkedAt
        self.notifiedAt = notifiedAt
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
