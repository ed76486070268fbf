import Crypto
import FirstLineHarness
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// `firstline-loadgen --fuzz N`: the fuzz scenario of the reliability harness (issue 15, 7 d) at full size.
/// `N` mutated webhooks per platform from `FirstLineHarness.Mutator` (seeded: `--seed`), half signed correctly
/// over the mutated bytes, sent over `--connections` keep-alive connections (a connection the server closes is
/// opened again). Counts every status; a 5xx, a request unanswered within `--request-timeout` s (hung), and a
/// 200 for a wrongly signed request are failures. Prints a table and `accepted_distinct=` (the correctly signed
/// bodies answered 200: the most inbox rows the run may add) for the script to compare with the database.
struct FuzzRun {
    let host: String
    let port: Int
    let perPlatform: Int
    let seed: UInt64
    let connections: Int
    let requestTimeout: Double
    let secrets: HarnessSecrets

    struct Tally: Sendable {
        var statuses: [HarnessPlatform: [Int: Int]] = [:]
        var serverErrors: [String] = []
        var hung: [String] = []
        var connectionsLost = 0
        var acceptedBadlySigned: [String] = []
        var acceptedBodies: Set<Data> = []
        var slowestNanoseconds: UInt64 = 0

        mutating func merge(_ other: Tally) {
            for (platform, counts) in other.statuses { statuses[platform, default: [:]].merge(counts, uniquingKeysWith: +) }
            serverErrors += other.serverErrors
            hung += other.hung
            connectionsLost += other.connectionsLost
            acceptedBadlySigned += other.acceptedBadlySigned
            acceptedBodies.formUnion(other.acceptedBodies)
            slowestNanoseconds = max(slowestNanoseconds, other.slowestNanoseconds)
        }
    }

    /// Runs the cases and returns whether every check held.
    func run() async throws -> Bool {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let mutator = Mutator(factory: WebhookFactory(secrets: secrets), seed: seed)
        let platforms = HarnessPlatform.allCases
        let total = perPlatform * platforms.count
        let runID = "fz\(seed % 100_000)"
        let started = ContinuousClock.now
        var tally = Tally()
        // Connection `c` takes cases c, c + connections, …: disjoint, and the same cases whatever the timing.
        try await withThrowingTaskGroup(of: Tally.self) { tasks in
            for lane in 0..<connections {
                tasks.addTask {
                    var local = Tally()
                    var index = lane
                    var resent = 0
                    while index < total {
                        let platform = platforms[index % platforms.count]
                        let number = index / platforms.count
                        let item = mutator.mutated(platform, index: number, runID: runID)
                        let label = "\(platform.rawValue) #\(number) \(item.kinds.map(\.rawValue))"
                        let begun = DispatchTime.now().uptimeNanoseconds
                        let status = try await Self.exchange(item.webhook, group: group, host: host, port: port,
                                                             timeout: requestTimeout)
                        local.slowestNanoseconds = max(local.slowestNanoseconds, DispatchTime.now().uptimeNanoseconds - begun)
                        switch status {
                        case let .answered(code):
                            local.statuses[platform, default: [:]][code, default: 0] += 1
                            if code >= 500 { local.serverErrors.append("\(label): \(code)") }
                            if code == 200 {
                                if number % 2 == 1 { local.acceptedBadlySigned.append(label) }
                                local.acceptedBodies.insert(Data(SHA256.hash(data: item.webhook.body)))
                            }
                        case .timedOut:
                            local.hung.append(label)
                        case .closed:
                            // Closed without an answer: counted, and the case sent once more on a new connection.
                            local.connectionsLost += 1
                            resent += 1
                            if resent <= 1 { continue }
                        }
                        resent = 0
                        index += connections
                    }
                    return local
                }
            }
            for try await local in tasks { tally.merge(local) }
        }
        let elapsed = ContinuousClock.now - started
        try await group.shutdownGracefully()

        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let codes = Set(tally.statuses.values.flatMap(\.keys)).sorted()
        var lines = ["reliability fuzz: seed \(seed), \(total) requests (\(perPlatform) per platform, half signed correctly) "
            + "in \(String(format: "%.1f", seconds)) s (\(String(format: "%.0f", Double(total) / seconds))/s), "
            + "\(connections) connections, slowest answer \(String(format: "%.1f", Double(tally.slowestNanoseconds) / 1e6)) ms", ""]
        let header = ["platform", "requests"] + codes.map { "HTTP \($0)" } + ["5xx", "hung", "bad signature accepted"]
        var rows: [[String]] = []
        for platform in platforms {
            let counts = tally.statuses[platform] ?? [:]
            rows.append([platform.rawValue, "\(perPlatform)"] + codes.map { "\(counts[$0] ?? 0)" }
                + ["\(tally.serverErrors.filter { $0.hasPrefix(platform.rawValue + " ") }.count)",
                   "\(tally.hung.filter { $0.hasPrefix(platform.rawValue + " ") }.count)",
                   "\(tally.acceptedBadlySigned.filter { $0.hasPrefix(platform.rawValue + " ") }.count)"])
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! + 2 }
        let render = { (cells: [String]) in
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()
        }
        lines.append(render(header))
        lines.append(render(widths.map { String(repeating: "-", count: $0 - 2) }))
        lines += rows.map(render)
        lines.append("")
        lines.append("connections closed without an answer (a failure; the case was sent once more): \(tally.connectionsLost)")
        for failure in tally.serverErrors.prefix(10) { lines.append("5xx: \(failure)") }
        for failure in tally.hung.prefix(10) { lines.append("hung: \(failure)") }
        for failure in tally.acceptedBadlySigned.prefix(10) { lines.append("accepted with a wrong signature: \(failure)") }
        lines.append("accepted_distinct=\(tally.acceptedBodies.count)")
        print(lines.joined(separator: "\n"))
        return tally.serverErrors.isEmpty && tally.hung.isEmpty && tally.acceptedBadlySigned.isEmpty && tally.connectionsLost == 0
    }

