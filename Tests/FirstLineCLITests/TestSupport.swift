import Foundation

/// A uniquely named folder under the system temporary directory, removed when released.
final class TemporaryFolder: @unchecked Sendable {
    let url: URL

    init(_ label: String = "cli") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("firstline-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    var path: String { url.path }

    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    /// A path inside the folder that does not exist.
    var missing: String { url.appendingPathComponent("does-not-exist").path }
}

/// The package root: three levels up from `Tests/FirstLineCLITests/<file>.swift`.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let knowledgeBase = root.appendingPathComponent("KnowledgeBase").path
    static let intents = root.appendingPathComponent("Intents").path
}

/// A two-topic knowledge base in English.
enum SmallKnowledgeBase {
    static func article(id: String, title: String, category: String, keywords: String, questions: [String], body: String) -> String {
        """
        ---
        id: \(id)
        title: \(title)
        lang: en
        category: \(category)
        keywords: [\(keywords)]
        questions:
        \(questions.map { "  - \($0)" }.joined(separator: "\n"))
        ---
        \(body)

        """
    }

    static func make() throws -> TemporaryFolder {
        let folder = try TemporaryFolder("kb")
        try folder.write("en/printer-jam.md", article(
            id: "printer-jam", title: "Printer paper jam", category: "hardware", keywords: "printer, paper jam",
            questions: ["printer is jammed", "paper stuck in the printer", "printer says paper jam"],
            body: "1. Open the tray.\n2. Remove the stuck paper."))
        try folder.write("en/vpn-connect.md", article(
            id: "vpn-connect", title: "VPN won't connect", category: "network", keywords: "vpn, remote access",
            questions: ["vpn won't connect", "vpn keeps dropping", "cant connect to vpn from home"],
            body: "1. Check your internet.\n2. Restart the VPN client."))
        try folder.write("synonyms.yml", "- [vpn, 브이피엔]\n")
        return folder
    }
}
