import FirstLineContent
import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built `firstline` binary as operators run it: SIGTERM with a backlog, the restart that drains it,
/// a second server on the same file, and database values that cannot be used.
@Suite("firstline serve as a process")
struct ServeProcessTests {
    @Test("SIGTERM with 2,000 acknowledged events waiting: exit 0 within 5 s, the backlog stays; the next start answers it all")
    func sigtermWithBacklog() async throws {
        // Given 2,000 Slack events acknowledged (committed to the inbox) by an earlier process and not answered
        let folder = try TemporaryFolder("serve")
        let db = folder.url.appendingPathComponent("firstline.sqlite").path
        let backlog = 2_000
        try await ServerProcess.recordBacklog(backlog, into: db)

        // When the server starts on it
        let first = try ServerProcess.start(db: db, in: folder, name: "first")
        defer { first.kill() }
        let startup = try await first.waitUntilReady()
        let observer = try AppDatabase.open(path: db)
        defer { try? observer.close() }
        // ... its worker is answering the backlog (a turn is in progress) ...
        _ = try await eventually("the worker to answer some events", timeout: .seconds(60)) {
            try await observer.pending(limit: backlog).count < backlog ? true : nil
        }

        // ... a second server on the same file refuses to start, and the first one carries on
        let second = try ServerProcess.start(db: db, in: folder, name: "second")
        defer { second.kill() }
        #expect(try await second.waitForExit(timeout: .seconds(30)) == 1)
        #expect(second.standardError.contains("Only one firstline serve may run on a SQLite file"), "\(second.standardError)")
        #expect(second.standardError.contains("firstline serve"))
        #expect(first.isRunning)

        // ... and it gets SIGTERM
        let stopping = ContinuousClock.now
        first.terminate()
        let code = try await first.waitForExit(timeout: .seconds(20))
        let shutdown = ContinuousClock.now - stopping

        // Then it exits 0 within 5 s, having finished the turn in progress but not the backlog
        #expect(code == 0, "\(first.standardError.suffix(2000))")
        #expect(shutdown < .seconds(5), "shutdown took \(shutdown)")
        let left = try await observer.pending(limit: backlog).count
        #expect(left > 0, "the backlog was not drained before exiting")
        #expect(left < backlog)
        #expect(first.standardError.contains("stopped"), "\(first.standardError.suffix(1000))")

        // And the next start answers all the rest, then stops cleanly too
        let third = try ServerProcess.start(db: db, in: folder, name: "third")
        defer { third.kill() }
        let restartup = try await third.waitUntilReady()
        let draining = ContinuousClock.now
        _ = try await eventually("the restarted server to drain the inbox", timeout: .seconds(600)) {
            try await observer.pending(limit: backlog).isEmpty ? true : nil
        }
        let drained = ContinuousClock.now - draining
        var notDone: [String] = []
        for n in 0..<backlog {
            let event = try await observer.inboxEvent(platform: .slack, eventID: "Ev-backlog-\(n)")
            if event?.status != .done { notDone.append("\(n): \(event.map { "\($0.status)" } ?? "missing")") }
        }
        #expect(notDone.isEmpty, "every event answered, none failed: \(notDone.prefix(5))")
        third.terminate()
        #expect(try await third.waitForExit(timeout: .seconds(20)) == 0)
        print("serve process \(try ServerProcess.binary().path): start-up \(startup) and \(restartup) to /readyz; SIGTERM with \(left) of "
              + "\(backlog) events pending: exit 0 after \(shutdown); the restart answered them in \(drained)")
    }

    @Test("database values it cannot use stop the start with a clear error, exit 1, and create nothing",
          arguments: [
              ("mysql://x", "mysql:// is not a database FirstLine can use"),
              ("postgres://db.internal/firstline", "database URL has no user name"),
              ("postgres://desk@/firstline", "database URL has no host"),
              ("no-such-folder/firstline.sqlite", "does not exist"),
          ])
    func unusableDatabase(_ value: String, _ message: String) async throws {
        let folder = try TemporaryFolder("serve-bad-db")
        let server = try ServerProcess.start(db: value, in: folder, name: "bad")
        defer { server.kill() }
        #expect(try await server.waitForExit(timeout: .seconds(30)) == 1)
        #expect(server.standardError.contains(message), "\(server.standardError)")
        // Nothing named after the value: only the process's own log files are in its working folder.
        let created = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasSuffix(".log") }
        #expect(created.isEmpty, "\(created)")
    }
}

