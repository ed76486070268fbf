import FirstLineCore
import FirstLineStore
import Foundation
import Logging

/// Watches the reports for outages (issue: outages, point 1): on each pass it reads the last
/// window's reports and the same hour of past weeks from the store, asks Core's `SpikeDetector`,
/// and raises what crosses the thresholds as a suspected incident with a notice to the agents'
/// channel. Nothing is said to employees until an agent confirms.
///
/// Every replica may run it: the store keeps one open incident per topic, so two passes that see
/// the same spike raise it once and post once.
public actor IncidentWatch {
    public typealias Store = IncidentStore & NoticeStore & ConversationRepository & TicketRepository
    let store: any Store
    let detector: SpikeDetector
    let clock: any ServerClock
    let logger: Logger
    let agentChannel: AgentChannel?
    let library: ContentLibrary
    /// How long a dismissed topic stays quiet before it may be raised again.
    let dismissQuiet: TimeInterval
    private let words = DistinctiveWords()
    /// Signalled when an incident is resolved: the worker's next pass tells everyone linked.
    public nonisolated let resolutions = WakeUp()
    private let composer = OutboxComposer()

    public init(store: any Store, thresholds: SpikeThresholds, clock: any ServerClock, logger: Logger,
                agentChannel: AgentChannel?, library: ContentLibrary, dismissQuiet: TimeInterval = 3600) {
        self.store = store
        self.detector = SpikeDetector(thresholds: thresholds)
        self.clock = clock
        self.logger = logger
        self.agentChannel = agentChannel
        self.library = library
        self.dismissQuiet = dismissQuiet
    }

    /// One pass; returns the incidents it raised.
    @discardableResult
    public func check() async throws -> [Incident] {
        let now = clock.now()
        let window = detector.thresholds.window
        let recent = try await store.reports(from: now.addingTimeInterval(-window), to: now.addingTimeInterval(1))
        // Only the hour around the same moment of each past week is read, not weeks of rows.
        var history: [ReportRow] = []
        for weeksAgo in 1...detector.thresholds.historyWeeks {
            let centre = now.addingTimeInterval(-Double(weeksAgo) * 7 * 86_400)
            history += try await store.reports(from: centre.addingTimeInterval(-1800), to: centre.addingTimeInterval(1800))
        }
        let suppressed = Set(try await store.suppressedTopics(dismissedSince: now.addingTimeInterval(-dismissQuiet))
            .compactMap(IncidentTopic.init))
        let spikes = detector.detect(recent: recent.map(signal), history: history.map(signal),
                                     historyStart: try await store.firstReportAt(), now: now, suppressed: suppressed)
        guard !spikes.isEmpty else { return [] }
        let content = try await library.current().content
        var raised: [Incident] = []
        for spike in spikes {
            let topicName = IncidentText.topicName(spike.topic) { id in
                Language.allCases.lazy.compactMap { content.article(id: id, language: $0)?.title }.first
            }
            let candidate = Incident(topic: spike.topic.description, reporters: spike.reporters.count, reports: spike.reports,
                                     normalLevel: spike.normal, firstReportAt: spike.firstReportAt, raisedAt: now)
            let channel = agentChannel, composer = composer
            let incident = try await store.raiseIncident(candidate, at: now) { stored in
                guard let channel else { return [] }
                let text = IncidentText.suspected(stored, topicName: topicName, window: window)
                let buttons = [ReplyButton(action: DeskAction.confirmIncident(incident: stored.number), label: "Confirm"),
                               ReplyButton(action: DeskAction.dismissIncident(incident: stored.number), label: "Dismiss")]
                return [try composer.row(Reply(text: text, buttons: buttons), to: channel.platform,
                                         conversationKey: channel.conversationKey,
                                         key: .incidentSuspected(incident: stored.number))]
            }
            guard let incident else { continue }
            logger.notice("suspected incident raised", metadata: [
                "incident": "\(incident.number)", "topic": "\(incident.topic)", "reporters": "\(incident.reporters)",
            ])
            raised.append(incident)
        }
        return raised
    }

    /// An agent's Confirm or Dismiss, from the API or the agents' channel: the "me too" tickets are
    /// found first and linked in the decision's transaction. Only the first decision counts.
    public func decide(_ incident: Incident, confirm: Bool, by agent: String) async throws -> Incident {
        guard let id = incident.id else { throw StoreError.notFound(.incident, incident.number) }
        let similar = confirm && incident.status == .suspected ? try await similarTickets(for: incident) : []
        let decided = try await store.decideIncident(id: id, confirm: confirm, by: agent, linking: similar, at: clock.now())
        if decided.status == .confirmed { try await tellLinkedTickets(decided) }
        return decided
    }

    /// The employees whose open tickets the confirmation took in are told at once, in their
    /// conversation's language, that it is a known problem and that they will be told when it is
    /// fixed. One key per incident and ticket: a retry queues nothing twice.
    private func tellLinkedTickets(_ incident: Incident) async throws {
        guard let id = incident.id else { return }
        let now = clock.now()
        for number in try await store.linkedTickets(incidentID: id) {
            guard let ticket = try await store.ticket(number: number), let conversationID = ticket.conversationID,
                  let conversation = try await store.conversation(id: conversationID) else { continue }
            let text = DialogueStrings(conversation.language ?? .en).ticketJoinedIncident(number, incident: incident.number)
            let row = try composer.row(Reply(text: text), to: conversation.platform, conversationKey: conversation.conversationKey,
                                       key: .incidentConfirmed(incident: incident.number, ticket: number))
            _ = try await store.postNotice(conversationID: conversationID,
                                           messages: [NewMessage(direction: .outbound, author: .bot, text: text, payload: row.payload)],
                                           outbox: [row], resetState: nil, at: now)
        }
    }

    /// An agent's command from the incident's thread in the agents' channel; the answer for the thread.
    public func apply(_ command: IncidentCommand, to incident: Incident, by agent: String) async throws -> String {
        guard let id = incident.id else { throw StoreError.notFound(.incident, incident.number) }
        let now = clock.now()
        do {
            switch command {
            case .confirm, .dismiss:
                let confirm = command == .confirm
                let decided = try await decide(incident, confirm: confirm, by: agent)
                return IncidentText.decided(decided, linked: try await store.linkedTickets(incidentID: id).count)
            case let .notice(language, text):
                var notice = incident.notice ?? IncidentNote()
                notice[language] = String(text.prefix(1000))
                _ = try await store.setIncidentNotice(id: id, notice: notice, at: now)
                return "\(agent) set the \(language.rawValue) notice of \(incident.number); employees reporting it are told it first."
            case .endNotice:
                _ = try await store.setIncidentNotice(id: id, notice: nil, at: now)
                return "\(agent) ended the notice of \(incident.number)."
            case let .resolve(note, language):
                var written = IncidentNote()
                if let note, let language { written[language] = String(note.prefix(1000)) }
                let resolved = try await store.resolveIncident(id: id, note: written, by: agent, at: now)
                await resolutions.signal()
                let linked = try await store.incidentLinks(incidentID: id).filter { $0.unlinkedAt == nil }.count
                return "\(agent) resolved \(resolved.number); \(linked) linked employees are being told."
            }
        } catch StoreError.invalidTransition {
            return IncidentText.alreadyDecided(try await store.incident(id: id) ?? incident)
        }
    }

    /// The open tickets that are "me too" for `incident`: opened since its first report (and one
    /// window before it) by an employee shown its article, or naming its word. The store links
    /// only those still open and not linked elsewhere.
    public func similarTickets(for incident: Incident) async throws -> [Int64] {
        guard let topic = IncidentTopic(incident.topic) else { return [] }
        let rows = try await store.reports(from: incident.firstReportAt.addingTimeInterval(-detector.thresholds.window),
                                           to: clock.now().addingTimeInterval(1))
        switch topic {
        case let .article(id):
            let reporters = Set(rows.filter { $0.articleID == id }.map(\.employeeID))
            return rows.compactMap { row in reporters.contains(row.employeeID) ? row.ticketID : nil }
        case let .term(word):
            return rows.compactMap { row in
                guard let text = row.text, words.words(of: text).contains(word) else { return nil }
                return row.ticketID
            }
        }
    }

    /// The report as Core counts it; the employee is the reporter, a ticket's subject gives the words.
    private func signal(_ row: ReportRow) -> ReportSignal {
        ReportSignal(at: row.at, reporter: String(row.employeeID), articleID: row.articleID,
                     words: row.text.map { words.words(of: $0) } ?? [])
    }
}