    enum Exchange: Sendable {
        case answered(Int)
        case timedOut
        case closed
    }

    /// One request on a connection of its own (`Connection: close`), connect to last byte within `timeout`
    /// seconds. A refused connection is retried a few times (the server may be starting a new accept), then it
    /// means the server is gone.
    static func exchange(_ webhook: SignedWebhook, group: any EventLoopGroup, host: String, port: Int,
                         timeout: Double) async throws -> Exchange {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        for header in webhook.headers { headers.add(name: header.name, value: header.value) }
        headers.add(name: "Content-Length", value: String(webhook.body.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: webhook.path, headers: headers)
        let body = ByteBuffer(bytes: webhook.body)
        var refused = 0
        while true {
            let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
            do {
                channel = try await ClientBootstrap(group: group)
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .connectTimeout(.seconds(5))
                    .connect(host: host, port: port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHTTPClientHandlers()
                            return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                                wrappingChannelSynchronously: channel)
                        }
                    }
            } catch {
                refused += 1
                if refused >= 20 { throw FuzzFailure("cannot connect to \(host):\(port): \(error) (has the server crashed?)") }
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            let underlying = channel.channel
            return try await withThrowingTaskGroup(of: Exchange.self) { race in
                race.addTask {
                    do {
                        return try await channel.executeThenClose { inbound, outbound in
                            // A server may answer (413) and close before taking the whole body: the write then
                            // fails, but its answer is still there to read.
                            do {
                                try await outbound.write(.head(head))
                                try await outbound.write(.body(.byteBuffer(body)))
                                try await outbound.write(.end(nil))
                            } catch {}
                            var status: Int?
                            for try await part in inbound {
                                switch part {
                                case let .head(response): status = Int(response.status.code)
                                case .body: break
                                case .end: return status.map(Exchange.answered) ?? .closed
                                }
                            }
                            return .closed
                        }
                    } catch {
                        return .closed
                    }
                }
                race.addTask {
                    try await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
                    return .timedOut
                }
                let first = try await race.next()!
                if case .timedOut = first { underlying.close(promise: nil) }
                race.cancelAll()
                return first
            }
        }
    }
}

struct FuzzFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
