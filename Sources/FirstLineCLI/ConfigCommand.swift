import ArgumentParser
import FirstLineContent
import FirstLineCore
import Foundation

/// `firstline config …`: the settings file.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the settings file (firstline.yml).",
        subcommands: [Check.self]
    )

    /// `firstline config check [--config FILE]`: every problem with file and line; exit 1 on any.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate firstline.yml: calendars, teams, agents, SLA, routing, approvals.")

        @Option(help: "Settings file.")
        var config: String = StoragePaths.defaultConfigFile

        func run() async throws {
            guard FileManager.default.fileExists(atPath: config) else {
                throw CommandFailure("\(config): no such file (without one, the built-in defaults apply)")
            }
            let settings: FirstLineSettings
            do {
                settings = try SettingsFile.load(URL(fileURLWithPath: config))
            } catch {
                for issue in error.issues { CommandOutput.standardOutput(issue.description) }
                CommandOutput.standardOutput("\(error.issues.count) problem(s)")
                throw ExitCode(1)
            }
            let desk = settings.desk
            var warnings: [String] = []
            for team in desk.teams where team.memberIDs.isEmpty {
                warnings.append("team '\(team.id)' has no members: its tickets wait in its queue until claimed")
            }
            let owned = Set(desk.teams.flatMap(\.categories))
            for category in ArticleCategory.allCases where !owned.contains(category) {
                warnings.append("category '\(category.rawValue)' is owned by no team: it goes to \(desk.defaultTeamID)")
            }
            for warning in warnings { CommandOutput.standardOutput("note: \(warning)") }
            CommandOutput.standardOutput(
                "ok: \(desk.calendars.count) calendars, \(desk.teams.count) teams, \(desk.agents.count) agents, "
                    + "reassign after \(desk.reassignAfterMinutes) min, approval reminders every "
                    + "\(desk.approvals.reminderAfterMinutes) min (at most \(desk.approvals.maximumReminders))")
        }
    }
}
