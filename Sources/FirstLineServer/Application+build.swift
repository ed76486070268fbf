import FirstLineContent
import FirstLineCore
import FirstLineMessengers
import FirstLineStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

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
    /// `FIRSTLINE_ADMIN_TOKEN_PREVIOUS`: the bootstrap token being replaced, accepted too until it is unset.
    public var previousAdminToken: String?
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
    /// Teams, agents, calendars, SLA targets, reassignment and approvals (`firstline.yml`).
    public var desk = DeskPolicy.standard
    /// How often the desk looks for due timers and queues to drain.
    public var deskInterval: Duration = .seconds(15)
    /// `web_chat.sign_on_header`: the header a sign-on proxy sets to the person's e-mail or directory id.
    public var webChatSignOnHeader: String?
    /// `incidents:` in firstline.yml: when similar reports make a suspected incident.
    public var incidents = SpikeThresholds()
    /// How often the incident watch looks at the reports.
    public var incidentInterval: Duration = .seconds(30)
    /// The pauses before a worker that threw (or returned) is started again.
    public var workerRestart = RestartBackoff()
    /// Set when several replicas share the store (PostgreSQL): how this one claims shared work and follows
    /// content the others publish. Nil for one process on its SQLite file.
    public var replicas: ReplicaSettings?
    /// `limits:` in firstline.yml: rate limits (429 with Retry-After) and the trusted reverse proxies.
    public var limits = RequestLimits()

    public init() {}
}

/// How one of several replicas that share a PostgreSQL store takes part (issue 13).
public struct ReplicaSettings: Sendable {
    /// The hold on inbox events, outbox rows and desk timers this replica claims; its `holder` names the process.
    public var lease: WorkLease
    /// How often the shared content version is read (articles published on another replica, learning):
    /// what bounds how long another replica answers from older content.
    public var contentPollInterval: Duration

    public init(lease: WorkLease, contentPollInterval: Duration = .seconds(2)) {
        self.lease = lease
        self.contentPollInterval = contentPollInterval
    }

    /// A holder name unique to this process: the host, the process id and a random part (a restarted
    /// process, even one given the same pid in a container, never passes for its previous life).
    public static func processHolder() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    }
}

/// What the server is built from: the things tests replace.
public struct ServerDependencies: Sendable {
    /// The store every part is built on: `AppDatabase` (SQLite) by default.
    public var database: any HelpdeskStore
    public var clock: any ServerClock
    public var logger: Logger
    /// Sends to the platform APIs; nil when no messenger is configured.
    public var messengerClient: MessengerClient?
    /// Counters and gauges for `GET /metrics`.
    public var metrics: ServerMetrics
    /// How a failed worker waits before its restart (`SupervisedService`).
    public var restartSleeper: any RestartSleeper

    public init(database: any HelpdeskStore, clock: any ServerClock = SystemClock(), logger: Logger,
                messengerClient: MessengerClient? = nil, metrics: ServerMetrics = ServerMetrics(),
                restartSleeper: any RestartSleeper = TaskSleeper()) {
        self.restartSleeper = restartSleeper
        self.database = database
        self.clock = clock
        self.logger = logger
        self.messengerClient = messengerClient
        self.metrics = metrics
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
        /// Routing, SLA alarms and approvals.
        public var desk: TicketDesk
        /// Suspected outages from spikes of similar reports.
        public var incidents: IncidentWatch
        /// Tells the employees linked to a resolved incident.
        public var broadcaster: IncidentBroadcaster
        /// Wakes the incident worker (a resolution to broadcast).
        public var incidentWakeUp: WakeUp
    }

