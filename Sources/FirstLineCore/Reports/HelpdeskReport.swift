import Foundation

/// The managers' figures for one period (issue: console, points 4–5); `GET /api/v1/reports`
/// writes it as JSON (snake_case), `firstline report` as a table or CSV.
public struct HelpdeskReport: Sendable, Equatable, Codable {
    public struct Period: Sendable, Equatable, Codable {
        public var from: Date
        public var to: Date

        public init(from: Date, to: Date) {
            self.from = from
            self.to = to
        }
    }

    /// Self-help that kept people from needing a person. Confirmed: Solved pressed. Potential: an
    /// article with no answer, after which the same employee neither opened a ticket nor was shown
    /// another article within 24 hours. Reopened: resolved tickets opened again.
    public struct Deflection: Sendable, Equatable, Codable {
        public var suggestions: Int
        public var confirmed: Int
        public var potential: Int
        public var stillBroken: Int
        public var reopened: Int
        /// (confirmed + potential) / suggestions; nil without suggestions.
        public var rate: Double?

        public init(suggestions: Int, confirmed: Int, potential: Int, stillBroken: Int, reopened: Int, rate: Double?) {
            self.suggestions = suggestions
            self.confirmed = confirmed
            self.potential = potential
            self.stillBroken = stillBroken
            self.reopened = reopened
            self.rate = rate
        }
    }

    public struct Tickets: Sendable, Equatable, Codable {
        public var opened: Int
        public var resolved: Int
        public var reopened: Int
        /// Resolved in the period, never reopened, with at most one reply from an agent.
        public var firstContactResolved: Int
        public var firstContactRate: Double?

        public init(opened: Int, resolved: Int, reopened: Int, firstContactResolved: Int, firstContactRate: Double?) {
            self.opened = opened
            self.resolved = resolved
            self.reopened = reopened
            self.firstContactResolved = firstContactResolved
            self.firstContactRate = firstContactRate
        }
    }

    /// Business minutes on the ticket's team calendar.
    public struct Durations: Sendable, Equatable, Codable {
        public var count: Int
        public var medianMinutes: Double?
        public var p90Minutes: Double?

        public init(count: Int, medianMinutes: Double?, p90Minutes: Double?) {
            self.count = count
            self.medianMinutes = medianMinutes
            self.p90Minutes = p90Minutes
        }
    }

    /// Of the tickets whose first response (or resolution) fell in the period, those with no breach alarm.
    public struct SLACompliance: Sendable, Equatable, Codable {
        public var priority: TicketPriority
        public var firstResponseMet: Int
        public var firstResponseTotal: Int
        public var resolutionMet: Int
        public var resolutionTotal: Int

        public init(priority: TicketPriority, firstResponseMet: Int, firstResponseTotal: Int, resolutionMet: Int, resolutionTotal: Int) {
            self.priority = priority
            self.firstResponseMet = firstResponseMet
            self.firstResponseTotal = firstResponseTotal
            self.resolutionMet = resolutionMet
            self.resolutionTotal = resolutionTotal
        }
    }

    public struct Count: Sendable, Equatable, Codable {
        public var key: String
        public var count: Int

        public init(key: String, count: Int) {
            self.key = key
            self.count = count
        }
    }

    /// Tickets open at the end of a day, in the report's time zone.
    public struct BacklogPoint: Sendable, Equatable, Codable {
        public var day: String
        public var open: Int

        public init(day: String, open: Int) {
            self.day = day
            self.open = open
        }
    }

    public struct AgentLoad: Sendable, Equatable, Codable {
        public var agent: String
        /// Tickets assigned to them in the period.
        public var assigned: Int
        /// Tickets they held when resolved in the period.
        public var resolved: Int
        public var medianResolutionMinutes: Double?
        public var ratings: Int
        public var averageRating: Double?

        public init(agent: String, assigned: Int, resolved: Int, medianResolutionMinutes: Double?, ratings: Int, averageRating: Double?) {
            self.agent = agent
            self.assigned = assigned
            self.resolved = resolved
            self.medianResolutionMinutes = medianResolutionMinutes
            self.ratings = ratings
            self.averageRating = averageRating
        }
    }

    public struct RecurringArticle: Sendable, Equatable, Codable {
        public var articleID: String
        public var shown: Int
        public var solved: Int
        public var stillBroken: Int

        public init(articleID: String, shown: Int, solved: Int, stillBroken: Int) {
            self.articleID = articleID
            self.shown = shown
            self.solved = solved
            self.stillBroken = stillBroken
        }
    }

    public struct RecurringTerm: Sendable, Equatable, Codable {
        public var term: String
        public var tickets: Int
        public var examples: [String]

        public init(term: String, tickets: Int, examples: [String]) {
            self.term = term
            self.tickets = tickets
            self.examples = examples
        }
    }

    public struct IncidentRow: Sendable, Equatable, Codable {
        public var number: String
        public var topic: String
        public var status: String
        public var start: Date
        /// From the first report to the suspected incident being raised.
        public var detectionMinutes: Double
        public var affected: Int
        /// From the first report to its resolution; nil while it lasts.
        public var durationMinutes: Double?
        /// Its linked tickets: the recurring problem and the tickets it became, together.
        public var tickets: [String]

        public init(number: String, topic: String, status: String, start: Date, detectionMinutes: Double, affected: Int,
                    durationMinutes: Double?, tickets: [String] = []) {
            self.tickets = tickets
            self.number = number
            self.topic = topic
            self.status = status
            self.start = start
            self.detectionMinutes = detectionMinutes
            self.affected = affected
            self.durationMinutes = durationMinutes
        }
    }

    public var period: Period
    public var deflection: Deflection
    public var tickets: Tickets
    public var firstResponse: Durations
    public var resolution: Durations
    public var sla: [SLACompliance]
    public var backlog: [BacklogPoint]
    public var byCategory: [Count]
    public var byTeam: [Count]
    public var byChannel: [Count]
    /// messenger, web, phone, visit, other.
    public var byIntake: [Count]
    public var agents: [AgentLoad]
    /// Ratings 1…5 given in the period: `key` is the stars.
    public var csat: [Count]
    public var averageRating: Double?
    public var recurringArticles: [RecurringArticle]
    public var recurringTerms: [RecurringTerm]
    public var incidents: [IncidentRow]
}
