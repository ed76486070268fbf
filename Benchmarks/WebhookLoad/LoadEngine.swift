import NIOCore
import NIOHTTP1
import NIOPosix

/// How requests are offered to the server.
enum LoadShape: Sendable, Equatable {
    /// Every connection sends its next request as soon as the answer to the previous one arrives:
    /// measures the most the server sustains with `connections` keep-alive connections.
    case closed
    /// Requests fall due at fixed intervals whatever the server does. A request that finds no
    /// idle connection waits in the load process, and its latency still counts from when it was
    /// due, so a stalled server shows up as queueing instead of hiding it (coordinated omission).
    case open(perSecond: Int)
}

struct PhaseSettings: Sendable {
    var host: String
    /// One per replica; connection `i` goes to `ports[i % ports.count]`.
    var ports: [Int]
    var connections: Int
    var warmupNanoseconds: UInt64
    var measureNanoseconds: UInt64
    var shape: LoadShape
}

struct PhaseResult: Sendable {
    /// Nanoseconds from send (closed) or due time (open) to the end of the response, for the
    /// requests that started inside the measured window.
    var latencies: [UInt64]
    var measuredSeconds: Double
    /// Connections reset or refused mid-request.
    var transportErrors: Int
    /// Answers other than 200 (a 401 would mean the signing is wrong, a 500 a failed commit).
    var unexpectedStatus: Int
    /// True if the prepared requests ran out before the window closed.
    var ranOut: Bool
    /// Requests still unanswered when the safety timeout fired.
    var abandoned: Int
    /// Every 200 of the phase, warm-up included: for a webhook phase, the events the server claims to have committed.
    var acknowledged: Int
}

/// Drives one phase on a single event loop, so the load process uses at most one core and every
/// piece of state below is touched by that loop only (hence no locks and a non-Sendable class).
final class LoadEngine {
    final class Connection {
        let channel: any Channel
        var busy = false
        /// When the request in flight was sent (closed loop) or fell due (open loop).
        var origin: UInt64 = 0

        init(channel: any Channel) { self.channel = channel }
    }

    private let loop: any EventLoop
    private let settings: PhaseSettings
    private let requests: [PreparedRequest]
    /// A route without per-request data (GET /healthz) reuses its single request forever.
    private let cycles: Bool
    private let promise: EventLoopPromise<PhaseResult>
    private var nextRequest = 0
    private var connections: [Connection] = []
    private var idle: [Connection] = []
    private var backlog: [UInt64] = []
    private var backlogHead = 0
    private var start: UInt64 = 0
    private var measureStart: UInt64 = 0
    private var measureEnd: UInt64 = 0
    private var scheduled = 0
    private var toSchedule = 0
    private var interval: Double = 0
    private var stopped = false
    private var finished = false
    private var inFlight = 0
    private var latencies: [UInt64] = []
    private var transportErrors = 0
    private var unexpectedStatus = 0
    private var ranOut = false
    private var acknowledged = 0

    private init(loop: any EventLoop, settings: PhaseSettings, requests: [PreparedRequest], cycles: Bool,
                 promise: EventLoopPromise<PhaseResult>) {
        self.loop = loop
        self.settings = settings
        self.requests = requests
        self.cycles = cycles
        self.promise = promise
        latencies.reserveCapacity(requests.count)
    }

    /// Connects, runs the phase and closes the connections again.
    static func run(on loop: any EventLoop, settings: PhaseSettings, requests: [PreparedRequest],
                    cycles: Bool) async throws -> PhaseResult {
        let promise = loop.makePromise(of: PhaseResult.self)
        loop.execute {
            let engine = LoadEngine(loop: loop, settings: settings, requests: requests, cycles: cycles, promise: promise)
            engine.connect()
        }
        return try await promise.futureResult.get()
    }

    private var bound: NIOLoopBound<LoadEngine> { NIOLoopBound(self, eventLoop: loop) }

