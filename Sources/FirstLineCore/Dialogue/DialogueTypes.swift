import Foundation

// The vocabulary of the dialogue engine: what it is told (events, context), what it remembers
// (state) and what it asks the edges to do (effects). Design §2 step 3 and §4.

/// Where a conversation is (design §4). Stored with the conversation; its raw value is the
/// `state` field of the web chat API.
public enum DialoguePhase: String, Codable, Sendable, CaseIterable {
    /// Nothing pending: the next message is a new question.
    case idle
    /// One article was shown with Solved / Still broken / Talk to a person.
    case suggesting
    /// Several articles were offered as choices, or the employee was asked to rephrase.
    case clarifying
    /// Collecting what a ticket needs: a one-line description and whether it blocks work.
    case escalating
    /// A ticket is open; the bot stays quiet and appends the employee's messages to it.
    case ticketOpen
    /// An agent has answered; messages are relayed between agent and employee.
    case withAgent
    /// The ticket was resolved; the employee is asked for a rating.
    case resolved
    /// The problem was solved by an article, or the ticket was rated: the conversation is done.
    case closed
}

/// Why a conversation is being escalated to a person.
public enum EscalationReason: String, Codable, Sendable {
    case stillBroken = "still_broken"
    case noMatch = "no_match"
    case askedForPerson = "asked_for_person"
    case urgent
    case request
    /// A security emergency (a password typed on a suspicious page, a lost device, a leak):
    /// filed at once as P1 for the security team, self-help skipped.
    case security
}

/// What the engine collects before it creates a ticket.
public struct EscalationDraft: Codable, Sendable, Equatable {
    public var reason: EscalationReason
    /// The employee's own description of the problem, if the conversation has one.
    public var description: String?
    /// Whether the problem stops the employee from working (urgency); nil until asked.
    public var blocksWork: Bool?
    /// Whether more than one person is affected (impact).
    public var teamWide: Bool
    public var category: ArticleCategory?
    /// The article that did not help, if any.
    public var articleID: String?
    /// The request-catalogue intent, for service requests.
    public var intentID: String?
    /// Whether "does it block your work?" was already asked again after an answer that was not
    /// one (optional so that drafts stored before it decode).
    public var blocksQuestionRepeated: Bool?
    /// What the employee added after describing the problem; it goes into the ticket's
    /// description, not its subject.
    public var details: [String]?

    public init(reason: EscalationReason, description: String? = nil, blocksWork: Bool? = nil, teamWide: Bool = false,
                category: ArticleCategory? = nil, articleID: String? = nil, intentID: String? = nil) {
        self.reason = reason
        self.description = description
        self.blocksWork = blocksWork
        self.teamWide = teamWide
        self.category = category
        self.articleID = articleID
        self.intentID = intentID
    }
}

/// Everything the engine remembers about one conversation between two messages.
/// Stored as JSON by the store; new fields must have defaults so old rows still decode.
public struct ConversationState: Codable, Sendable, Equatable {
    public var phase: DialoguePhase = .idle
    /// The language of the employee's latest message, used for every reply.
    public var language: Language?
    /// The employee's problem in their own words: the message that started the current topic.
    public var problem: String?
    /// The article currently shown with Solved / Still broken buttons.
    public var currentArticleID: String?
    /// Next-best articles for the current problem, tried in order on "Still broken".
    public var fallbackArticleIDs: [String] = []
    /// Articles offered as choices in the `clarifying` phase.
    public var offeredArticleIDs: [String] = []
    /// Whether the employee was already asked to rephrase this problem (only once).
    public var askedToRephrase = false
    public var escalation: EscalationDraft?
    /// The open (or just resolved) ticket of this conversation.
    public var ticketNumber: String?
    /// The ticket the employee just rated: still reopenable (within the window) until a new topic starts.
    public var ratedTicketNumber: String?
    /// When the current topic started: a ticket's transcript begins here, so earlier topics of the
    /// same conversation stay in its history and out of the ticket.
    public var topicStartedAt: Date?
    /// When the employee last wrote: after a long silence a message starts a new topic.
    public var lastMessageAt: Date?
    /// A message written while a ticket is open that looks like a different problem: kept until
    /// the employee says whether it is a separate one or belongs to the open ticket.
    public var pendingProblem: String?
    /// The major incident this conversation's problem was linked to ("me too"): its "this is
    /// something else" button is still good, and the same report is not linked twice.
    public var incidentNumber: String?

