@testable import FirstLineCLI
import FirstLineCore
import Foundation
import Testing

/// `firstline eval --tickets FILE [--json]` (design §6): train on "train" rows, score "test" rows.
@Suite("eval --tickets")
struct EvalTicketsTests {
    /// Three categories, mixed languages; one test row per category that no train row repeats,
    /// and a "dev" row that must be ignored.
    static let tickets = """
        {"id": "t1", "text": "the printer is jammed", "category": "printer", "split": "train"}
        {"id": "t2", "text": "paper stuck in the printer", "category": "printer", "split": "train"}
        {"id": "t3", "text": "프린터에 종이가 걸렸어요", "category": "printer", "split": "train", "lang": "ko"}
        {"id": "t4", "text": "i forgot my password", "category": "password", "split": "train"}
        {"id": "t5", "text": "reset my password please", "category": "password", "split": "train"}
        {"id": "t6", "text": "パスワードを忘れました", "category": "password", "split": "train", "lang": "ja"}
        {"id": "t7", "text": "vpn won't connect from home", "category": "network", "split": "train"}
        {"id": "t8", "text": "wifi keeps disconnecting", "category": "network", "split": "train"}
        {"id": "t9", "text": "와이파이가 안 잡혀요", "category": "network", "split": "train", "lang": "ko"}
        {"id": "d1", "text": "printer", "category": "printer", "split": "dev"}

        {"id": "e1", "text": "paper jam in the printer", "category": "printer", "split": "test"}
        {"id": "e2", "text": "forgot the password again", "category": "password", "split": "test"}
        {"id": "e3", "text": "the vpn does not connect", "category": "network", "split": "test"}

        """

    static func trainOnly() -> String {
        tickets.split(separator: "\n").filter { !$0.contains("\"test\"") }.joined(separator: "\n")
    }

    static func testOnly() -> String {
        tickets.split(separator: "\n").filter { !$0.contains("\"train\"") }.joined(separator: "\n")
    }

    @Test("trains and reports, as a table or as JSON", arguments: [[], ["--json"], ["--misses"]])
    func runs(_ extra: [String]) async throws {
        let folder = try TemporaryFolder("tickets")
        let file = try folder.write("tickets.jsonl", Self.tickets)
        #expect(await FirstLineCommand.execute(["eval", "--tickets", file.path] + extra) == 0)
    }

    @Test("the report counts train and test rows, ignores other splits and scores every test row")
    func report() throws {
        let folder = try TemporaryFolder("tickets")
        let (training, test) = try EvalCommand.tickets(folder.write("tickets.jsonl", Self.tickets).path)
        let report = try TicketEvaluation(training: training).run(test)
        #expect(report.train == 9)
        #expect(report.test == 3)
        #expect(report.categories == 3)
        #expect(report.accuracy == 1)
        #expect(report.macro_f1 == 1)
        #expect(report.train_ms >= 0)
        #expect(report.features > 0)
        #expect(Set(report.by_category.keys) == ["network", "password", "printer"])
        #expect(report.table.contains("accuracy 1.0000"))

        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        for key in ["train", "test", "accuracy", "macro_f1", "train_ms", "categories"] {
            #expect(json?[key] != nil, "JSON lacks \(key)")
        }
    }

    @Test("a wrong prediction lowers accuracy and macro-F1 as computed by hand")
    func wrongPrediction() throws {
        let folder = try TemporaryFolder("tickets")
        // The same text as a "printer" training row, labelled otherwise: bound to be missed.
        let extra = #"{"id": "e4", "text": "the printer is jammed", "category": "password", "split": "test"}"#
        let (training, test) = try EvalCommand.tickets(folder.write("tickets.jsonl", Self.tickets + extra + "\n").path)
        #expect(test.count == 4)
        let report = try TicketEvaluation(training: training).run(test)
        // printer: TP 1, FP 1 → F1 2/3; password: TP 1, FN 1 → 2/3; network: 1.
        #expect(report.accuracy == 0.75)
        #expect(report.macro_f1 == RetrievalEvaluation.Scores.round((2.0 / 3 + 2.0 / 3 + 1) / 3))
    }

    @Test("a file without train rows or without test rows fails with a message that says so")
    func missingSplit() async throws {
        let folder = try TemporaryFolder("tickets")
        for (name, text, split) in [("train-only.jsonl", Self.trainOnly(), "test"), ("test-only.jsonl", Self.testOnly(), "train")] {
            let file = try folder.write(name, text)
            #expect(await FirstLineCommand.execute(["eval", "--tickets", file.path]) == 1)
            let failure = #expect(throws: CommandFailure.self) { try EvalCommand.tickets(file.path) }
            #expect(failure?.description.contains(name) == true)
            #expect(failure?.description.contains("no rows with \"split\":\"\(split)\"") == true)
        }
    }

    @Test("a broken row fails, naming the file and the line")
    func brokenRow() async throws {
        let folder = try TemporaryFolder("tickets")
        var lines = Self.tickets.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[4] = #"{"id": "t5", "text": "reset my password please", "split": "train"}"#  // no category
        let file = try folder.write("broken.jsonl", lines.joined(separator: "\n"))
        #expect(await FirstLineCommand.execute(["eval", "--tickets", file.path, "--json"]) == 1)
        let failure = #expect(throws: CommandFailure.self) { try EvalCommand.tickets(file.path) }
        #expect(failure?.description.contains("broken.jsonl:5: missing field 'category'") == true)
    }

    @Test("a missing file fails")
    func missingFile() async throws {
        let folder = try TemporaryFolder("tickets")
        #expect(await FirstLineCommand.execute(["eval", "--tickets", folder.missing]) == 1)
    }

    @Test("--tickets is exclusive with --articles and --kb, and takes no --queries", arguments: [
        ["eval", "--tickets", "t.jsonl", "--articles", "a.jsonl", "--queries", "q.jsonl"],
        ["eval", "--tickets", "t.jsonl", "--kb", "KnowledgeBase", "--queries", "q.jsonl"],
        ["eval", "--tickets", "t.jsonl", "--queries", "q.jsonl"],
        ["eval", "--tickets", "t.jsonl", "--intents", "Intents"],
    ])
    func usage(_ arguments: [String]) async {
        #expect(await FirstLineCommand.execute(arguments) == 2)
    }
}
