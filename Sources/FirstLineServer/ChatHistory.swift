import FirstLineCore
import FirstLineStore
import Foundation
import Hummingbird

/// The web chat's own page state (issue 16): the conversation so far when the page is opened
/// again, and the employee's optional name and e-mail, which tickets show as the requester.
///
/// - `GET /api/v1/chat/history?session=` → `{"session","messages":[{"author","text","buttons","at"}],"state","ticket"}`
/// - `POST /api/v1/chat/profile` with `{"session","name"?,"email"?}` → `{"session","name","email"}`
struct ChatHistoryController {
    static let nameLimit = 100
    static let emailLimit = 254

    let store: any ConversationStore & OutboxRepository
    let clock: any ServerClock
    let signOn: WebSignOn
    let sessions: WebSession

    struct Line: Encodable {
        var author: String
        var text: String
        /// Escaped HTML: the bot's and agents' Markdown formatted, the employee's words as written.
        var html: String
        var buttons: [ReplyButton]
        /// ISO 8601 in UTC, as every time in the API; the page shows it in the reader's zone.
        var at: String
    }

    struct HistoryResponse: Encodable {
        var session: String
        var messages: [Line]
        var state: String
        var ticket: String?

        enum CodingKeys: String, CodingKey { case session, messages, state, ticket }

        /// `ticket` is always present, as null when no ticket is open (like the send answer).
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(session, forKey: .session)
            try container.encode(messages, forKey: .messages)
            try container.encode(state, forKey: .state)
            try container.encode(ticket, forKey: .ticket)
        }
    }

    struct ProfileRequest: Decodable {
        var session: String?
        var name: String?
        var email: String?
    }

    struct ProfileResponse: Encodable {
        var session: String
        var name: String
        var email: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/v1/chat/history") { request, _ in try await history(request) }
        router.post("/api/v1/chat/profile") { request, _ in try await profile(request) }
    }

    /// The transcript in order, each bot line with its buttons. What was waiting for the page's
    /// next poll is in it, so those rows are marked delivered here and not shown twice.
    func history(_ request: Request) async throws -> Response {
        let resolved = try await sessions.resolve(explicit: request.uri.queryParameters["session"].map(String.init),
                                                  request: request)
        let session = resolved.session, key = resolved.key
        guard let conversation = try await store.conversation(platform: .web, conversationKey: key),
              let conversationID = conversation.id else {
            // Issued, nothing said yet: an empty transcript (the page shows its greeting).
            return try JSONBody.response(HistoryResponse(session: session, messages: [], state: DialoguePhase.idle.rawValue,
                                                         ticket: nil))
        }
        try await signOn.checkOwner(key: key, request: request)
        for row in try await store.pending(platform: .web, conversationKey: key) {
            guard let id = row.id else { continue }
            _ = try await store.markSending(id: id)
            try await store.markSent(id: id, at: clock.now())
        }
        let lines = try await store.messages(conversationID: conversationID).map { message in
            Line(author: message.author.rawValue, text: message.text,
                 html: message.author == .employee ? InlineMarkdown.escapeHTML(message.text) : InlineMarkdown.html(message.text),
                 buttons: message.payload.flatMap(OutboundEnvelope.decode)?.reply.buttons ?? [], at: message.createdAt.formatted(.iso8601))
        }
        let state = ConversationStateCodec().decode(conversation.state)
        let ticket = [.ticketOpen, .withAgent].contains(state.phase) ? state.ticketNumber : nil
        return try JSONBody.response(HistoryResponse(session: session, messages: lines, state: state.phase.rawValue,
                                                     ticket: ticket))
    }

    /// Sets the name and e-mail the employee typed; an empty field clears the e-mail or keeps the name.
    func profile(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(ProfileRequest.self, from: request, limit: ChatController.bodyLimit)
        let resolved = try await sessions.resolve(explicit: body.session, request: request)
        let session = resolved.session, key = resolved.key
        if signOn.isConfigured, try signOn.signedInValue(request) != nil {
            throw AppError.conflict("the name and e-mail come from the company sign-on and cannot be changed here")
        }
        let name = try Self.cleanName(body.name)
        let email = try Self.cleanEmail(body.email)
        guard try await store.conversation(platform: .web, conversationKey: key) != nil,
              var employee = try await store.employee(platform: .web, platformUserID: key) else {
            throw AppError.unknownSession
        }
        if let name { employee.displayName = name }
        if let email { employee.email = email.isEmpty ? nil : email }
        let saved = try await store.updateEmployee(employee)
        return try JSONBody.response(ProfileResponse(session: session, name: saved.displayName, email: saved.email))
    }

    /// Nil when not sent or blank (the name is kept); otherwise trimmed and checked.
    static func cleanName(_ name: String?) throws -> String? {
        guard let name = name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { return nil }
        guard name.count <= nameLimit, name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw AppError.invalidField(field: "name", reason: "must be at most \(nameLimit) characters, without control characters")
        }
        return name
    }

    /// Nil when not sent, "" to clear it, otherwise a checked address.
    static func cleanEmail(_ email: String?) throws -> String? {
        guard let email = email?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        if email.isEmpty { return "" }
        guard email.count <= emailLimit, AgentController.looksLikeEmail(email) else {
            throw AppError.invalidField(field: "email", reason: "is not an e-mail address")
        }
        return email
    }
}
