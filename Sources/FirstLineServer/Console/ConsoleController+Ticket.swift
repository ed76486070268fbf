import FirstLineCore
import FirstLineMessengers
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird

// The ticket page's facts, SLA countdowns, approval state and field controls (issue: console, point 2).
// A change goes through `AgentController.changes(to:_:)` and `ConversationService.applyAgentUpdates`,
// the API's own path, so the history shows it exactly as a PATCH would: who, what, before → after, when.
extension ConsoleController {
    func addTicketRoutes(to router: Router<AppRequestContext>) {
        router.post("/console/tickets/{number}/change") { request, context in
            try await change(request, number: context.parameters.get("number") ?? "")
        }
    }

    /// The change stamp of a ticket: its last history event and the length of its transcript. Any
    /// change an agent would see on the page (a field, a reply, the employee's answer) moves it.
    func ticketStamp(_ ticket: Ticket) async throws -> String {
        let events = try await store.history(number: ticket.number)
        let messages = try await ticket.conversationID.asyncFlatMap { try await store.messages(conversationID: $0) } ?? []
        return "\(events.last?.id ?? 0).\(messages.count)"
    }

    /// The stamp the change form carries: the last event that changed one of the form's fields. A reply,
    /// a note or the employee's answer arriving meanwhile does not make the agent's form stale; another
    /// agent's change to a field does (saving would silently undo it).
    static func fieldStamp(_ events: [TicketEvent]) -> String {
        let fields: Set<TicketEvent.Kind> = [.created, .status, .priority, .category, .team, .assignee]
        return "f\(events.last { fields.contains($0.kind) }?.id ?? 0)"
    }

    /// Everything the ticket page and its live fragment show.
    func ticketValues(_ request: Request, _ signed: ConsoleSessions.Signed, ticket: Ticket,
                      language: Language) async throws -> [String: Any] {
        let text = ConsoleText(language: language)
        let zone = timeZone(request)
        let now = clock.now()
        let messages = try await ticket.conversationID.asyncFlatMap { try await store.messages(conversationID: $0) } ?? []
        let since = ticket.createdAt.addingTimeInterval(-86_400)
        let transcript: [[String: Any]] = messages.filter { $0.createdAt >= since }.map { message in
            var row: [String: Any] = ["author": message.author.rawValue, "at": Self.format(message.createdAt, zone) ?? "",
                                      "authorLabel": text["author_\(message.author.rawValue)"], "text": message.text]
            // A press is stored as its action; the agent reads what was pressed instead.
            if message.author == .employee, let pressed = PressedButton.label(forStored: message.text, text) {
                row["text"] = pressed
                row["pressed"] = true
            }
            // The bot's article answers are long and the agent has read them: folded to their first line.
            if message.author == .bot, let summary = Self.fold(message.text) { row["summary"] = summary }
            return row
        }
        let events = try await store.history(number: ticket.number)
        let history: [[String: Any]] = events.map { event in
            var row: [String: Any] = ["at": Self.format(event.createdAt, zone) ?? "", "actor": event.actor.rawValue,
                                      "kind": text.optional("kind_\(event.kind.rawValue)") ?? event.kind.rawValue]
            if event.before != nil || event.after != nil {
                row["change"] = ["before": event.before ?? "—", "after": event.after ?? "—"]
            }
            if let note = event.note {
                row["note"] = String(note.prefix(2000))
                if let summary = Self.fold(note) { row["noteSummary"] = summary }
            }
            return row
        }
        let approval = try await ticket.id.asyncFlatMap { try await store.approvalStatuses(ticketIDs: [$0])[$0] }
        // The clock stands still while the ticket waits for the employee or for a manager's approval.
        let paused = ticket.status == .waiting || approval == .pending
        let canWork = signed.principal.can(.workTickets)
        var values = base(request, language: language, signed: signed, title: ticket.number, current: "queue")
        values["ticket"] = [
            "number": ticket.number, "subject": ticket.subject, "status": text["status_\(ticket.status.rawValue)"],
            "priority": ticket.priority.rawValue, "category": text["category_\(ticket.category.rawValue)"],
            "team": ticket.team ?? "", "assignee": ticket.assignee ?? "", "channel": ticket.channel.rawValue,
            "intake": ReportCalculator.intake(ticket.channel),
            "created": Self.format(ticket.createdAt, zone) ?? "",
            "firstResponse": countdown(due: ticket.firstResponseDueAt, met: ticket.firstRespondedAt, paused: paused,
                                       now: now, zone: zone, text: text),
            "resolution": countdown(due: ticket.resolutionDueAt, met: ticket.status.isOpen ? nil : ticket.resolvedAt ?? ticket.updatedAt,
                                    paused: paused, now: now, zone: zone, text: text),
            "sla": ticket.status.isOpen ? ticket.slaStanding(at: now, atRiskFraction: AgentController.atRiskFraction).rawValue : "none",
            "paused": paused,
            "approvalPending": approval == .pending,
        ] as [String: Any]
        // Absent rather than empty: an empty string still opens a Mustache section.
        if let approval, var facts = values["ticket"] as? [String: Any] {
            facts["approval"] = text["approval_\(approval.rawValue)"]
            values["ticket"] = facts
        }
        values["transcript"] = transcript
        values["history"] = history
        values["stamp"] = "\(events.last?.id ?? 0).\(messages.count)"
        values["fieldStamp"] = Self.fieldStamp(events)
        values["canWork"] = canWork && ticket.status.isOpen
        if canWork {
            values["controls"] = try await controls(for: ticket, text: text)
        }
        return values
    }

