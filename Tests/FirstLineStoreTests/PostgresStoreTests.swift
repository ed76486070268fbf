import FirstLineCore
import Foundation
import GRDB
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import FirstLineStore

/// Whether this run has a PostgreSQL server; a test that needs one is reported as skipped, with this reason,
/// when it has none (the behavioural suite then runs on SQLite only).
private let hasServer = PostgresTestServer.url != nil
private let skipReason: Comment = "PostgreSQL suite skipped: FIRSTLINE_TEST_POSTGRES_URL not set"

@Suite("PostgreSQL store: settings, schema in step with SQLite, one winner under concurrency")
struct PostgresStoreTests {
    // MARK: - Settings (no server needed)

    @Test("a database URL gives host, port, user, database and options; the password never shows")
    func settingsFromURL() throws {
        let settings = try PostgresSettings(url: "postgres://desk:s3cr%40t@db.internal:6543/firstline?sslmode=require&pool_max=8",
                                            environment: ["PGPASSWORD": "ignored"])
        #expect(settings.host == "db.internal")
        #expect(settings.port == 6543)
        #expect(settings.username == "desk")
        #expect(settings.password == "s3cr@t")
        #expect(settings.database == "firstline")
        #expect(settings.tls == .require)
        #expect(settings.maximumConnections == 8)
        #expect(settings.description == "postgres://desk@db.internal:6543/firstline?sslmode=require")
        #expect(!"\(settings)".contains("s3cr"))

        // Without a password in the URL, PGPASSWORD gives it, as with psql; the default port is 5432.
        let fromEnvironment = try PostgresSettings(url: "postgresql://desk@localhost/firstline", environment: ["PGPASSWORD": "pw"])
        #expect(fromEnvironment.password == "pw")
        #expect(fromEnvironment.port == 5432)
        #expect(fromEnvironment.tls == .prefer)
    }

