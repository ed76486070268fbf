import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite struct AgentTmpDebugTests {
    @Test(arguments: 0..<8) func repeatJapanese(i: Int) async throws {
        do {
            try await TestEnvironment.with { env in
                let database = try env.openDatabase()
                defer { try? database.close() }
                var logger = Logger(label: "dbg", factory: { StreamLogHandler.standardError(label: $0) })
                logger.logLevel = .debug
                let app = FirstLineApplication.build(configuration: env.configuration,
                                                     dependencies: ServerDependencies(database: database, clock: env.clock, logger: logger))
                try await app.test(.router) { client in
                    _ = try await Journey.escalate(.japanese, session: "s\(i)", client: client)
                }
            }
        }
    }
}
