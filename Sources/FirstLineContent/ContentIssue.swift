/// One problem found in a content file, located for the editor who has to fix it.
public struct ContentIssue: Sendable, Equatable, CustomStringConvertible, Error {
    public var file: String
    public var line: Int
    public var message: String
    /// The front-matter field the problem is about, when there is one.
    public var field: String?

    public init(file: String, line: Int, message: String, field: String? = nil) {
        self.file = file
        self.line = line
        self.message = message
        self.field = field
    }

    /// `file:line: message`, the shape editors and compilers agree on.
    public var description: String { "\(file):\(line): \(message)" }
}

/// Failures to load content at all (as opposed to problems inside a file).
public enum ContentError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid([ContentIssue])

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .invalid(issues): return issues.map(\.description).joined(separator: "\n")
        }
    }
}