    public static func makeParts(configuration: ServerConfiguration, dependencies: ServerDependencies) -> Parts {
        // The engine tells employees due times on the same calendars the desk counts them on.
        var dialogue = configuration.dialogue
        dialogue.reopen = ReopenPolicy(days: configuration.reopenWindowDays)
        dialogue.sla = configuration.desk.sla
        dialogue.slaCalendars = configuration.desk.categoryCalendars
        let library = ContentLibrary(knowledgeBase: configuration.knowledgeBase, intents: configuration.intents,
                                     settings: dialogue, feedback: dependencies.database,
                                     tickets: dependencies.database, clock: dependencies.clock)
        let desk = TicketDesk(store: dependencies.database, policy: configuration.desk, clock: dependencies.clock,
                              logger: dependencies.logger, agentChannel: configuration.messengers.agentChannel,
                              defaultLanguage: dialogue.defaultLanguage, metrics: dependencies.metrics,
                              lease: configuration.replicas?.lease)
        let incidents = IncidentWatch(store: dependencies.database, thresholds: configuration.incidents, clock: dependencies.clock,
                                      logger: dependencies.logger, agentChannel: configuration.messengers.agentChannel,
                                      library: library)
        let conversations = ConversationService(store: dependencies.database, library: library,
                                                settings: dialogue, clock: dependencies.clock,
                                                logger: dependencies.logger, desk: desk, metrics: dependencies.metrics,
                                                lease: configuration.replicas?.lease, incidents: incidents)
        let authenticator = Authenticator(accounts: dependencies.database, bootstrapToken: configuration.adminToken,
                                          previousBootstrapToken: configuration.previousAdminToken,
                                          logger: dependencies.logger)
        let broadcaster = IncidentBroadcaster(store: dependencies.database, conversations: conversations,
                                              clock: dependencies.clock, logger: dependencies.logger)
        return Parts(library: library, conversations: conversations, authenticator: authenticator, desk: desk,
                     incidents: incidents, broadcaster: broadcaster, incidentWakeUp: incidents.resolutions)
    }

