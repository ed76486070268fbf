import FirstLineCore
import Foundation

/// A uniquely named folder under the system temporary directory, removed when released.
final class TemporaryFolder: @unchecked Sendable {
    let url: URL

    init(_ label: String = "content") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("firstline-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` at `relativePath`, creating intermediate folders; returns the file's URL.
    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }
}

/// The package root: three levels up from `Tests/FirstLineContentTests/<file>.swift`.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let knowledgeBase = root.appendingPathComponent("KnowledgeBase")
    static let intents = root.appendingPathComponent("Intents")
    static let fixtures = root.appendingPathComponent("Tests/Fixtures")
}

/// A valid English article; line numbers are fixed (see the comments) so that tests can name them.
enum SampleArticle {
    static let lines = [
        "---",                               // 1
        "id: printer-jam",                   // 2
        "title: Printer paper jam",          // 3
        "lang: en",                          // 4
        "category: hardware",                // 5
        "keywords: [printer, paper jam]",    // 6
        "questions:",                        // 7
        "  - printer is jammed",             // 8
        "  - paper stuck in the printer",    // 9
        "  - the printer says paper jam",    // 10
        "status: published",                 // 11
        "updated: 2026-11-22",               // 12
        "---",                               // 13
        "1. Open the tray.",                 // 14
        "2. Remove the stuck paper.",        // 15
    ]

    static var text: String { lines.joined(separator: "\n") + "\n" }

    /// The sample with line `number` (1-based) replaced by `replacement` lines (none removes it).
    static func replacing(line number: Int, with replacement: [String]) -> String {
        var copy = lines
        copy.replaceSubrange((number - 1)...(number - 1), with: replacement)
        return copy.joined(separator: "\n") + "\n"
    }
}