    /// The first line of a long text (at most 120 characters), or nil when the text is short enough to show whole.
    static func fold(_ text: String) -> String? {
        guard text.count > 240 || text.split(separator: "\n").count > 4 else { return nil }
        let first = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? text
        return first.count > 120 ? String(first.prefix(120)) + "…" : first
    }

    /// The select boxes, each with only the values the API would accept for this ticket: the current
    /// status and the ones its lifecycle allows next, the teams of `firstline.yml`, active agents and admins.
    private func controls(for ticket: Ticket, text: ConsoleText) async throws -> [String: Any] {
        func options(_ values: [String], _ current: String, label: (String) -> String = { $0 }) -> [[String: Any]] {
            values.map { ["value": $0, "label": label($0), "selected": $0 == current] as [String: Any] }
        }
        let statuses = TicketStatus.allCases.filter { $0 == ticket.status || ticket.status.canTransition(to: $0) }.map(\.rawValue)
        var teams = policy.teams.map(\.id)
        if let team = ticket.team, !teams.contains(team) { teams.append(team) }
        var agents = try await store.accounts().filter { !$0.isDisabled && $0.role.permissions.contains(.workTickets) }.map(\.name)
        if let assignee = ticket.assignee, !agents.contains(assignee) { agents.append(assignee) }
        return [
            "statuses": options(statuses, ticket.status.rawValue) { text["status_\($0)"] },
            "priorities": options(TicketPriority.allCases.map(\.rawValue), ticket.priority.rawValue),
            "categories": options(AgentController.categories, ticket.category.rawValue) { text["category_\($0)"] },
            "teams": options(teams, ticket.team ?? ""),
            "agents": options(agents, ticket.assignee ?? ""),
        ]
    }

    /// "in 2h 5m", "overdue by 1h", "met", "paused": the SLA target as an agent reads it, with the due
    /// time in the viewer's zone beside it.
    func countdown(due: Date?, met: Date?, paused: Bool, now: Date, zone: TimeZone, text: ConsoleText) -> [String: Any] {
        if let met {
            return ["label": text["slaMet"], "at": Self.format(met, zone) ?? "", "state": "met"]
        }
        guard let due else { return ["label": "–", "at": "", "state": "none"] }
        let at = Self.format(due, zone) ?? ""
        if paused { return ["label": text["slaPaused"], "at": at, "state": "paused"] }
        let left = due.timeIntervalSince(now)
        if left >= 0 {
            return ["label": text["slaIn"].replacingOccurrences(of: "{d}", with: Self.duration(left, text)), "at": at, "state": "running"]
        }
        return ["label": text["slaOverdue"].replacingOccurrences(of: "{d}", with: Self.duration(-left, text)), "at": at,
                "state": "breached"]
    }

