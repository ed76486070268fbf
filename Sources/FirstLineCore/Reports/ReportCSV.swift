import Foundation

/// CSV as spreadsheets read it (RFC 4180: quoted when needed, CRLF lines). A cell that starts with
/// `=`, `+`, `-` or `@` gets a leading apostrophe: an employee's ticket subject must never run as
/// a formula in a manager's spreadsheet.
public enum ReportCSV {
    public static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func cell(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The names of the report's tables, in the order `tables` prints them: what
    /// `GET /api/v1/reports.csv?table=` accepts.
    public static let tableNames = ["summary", "sla", "backlog", "category", "team", "channel", "intake", "stars", "agents",
                                    "articles", "terms", "incidents"]

    /// The report's tables, one after the other, each under its name: what `firstline report
    /// --format csv` prints.
    public static func tables(_ report: HelpdeskReport) -> String {
        tableNames.compactMap { table($0, report) }.joined(separator: "\r\n")
    }

    /// One table of the report as a CSV document; nil for a name not in `tableNames`.
    public static func table(_ name: String, _ report: HelpdeskReport) -> String? {
        func number(_ value: Double?) -> String { value.map { String($0) } ?? "" }
        let deflection = report.deflection, tickets = report.tickets
        switch name {
        case "summary":
            return document(header: ["figure", "value"], rows: [
                ["suggestions", String(deflection.suggestions)], ["deflection_confirmed", String(deflection.confirmed)],
                ["deflection_potential", String(deflection.potential)], ["still_broken", String(deflection.stillBroken)],
                ["deflection_rate", number(deflection.rate)],
                ["tickets_opened", String(tickets.opened)], ["tickets_resolved", String(tickets.resolved)],
                ["tickets_reopened", String(tickets.reopened)], ["first_contact_resolved", String(tickets.firstContactResolved)],
                ["first_contact_rate", number(tickets.firstContactRate)],
                ["first_response_median_minutes", number(report.firstResponse.medianMinutes)],
                ["first_response_p90_minutes", number(report.firstResponse.p90Minutes)],
                ["resolution_median_minutes", number(report.resolution.medianMinutes)],
                ["resolution_p90_minutes", number(report.resolution.p90Minutes)],
                ["average_rating", number(report.averageRating)],
            ])
        case "sla":
            return document(header: ["priority", "first_response_met", "first_response_total", "resolution_met", "resolution_total"],
                            rows: report.sla.map { [$0.priority.rawValue, String($0.firstResponseMet), String($0.firstResponseTotal),
                                                    String($0.resolutionMet), String($0.resolutionTotal)] })
        case "backlog":
            return document(header: ["day", "open"], rows: report.backlog.map { [$0.day, String($0.open)] })
        case "category", "team", "channel", "intake", "stars":
            let counts = switch name {
            case "category": report.byCategory
            case "team": report.byTeam
            case "channel": report.byChannel
            case "intake": report.byIntake
            default: report.csat
            }
            return document(header: [name, "tickets"], rows: counts.map { [$0.key, String($0.count)] })
        case "agents":
            return document(header: ["agent", "assigned", "resolved", "median_resolution_minutes", "ratings", "average_rating"],
                            rows: report.agents.map { [$0.agent, String($0.assigned), String($0.resolved),
                                                       number($0.medianResolutionMinutes), String($0.ratings), number($0.averageRating)] })
        case "articles":
            return document(header: ["article", "shown", "solved", "still_broken"],
                            rows: report.recurringArticles.map { [$0.articleID, String($0.shown), String($0.solved), String($0.stillBroken)] })
        case "terms":
            return document(header: ["term", "tickets", "examples"],
                            rows: report.recurringTerms.map { [$0.term, String($0.tickets), $0.examples.joined(separator: " | ")] })
        case "incidents":
            return document(header: ["incident", "topic", "status", "start", "detection_minutes", "affected", "duration_minutes"],
                            rows: report.incidents.map { [$0.number, $0.topic, $0.status, $0.start.formatted(.iso8601),
                                                          number($0.detectionMinutes), String($0.affected), number($0.durationMinutes)] })
        default:
            return nil
        }
    }
}
