import FirstLineCore
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird

// A phone call or a walk-in logged as a ticket on an employee's behalf (issue: console, point 2): the
// directory searched by name, e-mail or department, then the ticket's form. The ticket is made by
// `AgentController.logTicket`, the same checks and routing as `POST /api/v1/tickets`, so it counts
// under the phone or visit intake path in the reports.
extension ConsoleController {
    static let intakeChannels: [TicketChannel] = [.phone, .visit]
    static let directoryResults = 20

    func addIntakeRoutes(to router: Router<AppRequestContext>) {
        router.get("/console/intake") { request, _ in try await intakePage(request) }
        router.post("/console/intake") { request, _ in try await logIntake(request) }
    }

    func intakePage(_ request: Request) async throws -> Response {
        guard let signed = try await sessions.current(request) else { return ConsoleRenderer.redirect("/console/login") }
        guard signed.principal.can(.workTickets) else { return forbidden(request, signed) }
        let parameters = request.uri.queryParameters
        let chosen = try await parameters.get("employee").flatMap { Int64($0) }.asyncFlatMap { try await store.employee(id: $0) }
        let values = try await intakeValues(request, signed, query: parameters.get("q").map { String($0) } ?? "",
                                            employee: chosen, form: [:], error: nil)
        return renderer.page("intake", values, cookies: languageCookie(request))
    }

    func logIntake(_ request: Request) async throws -> Response {
        guard let signed = try await sessions.current(request) else { return ConsoleRenderer.redirect("/console/login") }
        let form = try await FormBody.read(request)
        guard ConsoleSessions.validCSRF(form["csrf"], signed.csrf) else {
            return message(request, signed, "staleForm", status: .forbidden)
        }
        guard signed.principal.can(.workTickets) else { return forbidden(request, signed) }
        let text = ConsoleText(language: language(request))
        let employeeID = form["employee_id"].flatMap { Int64($0) }
        let chosen = try await employeeID.asyncFlatMap { try await store.employee(id: $0) }
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let body = AgentController.CreateBody(
            employee: chosen == nil && !name.isEmpty ? .init(name: name, email: email.isEmpty ? nil : email) : nil,
            employeeID: chosen?.id, channel: form["channel"] ?? "", subject: form["subject"] ?? "",
            description: form["description"], category: form["category"], priority: form["priority"])
        let refusedValues = { (error: String) async throws -> Response in
            let values = try await self.intakeValues(request, signed, query: "", employee: chosen, form: form, error: error)
            return self.renderer.page("intake", values, status: .unprocessableContent)
        }
        // A chosen employee who no longer exists, or neither a choice nor a name: say so, log nothing.
        if employeeID != nil && chosen == nil || chosen == nil && name.isEmpty {
            return try await refusedValues(text["intakeNoEmployee"])
        }
        let ticket: Ticket
        do {
            ticket = try await agents.logTicket(body, by: signed.principal)
        } catch let error as AppError {
            return try await refusedValues(refusal(error, text))
        }
        return ConsoleRenderer.redirect("/console/tickets/\(ticket.number)?done=logged")
    }

    private func intakeValues(_ request: Request, _ signed: ConsoleSessions.Signed, query: String, employee: Employee?,
                              form: [String: String], error: String?) async throws -> [String: Any] {
        let language = language(request)
        let text = ConsoleText(language: language)
        var values = base(request, language: language, signed: signed, title: text["intake"], current: "intake")
        let query = String(query.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        values["q"] = query
        if !query.isEmpty {
            let found = try await store.searchEmployees(query, limit: Self.directoryResults)
            values["searched"] = true
            values["results"] = found.map { person -> [String: Any] in
                ["id": person.id ?? 0, "name": person.displayName, "email": person.email ?? "",
                 "department": person.department ?? "",
                 "q": query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""]
            }
        }
        if let employee {
            values["employee"] = ["id": employee.id ?? 0, "name": employee.displayName, "email": employee.email ?? "",
                                  "department": employee.department ?? ""] as [String: Any]
        }
        if let error { values["error"] = error }
        let channel = AgentController.manualChannel(form["channel"] ?? "") ?? .phone
        values["channels"] = Self.intakeChannels.map { value -> [String: Any] in
            ["value": value.rawValue, "label": text["channel_\(value.rawValue)"], "selected": value == channel]
        }
        values["categories"] = AgentController.categories.map {
            ["value": $0, "label": text["category_\($0)"], "selected": $0 == (form["category"] ?? "general")] as [String: Any]
        }
        values["priorities"] = TicketPriority.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == (form["priority"] ?? "P3")] as [String: Any] }
        values["form"] = ["subject": form["subject"] ?? "", "description": form["description"] ?? "",
                          "name": form["name"] ?? "", "email": form["email"] ?? ""]
        return values
    }
}