    public init() {}
}

/// A button the employee can press. Its `rawValue` is the `action` string of the chat API and
/// of platform postbacks; anything else is an unknown button.
public enum ButtonAction: Sendable, Equatable, Hashable, RawRepresentable, Codable {
    case solved(articleID: String)
    case stillBroken(articleID: String)
    case choose(articleID: String)
    case talkToPerson
    case backToBot
    case blocksWork(Bool)
    case rate(Int)
    case reopen
    /// The message written while a ticket was open is a new problem: handle it on its own.
    case separateProblem
    /// It belongs to the open ticket after all.
    case addToTicket
    /// The problem was taken for a known major incident, but it is another one: open a ticket.
    case somethingElse

    public init?(rawValue: String) {
        let parts = rawValue.split(separator: ":", maxSplits: 1).map(String.init)
        let argument = parts.count == 2 ? parts[1] : nil
        switch (parts.first, argument) {
        case ("solved", let id?) where Self.isArticleID(id): self = .solved(articleID: id)
        case ("broken", let id?) where Self.isArticleID(id): self = .stillBroken(articleID: id)
        case ("choose", let id?) where Self.isArticleID(id): self = .choose(articleID: id)
        case ("human", nil): self = .talkToPerson
        case ("bot", nil): self = .backToBot
        case ("blocks", "yes"): self = .blocksWork(true)
        case ("blocks", "no"): self = .blocksWork(false)
        case ("rate", let value?):
            guard let stars = Int(value), (1...5).contains(stars) else { return nil }
            self = .rate(stars)
        case ("reopen", nil): self = .reopen
        case ("separate", nil): self = .separateProblem
        case ("append", nil): self = .addToTicket
        case ("other", nil): self = .somethingElse
        default: return nil
        }
    }

    public var rawValue: String {
        switch self {
        case let .solved(id): return "solved:\(id)"
        case let .stillBroken(id): return "broken:\(id)"
        case let .choose(id): return "choose:\(id)"
        case .talkToPerson: return "human"
        case .backToBot: return "bot"
        case let .blocksWork(blocks): return "blocks:\(blocks ? "yes" : "no")"
        case let .rate(stars): return "rate:\(stars)"
        case .reopen: return "reopen"
        case .separateProblem: return "separate"
        case .addToTicket: return "append"
        case .somethingElse: return "other"
        }
    }

    private static func isArticleID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 100 && id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}

/// A button as shown: what it does and what it says, in the conversation's language.
public struct ReplyButton: Codable, Sendable, Equatable {
    public var action: String
    public var label: String

    public init(action: ButtonAction, label: String) {
        self.action = action.rawValue
        self.label = label
    }

    /// A button of the desk (approve, reject, claim), which the dialogue engine never sees.
    public init(action: DeskAction, label: String) {
        self.action = action.rawValue
        self.label = label
    }
}

/// An article mentioned in a reply.
public struct ArticleReference: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var score: Double

    public init(id: String, title: String, score: Double) {
        self.id = id
        self.title = title
        self.score = score
    }
}

/// One message from the bot to the employee.
public struct Reply: Codable, Sendable, Equatable {
    public var text: String
    public var buttons: [ReplyButton]
    public var articles: [ArticleReference]

    public init(text: String, buttons: [ReplyButton] = [], articles: [ArticleReference] = []) {
        self.text = text
        self.buttons = buttons
        self.articles = articles
    }
}

/// Something that happens to a conversation.
public enum DialogueEvent: Sendable, Equatable {
    /// The employee wrote something.
    case message(String)
    /// The employee pressed a button.
    case button(ButtonAction)
    /// An agent answered on the conversation's ticket (relayed to the employee).
    case agentReply(agent: String, text: String)
    /// The ticket was resolved by an agent: ask for a rating.
    case ticketResolved(number: String)
    /// The employee added the bot or opened the chat with it (Telegram `/start`, LINE follow,
    /// Slack join): greet them and say what the bot can do.
    case joined
    /// A major incident this conversation is linked to was resolved (`note`: what the agents
    /// said, in the employee's language when written). `ticket`: the conversation's own ticket
    /// linked to it, resolved in the same turn, whose rating is asked.
    case incidentResolved(incident: String, note: String?, ticket: String?)
}