/// One `firstline serve` process of the built binary, in a folder of its own, its output in files there.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let errorFile: URL

    private init(port: Int, errorFile: URL) {
        self.port = port
        self.errorFile = errorFile
    }

    /// The `firstline` binary built next to this test bundle (`swift build` builds it with the tests), or
    /// `FIRSTLINE_TEST_BINARY` (to measure the release build: `.build/release/firstline`).
    static func binary() throws -> URL {
        if let given = ProcessInfo.processInfo.environment["FIRSTLINE_TEST_BINARY"], !given.isEmpty {
            return URL(fileURLWithPath: given)
        }
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Repository.root.appendingPathComponent(".build/debug"),
        ].map { $0.appendingPathComponent("firstline") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestFailure("no built firstline binary in \(candidates.map(\.path)); run swift build first")
        }
        return found
    }

    static func start(db: String, in folder: TemporaryFolder, name: String) throws -> ServerProcess {
        let port = try freePort()
        let output = folder.url.appendingPathComponent("\(name).out.log")
        let errors = folder.url.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let server = ServerProcess(port: port, errorFile: errors)
        server.process.executableURL = try binary()
        server.process.arguments = ["serve", "--db", db, "--port", "\(port)",
                                    "--kb", Repository.knowledgeBase, "--intents", Repository.intents]
        server.process.currentDirectoryURL = folder.url
        // No messenger secrets and no database URL from the machine running the tests.
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("FIRSTLINE_") }
        environment["LOG_LEVEL"] = "info"
        server.process.environment = environment
        server.process.standardOutput = try FileHandle(forWritingTo: output)
        server.process.standardError = try FileHandle(forWritingTo: errors)
        try server.process.run()
        return server
    }

    var isRunning: Bool { process.isRunning }

    var standardError: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// SIGTERM, as a service manager stops it.
    func terminate() { process.terminate() }

    /// SIGKILL if still running (clean-up after a failed expectation).
    func kill() {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// Polls `GET /readyz` until 200; returns how long after the start it took.
    func waitUntilReady(timeout: Duration = .seconds(60)) async throws -> Duration {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < timeout {
            guard process.isRunning else { throw TestFailure("the server exited: \(standardError.suffix(2000))") }
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/readyz")!)
            request.timeoutInterval = 2
            if let (_, response) = try? await URLSession.shared.data(for: request),
               (response as? HTTPURLResponse)?.statusCode == 200 {
                return ContinuousClock.now - started
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("not ready within \(timeout): \(standardError.suffix(2000))")
    }

    /// The exit code, polled (a blocking wait would hold a thread of the cooperative pool).
    func waitForExit(timeout: Duration) async throws -> Int32 {
        let started = ContinuousClock.now
        while process.isRunning {
            if ContinuousClock.now - started > timeout {
                kill()
                throw TestFailure("still running after \(timeout); killed")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// `count` Slack messages committed to the inbox as the webhook does (the inbox recorder's group
    /// commit), over 50 conversations, then the database is closed: an earlier process's backlog.
    static func recordBacklog(_ count: Int, into db: String) async throws {
        let database = try AppDatabase.open(path: db)
        defer { try? database.close() }
        var configuration = ServerConfiguration()
        configuration.knowledgeBase = URL(fileURLWithPath: Repository.knowledgeBase)
        configuration.intents = URL(fileURLWithPath: Repository.intents)
        let parts = FirstLineApplication.makeParts(
            configuration: configuration,
            dependencies: ServerDependencies(database: database, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
        let questions = ["VPN won't connect", "printer is jammed", "프린터가 안 돼요", "パスワードを忘れました", "wifi keeps dropping"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<50 {
                group.addTask {
                    for n in stride(from: lane, to: count, by: 50) {
                        let message = InboundMessage(platform: .slack, eventID: "Ev-backlog-\(n)",
                                                     conversationKey: "slack:D0BACKLOG\(lane)", userID: "U0BACKLOG\(lane)",
                                                     displayName: "Employee \(lane)", content: .text(questions[n % questions.count]))
                        guard try await parts.conversations.recorder.record(message) else { throw TestFailure("duplicate \(n)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        guard try await database.pending(limit: count + 1).count == count else { throw TestFailure("backlog not recorded") }
    }

    /// A TCP port nothing listens on right now (bound to port 0 and released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("bind: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `probe` every 25 ms until it returns a value, for at most `timeout`.
func eventually<T>(_ what: String, timeout: Duration, _ probe: () async throws -> T?) async throws -> T {
    let started = ContinuousClock.now
    while true {
        if let value = try await probe() { return value }
        if ContinuousClock.now - started > timeout { throw TestFailure("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(25))
    }
}
