import FirstLineContent
import FirstLineCore
import Foundation
import Testing

/// `firstline.yml` (design §6): every field optional, every mistake reported with its line.
@Suite("settings file: dialogue, SLA, calendars, teams, agents, routing, approvals")
struct SettingsFileTests {
    static let full = """
        dialogue:
          time_zone: Asia/Tokyo
          default_language: ja
        sla:
          first_response_minutes: { P1: 15, P2: 60 }
        calendars:
          seoul:
            time_zone: Asia/Seoul
            hours:
              weekdays: ["09:00-12:00", "13:00-18:00"]
              saturday: "10:00-14:00"
            holidays: [2026-12-25, "2027-01-01"]
          night:
            time_zone: Asia/Tokyo
            hours: { every_day: "22:00-06:00" }
        teams:
          - id: network
            categories: [network, hardware]
            members: [ana, bo]
            strategy: least_open
            lead: bo
            calendar: seoul
          - id: night-desk
            categories: account
            members: [cy]
            calendar: night
        default_team: network
        agents:
          - { id: ana, skills: [mac, korean], capacity: 4, messenger: "slack:U0ANA" }
          - { id: bo, calendar: night }
          - { id: cy, online: false }
        routing: { reassign_after_minutes: 20 }
        approvals: { reminder_after_minutes: 60, reminders: 3 }
        """

    @Test("a complete file sets every part, and due times follow the owning team's calendar")
    func complete() throws {
        let settings = try SettingsFile.parse(Self.full, file: "firstline.yml")
        let desk = settings.desk
        #expect(settings.dialogue.defaultLanguage == .ja)
        #expect(desk.sla.firstResponseMinutes[.p1] == 15)
        #expect(desk.sla.firstResponseMinutes[.p3] == 480, "unset priorities keep their defaults")
        #expect(desk.teams.map(\.id) == ["network", "night-desk"])
        #expect(desk.teams[0].strategy == .leastOpen && desk.teams[0].leadID == "bo")
        #expect(desk.teams[0].categories == [.network, .hardware])
        #expect(desk.defaultTeamID == "network")
        #expect(desk.teamID(for: .email) == "network", "unowned categories go to the default team")
        let seoul = try #require(desk.calendars["seoul"])
        #expect(seoul.weeklyHours[.monday]?.count == 2)
        #expect(seoul.weeklyHours[.saturday]?.map(\.description) == ["10:00-14:00"])
        #expect(seoul.weeklyHours[.sunday] == nil)
        #expect(seoul.holidays.count == 2)
        let agents = Dictionary(uniqueKeysWithValues: desk.agents.map { ($0.id, $0) })
        #expect(agents["ana"]?.capacity == 4 && agents["ana"]?.skills == ["mac", "korean"])
        #expect(agents["ana"]?.calendar == seoul, "an agent without hours works their first team's")
        #expect(agents["bo"]?.calendar == desk.calendars["night"])
        #expect(agents["cy"]?.isOnline == false)
        #expect(desk.agentAddresses["ana"] == MessengerAddress(platform: .slack, id: "U0ANA"))
        #expect(desk.reassignAfterMinutes == 20)
        #expect(desk.approvals == ApprovalPolicy(reminderAfterMinutes: 60, maximumReminders: 3))
        #expect(desk.categoryCalendars.calendar(for: .account) == desk.calendars["night"])
        #expect(desk.categoryCalendars.calendar(for: .network) == seoul)
        _ = try desk.router()
    }

    @Test("an empty file, or none, is the built-in desk: one team, around the clock")
    func empty() throws {
        let settings = try SettingsFile.parse("", file: "firstline.yml")
        #expect(settings.desk == .standard)
        #expect(settings.desk.categoryCalendars.calendar(for: .network)?.alwaysOpen == true)
    }

