import FirstLineCLI
import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import Testing

/// `firstline users` (design §6): the token is printed once and then works; bad input has the documented exit codes.
@Suite("firstline users")
struct AgentUsersCommandTests {
    /// Lines a command wrote, captured through `CommandOutput` for this test only.
    final class Captured: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    struct Run {
        var code: Int32
        var output: [String]
        var errors: [String]
    }

    static func run(_ arguments: [String]) async -> Run {
        let output = Captured()
        let errors = Captured()
        let code = await CommandOutput.$standardOutput.withValue({ output.append($0) }) {
            await CommandOutput.$standardError.withValue({ errors.append($0) }) {
                await FirstLineCommand.execute(arguments)
            }
        }
        return Run(code: code, output: output.all, errors: errors.all)
    }

    @Test("a database URL the command cannot use is exit 1 before any connection is tried")
    func badDatabaseURL() async {
        // The message (on the process's standard error) is checked in the store's tests: the reason, never the password.
        let run = await Self.run(["users", "list", "--db", "postgres://desk:hunter2@db.internal/firstline?sslmode=sometimes"])
        #expect(run.code == 1)
        #expect(run.output.isEmpty)
    }

    @Test("users add and list work on a PostgreSQL database",
          .enabled(if: ProcessInfo.processInfo.environment["FIRSTLINE_TEST_POSTGRES_URL"] != nil,
                   "PostgreSQL suite skipped: FIRSTLINE_TEST_POSTGRES_URL not set"))
    func usersOnPostgres() async throws {
        let server = try #require(ProcessInfo.processInfo.environment["FIRSTLINE_TEST_POSTGRES_URL"])
        // A schema of this test's own, created by the store's first migration.
        let schema = "firstline_test_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let url = server + (server.contains("?") ? "&" : "?") + "search_path=" + schema
        let added = await Self.run(["users", "add", "--name", "ana", "--role", "agent", "--db", url])
        #expect(added.code == 0)
        #expect(added.output.count == 1)
        let listed = await Self.run(["users", "list", "--db", url])
        #expect(listed.code == 0)
        #expect(listed.output.joined(separator: "\n").contains("ana"))
    }

    @Test("users add prints a token once; it authenticates as that account, and stops working when disabled")
    func addThenAuthenticate() async throws {
        let folder = try TemporaryFolder("users")
        let db = folder.url.appendingPathComponent("firstline.sqlite").path
        let added = await Self.run(["users", "add", "--name", "ana", "--role", "agent", "--db", db])
        #expect(added.code == 0, "\(added.errors)")
        #expect(added.output.count == 1, "the token alone, once: \(added.output)")
        let token = try #require(added.output.first)
        #expect(token.hasPrefix("fl_") && token.count == 46)
        #expect(added.errors.joined().contains("only once"))
        #expect(!added.errors.joined().contains(token), "the advice does not repeat the token")

        let database = try AppDatabase.open(path: db)
        defer { try? database.close() }
        let authenticator = Authenticator(accounts: database, bootstrapToken: nil)
        let principal = try await authenticator.principal(token: token)
        #expect(principal == Principal(name: "ana", role: .agent))
        #expect(try await database.account(name: "ana")?.tokenHash == AccessToken.hash(token))

        let listed = await Self.run(["users", "list", "--db", db])
        #expect(listed.code == 0)
        #expect(listed.output == ["ana\tagent"])

        #expect(await Self.run(["users", "disable", "--name", "ana", "--db", db]).code == 0)
        await #expect(throws: AppError.self) { try await authenticator.principal(token: token) }
        #expect(await Self.run(["users", "disable", "--name", "nobody", "--db", db]).code == 1)
    }

    @Test("a duplicate name is exit 1 with a clear message; a bad role or a missing employee is exit 2")
    func exitCodes() async throws {
        let folder = try TemporaryFolder("users")
        let db = folder.url.appendingPathComponent("firstline.sqlite").path
        #expect(await Self.run(["users", "add", "--name", "ana", "--role", "agent", "--db", db]).code == 0)

        let duplicate = await Self.run(["users", "add", "--name", "Ana", "--role", "admin", "--db", db])
        #expect(duplicate.code == 1)
        #expect(duplicate.output.isEmpty, "no token for a refused account")

        #expect(await Self.run(["users", "add", "--name", "bo", "--role", "superuser", "--db", db]).code == 2)
        #expect(await Self.run(["users", "add", "--name", "bo", "--role", "employee", "--db", db]).code == 2)
        #expect(await Self.run(["users", "add", "--name", "two words", "--role", "agent", "--db", db]).code == 2)
        #expect(await Self.run(["users", "add", "--role", "agent", "--db", db]).code == 2)
        // A well-formed command whose employee does not exist: the task failed.
        #expect(await Self.run(["users", "add", "--name", "bo", "--role", "employee", "--employee", "77", "--db", db]).code == 1)

        let database = try AppDatabase.open(path: db)
        let employee = try await database.findOrCreateEmployee(displayName: "Bo", email: "bo@example.com", at: Date())
        try database.close()
        let id = try #require(employee.id)
        let added = await Self.run(["users", "add", "--name", "bo", "--role", "employee", "--employee", "\(id)", "--db", db])
        #expect(added.code == 0)
        let reopened = try AppDatabase.open(path: db)
        defer { try? reopened.close() }
        let principal = try await Authenticator(accounts: reopened, bootstrapToken: nil).principal(token: try #require(added.output.first))
        #expect(principal == Principal(name: "bo", role: .employee, employeeID: id))
    }
}
