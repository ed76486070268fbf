/// A desk that is not IT (HR, facilities, finance…), configured in `firstline.yml` under
/// `other_desks:`. A message that reads like its examples is not answered with an IT article:
/// the bot says who handles it and how to reach them (issue: a bot that knows its limits).
public struct OtherDesk: Sendable, Equatable {
    /// Desks take part in the search as intents with this id prefix ("desk-hr").
    public static let intentPrefix = "desk-"

    public var id: String
    /// The desk's name per language ("인사팀", "人事部", "HR").
    public var names: [Language: String]
    /// How to reach it per language: a channel, an address, a phone extension.
    public var reach: [Language: String]
    /// What employees write that belongs to this desk.
    public var examples: [Language: [String]]

    public init(id: String, names: [Language: String], reach: [Language: String] = [:], examples: [Language: [String]]) {
        self.id = id
        self.names = names
        self.reach = reach
        self.examples = examples
    }

    /// The desk as an out-of-scope intent, so that it competes with the articles on the same text pipeline.
    public var intent: Intent {
        Intent(id: Self.intentPrefix + id, action: .outOfScope, examples: examples, replies: [:])
    }

    /// The name in `language`, else in any language the desk has one (ko, ja, en order).
    public func name(in language: Language) -> String? {
        names[language] ?? Language.allCases.lazy.compactMap { names[$0] }.first
    }

    public func reach(in language: Language) -> String? {
        reach[language] ?? Language.allCases.lazy.compactMap { reach[$0] }.first
    }
}
