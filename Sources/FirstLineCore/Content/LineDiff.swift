/// A line diff between two texts (issue 14, point 3: an article version against the live one), computed
/// without I/O so that the console and its tests see the same result. Lines are compared exactly; the
/// common beginning and end are taken off first, and the rest is a longest-common-subsequence diff, so
/// an edit in the middle of a long article costs only the changed stretch.
public enum LineDiff {
    public enum Kind: String, Sendable, Equatable {
        case same, added, removed
    }

    /// One line of the result, with its number in the old text (`removed`, `same`) and in the new one (`added`, `same`).
    public struct Line: Sendable, Equatable {
        public var kind: Kind
        public var text: String
        public var oldNumber: Int?
        public var newNumber: Int?

        public init(kind: Kind, text: String, oldNumber: Int?, newNumber: Int?) {
            self.kind = kind
            self.text = text
            self.oldNumber = oldNumber
            self.newNumber = newNumber
        }
    }

    /// Above this many cells of the comparison table the middle is shown as removed then added: a
    /// whole-article rewrite reads the same either way, and the table's memory stays bounded.
    public static let tableLimit = 4_000_000

    /// The lines of `old` and `new` (split on `\n` or `\r\n`) as same / removed / added, in order.
    public static func lines(from old: String, to new: String) -> [Line] {
        let a = split(old), b = split(new)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        var result: [Line] = []
        for index in 0..<prefix {
            result.append(Line(kind: .same, text: a[index], oldNumber: index + 1, newNumber: index + 1))
        }
        let middleA = Array(a[prefix..<(a.count - suffix)]), middleB = Array(b[prefix..<(b.count - suffix)])
        result += middle(middleA, middleB, offsetA: prefix, offsetB: prefix)
        for index in 0..<suffix {
            let oldIndex = a.count - suffix + index, newIndex = b.count - suffix + index
            result.append(Line(kind: .same, text: a[oldIndex], oldNumber: oldIndex + 1, newNumber: newIndex + 1))
        }
        return result
    }

    /// True when the texts have the same lines.
    public static func isUnchanged(_ lines: [Line]) -> Bool { lines.allSatisfy { $0.kind == .same } }

    /// The lines of a text as the diff numbers them.
    public static func split(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        // `\r\n` is one Character in Swift, and a newline like `\n`: splitting on newlines covers both.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        // A final newline ends the last line; it does not start an empty one.
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private static func middle(_ a: [String], _ b: [String], offsetA: Int, offsetB: Int) -> [Line] {
        let n = a.count, m = b.count
        if n == 0 || m == 0 || n * m > tableLimit {
            return a.enumerated().map { Line(kind: .removed, text: $1, oldNumber: offsetA + $0 + 1, newNumber: nil) }
                + b.enumerated().map { Line(kind: .added, text: $1, oldNumber: nil, newNumber: offsetB + $0 + 1) }
        }
        // lengths[i][j]: the longest common subsequence of a[i...] and b[j...], in one flat array.
        var lengths = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i * (m + 1) + j] = a[i] == b[j]
                    ? lengths[(i + 1) * (m + 1) + j + 1] + 1
                    : max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1])
            }
        }
        var result: [Line] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                result.append(Line(kind: .same, text: a[i], oldNumber: offsetA + i + 1, newNumber: offsetB + j + 1))
                i += 1
                j += 1
            } else if i < n, j == m || lengths[(i + 1) * (m + 1) + j] >= lengths[i * (m + 1) + j + 1] {
                // At a tie the removal comes first: a changed line reads as the old one, then the new one.
                result.append(Line(kind: .removed, text: a[i], oldNumber: offsetA + i + 1, newNumber: nil))
                i += 1
            } else {
                result.append(Line(kind: .added, text: b[j], oldNumber: nil, newNumber: offsetB + j + 1))
                j += 1
            }
        }
        return result
    }
}
