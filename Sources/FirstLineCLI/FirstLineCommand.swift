import ArgumentParser
import FirstLineCore
import Foundation

/// The `firstline` command and its subcommands (design §6, "Command line").
public struct FirstLineCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "firstline",
        abstract: "A first-line helpdesk responder for Korean, Japanese and English.",
        subcommands: [ServeCommand.self, ChatCommand.self, AskCommand.self, EvalCommand.self, KBCommand.self,
                      UsersCommand.self, ConfigCommand.self, BackupCommand.self, RestoreCommand.self, ReportCommand.self]
    )

    public init() {}

    /// Parses and runs `arguments`, returning the process exit code: 0 ok, 1 the task failed,
    /// 2 bad usage (design §6). ArgumentParser's own usage code (64) is mapped to 2.
    public static func execute(_ arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let failure as CommandFailure {
            CommandOutput.standardError(failure.description)
            return 1
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                return 0
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            return code == .validationFailure ? 2 : 1
        }
    }
}

/// A command that ran but could not do its task: exit code 1 with this message on stderr.
public struct CommandFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Writes a JSON value to standard output with stable key order.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
