import ArgumentParser
import AsyncHTTPClient
import FirstLineContent
import FirstLineCore
import FirstLineMessengers
import FirstLineServer
import FirstLineStore
import Foundation
import Hummingbird
import Logging

/// `firstline serve`: the whole bot on one port (design §6). With no options it uses the
/// defaults a newcomer needs: `./firstline.sqlite`, `./KnowledgeBase`, `./Intents`, and the
/// web chat at http://127.0.0.1:8080/chat.
struct ServeCommand: AsyncParsableCommand {
    /// The client for the platforms' APIs: HTTPClient.shared's settings but without an idle read timeout. The
    /// fuzz harness (issue 15, 7 d) crashed `serve` with AsyncHTTPClient 1.37's precondition "Waiting for response
    /// data must start after request head was sent" in the idle-read timer's state machine, which exists only when a
    /// read timeout is set; MessengerClient already bounds every call with its own 10 s deadline, so the idle
    /// timer added nothing. Lives as long as the process (never shut down, like `.shared`).
    static let platformHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.timeout = .init(connect: .seconds(10), read: nil)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the helpdesk bot: web chat, APIs and workers on one port."
    )

    @OptionGroup var paths: StoragePaths

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port: Int = 8080

    @Option(help: "Optional settings file (firstline.yml).")
    var config: String?

    @Flag(help: "Store and acknowledge webhook events but do not answer them until a restart without this flag.")
    var holdInbox = false

    /// `FIRSTLINE_LEASE_SECONDS`: how long a replica's claim on shared work holds before another replica takes
    /// it over (default 30 s: longer than a platform request with its timeout and retries of one send).
    static func leaseSeconds(environment: [String: String]) throws -> TimeInterval {
        guard let text = environment["FIRSTLINE_LEASE_SECONDS"] else { return 30 }
        guard let seconds = TimeInterval(text), seconds >= 1, seconds <= 3600 else {
            throw CommandFailure("FIRSTLINE_LEASE_SECONDS must be a number of seconds between 1 and 3600, not \(text)")
        }
        return seconds
    }

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "firstline")
        var configuration = try paths.serverConfiguration(configFile: config)
        configuration.host = host
        configuration.port = port
        configuration.processesInbox = !holdInbox
        // Read here, once: handlers never look at the environment (design §6, FIRSTLINE_ADMIN_TOKEN).
        configuration.adminToken = ProcessInfo.processInfo.environment["FIRSTLINE_ADMIN_TOKEN"]
        // During a rotation the old token keeps working until this variable is removed and the server restarted.
        configuration.previousAdminToken = ProcessInfo.processInfo.environment["FIRSTLINE_ADMIN_TOKEN_PREVIOUS"]
        let environment = ProcessInfo.processInfo.environment
        // The lock keeps a second `serve` off this SQLite file: two processes' workers would race over one inbox.
        let opened = try await paths.openStore(environment: environment, logger: logger, lockPurpose: "firstline serve")
        defer { opened.close() }
        if try paths.storeLocation(environment: environment).isShared {
            // Other replicas may share this database: work is claimed under a lease, content is followed.
            let lease = WorkLease(holder: ReplicaSettings.processHolder(),
                                  duration: try Self.leaseSeconds(environment: environment))
            configuration.replicas = ReplicaSettings(lease: lease)
            logger.info("replica on a shared database", metadata: ["replica": "\(lease.holder)",
                                                                   "lease_s": "\(lease.duration)"])
        }
        let database = opened.store
        var messengerClient: MessengerClient?
        do {
            configuration.messengers = try MessengerConfiguration.fromEnvironment(environment)
            if !configuration.messengers.enabledPlatforms.isEmpty {
                messengerClient = try MessengerClient(configuration: configuration.messengers, httpClient: Self.platformHTTPClient,
                                                      logger: logger)
            }
        } catch {
            throw CommandFailure("messenger settings: \(error)")
        }
        for platform in configuration.messengers.enabledPlatforms.sorted(by: { $0.rawValue < $1.rawValue }) {
            logger.info("messenger enabled", metadata: ["platform": "\(platform.rawValue)"])
        }
        let app = FirstLineApplication.build(configuration: configuration,
                                             dependencies: ServerDependencies(database: database, logger: logger,
                                                                              messengerClient: messengerClient))
        let limits = configuration.limits
        logger.info("rate limits", metadata: [
            "webhook_per_ip": "\(limits.webhookPerIP)", "webhook_per_sender": "\(limits.webhookPerSender)",
            "chat_per_ip": "\(limits.chatPerIP)", "chat_per_session": "\(limits.chatPerSession)",
            "sessions_per_ip": "\(limits.sessionsPerIP)", "login_failures_per_ip": "\(limits.loginFailuresPerIP)",
            "trusted_proxies": "\(limits.trustedProxies.joined(separator: ","))",
        ])
        logger.info("web chat at http://\(host):\(port)/chat")
        // SIGTERM/SIGINT: stop accepting, finish in-flight requests and the current turn, exit 0 within 5 s.
        do {
            try await ServerRunner.run(app, logger: logger)
        } catch {
            throw CommandFailure("firstline serve stopped: \(error)")
        }
    }
}

