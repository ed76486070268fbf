import FirstLineCore
import Foundation
import Testing

/// Spike detection (issue: outages, point 1), replayed against an injected clock: no I/O.
@Suite("Spike detection: similar reports from many employees, against the normal level for the hour")
struct SpikeDetectorTests {
    /// Monday 2026-11-30 09:30 UTC.
    static let monday930 = Date(timeIntervalSince1970: 1_796_031_000)
    static let week: TimeInterval = 7 * 24 * 3600

    static let vpnReports = [
        "VPN이 안 돼요", "VPN 연결이 계속 끊겨요", "저도 VPN 접속이 안 됩니다",
        "VPNにつながりません", "VPNが切れます", "VPN接続できない",
        "VPN is down", "can't connect to the VPN", "VPN keeps dropping",
    ]

    /// A burst of `count` reports over `span` seconds, ending at `end`, each from a different employee.
    static func burst(_ count: Int, article: String?, texts: [String], span: TimeInterval, end: Date,
                      reporterPrefix: String = "emp") -> [ReportSignal] {
        let words = DistinctiveWords()
        return (0..<count).map { index in
            let at = end.addingTimeInterval(-span + span * Double(index + 1) / Double(count))
            let text = texts[index % texts.count]
            return ReportSignal(at: at, reporter: "\(reporterPrefix)-\(index)", articleID: article, words: words.words(of: text))
        }
    }

    /// Replays reports one by one, asking the detector after each, as the server does after each turn.
    static func replay(_ reports: [ReportSignal], history: [ReportSignal] = [], historyStart: Date? = nil,
                       detector: SpikeDetector = SpikeDetector()) -> [(at: Date, spike: SuspectedSpike)] {
        var raised: [(Date, SuspectedSpike)] = []
        var seen: [ReportSignal] = []
        for report in reports.sorted(by: { $0.at < $1.at }) {
            seen.append(report)
            let suppressed = Set(raised.map(\.1.topic))
            for spike in detector.detect(recent: seen, history: history, historyStart: historyStart, now: report.at,
                                         suppressed: suppressed) {
                raised.append((report.at, spike))
            }
        }
        return raised
    }

    @Test("50 reports in ko, ja and en within 10 minutes against a quiet baseline raise exactly one incident")
    func burstRaisesOne() throws {
        // Four quiet weeks: one or two VPN questions around this hour.
        let history = (1...4).flatMap { weeks in
            Self.burst(weeks % 2 + 1, article: "vpn-connect", texts: Self.vpnReports, span: 3000,
                       end: Self.monday930.addingTimeInterval(-Double(weeks) * Self.week + 1500), reporterPrefix: "old\(weeks)")
        }
        let reports = Self.burst(50, article: "vpn-connect", texts: Self.vpnReports, span: 600, end: Self.monday930)
        let raised = Self.replay(reports, history: history, historyStart: Self.monday930.addingTimeInterval(-60 * 24 * 3600))
        #expect(raised.count == 1)
        let spike = try #require(raised.first?.spike)
        #expect(spike.topic == .article("vpn-connect"))
        // Raised at the tenth different employee, not after the fiftieth.
        #expect(spike.reporters.count == 10)
        #expect(raised.first?.at == reports[9].at)
        #expect(spike.normal == 1, "the quiet hour's level is under the floor: \(spike.normal)")
    }

    @Test("a busy Monday morning at its usual level raises nothing; the same count on a new installation does")
    func busyMondayIsNormal() {
        // Every Monday 09:00–10:00: about 45 password resets, 20 Outlook questions, 12 printer jams.
        let usual: [(String, Int)] = [("password-reset", 45), ("outlook-not-syncing", 20), ("printer-paper-jam", 12)]
        let history = (1...4).flatMap { weeks in
            usual.flatMap { article, count in
                Self.burst(count, article: article, texts: ["x"], span: 3600,
                           end: Self.monday930.addingTimeInterval(-Double(weeks) * Self.week + 1800),
                           reporterPrefix: "w\(weeks)-\(article)")
            }
        }
        // This Monday: the same rush, 10 minutes of it.
        let today = usual.flatMap { article, count in
            Self.burst(max(count / 4, 3), article: article, texts: ["x"], span: 600, end: Self.monday930,
                       reporterPrefix: "today-\(article)")
        }
        #expect(today.filter { $0.articleID == "password-reset" }.count >= 10)
        let start = Self.monday930.addingTimeInterval(-90 * 24 * 3600)
        #expect(Self.replay(today, history: history, historyStart: start).isEmpty)
        // Without that history the 11 password resets in 10 minutes are ten times the floor.
        let fresh = Self.replay(today, history: [], historyStart: nil)
        #expect(fresh.map(\.spike.topic) == [.article("password-reset")])
    }

    @Test("the normal level is the same hour of past weeks, scaled to the window; weeks before the first report do not count")
    func normalLevel() {
        let detector = SpikeDetector()
        // Two weeks of history with 12 and 24 reporters in the hour: mean 18 per hour = 3 per 10 minutes.
        let history = Self.burst(12, article: "a", texts: ["x"], span: 3000, end: Self.monday930.addingTimeInterval(-Self.week + 1500),
                                 reporterPrefix: "w1")
            + Self.burst(24, article: "a", texts: ["x"], span: 3000, end: Self.monday930.addingTimeInterval(-2 * Self.week + 1500),
                         reporterPrefix: "w2")
        let start = Self.monday930.addingTimeInterval(-2 * Self.week - 3600)
        #expect(detector.normalLevel(of: .article("a"), history: history, historyStart: start, now: Self.monday930) == 3)
        // Weeks 3 and 4 predate the installation: not averaged in as zeros.
        #expect(detector.normalLevel(of: .article("b"), history: history, historyStart: start, now: Self.monday930) == 1)
        #expect(detector.normalLevel(of: .article("a"), history: history, historyStart: nil, now: Self.monday930) == 1)
    }