/// A ticket as the engine sees it when the employee asks for their status.
public struct TicketSummary: Sendable, Equatable {
    public var number: String
    public var subject: String
    public var status: TicketStatus
    public var firstResponseDue: Date?
    /// When it was resolved, for a resolved ticket (whether it may still be reopened).
    public var resolvedAt: Date?
    /// Its priority and what its SLA targets are counted from, so that "urgent!" can raise it.
    public var priority: TicketPriority?
    public var createdAt: Date?
    public var category: ArticleCategory?

    public init(number: String, subject: String, status: TicketStatus, firstResponseDue: Date? = nil,
                resolvedAt: Date? = nil, priority: TicketPriority? = nil, createdAt: Date? = nil,
                category: ArticleCategory? = nil) {
        self.number = number
        self.subject = subject
        self.status = status
        self.firstResponseDue = firstResponseDue
        self.resolvedAt = resolvedAt
        self.priority = priority
        self.createdAt = createdAt
        self.category = category
    }
}

/// What the edge knows and the engine needs, read fresh for every event.
public struct DialogueContext: Sendable {
    public var now: Date
    /// Articles shown to this employee within the repeat window (any conversation).
    public var recentlySuggested: Set<String>
    /// The employee's open tickets, newest first (for "status").
    public var openTickets: [TicketSummary]
    /// The ticket the conversation follows (`ConversationState.ticketNumber`) when it is no longer
    /// open, read by the edge so that a late Reopen can be refused; nil when unknown.
    public var followedTicket: TicketSummary?
    /// Who approves the employee's requests: their manager's name from the directory, or nil when
    /// the directory names none (then an agent decides, and the employee is told so).
    public var manager: String?
    /// Confirmed major incidents: a matching problem is linked to one and told it is known.
    public var activeIncidents: [KnownIncident]

    public init(now: Date, recentlySuggested: Set<String> = [], openTickets: [TicketSummary] = [],
                followedTicket: TicketSummary? = nil, manager: String? = nil, activeIncidents: [KnownIncident] = []) {
        self.activeIncidents = activeIncidents
        self.manager = manager
        self.now = now
        self.recentlySuggested = recentlySuggested
        self.openTickets = openTickets
        self.followedTicket = followedTicket
    }

    /// What the engine knows of ticket `number`: among the open ones, or the followed one.
    func ticket(_ number: String) -> TicketSummary? {
        openTickets.first { $0.number == number } ?? followedTicket.flatMap { $0.number == number ? $0 : nil }
    }
}

/// Service-level targets per priority, in minutes of wall-clock time.
/// (Business calendars are applied by the routing and SLA issue; until then these are plain minutes.)
public struct SLAPolicy: Sendable, Equatable {
    public var firstResponseMinutes: [TicketPriority: Int]
    public var resolutionMinutes: [TicketPriority: Int]

    public static let `default` = SLAPolicy(
        firstResponseMinutes: [.p1: 30, .p2: 120, .p3: 480, .p4: 1440],
        resolutionMinutes: [.p1: 240, .p2: 1440, .p3: 4320, .p4: 10080]
    )

    public init(firstResponseMinutes: [TicketPriority: Int], resolutionMinutes: [TicketPriority: Int]) {
        self.firstResponseMinutes = firstResponseMinutes
        self.resolutionMinutes = resolutionMinutes
    }

    public func firstResponseDue(_ priority: TicketPriority, from start: Date) -> Date {
        start.addingTimeInterval(TimeInterval((firstResponseMinutes[priority] ?? 480) * 60))
    }

    public func resolutionDue(_ priority: TicketPriority, from start: Date) -> Date {
        start.addingTimeInterval(TimeInterval((resolutionMinutes[priority] ?? 4320) * 60))
    }
}

