import FirstLineContent
import FirstLineCore
@testable import FirstLineServer
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Testing

/// One error middleware maps every layer's errors for every route: the status and code are the
/// same wherever an error comes from, and what is not modelled is logged at error level with the
/// request id instead of vanishing into an empty 500.
@Suite("errors: one mapping for every route")
struct ErrorMappingTests {
    /// Keeps every log record at `error` level and above, with its metadata.
    final class RecordedLogs: Sendable {
        struct Record: Sendable {
            var level: Logger.Level
            var message: String
            var metadata: [String: String]
        }

        let records = NIOLockedValueBox<[Record]>([])

        var logger: Logger {
            var logger = Logger(label: "firstline.tests.errors") { _ in Handler(logs: self) }
            logger.logLevel = .error
            return logger
        }

        struct Handler: LogHandler {
            let logs: RecordedLogs
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .error

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
                     file: String, function: String, line: UInt) {
                let merged = self.metadata.merging(metadata ?? [:]) { $1 }.mapValues(\.description)
                logs.records.withLockedValue { $0.append(Record(level: level, message: "\(message)", metadata: merged)) }
            }
        }
    }

    @Test("a store failure in the web chat is a JSON 500 with a code, logged at error level with the request id")
    func chatStoreFailure() async throws {
        try await TestEnvironment.with { env in
            let logs = RecordedLogs()
            let database = try env.openDatabase()
            let app = FirstLineApplication.build(
                configuration: env.configuration,
                dependencies: ServerDependencies(database: database, clock: env.clock, logger: logs.logger))
            try await app.test(.router) { client in
                let session = try await client.newSession()
                #expect(try await client.postChat(BadInputTests.text("my printer is jammed", session: session)).status == .ok)
                // The database goes away under the running server: every read and write now fails.
                try database.close()
                let response = try await client.postChat(BadInputTests.text("still jammed", session: session))
                expectError(response, .internalServerError, code: "internal_error")
            }
            let errors = logs.records.withLockedValue { $0 }
            #expect(errors.contains { $0.level >= .error && $0.metadata["hb.request.id"] != nil },
                    "logged: \(errors.map(\.message))")
        }
    }

    @Test("the store's errors map to statuses")
    func storeErrors() {
        let logger = TestEnvironment.quietLogger
        func status(_ error: StoreError) -> HTTPResponse.Status { ErrorMapping.appError(for: error as any Error, logger: logger).status }
        #expect(status(.notFound(.ticket, "HD-000009")) == .notFound)
        #expect(status(.duplicate(.account, "ana")) == .conflict)
        #expect(status(.invalidTransition(.ticket, id: "HD-1", from: "closed", to: "open")) == .conflict)
        #expect(status(.invalidValue("rating 9")) == .badRequest)
        #expect(status(.database(code: 10, message: "disk I/O error near 'secret subject'")) == .internalServerError)
        // SQLite's message may quote user text: it never reaches the client.
        let body = ErrorMapping.appError(for: StoreError.database(code: 10, message: "secret subject"), logger: logger).message
        #expect(!body.contains("secret"))
    }

    @Test("routing, desk, editor and content errors map to statuses")
    func otherLayers() {
        let logger = TestEnvironment.quietLogger
        func status(_ error: any Error) -> HTTPResponse.Status { ErrorMapping.appError(for: error, logger: logger).status }
        #expect(status(RoutingError.ticketNotQueued("HD-1")) == .conflict)
        #expect(status(RoutingError.unknownAgent("zed")) == .forbidden)
        #expect(status(RoutingError.notTeamMember(agentID: "ana", teamID: "net")) == .forbidden)
        #expect(status(RoutingError.overCapacity(agentID: "ana", capacity: 5)) == .conflict)
        #expect(status(DeskError.notApprover("HD-1")) == .forbidden)
        #expect(status(KnowledgeBaseEditor.Failure.notFound("article")) == .notFound)
        #expect(status(KnowledgeBaseEditor.Failure.alreadyExists("article")) == .conflict)
        #expect(status(ContentError.invalid([ContentIssue(file: "a.md", line: 3, message: "bad")])) == .unprocessableContent)
        struct Unexpected: Error {}
        #expect(status(Unexpected()) == .internalServerError)
    }
}
