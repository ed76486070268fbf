import ArgumentParser
import FirstLineHarness
import Foundation
import NIOCore
import NIOPosix

/// `firstline-loadgen`: the load process of the webhook benchmark. It talks to an already running
/// `firstline serve` over loopback; `Benchmarks/webhook-load.sh` starts that server, runs this and
/// stops it again. Phases run one after another against the same server, so the ceiling and the
/// webhook figures share a process, a database and a moment.
@main
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firstline-loadgen",
        abstract: "Offers signed Slack events (and a trivial route as the ceiling) to a running FirstLine server."
    )

    enum Phase: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// GET /healthz, closed loop: what the HTTP stack alone sustains (the ceiling).
        case healthz
        /// Signed Slack events, closed loop: sustained events/s.
        case closed
        /// Signed Slack events, open loop at `--rate`: latency under a fixed offered load.
        case open
    }

    @Option(help: "Server address.") var host = "127.0.0.1"
    @Option(help: "Server port; repeat it for several replicas (connections are spread over them, as a load balancer would).")
    var port: [Int]
    @Option(help: "The server's FIRSTLINE_SLACK_SIGNING_SECRET (the other platforms use FirstLineHarness's test secrets).")
    var secret: String = HarnessSecrets().slackSigningSecret
    @Option(help: "Platforms of the webhook phases, in turn: slack, telegram, line, lineworks (default slack only).")
    var platform: [String] = ["slack"]
    @Option(help: "Fuzz mode instead of the phases: this many mutated webhooks per platform (Benchmarks/reliability/fuzz.sh).")
    var fuzz: Int?
    @Option(help: "Fuzz mode: the mutator's seed (a seed names a run exactly).") var seed: UInt64 = 20_261_207
    @Option(help: "Fuzz mode: seconds within which every request must be answered.") var requestTimeout = 10.0
    @Option(help: "Phases to run, in order: healthz, closed, open.")
    var phases: [Phase] = [.healthz, .closed, .open]
    @Option(help: "Keep-alive connections for the closed-loop phases.") var connections = 64
    @Option(help: "Connections the open-loop phase may use at once.") var openConnections = 64
    @Option(help: "Offered events per second in the open-loop phase.") var rate = 1000
    @Option(help: "Seconds of load before measuring.") var warmup = 2.0
    @Option(help: "Seconds measured per phase.") var duration = 10.0
    @Option(help: "Most events pre-signed for a closed-loop phase (the phase stops early if they run out).")
    var maxEvents = 250_000
    @Option(help: "Title printed above the table.") var label = "FirstLine webhook load"

    func validate() throws {
        guard connections > 0, openConnections > 0, rate > 0 else { throw ValidationError("counts must be positive") }
        guard !port.isEmpty, port.allSatisfy({ (1...65535).contains($0) }) else { throw ValidationError("--port must be 1...65535") }
        guard warmup >= 0, duration > 0 else { throw ValidationError("--duration must be positive") }
        guard platform.allSatisfy({ HarnessPlatform(rawValue: $0) != nil }), !platform.isEmpty else {
            throw ValidationError("--platform must be slack, telegram, line or lineworks")
        }
        if let fuzz, fuzz <= 0 { throw ValidationError("--fuzz must be positive") }
    }

    func run() async throws {
        if let fuzz {
            var secrets = HarnessSecrets()
            secrets.slackSigningSecret = secret
            let passed = try await FuzzRun(host: host, port: port[0], perPlatform: fuzz, seed: seed, connections: connections,
                                           requestTimeout: requestTimeout, secrets: secrets).run()
            if !passed { throw ExitCode(1) }
            return
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let hostHeader = "\(host):\(port.first ?? 0)"
        let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        var rows: [Row] = []
        do {
            for phase in phases {
                let settings = PhaseSettings(
                    host: host, ports: port, connections: phase == .open ? openConnections : connections,
                    warmupNanoseconds: UInt64(warmup * 1e9), measureNanoseconds: UInt64(duration * 1e9),
                    shape: phase == .open ? .open(perSecond: rate) : .closed)
                let requests: [PreparedRequest]
                switch phase {
                case .healthz:
                    requests = [SignedEvents.get(path: "/healthz", host: hostHeader)]
                case .closed, .open:
                    let needed = phase == .open ? Int(Double(rate) * (warmup + duration)) + 1 : maxEvents
                    if platform == ["slack"] {
                        requests = SignedEvents.make(count: needed, runID: "\(runID)\(phase.rawValue)", secret: secret,
                                                     host: hostHeader, path: "/webhooks/slack/events")
                    } else {
                        requests = SignedEvents.make(count: needed, runID: "\(runID)\(phase.rawValue)", platforms:
                                                     platform.compactMap(HarnessPlatform.init(rawValue:)), slackSecret: secret,
                                                     host: hostHeader)
                    }
                }
                let result = try await LoadEngine.run(on: loop, settings: settings, requests: requests,
                                                      cycles: phase == .healthz)
                rows.append(Row(phase: phase, settings: settings, result: result))
                // Let the server's writer and sockets settle between phases.
                try await Task.sleep(for: .milliseconds(500))
            }
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
        print(Row.table(rows, title: label))
    }
}

/// One line of the report.
struct Row {
    let phase: LoadCommand.Phase
    let settings: PhaseSettings
    let result: PhaseResult

    var perSecond: Double { Double(result.latencies.count) / result.measuredSeconds }

    static func table(_ rows: [Row], title: String) -> String {
        var lines = [title, ""]
        lines.append(pad("phase", 30) + pad("conns", 7) + pad("offered", 10) + pad("answered/s", 12)
            + pad("p50 ms", 9) + pad("p99 ms", 9) + pad("max ms", 9) + "non-200/errors")
        for row in rows {
            let sorted = row.result.latencies.sorted()
            let offered: String
            switch row.settings.shape {
            case .closed: offered = "closed"
            case let .open(perSecond): offered = "\(perSecond)/s"
            }
            var line = pad(row.phase.title, 30) + pad(String(row.settings.connections), 7) + pad(offered, 10)
            line += pad(format(row.perSecond, digits: 0), 12)
            line += pad(millis(percentile(sorted, 0.50)), 9) + pad(millis(percentile(sorted, 0.99)), 9)
            line += pad(millis(sorted.last), 9)
            line += "\(row.result.unexpectedStatus)/\(row.result.transportErrors)"
            if row.result.ranOut { line += "  (ran out of pre-signed events)" }
            if row.result.abandoned > 0 { line += "  (\(row.result.abandoned) unanswered at timeout)" }
            lines.append(line)
        }
        if let ceiling = rows.first(where: { $0.phase == .healthz }), let events = rows.first(where: { $0.phase == .closed }),
           ceiling.perSecond > 0 {
            lines.append("")
            lines.append("events/s ÷ healthz/s = \(format(100 * events.perSecond / ceiling.perSecond, digits: 1)) %")
        }
        let acknowledged = rows.filter { $0.phase != .healthz }.map(\.result.acknowledged).reduce(0, +)
        lines.append("events acknowledged with 200 (warm-up included): \(acknowledged)")
        return lines.joined(separator: "\n")
    }

    /// Nearest-rank percentile of sorted nanoseconds.
    static func percentile(_ sorted: [UInt64], _ quantile: Double) -> UInt64? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((quantile * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    static func millis(_ nanoseconds: UInt64?) -> String {
        nanoseconds.map { format(Double($0) / 1e6, digits: 2) } ?? "-"
    }

    static func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

extension LoadCommand.Phase {
    var title: String {
        switch self {
        case .healthz: "GET /healthz (ceiling)"
        case .closed: "POST slack events (closed)"
        case .open: "POST slack events (open)"
        }
    }
}
