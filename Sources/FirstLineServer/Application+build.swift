import FirstLineContent
import FirstLineCore
import FirstLineMessengers
import FirstLineStore
import Foundation
import Hummingbird
import Logging

/// Where the server listens and what it serves; every field has the default of design §6.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var knowledgeBase = URL(fileURLWithPath: "KnowledgeBase")
    public var intents = URL(fileURLWithPath: "Intents")
    public var dialogue = DialogueSettings()
    /// How often the content folders are checked for changes made on disk; nil turns it off.
    public var contentCheckInterval: Duration? = .seconds(3)
    /// The bootstrap admin token (`FIRSTLINE_ADMIN_TOKEN`), read once by `firstline serve`; nil or empty
    /// means there is none, and accounts are created with `firstline users add`.
    public var adminToken: String?
    /// How many days after its resolution a ticket may still be reopened, by the employee or an agent.
    public var reopenWindowDays = 7
    /// The messengers whose secrets are set (`FIRSTLINE_*` variables, design §6); the others' webhooks answer 404.
    public var messengers = MessengerConfiguration()
    /// Whether the inbox worker answers what the webhooks commit. Off (`firstline serve --hold-inbox`),
    /// events are still verified, committed and acknowledged, and wait in the inbox until a server
    /// with processing on starts: for maintenance of the content, and for measuring acknowledgement alone.
    public var processesInbox = true
    /// How often the inbox and outbox workers look for work when no webhook woke them.
    public var workerInterval: Duration = .milliseconds(500)
    /// Backoff and the age after which an undeliverable message is given up (with a ticket note).
    public var outboxRetry = RetryPolicy()

    public init() {}
}

/// What the server is built from: the things tests replace.
public struct ServerDependencies: Sendable {
    public var database: AppDatabase
    public var clock: any ServerClock
    public var logger: Logger
    /// Sends to the platform APIs; nil when no messenger is configured.
    public var messengerClient: MessengerClient?

    public init(database: AppDatabase, clock: any ServerClock = SystemClock(), logger: Logger,
                messengerClient: MessengerClient? = nil) {
        self.database = database
        self.clock = clock
        self.logger = logger
        self.messengerClient = messengerClient
    }
}

/// The composition root: every service, controller and route of the server is wired here, and
/// nowhere else. `firstline serve` and the tests call the same function.
public enum FirstLineApplication {
    public struct Parts: Sendable {
        public var library: ContentLibrary
        public var conversations: ConversationService
        /// Checks bearer tokens for every `/api/v1/...` route that needs one.
        public var authenticator: Authenticator
    }

    public static func makeParts(configuration: ServerConfiguration, dependencies: ServerDependencies) -> Parts {
        let library = ContentLibrary(knowledgeBase: configuration.knowledgeBase, intents: configuration.intents,
                                     settings: configuration.dialogue, feedback: dependencies.database,
                                     tickets: dependencies.database, clock: dependencies.clock)
        let conversations = ConversationService(database: dependencies.database, library: library,
                                                settings: configuration.dialogue, clock: dependencies.clock,
                                                logger: dependencies.logger,
                                                reopenWindow: TimeInterval(max(0, configuration.reopenWindowDays)) * 86_400)
        let authenticator = Authenticator(accounts: dependencies.database, bootstrapToken: configuration.adminToken,
                                          logger: dependencies.logger)
        return Parts(library: library, conversations: conversations, authenticator: authenticator)
    }

    public static func build(configuration: ServerConfiguration,
                             dependencies: ServerDependencies) -> some ApplicationProtocol {
        let parts = makeParts(configuration: configuration, dependencies: dependencies)
        let router = Router(context: AppRequestContext.self)
        router.addMiddleware {
            LogRequestsMiddleware(.debug)
        }
        HealthController(database: dependencies.database, library: parts.library).addRoutes(to: router)
        ChatController(service: parts.conversations, database: dependencies.database, clock: dependencies.clock)
            .addRoutes(to: router)
        AgentController(database: dependencies.database, conversations: parts.conversations,
                        authenticator: parts.authenticator, clock: dependencies.clock, sla: configuration.dialogue.sla)
            .addRoutes(to: router)
        UsersController(accounts: AccountService(accounts: dependencies.database), database: dependencies.database,
                        authenticator: parts.authenticator, clock: dependencies.clock)
            .addRoutes(to: router)
        let inboxWakeUp = WakeUp(), outboxWakeUp = WakeUp()
        WebhookController(messengers: configuration.messengers, conversations: parts.conversations,
                          client: dependencies.messengerClient, inbox: inboxWakeUp, clock: dependencies.clock,
                          logger: dependencies.logger)
            .addRoutes(to: router)
        let authenticator = parts.authenticator
        KnowledgeBaseController(
            editor: KnowledgeBaseEditor(directory: configuration.knowledgeBase, library: parts.library),
            requireEditor: { request in _ = try await authenticator.authorize(request, .editKnowledgeBase) }
        ).addRoutes(to: router)
        if let token = configuration.adminToken, !token.isEmpty, token.count < 32 {
            // Still accepted (operators and scripts rely on the variable), but a short token can be guessed.
            dependencies.logger.warning("FIRSTLINE_ADMIN_TOKEN is shorter than 32 characters; use a long random token")
        }

        var app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "FirstLine"),
            logger: dependencies.logger
        )
        if configuration.processesInbox {
            app.addServices(InboxWorker(conversations: parts.conversations, wakeUp: inboxWakeUp, outbox: outboxWakeUp,
                                        interval: configuration.workerInterval))
        } else {
            dependencies.logger.warning("inbox processing is held: webhook events are stored but not answered")
        }
        if let client = dependencies.messengerClient, !configuration.messengers.enabledPlatforms.isEmpty {
            app.addServices(OutboxWorker(database: dependencies.database, messengers: configuration.messengers, client: client,
                                         clock: dependencies.clock, policy: configuration.outboxRetry, wakeUp: outboxWakeUp,
                                         interval: configuration.workerInterval, logger: dependencies.logger))
        }
        if let interval = configuration.contentCheckInterval {
            app.addServices(ContentWatcher(library: parts.library, folders: [configuration.knowledgeBase, configuration.intents],
                                           interval: interval, logger: dependencies.logger))
        }
        app.beforeServerStarts {
            // Content is loaded before the port opens: a knowledge base with errors stops the
            // start with every problem listed, instead of a bot that cannot answer.
            let snapshot = try await parts.library.reload()
            dependencies.logger.info("content loaded", metadata: [
                "articles": "\(snapshot.content.articles.count)", "intents": "\(snapshot.content.intents.count)",
            ])
            // Messages acknowledged before a crash or restart are answered now.
            guard configuration.processesInbox else { return }
            let resumed = await parts.conversations.processPending()
            if resumed > 0 { dependencies.logger.info("resumed pending inbox events", metadata: ["count": "\(resumed)"]) }
        }
        return app
    }
}

/// `/healthz` (the process is up) and `/readyz` (database and content ready), design §6.
struct HealthController {
    let database: AppDatabase
    let library: ContentLibrary

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in try JSONBody.response(["status": "ok"]) }
        router.get("/readyz") { _, _ in
            do {
                try await database.checkReady()
            } catch {
                throw AppError.notReady("database")
            }
            guard await library.isLoaded else { throw AppError.notReady("knowledge base") }
            return try JSONBody.response(["status": "ready"])
        }
    }
}