    @Test("one employee writing fifteen times is one reporter, not a spike")
    func oneReporterIsNotASpike() {
        let reports = (0..<15).map { index in
            ReportSignal(at: Self.monday930.addingTimeInterval(Double(index) * 20), reporter: "same", articleID: "vpn-connect")
        }
        #expect(Self.replay(reports).isEmpty)
    }

    @Test("reports older than the window are not counted")
    func windowSlides() {
        // Ten reports, one every two minutes: never ten within ten minutes.
        let reports = (0..<10).map { index in
            ReportSignal(at: Self.monday930.addingTimeInterval(Double(index) * 120), reporter: "e\(index)", articleID: "vpn-connect")
        }
        #expect(Self.replay(reports).isEmpty)
        let closer = (0..<10).map { index in
            ReportSignal(at: Self.monday930.addingTimeInterval(Double(index) * 60), reporter: "e\(index)", articleID: "vpn-connect")
        }
        #expect(Self.replay(closer).count == 1)
    }

    @Test("reports no article answers are grouped by the system they name, across ko, ja and en")
    func unmatchedReportsShareAWord() throws {
        let texts = ["SAP 접속이 안 돼요", "SAP 로그인 오류", "SAPに入れません", "SAPがエラーになる", "SAP is down", "SAP keeps failing"]
        let reports = Self.burst(12, article: nil, texts: texts, span: 500, end: Self.monday930)
        let raised = Self.replay(reports)
        #expect(raised.count == 1)
        let spike = try #require(raised.first?.spike)
        #expect(spike.topic == .term("sap"))
        // Generic words do not make a topic of their own: twelve different problems that all say "error".
        let unrelated = ["Excel error", "Teams error", "Zoom error", "Outlook error", "Slack error", "Jira error",
                         "Confluence error", "Chrome error", "Word error", "Adobe error", "Figma error", "Notion error"]
        #expect(Self.replay(Self.burst(12, article: nil, texts: unrelated, span: 500, end: Self.monday930)).isEmpty)
    }

    @Test("an employee shown the article who then files a ticket is counted once, under the article")
    func oneReporterOneTopic() {
        let words = DistinctiveWords()
        let shown = Self.burst(12, article: "vpn-connect", texts: Self.vpnReports, span: 300, end: Self.monday930)
        let escalated = shown.map { ReportSignal(at: $0.at.addingTimeInterval(30), reporter: $0.reporter,
                                                 words: words.words(of: "VPN still down after the steps")) }
        let spikes = SpikeDetector().detect(recent: shown + escalated, history: [], historyStart: nil,
                                            now: Self.monday930.addingTimeInterval(60))
        #expect(spikes.map(\.topic) == [.article("vpn-connect")])
    }

    @Test("a suppressed topic (already raised or dismissed) is not raised again; a second topic still is")
    func suppressed() {
        let vpn = Self.burst(12, article: "vpn-connect", texts: Self.vpnReports, span: 300, end: Self.monday930)
        let mail = Self.burst(11, article: "outlook-not-syncing", texts: ["x"], span: 300, end: Self.monday930, reporterPrefix: "m")
        let spikes = SpikeDetector().detect(recent: vpn + mail, history: [], historyStart: nil, now: Self.monday930,
                                            suppressed: [.article("vpn-connect")])
        #expect(spikes.map(\.topic) == [.article("outlook-not-syncing")])
        #expect(spikes.first?.reports == 11)
    }

    @Test("distinctive words leave out what every report says, in ko, ja and en")
    func distinctiveWords() {
        let words = DistinctiveWords()
        #expect(words.words(of: "SAP 접속이 안 돼요") .contains("sap"))
        #expect(!words.words(of: "오류가 나요 도와주세요").contains("오류"))
        #expect(words.words(of: "Outlook error, please help").contains { $0.hasPrefix("outlook") })
        #expect(!words.words(of: "Outlook error, please help").contains("error"))
        #expect(words.words(of: "勤怠システムにログインできない").contains { $0.contains("勤怠") })
        #expect(words.words(of: "勤怠システムにログインできない") == words.words(of: "勤怠システムにログインできない"))
    }

    @Test("topics are stored as text and read back")
    func topicRoundTrip() {
        for topic in [IncidentTopic.article("vpn-connect"), .term("sap"), .term("勤怠")] {
            #expect(IncidentTopic(topic.description) == topic)
        }
        #expect(IncidentTopic("vpn") == nil)
        #expect(IncidentTopic("article:") == nil)
    }

    @Test("thresholds that cannot work are refused with the setting's name")
    func thresholds() {
        #expect(SpikeThresholds().problem == nil)
        #expect(SpikeThresholds(minimumReporters: 1).problem?.contains("min_reports") == true)
        #expect(SpikeThresholds(window: 10).problem?.contains("window_minutes") == true)
        #expect(SpikeThresholds(ratioOverNormal: .nan).problem?.contains("ratio_over_normal") == true)
        #expect(SpikeThresholds(historyWeeks: 0).problem?.contains("history_weeks") == true)
    }
}
