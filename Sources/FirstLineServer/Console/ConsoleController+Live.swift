import FirstLineCore
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

// Live refresh without a full reload (issue: console, point 2): `live.js` asks a cheap stamp endpoint
// every few seconds and, when the stamp moved, fetches the page's fragment (the same Mustache partials
// the page is made of) and swaps the parts in. Pages work the same without script.
extension ConsoleController {
    func addLiveRoutes(to router: Router<AppRequestContext>) {
        router.get("/console/assets/live.js") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/javascript; charset=utf-8"
            headers[.cacheControl] = "max-age=3600"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: ConsoleRenderer.liveScript)))
        }
        router.get("/console/queue/version") { request, _ in
            let signed = try await liveReader(request)
            _ = signed
            return try stampResponse(try await queueStamp())
        }
        router.get("/console/queue/live") { request, _ in
            let signed = try await liveReader(request)
            let values = try await queueValues(request, signed)
            return renderer.page("queue-live", values)
        }
        router.get("/console/tickets/{number}/version") { request, context in
            _ = try await liveReader(request)
            let ticket = try await liveTicket(context.parameters.get("number") ?? "")
            return try stampResponse(try await ticketStamp(ticket))
        }
        router.get("/console/tickets/{number}/live") { request, context in
            let signed = try await liveReader(request)
            let ticket = try await liveTicket(context.parameters.get("number") ?? "")
            let values = try await ticketValues(request, signed, ticket: ticket, language: language(request))
            return renderer.page("ticket-live", values)
        }
    }

    /// The script's requests are not pages: without a session they get 401 (JSON, as the API's
    /// errors), not a redirect to the sign-in, so the script stops instead of swapping in a login form.
    private func liveReader(_ request: Request) async throws -> ConsoleSessions.Signed {
        guard let signed = try await sessions.current(request) else { throw AppError.unauthorized("sign in to the console") }
        guard signed.principal.can(.readAllTickets) else {
            throw AppError.forbidden("the \(signed.principal.role.rawValue) role may not read tickets")
        }
        return signed
    }

    private func liveTicket(_ number: String) async throws -> Ticket {
        guard number.count <= 32, let ticket = try await store.ticket(number: number) else {
            throw AppError.notFound("ticket \(number.prefix(32))")
        }
        return ticket
    }

    /// The queue's stamp: the newest history event of any ticket (every new ticket, change, reply, SLA
    /// alarm writes one) and the open incidents as they stand.
    func queueStamp() async throws -> String {
        let latest = try await store.latestTicketEventID()
        let incidents = try await store.incidents(openOnly: true, limit: 20)
        let picture = incidents.map { "\($0.id ?? 0):\($0.status.rawValue):\($0.reporters):\($0.notice?.texts.count ?? 0)" }
        return "\(latest).\(ConsoleSessions.hash(picture.joined(separator: ",")).prefix(12))"
    }

    private func stampResponse(_ stamp: String) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = try JSONEncoder().encode(["stamp": stamp])
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension ConsoleRenderer {
    static let liveScript: String = {
        guard let url = Bundle.module.url(forResource: "live", withExtension: "js"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()
}
