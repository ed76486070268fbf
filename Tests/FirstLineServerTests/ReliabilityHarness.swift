import AsyncHTTPClient
import Crypto
import FirstLineHarness
import FirstLineTestSupport
import Foundation
import GRDB
import NIOCore
import NIOHTTP1
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The reliability harness's pieces shared by its process scenarios (issue 15, point 7 a, d, e): one real
/// `firstline serve` on a SQLite file, every platform enabled against the fake platform API, requests from
/// `FirstLineHarness`, and a read-only look at the database file the server writes.
enum Harness {
    static let environment = ProcessInfo.processInfo.environment

    static func knob(_ name: String, _ fallback: Int) -> Int {
        environment[name].flatMap(Int.init) ?? fallback
    }

    /// The folder a scenario works in, with the LINE WORKS key and a firstline.yml that turns the per-sender
    /// webhook limit off (the harness's few senders would otherwise be refused 429, not tested), removed after.
    static func folder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-harness-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            limits:
              webhook_per_sender: { requests: 0, per_seconds: 60 }
            """.write(to: folder.appendingPathComponent("firstline.yml"), atomically: true, encoding: .utf8)
        try run("/usr/bin/env", ["openssl", "genrsa", "-out", folder.appendingPathComponent("works.pem").path, "2048"])
        return folder
    }

    static func serverEnvironment(fakeURL: String, folder: URL) -> [String: String] {
        var environment = Self.environment.filter { !$0.key.hasPrefix("FIRSTLINE_") }
        environment.merge(HarnessSecrets().environment(apiURL: fakeURL,
                                                       privateKeyFile: folder.appendingPathComponent("works.pem").path)) { $1 }
        environment["LOG_LEVEL"] = environment["FIRSTLINE_HARNESS_LOG_LEVEL"] ?? "warning"
        return environment
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// One delivery: the status (nil when no answer came: refused, reset, or no answer within `timeout`),
    /// the time to the answer in nanoseconds, and whether it timed out.
    struct Answer: Sendable {
        var status: Int?
        var retryAfter: String?
        var nanoseconds: UInt64
        var timedOut: Bool
    }

    static func send(_ webhook: SignedWebhook, port: Int, timeout: Duration = .seconds(10),
                     extraHeaders: [(String, String)] = []) async -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(webhook.path)")
        request.method = .POST
        for header in webhook.headers { request.headers.add(name: header.name, value: header.value) }
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: webhook.body))
        let started = DispatchTime.now().uptimeNanoseconds
        let limit = TimeAmount.nanoseconds(timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: limit)
            _ = try await response.body.collect(upTo: 1 << 20)
            return Answer(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
                          nanoseconds: DispatchTime.now().uptimeNanoseconds - started, timedOut: false)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return Answer(status: nil, nanoseconds: DispatchTime.now().uptimeNanoseconds - started, timedOut: true)
        } catch {
            return Answer(status: nil, nanoseconds: DispatchTime.now().uptimeNanoseconds - started, timedOut: false)
        }
    }

    static func get(_ path: String, port: Int) async -> Int? {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .GET
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(5)) else { return nil }
        _ = try? await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    /// Polls until `probe` returns a value, or throws after `timeout`.
    static func eventually<T>(_ what: String, timeout: Duration, every: Duration = .milliseconds(100),
                              _ probe: () async throws -> T?) async throws -> T {
        let started = ContinuousClock.now
        while true {
            if let value = try await probe() { return value }
            if ContinuousClock.now - started > timeout { throw ReplicaTestFailure("timed out after \(timeout) waiting for \(what)") }
            try await Task.sleep(for: every)
        }
    }

    /// The platform message calls the fake received (not LINE WORKS's token requests or Telegram's button spinner).
    static func messageCalls(_ calls: [FakePlatformAPI.Call]) -> [HarnessPlatform: Int] {
        var counts: [HarnessPlatform: Int] = [:]
        for call in calls {
            let path = call.path
            if path.contains("oauth2") || path.hasSuffix("answerCallbackQuery") { continue }
            let platform: HarnessPlatform
            if path.contains("chat.postMessage") || path.contains("chat.update") { platform = .slack }
            else if path.contains("/bot") && !path.contains("/bots/") && !path.contains("/v2/bot/") { platform = .telegram }
            else if path.contains("/v2/bot/message/") { platform = .line }
            else if path.contains("/bots/") { platform = .lineworks }
            else { continue }
            counts[platform, default: 0] += 1
        }
        return counts
    }

    /// Nearest-rank percentile of nanoseconds, in milliseconds.
    static func percentile(_ values: [UInt64], _ quantile: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((quantile * Double(sorted.count)).rounded(.up))
        return Double(sorted[min(sorted.count - 1, max(0, rank - 1))]) / 1e6
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! + 2 }
        let line = { (cells: [String]) in zip(cells, widths).map { pad($0, $1) }.joined().trimmingCharacters(in: .whitespaces) }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0 - 2) })] + rows.map(line)).joined(separator: "\n")
    }

    static func milliseconds(_ value: Double) -> String { value.isNaN ? "-" : String(format: "%.2f", value) }
}

/// `firstline serve` of the built binary on a SQLite file, stopped with SIGTERM (or SIGKILL) by the scenario.
final class HarnessServer: @unchecked Sendable {
    let port: Int
    let database: String
    private let folder: URL
    private let environment: [String: String]
    private let extraArguments: [String]
    private let lock = NSLock()
    private var process: Process?

    init(database: String, folder: URL, environment: [String: String], extraArguments: [String] = []) throws {
        self.database = database
        self.folder = folder
        self.environment = environment
        self.extraArguments = extraArguments
        port = try ReplicaProcess.freePort()
    }

    func start() async throws {
        let process = Process()
        process.executableURL = try ReplicaProcess.binary()
        process.arguments = ["serve", "--db", database, "--port", "\(port)", "--kb", Repository.knowledgeBase.path,
                             "--intents", Repository.intents.path] + extraArguments
        process.currentDirectoryURL = folder
        process.environment = environment
        let log = folder.appendingPathComponent("serve-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        lock.withLock { self.process = process }
        _ = try await Harness.eventually("serve to be ready on \(port)", timeout: .seconds(60), every: .milliseconds(50)) { () -> Bool? in
            if !process.isRunning { throw ReplicaTestFailure("serve exited with \(process.terminationStatus): \(self.log())") }
            return await Harness.get("/readyz", port: port) == 200 ? true : nil
        }
    }

    var isRunning: Bool { lock.withLock { process?.isRunning ?? false } }

    /// The server's stderr so far (every log of this folder), for failure messages.
    func log() -> String {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.lastPathComponent.hasPrefix("serve-") }
            .compactMap { try? String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n").suffix(4000).description
    }

    /// SIGTERM, and the exit status with the seconds it took (SIGKILL after 15 s, reported as such).
    func terminate() async -> (status: Int32, seconds: Double, killed: Bool) {
        guard let process = lock.withLock({ self.process }), process.isRunning else { return (-1, 0, false) }
        let started = ContinuousClock.now
        _ = Glibc.kill(process.processIdentifier, SIGTERM)
        while process.isRunning, ContinuousClock.now - started < .seconds(15) { try? await Task.sleep(for: .milliseconds(10)) }
        var killed = false
        if process.isRunning {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
            killed = true
        }
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - started
        return (process.terminationStatus, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, killed)
    }

    func kill() {
        guard let process = lock.withLock({ self.process }), process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// A read-only look at the server's SQLite file (WAL readers never block its writer).
struct HarnessDatabase: Sendable {
    struct Outbox: Sendable {
        var platform: String
        var idempotencyKey: String
        var status: String
        var partsSent: Int
        /// `platform:eventID` of the event the reply answers.
        var eventKey: String { idempotencyKey.split(separator: ":").prefix(2).joined(separator: ":") }
    }

    let path: String

    private func reader() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    func inboxCount() throws -> Int {
        try reader().read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox") ?? 0 }
    }

    /// `platform:eventID` → status of every inbox row.
    func inbox() throws -> [String: String] {
        try reader().read { db in
            try Row.fetchAll(db, sql: "SELECT platform, eventID, status FROM inbox").reduce(into: [:]) { result, row in
                result["\(row["platform"] as String):\(row["eventID"] as String)"] = row["status"] as String
            }
        }
    }

    func outbox() throws -> [Outbox] {
        try reader().read { db in
            try Row.fetchAll(db, sql: "SELECT platform, idempotencyKey, status, partsSent FROM outbox ORDER BY id").map {
                Outbox(platform: $0["platform"], idempotencyKey: $0["idempotencyKey"], status: $0["status"], partsSent: $0["partsSent"])
            }
        }
    }
}

/// A value shared by a scenario's sending tasks (a `Mutex` in a class, so closures can capture it).
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
    var value: Value { mutex.withLock { $0 } }
}