    static func duration(_ seconds: TimeInterval, _ text: ConsoleText) -> String {
        let minutes = Int(seconds / 60)
        let days = minutes / 1440, hours = (minutes % 1440) / 60, rest = minutes % 60
        var parts: [String] = []
        if days > 0 { parts.append(text["unitDays"].replacingOccurrences(of: "{n}", with: String(days))) }
        if hours > 0 { parts.append(text["unitHours"].replacingOccurrences(of: "{n}", with: String(hours))) }
        if days == 0 { parts.append(text["unitMinutes"].replacingOccurrences(of: "{n}", with: String(rest))) }
        return parts.joined(separator: text.language == .ja ? "" : " ")
    }

    /// One form for the five fields: only the fields whose value differs from the ticket's are sent on,
    /// so saving an untouched form writes nothing. A form older than the ticket's last change is refused
    /// (someone else changed it meanwhile) rather than silently undoing that change.
    func change(_ request: Request, number: String) async throws -> Response {
        guard let signed = try await sessions.current(request) else { return ConsoleRenderer.redirect("/console/login") }
        let form = try await FormBody.read(request)
        guard ConsoleSessions.validCSRF(form["csrf"], signed.csrf) else {
            return message(request, signed, "staleForm", status: .forbidden)
        }
        guard signed.principal.can(.workTickets) else { return forbidden(request, signed) }
        guard number.count <= 32, let ticket = try await store.ticket(number: number) else {
            return message(request, signed, "notFound", status: .notFound)
        }
        let text = ConsoleText(language: language(request))
        let path = "/console/tickets/\(ticket.number)"
        guard form["stamp"] == Self.fieldStamp(try await store.history(number: ticket.number)) else {
            return message(request, signed, text: text["staleTicket"], back: path, status: .conflict)
        }
        var body: [String: JSONValue] = [:]
        let current: [String: String] = ["status": ticket.status.rawValue, "priority": ticket.priority.rawValue,
                                         "category": ticket.category.rawValue, "team": ticket.team ?? "",
                                         "assignee": ticket.assignee ?? ""]
        for field in AgentController.patchFields {
            guard let sent = form[field]?.trimmingCharacters(in: .whitespaces), sent != current[field] else { continue }
            // An empty team or assignee means "none", as `null` does in the API.
            body[field] = sent.isEmpty && (field == "team" || field == "assignee") ? .null : .string(sent)
        }
        guard !body.isEmpty else { return ConsoleRenderer.redirect(path + "?done=unchanged") }
        do {
            let changes = try await agents.changes(to: ticket, body)
            let actor = TicketActor.agent(signed.principal.name)
            _ = try await conversations.applyAgentUpdates(
                ticketNumber: ticket.number, changes.map { TicketUpdate(ticketNumber: ticket.number, change: $0, actor: actor) })
        } catch let error as AppError {
            return message(request, signed, text: refusal(error, text), back: path, status: error.status)
        } catch let error as StoreError {
            return message(request, signed, text: "\(text["refused"]) (\(error))", back: path, status: .conflict)
        }
        return ConsoleRenderer.redirect(path + "?done=changed")
    }

    /// The API's refusal in the viewer's language; the field and values are the API's words.
    func refusal(_ error: AppError, _ text: ConsoleText) -> String {
        switch error {
        case let .invalidField(field, _):
            // English puts the field's label mid-sentence, lower-case; Korean and Japanese have no case.
            text["badValue"].replacingOccurrences(of: "{field}", with: text.language == .en ? text[field].lowercased() : text[field])
        case let .invalidTransition(from, to):
            text["badTransition"].replacingOccurrences(of: "{from}", with: from).replacingOccurrences(of: "{to}", with: to)
        case let .reopenWindowPassed(days):
            text["reopenPassed"].replacingOccurrences(of: "{n}", with: String(days))
        case .forbidden: text["forbidden"]
        default: text["refused"]
        }
    }

    /// A refusal page that says why nothing changed, with a link back.
    func message(_ request: Request, _ signed: ConsoleSessions.Signed, text message: String, back: String,
                 status: HTTPResponse.Status) -> Response {
        let language = language(request)
        var values = base(request, language: language, signed: signed, title: ConsoleText(language: language)["refusedTitle"],
                          current: "")
        values["text"] = message
        values["back"] = back
        return renderer.page("message", values, status: status)
    }
}