/// The engine's settings; every field has a default (design §6, `firstline.yml`).
public struct DialogueSettings: Sendable {
    public var thresholds = DecisionThresholds()
    /// The same article is not suggested to the same employee twice within this time.
    public var repeatWindow: TimeInterval = 7 * 24 * 3600
    public var sla = SLAPolicy.default
    /// The business calendars due times are counted on, per category (from the desk's teams);
    /// empty means wall-clock minutes.
    public var slaCalendars = SLACalendars()
    /// Time zone in which due times are told to employees.
    public var timeZone = TimeZone(identifier: "Asia/Seoul") ?? .current
    /// Language used until the employee writes something recognisable.
    public var defaultLanguage = Language.en
    /// How long after resolution the employee may still reopen a ticket.
    public var reopen = ReopenPolicy()
    /// How many further articles "Still broken" may show before the ticket (`dialogue.further_articles`).
    public var furtherArticles = DialogueSettings.defaultFurtherArticles
    public static let defaultFurtherArticles = 1
    /// After this long without a message, a new message starts a new topic (`dialogue.topic_idle_minutes`).
    public var topicIdleGap: TimeInterval = DialogueSettings.defaultTopicIdleGap
    public static let defaultTopicIdleGap: TimeInterval = 60 * 60
    /// Desks that handle what IT does not (`other_desks:`), named when a message is theirs.
    public var otherDesks: [OtherDesk] = []

    public init() {}
}

/// A ticket the engine wants created. The number does not exist yet: replies and appends in the
/// same turn refer to it as `TicketDraft.numberPlaceholder`, which the store replaces.
public struct TicketDraft: Sendable, Equatable {
    public static let numberPlaceholder = "{{ticketNumber}}"

    public var subject: String
    /// The employee's description; the store adds the conversation's transcript.
    public var description: String
    public var category: ArticleCategory?
    public var priority: TicketPriority
    public var reason: EscalationReason
    public var intentID: String?
    public var needsManagerApproval: Bool
    public var firstResponseDue: Date
    public var resolutionDue: Date
    /// The transcript the ticket carries starts here: the problem at hand, not the whole
    /// conversation (nil: all of it).
    public var transcriptSince: Date?

    public init(subject: String, description: String, category: ArticleCategory?, priority: TicketPriority,
                reason: EscalationReason, intentID: String? = nil, needsManagerApproval: Bool = false,
                firstResponseDue: Date, resolutionDue: Date, transcriptSince: Date? = nil) {
        self.transcriptSince = transcriptSince
        self.subject = subject
        self.description = description
        self.category = category
        self.priority = priority
        self.reason = reason
        self.intentID = intentID
        self.needsManagerApproval = needsManagerApproval
        self.firstResponseDue = firstResponseDue
        self.resolutionDue = resolutionDue
    }
}

/// What the engine asks the edges to do. The store applies all effects of one event, and the new
/// state, in one transaction (design §2 step 4).
public enum Effect: Sendable, Equatable {
    /// Send a message to the employee.
    case reply(Reply)
    /// An article was shown for `query` (feeds the repeat window and the editors' reports).
    case suggestionShown(articleID: String, query: String)
    /// The employee said whether the article helped; `solved` feedback is learned from (design §3).
    case feedback(articleID: String, query: String, solved: Bool)
    case createTicket(TicketDraft)
    /// Add the employee's message to a ticket (number may be the placeholder).
    case appendToTicket(number: String, text: String)
    /// Record the employee's 1–5 rating of a resolved ticket.
    case rateTicket(number: String, stars: Int)
    /// The employee reopened a resolved ticket.
    case reopenTicket(number: String)
    /// The employee answered a ticket that was waiting on them: its SLA clock runs again (status open).
    case resumeTicket(number: String)
    /// The employee said an open ticket is urgent: its priority goes up and its targets follow.
    case raisePriority(number: String, priority: TicketPriority, firstResponseDue: Date?, resolutionDue: Date?)
    /// A message read as not an IT matter (`desk`: the configured desk it belongs to), for the
    /// editors' gap report.
    case outOfScope(query: String, desk: String?)
    /// A message the KB could not answer, for the editors' "unanswered questions" list.
    case unanswered(query: String)
    /// The employee's problem is the known major incident `number`: link this conversation to it
    /// ("me too") instead of opening a ticket; `text` is the report, for the incident's history.
    case linkToIncident(number: String, text: String)
    /// "This is something else": the conversation is no longer a "me too" of `number`.
    case unlinkFromIncident(number: String)
}