    /// Every route and middleware of the server, on the parts of `makeParts`; `build` adds the services.
    /// Tests read `router.routes` from here (the OpenAPI document is checked against them).
    static func makeRouter(configuration: ServerConfiguration, dependencies: ServerDependencies,
                           parts: Parts) -> (Router<AppRequestContext>, inbox: WakeUp, outbox: WakeUp, editor: KnowledgeBaseEditor) {
        let router = Router(context: AppRequestContext.self)
        let limiter = RateLimiter(limits: configuration.limits, clock: dependencies.clock)
        router.addMiddleware {
            // Method, path without the query (it can carry a chat session) and status; never a header.
            RequestLogMiddleware<AppRequestContext>()
            // nosniff, no referrer, no framing on every answer; the CSP on every HTML page.
            SecurityHeadersMiddleware<AppRequestContext>()
            // Every route's errors reach the client one way (AppError's status and JSON body).
            ErrorMappingMiddleware<AppRequestContext>()
            // Per-address limits come before any work (and resolve the client through trusted proxies only).
            RateLimitMiddleware(limiter: limiter, trustedProxies: configuration.limits.trustedProxies, metrics: dependencies.metrics)
        }
        HealthController(database: dependencies.database, library: parts.library, metrics: dependencies.metrics,
                         inbox: parts.conversations.recorder)
            .addRoutes(to: router)
        let signOn = WebSignOn(headerName: configuration.webChatSignOnHeader, store: dependencies.database,
                               clock: dependencies.clock)
        let sessions = WebSession(store: dependencies.database, clock: dependencies.clock)
        ChatController(service: parts.conversations, database: dependencies.database, clock: dependencies.clock,
                       signOn: signOn, sessions: sessions, limiter: limiter, metrics: dependencies.metrics)
            .addRoutes(to: router)
        ChatHistoryController(store: dependencies.database, clock: dependencies.clock, signOn: signOn, sessions: sessions)
            .addRoutes(to: router)
        router.get("/console") { _, _ in ConsolePage.response() }
        router.get("/console/console.js") { _, _ in ChatPage.asset(ConsolePage.script, type: "text/javascript; charset=utf-8") }
        router.get("/console/console.css") { _, _ in ChatPage.asset(ConsolePage.style, type: "text/css; charset=utf-8") }
        router.get("/api/v1/openapi.json") { _, _ in OpenAPIDocument.response() }
        let agents = AgentController(database: dependencies.database, conversations: parts.conversations,
                                     authenticator: parts.authenticator, clock: dependencies.clock, desk: parts.desk,
                                     policy: configuration.desk)
        agents.addRoutes(to: router)
        IncidentController(store: dependencies.database, watch: parts.incidents, authenticator: parts.authenticator,
                           clock: dependencies.clock, library: parts.library, broadcast: parts.incidentWakeUp)
            .addRoutes(to: router)
        // With replicas, a publication is also recorded in the store, and every replica's ContentSync applies it.
        // Every publication is recorded as a version (the editors' console shows them).
        let editor = KnowledgeBaseEditor(directory: configuration.knowledgeBase, library: parts.library,
                                         shared: configuration.replicas == nil ? nil : dependencies.database,
                                         clock: dependencies.clock, versions: dependencies.database)
        if let renderer = try? ConsoleRenderer.bundled() {
            let console = ConsoleController(
                store: dependencies.database,
                sessions: ConsoleSessions(store: dependencies.database, authenticator: parts.authenticator, clock: dependencies.clock),
                renderer: renderer, conversations: parts.conversations, desk: parts.desk,
                reports: ReportBuilder(store: dependencies.database, timeZone: configuration.dialogue.timeZone, policy: configuration.desk),
                library: parts.library, incidents: parts.incidents, clock: dependencies.clock,
                agents: agents, policy: configuration.desk)
            console.addRoutes(to: router)
            EditorConsoleController(console: console, editor: editor, versions: dependencies.database).addRoutes(to: router)
        } else {
            dependencies.logger.error("console templates are missing from the package's resources; /console/login is off")
        }
        ReportsController(store: dependencies.database, authenticator: parts.authenticator,
                          builder: ReportBuilder(store: dependencies.database, timeZone: configuration.dialogue.timeZone,
                                                 policy: configuration.desk),
                          library: parts.library)
            .addRoutes(to: router)
        UsersController(accounts: AccountService(accounts: dependencies.database), database: dependencies.database,
                        authenticator: parts.authenticator, clock: dependencies.clock)
            .addRoutes(to: router)
        let inboxWakeUp = WakeUp(), outboxWakeUp = WakeUp()
        WebhookController(messengers: configuration.messengers, recorder: parts.conversations.recorder,
                          client: dependencies.messengerClient, inbox: inboxWakeUp, clock: dependencies.clock,
                          logger: dependencies.logger, metrics: dependencies.metrics, limiter: limiter)
            .addRoutes(to: router)
        let authenticator = parts.authenticator
        KnowledgeBaseController(
            editor: editor,
            requireEditor: { request in try await authenticator.authorize(request, .editKnowledgeBase) }
        ).addRoutes(to: router)
        if let token = configuration.adminToken, !token.isEmpty, token.count < 32 {
            // Still accepted (operators and scripts rely on the variable), but a short token can be guessed.
            dependencies.logger.warning("FIRSTLINE_ADMIN_TOKEN is shorter than 32 characters; use a long random token")
        }

        return (router, inboxWakeUp, outboxWakeUp, editor)
    }

    /// The routes of the server as `METHOD /path` (path parameters as `{name}`), for the OpenAPI test.
    public static func routeDescriptions(configuration: ServerConfiguration, dependencies: ServerDependencies) -> [String] {
        let parts = makeParts(configuration: configuration, dependencies: dependencies)
        return makeRouter(configuration: configuration, dependencies: dependencies, parts: parts).0.routes.map { "\($0.method) \($0.path)" }
    }

