import ArgumentParser
import FirstLineContent
import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import Logging

/// Where `firstline users` writes. A task-local rather than a global, so a test can capture the token a
/// command prints without redirecting the whole process's standard output.
public enum CommandOutput {
    @TaskLocal public static var standardOutput: @Sendable (String) -> Void = { print($0) }
    @TaskLocal public static var standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// `firstline users`: accounts of the agent API (design §6, "more users and tokens through the API or
/// `firstline users`"). Works on the database file directly, so the first admin can be created before the
/// server ever runs.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Create, list and disable accounts of the agent API.",
        subcommands: [Add.self, List.self, Disable.self, Import.self]
    )

    struct DatabaseOption: ParsableArguments {
        @Option(help: "SQLite database file (created when missing) or postgres:// URL; default FIRSTLINE_DATABASE_URL, else firstline.sqlite.")
        var db: String?

        func open() async throws -> OpenedStore {
            let environment = ProcessInfo.processInfo.environment
            let location: StoreLocation
            do {
                location = try StoreLocation(option: db, environment: environment)
            } catch {
                throw CommandFailure("database: \(error)")
            }
            do {
                // A command prints its own errors; the pool's background messages would only repeat them.
                return try await location.open(logger: Logger(label: "firstline.users", factory: { _ in SwiftLogNoOpLogHandler() }))
            } catch {
                throw CommandFailure("cannot open the database \(location): \(error)")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account and print its token (shown only this once).")

        @Option(help: "Account name: letters, digits, '.', '-', '_' or '@'; unique regardless of case.")
        var name: String

        @Option(help: "admin, agent, editor or employee.")
        var role: String

        @Option(help: "The employee id the account speaks for (required for role employee).")
        var employee: Int64?

        @OptionGroup var database: DatabaseOption

        func validate() throws {
            guard let role = Account.Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(Account.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if role == .employee, employee == nil { throw ValidationError("--employee is required for role employee") }
            if let problem = AccountService.problem(withName: name) { throw ValidationError("--name: \(problem)") }
        }

        func run() async throws {
            guard let role = Account.Role(rawValue: role) else { throw ValidationError("--role is not a role") }
            let opened = try await database.open()
            defer { opened.close() }
            let store = opened.store
            let issued: AccountService.Issued
            do throws(AccountService.Failure) {
                issued = try await AccountService(accounts: store).create(name: name, role: role, employeeID: employee,
                                                                          at: Date())
            } catch {
                throw CommandFailure(error.description)
            }
            // The token alone on standard output, so scripts can capture it; the advice goes to standard error.
            CommandOutput.standardOutput(issued.token)
            CommandOutput.standardError(
                "created \(role.rawValue) account '\(issued.account.name)'. The token above is shown only once: "
                    + "store it now (only its hash is kept). Use it as 'Authorization: Bearer <token>'.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts (never their tokens).")

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let opened = try await database.open()
            defer { opened.close() }
            let store = opened.store
            for account in try await store.accounts() {
                let employee = account.employeeID.map { " employee=\($0)" } ?? ""
                let state = account.disabledAt.map { " disabled=\($0.formatted(.iso8601))" } ?? ""
                CommandOutput.standardOutput("\(account.name)\t\(account.role.rawValue)\(employee)\(state)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account; its token stops working at once.")

        @Option(help: "Account name.")
        var name: String

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let opened = try await database.open()
            defer { opened.close() }
            let store = opened.store
            do {
                let account = try await store.disableAccount(name: name, at: Date())
                CommandOutput.standardError("disabled account '\(account.name)'")
            } catch StoreError.notFound {
                throw CommandFailure("no account is named '\(name)'")
            }
        }
    }

    /// `firstline users import directory.csv`: the employee directory (managers for approvals,
    /// messenger ids), all rows or none.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import the employee directory: id,name,email,department,manager,slack,telegram,line,lineworks.")

        @Argument(help: "CSV file with a header line.")
        var file: String

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("\(file): cannot read the file") }
            let rows: [DirectoryCSV.Row]
            do {
                rows = try DirectoryCSV.parse(String(decoding: data, as: UTF8.self), file: file)
            } catch {
                throw CommandFailure(error.description)
            }
            let known = Set(rows.map(\.id))
            let opened = try await database.open()
            defer { opened.close() }
            let store = opened.store
            // A manager outside this file must have been imported before; checked here to name the line.
            for row in rows {
                if let manager = row.manager, !known.contains(manager), try await store.employee(directoryID: manager) == nil {
                    throw CommandFailure("\(file):\(row.line): manager '\(manager)' of '\(row.id)' is neither in this file nor imported before")
                }
            }
            let entries = rows.map { row in
                DirectoryEntry(directoryID: row.id, name: row.name, email: row.email, department: row.department,
                               managerDirectoryID: row.manager,
                               identities: row.platformIDs.sorted { $0.key < $1.key }.compactMap { platform, id in
                                   Platform(rawValue: platform).map { (platform: $0, userID: id) }
                               })
            }
            do {
                let summary = try await store.importDirectory(entries, at: Date())
                CommandOutput.standardOutput(
                    "imported \(rows.count) people: \(summary.created) new, \(summary.updated) updated, "
                        + "\(summary.identitiesLinked) messenger ids linked")
            } catch let error as StoreError {
                throw CommandFailure("\(file): nothing imported: \(error)")
            }
        }
    }
}