    @Test("every mistake is reported at its own line, all in one run")
    func errorsWithLines() throws {
        let text = """
            calendars:
              seoul:
                time_zone: Asia/Seul
                hours: { weekdays: "9-18" }
              empty:
                time_zone: UTC
            teams:
              - id: network
                categories: [network, printers]
                members: [ana, zed]
                strategy: fastest
                calendar: mars
            default_team: nobody
            agents:
              - { id: ana, capacity: 0, messenger: "fax:123" }
              - { skills: [mac] }
            routing: { reassign_after: 5 }
            """
        let failure = try #require(throws: SettingsFile.Failure.self) { try SettingsFile.parse(text, file: "firstline.yml") }
        let expected: [(Int, String)] = [
            (3, "Asia/Seul"), (4, "9-18"), (6, "hours or always_open"), (9, "printers"), (10, "zed"),
            (11, "fastest"), (12, "mars"), (13, "nobody"), (15, "whole number"), (15, "platform:id"),
            (16, "needs an id"), (17, "reassign_after"),
        ]
        for (line, fragment) in expected {
            #expect(failure.issues.contains { $0.line == line && $0.message.contains(fragment) },
                    "expected line \(line) to mention \(fragment); got \(failure.description)")
        }
        #expect(failure.issues.allSatisfy { $0.file == "firstline.yml" })
    }

    @Test("broken YAML names its line", arguments: ["teams:\n  - id: a\n   members: [b", "dialogue: [unclosed"])
    func brokenYAML(text: String) throws {
        let failure = try #require(throws: SettingsFile.Failure.self) { try SettingsFile.parse(text, file: "x.yml") }
        #expect(failure.issues.count == 1)
        #expect(failure.issues[0].line >= 1)
    }

    @Test("unknown sections and repeated keys are errors, not silently ignored")
    func unknownAndRepeated() throws {
        let failure = try #require(throws: SettingsFile.Failure.self) {
            try SettingsFile.parse("sla:\n  first_response_minutes: { P1: 10, P1: 20 }\nteam:\n  - id: x\n", file: "f.yml")
        }
        // YAML itself refuses the repeated key, at its line; nothing else is read from a file that does not parse.
        #expect(failure.issues.count == 1 && failure.issues[0].line == 2, "\(failure.description)")
        let unknown = try #require(throws: SettingsFile.Failure.self) {
            try SettingsFile.parse("sla:\n  first_response_minutes: { P1: 10 }\nteam:\n  - id: x\n", file: "f.yml")
        }
        #expect(unknown.issues.contains { $0.line == 3 && $0.message.contains("unknown setting 'team'") }, "\(unknown.description)")
    }

    @Test("the shipped example file is valid")
    func shippedExample() throws {
        let file = Repository.root.appendingPathComponent("firstline.example.yml")
        let settings = try SettingsFile.load(file)
        #expect(!settings.desk.teams.isEmpty)
        #expect(!settings.desk.agents.isEmpty)
        _ = try settings.desk.router()
        #expect(settings.dialogue.otherDesks.map(\.id) == ["hr", "facilities", "finance"])
        #expect(settings.dialogue.otherDesks.allSatisfy { desk in Language.allCases.allSatisfy { desk.names[$0] != nil } })
    }

    @Test("other_desks: names, reach and examples per language; every mistake named at its line")
    func otherDesks() throws {
        let good = try SettingsFile.parse("""
            other_desks:
              - id: hr
                names: { ko: 인사팀, en: HR }
                reach: { en: "#ask-hr" }
                examples: { ko: [연차 신청], ja: [有給の申請], en: [annual leave] }
            """, file: "f.yml")
        let desk = try #require(good.dialogue.otherDesks.first)
        #expect(desk.name(in: .ja) == "인사팀", "a missing language falls back to another name")
        #expect(desk.reach(in: .en) == "#ask-hr")
        #expect(desk.intent.id == "desk-hr" && desk.intent.action == .outOfScope)
        #expect(desk.intent.examples[.ja] == ["有給の申請"])

        let bad = try #require(throws: SettingsFile.Failure.self) {
            try SettingsFile.parse("""
                other_desks:
                  - id: HR desk
                    names: { ko: 인사팀 }
                    examples: { ko: [연차] }
                  - names: { en: Facilities }
                    examples: { en: [parking] }
                  - id: finance
                    names: { de: Finanzen }
                    examples: { en: [expenses] }
                  - id: legal
                    names: { en: Legal }
                """, file: "f.yml")
        }
        let lines = bad.issues.map { "\($0.line): \($0.message)" }
        #expect(bad.issues.contains { $0.line == 2 && $0.message.contains("lower-case") }, "\(lines)")
        #expect(bad.issues.contains { $0.line == 5 && $0.message.contains("needs an 'id'") }, "\(lines)")
        #expect(bad.issues.contains { $0.line == 8 && $0.message.contains("unknown setting 'de'") }, "\(lines)")
        #expect(bad.issues.contains { $0.message.contains("desk 'legal' needs 'examples'") }, "\(lines)")
    }

    @Test("web_chat.sign_on_header names the sign-on proxy's header; off by default; a bad name is an error at its line")
    func webChatSignOn() throws {
        #expect(try SettingsFile.parse("", file: "f.yml").webChatSignOnHeader == nil)
        let good = try SettingsFile.parse("web_chat:\n  sign_on_header: X-Forwarded-Email\n", file: "f.yml")
        #expect(good.webChatSignOnHeader == "X-Forwarded-Email")
        for bad in ["web_chat:\n  sign_on_header: \"X Forwarded\"\n", "web_chat:\n  sign_on_header: \"\"\n",
                    "web_chat:\n  sign_on_header: \"X-User:\"\n"] {
            let failure = try #require(throws: SettingsFile.Failure.self) { try SettingsFile.parse(bad, file: "f.yml") }
            #expect(failure.issues.contains { $0.line == 2 && $0.message.contains("HTTP header name") }, "\(failure.description)")
        }
        let unknown = try #require(throws: SettingsFile.Failure.self) {
            try SettingsFile.parse("web_chat:\n  sso: X\n", file: "f.yml")
        }
        #expect(unknown.issues.contains { $0.line == 2 })
    }
    @Test("incidents: thresholds for suspected outages; defaults for a new installation; bad values at their line")
    func incidents() throws {
        #expect(try SettingsFile.parse("", file: "f.yml").incidents == SpikeThresholds())
        let good = try SettingsFile.parse("incidents:\n  min_reports: 20\n  window_minutes: 15\n  ratio_over_normal: 4\n  history_weeks: 8\n",
                                          file: "f.yml").incidents
        #expect(good.minimumReporters == 20 && good.window == 900 && good.ratioOverNormal == 4 && good.historyWeeks == 8)
        for (bad, line) in [("incidents:\n  min_reports: 1\n", 2), ("incidents:\n  window_minutes: 0\n", 2),
                            ("incidents:\n  history_weeks: 99\n", 2), ("incidents:\n  min_report: 5\n", 2)] {
            let failure = try #require(throws: SettingsFile.Failure.self) { try SettingsFile.parse(bad, file: "f.yml") }
            #expect(failure.issues.contains { $0.line == line }, "\(failure.description)")
        }
    }
}