    public static func build(configuration: ServerConfiguration,
                             dependencies: ServerDependencies) -> some ApplicationProtocol {
        let parts = makeParts(configuration: configuration, dependencies: dependencies)
        let (router, inboxWakeUp, outboxWakeUp, editor) = makeRouter(configuration: configuration, dependencies: dependencies, parts: parts)
        var app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "FirstLine"),
            logger: dependencies.logger
        )
        // Every worker runs supervised: one that throws is logged and restarted after a pause, never gone.
        // Shutdown runs in reverse order of this list, right after the server has stopped accepting and
        // finished its requests: the inbox worker first (the turn in progress, not the backlog), then the
        // outbox (the send in progress), the incident watch, the desk and the content watcher.
        let startPoint = StartPoint()
        func supervised(_ name: String, _ worker: any Service) -> SupervisedService {
            SupervisedService(name, worker: worker, backoff: configuration.workerRestart,
                              sleeper: dependencies.restartSleeper, logger: dependencies.logger)
        }
        if let interval = configuration.contentCheckInterval {
            app.addServices(supervised("content-watcher", ContentWatcher(
                library: parts.library, folders: [configuration.knowledgeBase, configuration.intents],
                interval: interval, logger: dependencies.logger)))
        }
        if let replicas = configuration.replicas {
            app.addServices(supervised("content-sync", ContentSync(
                store: dependencies.database, editor: editor, library: parts.library,
                interval: replicas.contentPollInterval, logger: dependencies.logger)))
        }
        app.addServices(supervised("desk", DeskWorker(desk: parts.desk, wakeUp: WakeUp(), outbox: outboxWakeUp,
                                                      interval: configuration.deskInterval)))
        app.addServices(supervised("incidents", IncidentWorker(
            watch: parts.incidents, broadcaster: parts.broadcaster, wakeUp: parts.incidentWakeUp, outbox: outboxWakeUp,
            interval: configuration.incidentInterval, logger: dependencies.logger)))
        if let client = dependencies.messengerClient, !configuration.messengers.enabledPlatforms.isEmpty {
            app.addServices(supervised("outbox", OutboxWorker(
                database: dependencies.database, lease: configuration.replicas?.lease, messengers: configuration.messengers,
                client: client,
                clock: dependencies.clock, policy: configuration.outboxRetry, wakeUp: outboxWakeUp,
                interval: configuration.workerInterval, logger: dependencies.logger, metrics: dependencies.metrics)))
        }
        if configuration.processesInbox {
            // It also resumes, in its first pass, what an earlier process acknowledged and did not answer.
            app.addServices(supervised("inbox", InboxWorker(
                conversations: parts.conversations, start: startPoint, wakeUp: inboxWakeUp, outbox: outboxWakeUp,
                interval: configuration.workerInterval, logger: dependencies.logger)))
        } else {
            dependencies.logger.warning("inbox processing is held: webhook events are stored but not answered")
        }
        app.beforeServerStarts {
            // Content is loaded before the port opens: a knowledge base with errors stops the
            // start with every problem listed, instead of a bot that cannot answer.
            let snapshot = try await parts.library.reload()
            dependencies.logger.info("content loaded", metadata: [
                "articles": "\(snapshot.content.articles.count)", "intents": "\(snapshot.content.intents.count)",
            ])
            // The port is not open yet: every inbox row up to here is an earlier process's, and the inbox
            // worker resumes those (now loaded, the content is shared, not loaded twice).
            let lastInboxID = try await dependencies.database.lastInboxID()
            await startPoint.set(lastInboxID: lastInboxID)
            await inboxWakeUp.signal()
        }
        return app
    }
}

/// `/healthz` (the process is up) and `/readyz` (database and content ready), design §6.
struct HealthController {
    let database: any StoreHealth
    let library: ContentLibrary
    let metrics: ServerMetrics
    /// Its recent refusals count too: a full disk may still take the probe's single page but not a batch.
    let inbox: InboxRecorder

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in try JSONBody.response(["status": "ok"]) }
        router.get("/readyz") { _, _ in
            do {
                try await database.checkReady()
            } catch {
                throw AppError.notReady("database")
            }
            // Reads can work while writes fail (a full disk, a read-only file): a server that cannot commit
            // cannot acknowledge, so it is not ready until a synced write succeeds again.
            do {
                try await database.checkWritable()
            } catch {
                throw AppError.notReady("database writes fail (disk full, read-only or I/O error)")
            }
            if await inbox.refusedRecently {
                throw AppError.notReady("database writes fail (disk full, read-only or I/O error): webhooks refused in the last 10 s")
            }
            guard await library.isLoaded else { throw AppError.notReady("knowledge base") }
            return try JSONBody.response(["status": "ready"])
        }
        router.get("/metrics") { _, _ in
            let text: String
            do {
                text = try await metrics.exposition(database: database)
            } catch {
                throw AppError.notReady("database")
            }
            var fields = HTTPFields()
            fields[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
