import FirstLineCore
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

// The report tables and the period's tickets as CSV from the reports page (issue: console, point 5):
// the same documents as `GET /api/v1/reports.csv` and `/api/v1/tickets.csv`, signed in by the session
// cookie instead of a bearer token (a download link cannot carry one).
extension ConsoleController {
    func addCSVRoutes(to router: Router<AppRequestContext>) {
        router.get("/console/reports.csv") { request, _ in try await reportCSV(request) }
    }

    /// The download links under the reports' figures: each table, then the tickets.
    func downloads(from: String, to: String, zone: TimeZone) -> [[String: Any]] {
        let range = "from=\(from)&to=\(to)&tz=\(zone.identifier.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        return ReportCSV.tableNames.map { ["name": $0, "href": "/console/reports.csv?table=\($0)&\(range)"] as [String: Any] }
            + [["name": "tickets", "href": "/console/reports.csv?table=tickets&\(range)"]]
    }

    func reportCSV(_ request: Request) async throws -> Response {
        guard let signed = try await sessions.current(request) else { return ConsoleRenderer.redirect("/console/login") }
        guard signed.principal.can(.readAllTickets) else { return forbidden(request, signed) }
        let parameters = request.uri.queryParameters
        let name = parameters.get("table").map { String($0) } ?? ""
        guard name == "tickets" || ReportCSV.tableNames.contains(name) else {
            return message(request, signed, text: "table: " + (ReportCSV.tableNames + ["tickets"]).joined(separator: ", "),
                           back: "/console/reports", status: .unprocessableContent)
        }
        let period: ReportPeriod
        do throws(ReportPeriod.Problem) {
            period = try ReportPeriod(from: String(parameters.get("from") ?? ""), to: String(parameters.get("to") ?? ""),
                                      timeZone: timeZone(request))
        } catch let problem {
            return message(request, signed, text: problem.description, back: "/console/reports", status: .unprocessableContent)
        }
        let text: String
        if name == "tickets" {
            let tickets = try await store.tickets(createdFrom: period.from, to: period.to)
            text = ReportCSV.document(header: TicketCSV.header, rows: tickets.map(TicketCSV.row))
        } else {
            text = ReportCSV.table(name, try await reports.compare(period).current) ?? ""
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(name).csv\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