    @Test("a URL the store cannot use is refused with the reason, never with the password",
          arguments: [
              ("postgres://localhost/db", "no user name"),
              ("postgres://u:pw@/db", "no host"),
              ("postgres://u:pw@h/db?sslmode=sometimes", "sslmode sometimes"),
              ("postgres://u:pw@h/db?search_path=Public;DROP", "search_path must be one lower-case name"),
              ("postgres://u:pw@h/db?colour=blue", "unknown option colour"),
              ("postgres://u:pw@h/a/b", "just the database name"),
              ("mysql://u:pw@h/db", "must look like postgres://"),
          ])
    func badURLs(url: String, reason: String) {
        #expect {
            _ = try PostgresSettings(url: url, environment: [:])
        } throws: { error in
            guard case let StoreError.invalidValue(message) = error else { return false }
            return message.contains(reason) && !message.contains("pw")
        }
    }

    @Test("--db wins over FIRSTLINE_DATABASE_URL, which wins over firstline.sqlite; a postgres:// value is a server")
    func storeLocation() throws {
        let url = "postgres://desk@db:5432/firstline"
        #expect(try StoreLocation(option: nil, environment: [:]) == .sqlite(path: "firstline.sqlite"))
        #expect(try StoreLocation(option: "data/desk.sqlite", environment: ["FIRSTLINE_DATABASE_URL": url])
                == .sqlite(path: "data/desk.sqlite"))
        let fromEnvironment = try StoreLocation(option: nil, environment: ["FIRSTLINE_DATABASE_URL": url, "PGPASSWORD": "pw"])
        guard case let .postgres(settings) = fromEnvironment else {
            Issue.record("expected PostgreSQL, got \(fromEnvironment)")
            return
        }
        #expect(settings.host == "db" && settings.password == "pw")
        #expect(fromEnvironment.description == "postgres://desk@db:5432/firstline")
        #expect(throws: StoreError.self) { try StoreLocation(option: "postgres://db/firstline", environment: [:]) }
    }

    // MARK: - Schema

    @Test("both stores run the same migrations and have the same tables and columns", .enabled(if: hasServer, skipReason))
    func migrationsInStep() async throws {
        let sqlite = try AppDatabase.inMemory()
        let postgres = try await TestStore(.postgres)
        defer { postgres.cleanUp() }
        let store = try #require(postgres.postgres)

        let sqliteMigrations = try await sqlite.dbWriter.read { db in try AppDatabase.migrator.appliedIdentifiers(db) }
        #expect(Set(try await store.appliedMigrations()) == sqliteMigrations)
        #expect(PostgresStore.migrations.map(\.identifier) == AppDatabase.migrator.migrations)

        // Column names compared in lower case: PostgreSQL folds the unquoted camel-case names.
        let sqliteColumns = try await sqlite.dbWriter.read { db in
            var tables: [String: [String]] = [:]
            for table in try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                """) {
                tables[table.lowercased()] = try db.columns(in: table).map { $0.name.lowercased() }.sorted()
            }
            return tables
        }
        let schema = try #require(store.schema)
        let postgresColumns = try await store.read { db in
            var tables: [String: [String]] = [:]
            for (table, column) in try await db.all("""
                SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = \(schema)
                """, { try $0.decode((String, String).self) }) {
                tables[table, default: []].append(column)
            }
            return tables.mapValues { $0.sorted() }
        }
        // The store's own bookkeeping: the migration list (GRDB's is left out above) and the ticket counter.
        var compared = postgresColumns
        #expect(compared.removeValue(forKey: "firstlinemigration") != nil)
        #expect(compared.removeValue(forKey: "ticketnumber") == ["last"])
        #expect(compared == sqliteColumns)
        #expect(sqliteColumns.count == 22)
    }

    @Test("two replicas starting at once on an empty schema migrate it once", .enabled(if: hasServer, skipReason))
    func concurrentMigration() async throws {
        let settings = try PostgresTestServer.freshSchemaSettings()
        async let first = PostgresStore.connect(settings, logger: Logger(label: "test"))
        async let second = PostgresStore.connect(settings, logger: Logger(label: "test"))
        let stores = try await [first, second]
        defer { Self.dropAndClose(stores) }
        #expect(try await stores[0].appliedMigrations() == PostgresStore.migrations.map(\.identifier))
        #expect(try await stores[1].appliedMigrations() == PostgresStore.migrations.map(\.identifier))
    }

    // MARK: - One winner

    @Test("of concurrent claims of one outbox row, one wins; the others are refused", .enabled(if: hasServer, skipReason))
    func concurrentOutboxClaims() async throws {
        let (stores, cleanUp) = try await Self.replicas()
        defer { cleanUp() }
        _ = try await stores[0].enqueue(NewOutboxMessage(platform: .slack, conversationKey: "D1", idempotencyKey: "k", payload: "{}"),
                                        at: Fixed.now)
        let id = try #require(try await stores[0].due(now: Fixed.now, limit: 1).first?.id)
        let wins = await Self.count(16) { index in _ = try await stores[index % 2].markSending(id: id) }
        #expect(wins == 1)
        #expect(try await stores[1].due(now: Fixed.now, limit: 10).isEmpty)
    }

    @Test("two replicas raising the same spike at once make one incident, and one agent's decision wins", .enabled(if: hasServer, skipReason))
    func concurrentIncidents() async throws {
        let (stores, cleanUp) = try await Self.replicas()
        defer { cleanUp() }
        let spike = Incident(topic: "article:vpn-connect", reporters: 10, reports: 10, normalLevel: 1,
                             firstReportAt: Fixed.now, raisedAt: Fixed.now)
        let raised = await Self.count(10) { index in
            let notice = NewOutboxMessage(platform: .slack, conversationKey: "C-agents", idempotencyKey: "incident-\(index)", payload: "{}")
            guard try await stores[index % 2].raiseIncident(spike, at: Fixed.now, notice: { _ in [notice] }) != nil else {
                // The helper counts refusals by the rules as invalid transitions.
                throw StoreError.invalidTransition(.incident, id: spike.topic, from: "open", to: "suspected")
            }
        }
        #expect(raised == 1)
        #expect(try await stores[0].due(now: Fixed.now, limit: 20).count == 1, "only the winner's notice is queued")
        let id = try #require(try await stores[1].incidents(openOnly: true, limit: 5).first?.id)
        let decided = await Self.count(8) { index in
            _ = try await stores[index % 2].decideIncident(id: id, confirm: index % 2 == 0, by: "agent\(index)", linking: [], at: Fixed.now)
        }
        #expect(decided == 1)
    }

    @Test("of concurrent decisions on one approval, one wins", .enabled(if: hasServer, skipReason))
    func concurrentApprovals() async throws {
        let (stores, cleanUp) = try await Self.replicas()
        defer { cleanUp() }
        let employee = try await stores[0].findOrCreateEmployee(platform: .slack, platformUserID: "U1", displayName: "Ana", at: Fixed.now)
        let ticket = try await stores[0].createTicket(NewTicket(requesterID: try employee.storedID, channel: .slack, subject: "licence",
                                                                category: .software, priority: .p3, needsApproval: true), at: Fixed.now)
        let wins = await Self.count(12) { index in
            _ = try await stores[index % 2].decideApproval(ticketNumber: ticket.number, approve: index % 3 != 0,
                                                           by: .employee(Int64(index)), note: nil, at: Fixed.later(seconds: 1))
        }
        #expect(wins == 1)
        let decisions = try await stores[1].history(number: ticket.number).filter { $0.kind == .approval }
        #expect(decisions.count == 1)
    }

    @Test("a desk timer fired by several replicas at once fires once", .enabled(if: hasServer, skipReason))
    func concurrentTimerFiring() async throws {
        let (stores, cleanUp) = try await Self.replicas()
        defer { cleanUp() }
        let employee = try await stores[0].findOrCreateEmployee(platform: .slack, platformUserID: "U1", displayName: "Ana", at: Fixed.now)
        let ticket = try await stores[0].createTicket(NewTicket(requesterID: try employee.storedID, channel: .slack, subject: "vpn",
                                                                category: .network, priority: .p2), at: Fixed.now)
        let ticketID = try ticket.storedID
        try await stores[0].rescheduleSLA(ticketID: ticketID, alarms: [SLAAlarmTime(metric: .firstResponse, alarm: .warning,
                                                                                    at: Fixed.later(seconds: 10))],
                                          firstResponseDue: Fixed.later(seconds: 20), resolutionDue: nil, at: Fixed.now)
        let timer = try #require(try await stores[1].dueTimers(at: Fixed.later(seconds: 10), kinds: [.firstResponseWarning]).first)
        let timerID = try #require(timer.id)
        let update = TicketUpdate(ticketNumber: ticket.number, change: .slaAlarm(metric: "firstResponse", alarm: "warning"), actor: .system)
        let fired = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<10 {
                group.addTask {
                    (try? await stores[index % 2].fire(timerID: timerID, updates: [update], outbox: [], at: Fixed.later(seconds: 10))) ?? false
                }
            }
            var fired = 0
            for await outcome in group where outcome { fired += 1 }
            return fired
        }
        #expect(fired == 1)
        #expect(try await stores[0].clockFacts(ticketID: ticketID).firedAlarms == ["firstResponse:warning"])
        #expect(try await stores[0].history(number: ticket.number).filter { $0.kind == .sla }.count == 1)
    }

    @Test("tickets opened at once on two replicas get distinct numbers with no gap", .enabled(if: hasServer, skipReason))
    func concurrentTicketNumbers() async throws {
        let (stores, cleanUp) = try await Self.replicas()
        defer { cleanUp() }
        let employee = try await stores[0].findOrCreateEmployee(platform: .slack, platformUserID: "U1", displayName: "Ana", at: Fixed.now)
        let requester = try employee.storedID
        let numbers = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<24 {
                group.addTask {
                    try await stores[index % 2].createTicket(NewTicket(requesterID: requester, channel: .web, subject: "t\(index)",
                                                                       category: .general, priority: .p4), at: Fixed.now).number
                }
            }
            var numbers: [String] = []
            for try await number in group { numbers.append(number) }
            return numbers
        }
        #expect(numbers.sorted() == (1...24).map { Ticket.number(forID: Int64($0)) })
    }

    @Test("one new employee and one conversation however many replicas meet them at once", .enabled(if: hasServer, skipReason))
    func concurrentFindOrCreate() async throws {
        let (stores, cleanUp) = try await Self.replicas()
        defer { cleanUp() }
        let ids = try await withThrowingTaskGroup(of: (Int64, Int64).self) { group in
            for index in 0..<12 {
                group.addTask {
                    let store = stores[index % 2]
                    let employee = try await store.findOrCreateEmployee(platform: .telegram, platformUserID: "42", displayName: "Bo",
                                                                        at: Fixed.now)
                    let conversation = try await store.findOrCreateConversation(
                        platform: .telegram, conversationKey: "42", employeeID: try employee.storedID, initialState: "{}", at: Fixed.now)
                    return (try employee.storedID, try conversation.storedID)
                }
            }
            var ids: Set<[Int64]> = []
            for try await (employee, conversation) in group { ids.insert([employee, conversation]) }
            return ids
        }
        #expect(ids.count == 1)
    }

    @Test("routing passes on two replicas at once never give an agent more than their capacity", .enabled(if: hasServer, skipReason))
    func concurrentRoutingPasses() async throws {
        let (stores, cleanUp) = try await Self.replicas()
        defer { cleanUp() }
        let employee = try await stores[0].findOrCreateEmployee(platform: .slack, platformUserID: "U1", displayName: "Ana", at: Fixed.now)
        for index in 0..<6 {
            _ = try await stores[0].createTicket(NewTicket(requesterID: try employee.storedID, channel: .web, subject: "t\(index)",
                                                           category: .hardware, priority: .p3), at: Fixed.now)
        }
        let router = DeskStoreTests.router
        // How many passes are deciding at the same moment, and the most seen: a pass decides on a snapshot,
        // so two deciding at once could hand out the same capacity twice, even when, as here, they happen to
        // decide alike.
        let deciding = OverlapCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    _ = try await stores[index % 2].route(at: Fixed.now, reassignAfter: 1800) { snapshot in
                        deciding.enter()
                        defer { deciding.leave() }
                        // Long enough for another replica's pass to arrive while this one decides.
                        Thread.sleep(forTimeInterval: 0.02)
                        return router.pass(state: snapshot.state, arrivals: snapshot.unrouted,
                                           dueReassignments: snapshot.dueReassignments, now: Fixed.now)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(deciding.most == 1, "routing passes are serialised across replicas")
        // Each agent has capacity 1: two tickets assigned, four queued, and every ticket assigned at most once.
        let tickets = try await stores[1].tickets(matching: TicketQuery(), now: Fixed.now)
        #expect(tickets.count == 6)
        #expect(Set(tickets.compactMap(\.assignee)) == ["ana", "bo"])
        #expect(tickets.filter { $0.assignee != nil }.count == 2)
        #expect(tickets.allSatisfy { $0.team == "desk" })
        for ticket in tickets {
            #expect(try await stores[0].history(number: ticket.number).filter { $0.kind == .assignee }.count <= 1)
        }
    }

    // MARK: - Helpers

    /// Two stores on one fresh schema: two replicas of the server, each with its own pool.
    static func replicas() async throws -> ([PostgresStore], @Sendable () -> Void) {
        let settings = try PostgresTestServer.freshSchemaSettings()
        let first = try await PostgresStore.connect(settings, logger: Logger(label: "test"))
        let second = try await PostgresStore.connect(settings, logger: Logger(label: "test"))
        let stores = [first, second]
        return (stores, { dropAndClose(stores) })
    }

    static func dropAndClose(_ stores: [PostgresStore]) {
        Task.detached {
            try? await stores.first?.dropSchemaForTests()
            for store in stores { store.close() }
        }
    }

    /// Runs `attempt` `times` times at once and counts the attempts that did not throw; the others must be
    /// refused as invalid transitions.
    static func count(_ times: Int, _ attempt: @escaping @Sendable (Int) async throws -> Void) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            for index in 0..<times {
                group.addTask {
                    do {
                        try await attempt(index)
                        return true
                    } catch StoreError.invalidTransition {
                        return false
                    } catch {
                        // A loser must lose by the rules, not by a failure of the store.
                        Issue.record("unexpected error: \(error)")
                        return false
                    }
                }
            }
            var wins = 0
            for await won in group where won { wins += 1 }
            return wins
        }
    }
}

/// Counts how many callers are between `enter` and `leave` at once, and the most there ever were.
private final class OverlapCounter: Sendable {
    private let state = Mutex((now: 0, most: 0))

    func enter() { state.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
    func leave() { state.withLock { $0.now -= 1 } }
    var most: Int { state.withLock { $0.most } }
}
