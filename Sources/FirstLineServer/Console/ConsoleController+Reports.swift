import FirstLineCore
import Foundation

/// The reports page's tables, built from a period's report and the one before it. Pure: numbers in,
/// template values out, so every row the page shows is the JSON API's figure under a translated name.
enum ReportPageSections {
    static func values(now: HelpdeskReport, before: HelpdeskReport, text: ConsoleText) -> [String: Any] {
        func row(_ key: String, _ current: String, _ previous: String) -> [String: Any] {
            ["label": text[key], "current": current, "previous": previous]
        }
        func count(_ key: String, _ value: (HelpdeskReport) -> Int) -> [String: Any] {
            row(key, String(value(now)), String(value(before)))
        }
        func minutes(_ key: String, _ value: (HelpdeskReport) -> Double?) -> [String: Any] {
            row(key, Self.minutes(value(now)), Self.minutes(value(before)))
        }
        let figures: [[String: Any]] = [
            count("opened") { $0.tickets.opened },
            count("resolved") { $0.tickets.resolved },
            count("reopened") { $0.tickets.reopened },
            count("suggestions") { $0.deflection.suggestions },
            count("deflectionConfirmed") { $0.deflection.confirmed },
            count("deflectionPotential") { $0.deflection.potential },
            count("stillBroken") { $0.deflection.stillBroken },
            row("deflection", percent(now.deflection.rate), percent(before.deflection.rate)),
            count("fcrCount") { $0.tickets.firstContactResolved },
            row("fcr", percent(now.tickets.firstContactRate), percent(before.tickets.firstContactRate)),
            minutes("firstResponse") { $0.firstResponse.medianMinutes },
            minutes("firstResponseP90") { $0.firstResponse.p90Minutes },
            minutes("resolution") { $0.resolution.medianMinutes },
            minutes("resolutionP90") { $0.resolution.p90Minutes },
            row("rating", rating(now.averageRating), rating(before.averageRating)),
        ]
        let definitions = [("deflectionConfirmed", "def_confirmed"), ("deflectionPotential", "def_potential"),
                           ("reopened", "def_reopened"), ("deflection", "def_rate"), ("fcr", "def_fcr"),
                           ("firstResponse", "def_time"), ("slaTitle", "def_sla")]
            .map { ["term": text[$0.0], "meaning": text[$0.1]] as [String: Any] }
        let previousSLA = Dictionary(before.sla.map { ($0.priority, $0) }) { first, _ in first }
        let sla = now.sla.map { line -> [String: Any] in
            let earlier = previousSLA[line.priority]
            return ["priority": line.priority.rawValue,
                    "first": share(line.firstResponseMet, of: line.firstResponseTotal),
                    "firstBefore": earlier.map { share($0.firstResponseMet, of: $0.firstResponseTotal) } ?? "–",
                    "resolution": share(line.resolutionMet, of: line.resolutionTotal),
                    "resolutionBefore": earlier.map { share($0.resolutionMet, of: $0.resolutionTotal) } ?? "–"]
        }
        let breakdowns: [[String: Any]] = [
            breakdown("byCategory", now.byCategory, before.byCategory) { text["category_\($0)"] },
            breakdown("byTeam", now.byTeam, before.byTeam) { $0 },
            breakdown("byChannel", now.byChannel, before.byChannel) { $0 },
            breakdown("byIntake", now.byIntake, before.byIntake) { text["intake_\($0)"] },
            breakdown("csat", now.csat, before.csat, inKeyOrder: true) { String(repeating: "★", count: Int($0) ?? 0) },
        ].map { ["title": text[$0.title], "rows": $0.rows, "chart": $0.chart, "hasRows": !$0.rows.isEmpty] as [String: Any] }
        return [
            "figures": figures, "definitions": definitions, "sla": sla, "breakdowns": breakdowns,
            "recurringArticles": now.recurringArticles.map { article -> [String: Any] in
                ["name": article.articleID, "shown": article.shown, "solved": article.solved, "stillBroken": article.stillBroken]
            },
            "recurringTerms": now.recurringTerms.map { term -> [String: Any] in
                ["name": term.term, "tickets": term.tickets, "examples": Array(term.examples.prefix(3))]
            },
        ]
    }

    /// One "tickets by …" table: this period's counts with the previous period's beside them (a key
    /// seen only before still gets a row, at 0 now), largest first (or in the keys' order, for the
    /// ratings' 1…5 stars), and its bar chart.
    static func breakdown(_ title: String, _ now: [HelpdeskReport.Count], _ before: [HelpdeskReport.Count],
                          inKeyOrder: Bool = false, label: (String) -> String) -> (title: String, rows: [[String: Any]], chart: String) {
        let current = Dictionary(now.map { ($0.key, $0.count) }) { first, _ in first }
        let previous = Dictionary(before.map { ($0.key, $0.count) }) { first, _ in first }
        let keys = Set(current.keys).union(previous.keys).sorted {
            inKeyOrder ? $0 < $1 : (current[$0] ?? 0, previous[$0] ?? 0, $1) > (current[$1] ?? 0, previous[$1] ?? 0, $0)
        }
        let rows = keys.map { ["label": label($0), "current": current[$0] ?? 0, "previous": previous[$0] ?? 0] as [String: Any] }
        return (title, rows, ConsoleChart.bars(keys.map { (label($0), current[$0] ?? 0) }) ?? "")
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.0f%%", $0 * 100) } ?? "–" }
    static func minutes(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "–" }
    static func rating(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "–" }

    /// "3/4 (75%)"; "–" when nothing was due.
    static func share(_ met: Int, of total: Int) -> String {
        total == 0 ? "–" : "\(met)/\(total) (\(percent(Double(met) / Double(total))))"
    }
}