    private func connect() {
        let bound = self.bound
        let bootstrap = ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let engine = bound.value
                    let connection = Connection(channel: channel)
                    engine.connections.append(connection)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseHandler(engine: engine, connection: connection))
                }
            }
        let attempts = (0..<settings.connections).map { index in
            bootstrap.connect(host: settings.host, port: settings.ports[index % settings.ports.count])
        }
        EventLoopFuture.andAllSucceed(attempts, on: loop).whenComplete { result in
            let engine = bound.value
            switch result {
            case .success: engine.begin()
            case let .failure(error):
                for connection in engine.connections { connection.channel.close(promise: nil) }
                engine.finished = true
                engine.promise.fail(error)
            }
        }
    }

    private func begin() {
        start = NIODeadline.now().uptimeNanoseconds
        measureStart = start + settings.warmupNanoseconds
        measureEnd = measureStart + settings.measureNanoseconds
        let bound = self.bound
        // However the server behaves, the phase ends: 30 s after the window, the rest is abandoned.
        loop.scheduleTask(deadline: .uptimeNanoseconds(measureEnd + 30_000_000_000)) { bound.value.finish() }
        switch settings.shape {
        case .closed:
            loop.scheduleTask(deadline: .uptimeNanoseconds(measureEnd)) {
                let engine = bound.value
                engine.stopped = true
                if engine.inFlight == 0 { engine.finish() }
            }
            for connection in connections { send(on: connection, origin: start) }
        case let .open(perSecond):
            interval = 1e9 / Double(perSecond)
            toSchedule = Int(Double(measureEnd - start) / interval)
            idle = connections
            tick()
        }
    }

    /// Open loop: issues every request that has fallen due, then sleeps until the next is due.
    private func tick() {
        let now = NIODeadline.now().uptimeNanoseconds
        while scheduled < toSchedule, due(scheduled) <= now {
            let origin = due(scheduled)
            scheduled += 1
            if let connection = idle.popLast() {
                send(on: connection, origin: origin)
            } else {
                backlog.append(origin)
            }
        }
        if scheduled < toSchedule {
            let bound = self.bound
            loop.scheduleTask(deadline: .uptimeNanoseconds(due(scheduled))) { bound.value.tick() }
        } else {
            stopped = true
            finishIfDrained()
        }
    }

    private func due(_ index: Int) -> UInt64 { start + UInt64(Double(index) * interval) }

    private func send(on connection: Connection, origin: UInt64) {
        let request: PreparedRequest
        if cycles {
            request = requests[0]
        } else {
            guard nextRequest < requests.count else {
                ranOut = true
                stopped = true
                finishIfDrained()
                return
            }
            request = requests[nextRequest]
            nextRequest += 1
        }
        connection.busy = true
        connection.origin = origin
        inFlight += 1
        let channel = connection.channel
        channel.write(HTTPClientRequestPart.head(request.head), promise: nil)
        if let body = request.body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    fileprivate func completed(_ connection: Connection, status: UInt) {
        let now = NIODeadline.now().uptimeNanoseconds
        connection.busy = false
        inFlight -= 1
        if connection.origin >= measureStart, connection.origin < measureEnd {
            latencies.append(now &- connection.origin)
        }
        if status == 200 { acknowledged += 1 } else { unexpectedStatus += 1 }
        switch settings.shape {
        case .closed:
            if stopped {
                finishIfDrained()
            } else {
                send(on: connection, origin: now)
            }
        case .open:
            if backlogHead < backlog.count {
                let origin = backlog[backlogHead]
                backlogHead += 1
                send(on: connection, origin: origin)
            } else {
                idle.append(connection)
                finishIfDrained()
            }
        }
    }

    fileprivate func lost(_ connection: Connection) {
        if connection.busy {
            connection.busy = false
            inFlight -= 1
            transportErrors += 1
        }
        connections.removeAll { $0 === connection }
        idle.removeAll { $0 === connection }
        if connections.isEmpty { finish() } else { finishIfDrained() }
    }

    private func finishIfDrained() {
        if stopped, inFlight == 0, backlogHead == backlog.count { finish() }
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        let result = PhaseResult(latencies: latencies, measuredSeconds: Double(settings.measureNanoseconds) / 1e9,
                                 transportErrors: transportErrors, unexpectedStatus: unexpectedStatus, ranOut: ranOut,
                                 abandoned: inFlight + (backlog.count - backlogHead), acknowledged: acknowledged)
        for connection in connections { connection.channel.close(promise: nil) }
        promise.succeed(result)
    }
}

/// Hands each complete response back to the engine; the body (`{"ok":true}`) is not read.
private final class ResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let engine: LoadEngine
    private let connection: LoadEngine.Connection
    private var status: UInt = 0

    init(engine: LoadEngine, connection: LoadEngine.Connection) {
        self.engine = engine
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head): status = head.status.code
        case .body: break
        case .end: engine.completed(connection, status: status)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        engine.lost(connection)
        context.fireChannelInactive()
    }
}