/// The options that say where the data and the content are, shared by `serve` and `chat`.
struct StoragePaths: ParsableArguments {
    @Option(help: ArgumentHelp(
        "SQLite database file (created when missing), or postgres://user@host:5432/database for a server that several replicas share.",
        discussion: "Without --db: FIRSTLINE_DATABASE_URL, else firstline.sqlite. The password comes from the URL or PGPASSWORD."))
    var db: String?

    @Option(help: "Knowledge-base folder.")
    var kb: String = "KnowledgeBase"

    @Option(help: "Intents folder.")
    var intents: String = "Intents"

    static let defaultConfigFile = "firstline.yml"

    /// The store `serve` runs on: `--db`, else `FIRSTLINE_DATABASE_URL`, else `firstline.sqlite`.
    func storeLocation(environment: [String: String]) throws -> StoreLocation {
        do {
            return try StoreLocation(option: db, environment: environment)
        } catch {
            throw CommandFailure("database: \(error)")
        }
    }

    /// Opens the store of `storeLocation`, migrated; a store it cannot open or reach is an error at start.
    /// With `lockPurpose`, a SQLite file is first locked for this process (see `DatabaseLock`).
    func openStore(environment: [String: String], logger: Logger, lockPurpose: String? = nil) async throws -> OpenedStore {
        let location = try storeLocation(environment: environment)
        do {
            let opened = try await location.open(logger: logger, lockPurpose: lockPurpose)
            logger.info("database opened", metadata: ["database": "\(location)"])
            return opened
        } catch let failure as DatabaseLock.Failure {
            if case .held = failure {
                throw CommandFailure("cannot start on \(location): \(failure). Only one firstline serve may run on a "
                    + "SQLite file; stop the other one, or use PostgreSQL for several replicas.")
            }
            throw CommandFailure("cannot open the database \(location): \(failure)")
        } catch {
            throw CommandFailure("cannot open the database \(location): \(error)")
        }
    }

    /// The SQLite file of `chat`, which runs in one process and so has no use for a shared server.
    func openDatabase() throws -> AppDatabase {
        let location = try storeLocation(environment: ProcessInfo.processInfo.environment)
        guard case let .sqlite(path) = location else {
            throw CommandFailure("firstline chat runs on a SQLite file; a PostgreSQL database is for firstline serve and users")
        }
        do {
            return try AppDatabase.open(path: path)
        } catch {
            throw CommandFailure("cannot open the database \(path): \(error)")
        }
    }

    func serverConfiguration(configFile: String?) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.knowledgeBase = URL(fileURLWithPath: kb)
        configuration.intents = URL(fileURLWithPath: intents)
        // Without --config, a firstline.yml in the working folder is used when there is one.
        let file = configFile ?? (FileManager.default.fileExists(atPath: Self.defaultConfigFile) ? Self.defaultConfigFile : nil)
        if let file {
            do {
                let settings = try SettingsFile.load(URL(fileURLWithPath: file))
                configuration.dialogue = settings.dialogue
                configuration.desk = settings.desk
                configuration.webChatSignOnHeader = settings.webChatSignOnHeader
                configuration.incidents = settings.incidents
                configuration.limits = settings.limits
            } catch {
                throw CommandFailure(error.description)
            }
        }
        return configuration
    }
}
