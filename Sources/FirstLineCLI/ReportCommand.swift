import ArgumentParser
import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import Logging

/// `firstline report --from DATE --to DATE [--db PATH] [--format table|json|csv]`: the managers'
/// figures for a period, beside the period of the same length before it (issue: console, point 5).
/// The same numbers as `GET /api/v1/reports`, read straight from the database.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the helpdesk's figures for a period (deflection, resolution, SLA, backlog, workload).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @Option(help: "First day, like 2026-05-01.")
    var from: String

    @Option(help: "Last day, included, like 2026-05-31.")
    var to: String

    @Option(help: "Time zone the days are cut in (default: dialogue.time_zone of the settings, else Asia/Seoul).")
    var timeZone: String?

    @Option(help: "table, json or csv.")
    var format: Format = .table

    @Option(help: "Optional settings file (firstline.yml): team calendars count business minutes.")
    var config: String?

    @OptionGroup var paths: StoragePaths

    func run() async throws {
        let configuration = try paths.serverConfiguration(configFile: config)
        var zone = configuration.dialogue.timeZone
        if let timeZone {
            guard let named = TimeZone(identifier: timeZone) else {
                throw ValidationError("--time-zone must be a time zone such as Asia/Seoul, not \(timeZone.prefix(40))")
            }
            zone = named
        }
        let period: ReportPeriod
        do {
            period = try ReportPeriod(from: from, to: to, timeZone: zone)
        } catch {
            throw ValidationError("--\(error.field): \(error.description)")
        }
        let quiet = Logger(label: "firstline.report", factory: { _ in SwiftLogNoOpLogHandler() })
        let opened = try await paths.openStore(environment: ProcessInfo.processInfo.environment, logger: quiet)
        defer { opened.close() }
        let builder = ReportBuilder(store: opened.store, timeZone: zone, policy: configuration.desk)
        let comparison = try await builder.compare(period)
        let json = ReportsJSON(period: period, comparison: comparison)
        switch format {
        case .json:
            CommandOutput.standardOutput(String(decoding: try ReportBuilder.encoder.encode(json), as: UTF8.self))
        case .csv:
            CommandOutput.standardOutput(ReportCSV.tables(comparison.current))
        case .table:
            CommandOutput.standardOutput(Self.table(json))
        }
    }

    /// The headline figures, this period beside the previous one.
    static func table(_ json: ReportsJSON) -> String {
        let now = json.current, before = json.previous
        func value(_ number: Double?) -> String { number.map { String(format: "%.1f", $0) } ?? "-" }
        func percent(_ ratio: Double?) -> String { ratio.map { String(format: "%.0f%%", $0 * 100) } ?? "-" }
        let rows: [(String, String, String)] = [
            ("articles shown", String(now.deflection.suggestions), String(before.deflection.suggestions)),
            ("deflected (Solved)", String(now.deflection.confirmed), String(before.deflection.confirmed)),
            ("deflected (potential)", String(now.deflection.potential), String(before.deflection.potential)),
            ("deflection rate", percent(now.deflection.rate), percent(before.deflection.rate)),
            ("tickets opened", String(now.tickets.opened), String(before.tickets.opened)),
            ("tickets resolved", String(now.tickets.resolved), String(before.tickets.resolved)),
            ("reopened", String(now.tickets.reopened), String(before.tickets.reopened)),
            ("first-contact resolution", percent(now.tickets.firstContactRate), percent(before.tickets.firstContactRate)),
            ("first response median (business min)", value(now.firstResponse.medianMinutes), value(before.firstResponse.medianMinutes)),
            ("first response p90", value(now.firstResponse.p90Minutes), value(before.firstResponse.p90Minutes)),
            ("resolution median (business min)", value(now.resolution.medianMinutes), value(before.resolution.medianMinutes)),
            ("resolution p90", value(now.resolution.p90Minutes), value(before.resolution.p90Minutes)),
            ("average rating", value(now.averageRating), value(before.averageRating)),
            ("open at the end", String(now.backlog.last?.open ?? 0), String(before.backlog.last?.open ?? 0)),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        var lines = ["\(json.from) – \(json.to) (\(json.timeZone))", ""]
        lines.append("figure".padding(toLength: width, withPad: " ", startingAt: 0) + "  this period  previous")
        for (name, current, previous) in rows {
            lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                         + current.padding(toLength: 11, withPad: " ", startingAt: 0) + "  " + previous)
        }
        for sla in now.sla {
            lines.append("SLA \(sla.priority.rawValue): first response \(sla.firstResponseMet)/\(sla.firstResponseTotal), "
                         + "resolution \(sla.resolutionMet)/\(sla.resolutionTotal)")
        }
        for agent in now.agents {
            lines.append("agent \(agent.agent): assigned \(agent.assigned), resolved \(agent.resolved), "
                         + "median \(value(agent.medianResolutionMinutes)) min, rating \(value(agent.averageRating))")
        }
        return lines.joined(separator: "\n")
    }
}
