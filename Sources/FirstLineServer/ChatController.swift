import FirstLineCore
import FirstLineStore
import Foundation
import Hummingbird

/// The web chat of design §6: `POST /api/v1/chat/sessions` issues a session (issue 15),
/// `POST /api/v1/chat/messages` sends a text or a button press and answers with the bot's replies;
/// `GET /api/v1/chat/messages?session=` collects messages that arrived since (an agent's answer
/// relayed to the employee). The session comes in the body or query, or else in the page's cookie;
/// one the server never issued is `unknown_session`.
struct ChatController {
    static let bodyLimit = 16 * 1024
    static let textLimit = 2000
    static let sessionLimit = 128

    let service: ConversationService
    let database: any OutboxRepository
    let clock: any ServerClock
    let signOn: WebSignOn
    let sessions: WebSession
    let limiter: RateLimiter
    let metrics: ServerMetrics

    struct SendRequest: Decodable {
        var session: String?
        var text: String?
        var action: String?
    }

    /// A reply as the web chat gets it: the text, and the same as escaped HTML with the articles'
    /// Markdown formatting (the page shows `html`; other clients may use `text`).
    struct WebReply: Encodable {
        var text: String
        var html: String
        var buttons: [ReplyButton]
        var articles: [ArticleReference]

        init(_ reply: Reply) {
            text = reply.text
            html = InlineMarkdown.html(reply.text)
            buttons = reply.buttons
            articles = reply.articles
        }
    }

    /// 202: the message is stored and will be answered; its replies arrive by polling.
    struct Accepted: Encodable {
        var session: String
        var replies: [WebReply]
    }

    struct ChatResponse: Encodable {
        var session: String
        var replies: [WebReply]
        var state: String
        var ticket: String?

        enum CodingKeys: String, CodingKey { case session, replies, state, ticket }

        /// `ticket` is always present, as null when no ticket is open (design §6).
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(session, forKey: .session)
            try container.encode(replies, forKey: .replies)
            try container.encode(state, forKey: .state)
            try container.encode(ticket, forKey: .ticket)
        }
    }

    struct SessionResponse: Encodable {
        var session: String
    }

    struct PollResponse: Encodable {
        var session: String
        var replies: [WebReply]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/chat") { request, _ in
            // Behind the company's sign-on the page greets the person and asks for no name.
            guard let value = try signOn.signedInValue(request) else { return ChatPage.response() }
            return ChatPage.response(signedInAs: try await signOn.person(for: value))
        }
        router.get("/chat/chat.js") { _, _ in ChatPage.asset(ChatPage.script, type: "text/javascript; charset=utf-8") }
        router.get("/chat/chat.css") { _, _ in ChatPage.asset(ChatPage.style, type: "text/css; charset=utf-8") }
        router.post("/api/v1/chat/sessions") { request, context in try await startSession(request, context) }
        router.post("/api/v1/chat/messages") { request, _ in try await send(request) }
        router.get("/api/v1/chat/messages") { request, _ in try await poll(request) }
    }

    /// Issues a session: `{"session": …}` (201), and the same in the page's HttpOnly cookie. Its body, if
    /// any, is ignored; the per-address limit (`sessions_per_ip`) is checked by `RateLimitMiddleware`.
    func startSession(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try await sessions.issue()
        var response = try JSONBody.response(SessionResponse(session: session), status: .created)
        response.setCookie(WebSession.cookie(session, secure: context.client?.isHTTPS ?? false))
        return response
    }

    func send(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(SendRequest.self, from: request, limit: Self.bodyLimit)
        let resolved = try await sessions.resolve(explicit: body.session, request: request)
        let session = resolved.session, key = resolved.key
        // One person types; a script floods: each session has its own bucket (`chat_per_session`).
        if let wait = await limiter.admit(.chatSession, key) {
            metrics.rateLimited(RateLimiter.Scope.chatSession.rawValue)
            throw AppError.rateLimited(retryAfter: wait)
        }
        // Everything is checked before anything is stored: a refused request leaves no trace.
        let content: InboundMessage.Content
        switch (body.text, body.action) {
        case let (text?, nil):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw AppError.emptyText }
            guard trimmed.count <= Self.textLimit else { throw AppError.textTooLong(limit: Self.textLimit) }
            content = .text(trimmed)
        case let (nil, action?):
            guard ButtonAction(rawValue: action) != nil || DeskAction(rawValue: action) != nil else {
                throw AppError.unknownButton(action)
            }
            guard try await service.hasConversation(platform: .web, conversationKey: key) else { throw AppError.unknownSession }
            content = .button(action)
        default:
            throw AppError.invalidRequest("send exactly one of 'text' or 'action'")
        }
        try await signOn.claim(key: key, request: request)
        let message = InboundMessage(platform: .web, eventID: UUID().uuidString, conversationKey: key, userID: key,
                                     displayName: "Web chat", content: content)
        guard let result = try await service.receive(message) else {
            // Stored, but answered elsewhere: with several replicas, another one may still be answering this
            // session's previous message. The reply comes to the page's poll (GET), so this is accepted,
            // not an error.
            return try JSONBody.response(Accepted(session: session, replies: []), status: .accepted)
        }
        // The replies are delivered in this response, so their outbox rows are done.
        for id in result.outboxIDs {
            _ = try await database.markSending(id: id)
            try await database.markSent(id: id, at: clock.now())
        }
        return try JSONBody.response(ChatResponse(session: session, replies: result.replies.map(WebReply.init),
                                                  state: result.phase.rawValue, ticket: result.ticketNumber))
    }

    func poll(_ request: Request) async throws -> Response {
        let resolved = try await sessions.resolve(explicit: request.uri.queryParameters["session"].map(String.init),
                                                  request: request)
        let session = resolved.session
        try await signOn.checkOwner(key: resolved.key, request: request)
        var replies: [Reply] = []
        for row in try await database.pending(platform: .web, conversationKey: resolved.key) {
            guard let id = row.id else { continue }
            _ = try await database.markSending(id: id)
            if let envelope = OutboundEnvelope.decode(row.payload) { replies.append(envelope.reply) }
            try await database.markSent(id: id, at: clock.now())
        }
        return try JSONBody.response(PollResponse(session: session, replies: replies.map(WebReply.init)))
    }

    static func validSession(_ session: String) throws -> String {
        guard !session.isEmpty, session.count <= sessionLimit else {
            throw AppError.invalidRequest("'session' must be 1 to \(sessionLimit) characters")
        }
        guard session.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw AppError.invalidRequest("'session' must not contain control characters")
        }
        return session
    }
}
