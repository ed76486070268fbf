import FirstLineCLI
import Foundation
import Testing

/// Exit codes of `firstline` (design §6): 0 ok, 1 the task failed, 2 bad usage.
@Suite("firstline command exit codes")
struct FirstLineCommandTests {
    @Suite("kb check")
    struct KBCheck {
        @Test("the shipped knowledge base and intents pass")
        func shippedContent() async {
            let code = await FirstLineCommand.execute(["kb", "check", "--kb", Repository.knowledgeBase, "--intents", Repository.intents])
            #expect(code == 0)
        }

        @Test("a small valid knowledge base passes")
        func smallKnowledgeBase() async throws {
            let kb = try SmallKnowledgeBase.make()
            #expect(await FirstLineCommand.execute(["kb", "check", "--kb", kb.path, "--intents", kb.missing]) == 0)
        }

        @Test("one broken article fails the check")
        func brokenArticle() async throws {
            let kb = try SmallKnowledgeBase.make()
            try kb.write("en/broken.md", SmallKnowledgeBase.article(
                id: "broken", title: "Broken", category: "printers", keywords: "x",
                questions: ["a", "b", "c"], body: "steps"))
            #expect(await FirstLineCommand.execute(["kb", "check", "--kb", kb.path, "--intents", kb.missing]) == 1)
        }

        @Test("a broken intent fails the check")
        func brokenIntent() async throws {
            let kb = try SmallKnowledgeBase.make()
            let intents = try TemporaryFolder("intents")
            try intents.write("greet.yml", "id: greet\naction: dance\n")
            #expect(await FirstLineCommand.execute(["kb", "check", "--kb", kb.path, "--intents", intents.path]) == 1)
        }

        @Test("a knowledge-base folder that does not exist fails the check")
        func missingFolder() async throws {
            let folder = try TemporaryFolder("kb")
            #expect(await FirstLineCommand.execute(["kb", "check", "--kb", folder.missing, "--intents", folder.missing]) == 1)
        }
    }

    @Suite("bad usage")
    struct BadUsage {
        @Test("is exit code 2", arguments: [
            ["frobnicate"],                          // unknown subcommand
            ["kb", "frobnicate"],                    // unknown sub-subcommand
            ["ask"],                                 // missing argument
            ["ask", "--top", "0", "x"],              // out of range
            ["ask", "--top", "many", "x"],           // not a number
            ["ask", "   "],                          // empty question
            ["ask", "x", "--colour"],                // unknown option
            ["eval", "--queries", "q.jsonl"],        // neither --articles nor --kb
            ["eval", "--articles", "a.jsonl", "--kb", "KnowledgeBase", "--queries", "q.jsonl"], // both
            ["eval", "--articles", "a.jsonl"],       // no --queries
            ["eval", "--articles", "a.jsonl", "--intents", "Intents", "--queries", "q.jsonl"], // --intents without --kb
        ])
        func usage(_ arguments: [String]) async {
            #expect(await FirstLineCommand.execute(arguments) == 2)
        }

        @Test("help is not an error")
        func help() async {
            #expect(await FirstLineCommand.execute(["--help"]) == 0)
            #expect(await FirstLineCommand.execute(["ask", "--help"]) == 0)
        }
    }

    @Suite("ask")
    struct Ask {
        @Test("answers from a small knowledge base, as a table or as JSON", arguments: [[], ["--json"], ["--top", "1"]])
        func smallKnowledgeBase(_ extra: [String]) async throws {
            let kb = try SmallKnowledgeBase.make()
            #expect(await FirstLineCommand.execute(["ask", "printer paper jam", "--kb", kb.path] + extra) == 0)
        }

        @Test("a question that matches nothing is still answered")
        func noMatch() async throws {
            let kb = try SmallKnowledgeBase.make()
            #expect(await FirstLineCommand.execute(["ask", "zxqv blorf", "--kb", kb.path]) == 0)
        }

        @Test("a knowledge base with problems cannot be asked")
        func brokenKnowledgeBase() async throws {
            let kb = try SmallKnowledgeBase.make()
            try kb.write("en/broken.md", "no front matter\n")
            #expect(await FirstLineCommand.execute(["ask", "printer", "--kb", kb.path]) == 1)
            #expect(await FirstLineCommand.execute(["ask", "printer", "--kb", kb.missing]) == 1)
        }
    }

    @Suite("eval")
    struct Eval {
        static let articles = """
            {"id": "printer-jam", "title": "Printer paper jam", "body": "Open the tray and remove the paper.", "lang": "en"}
            {"id": "vpn-connect", "title": "VPN won't connect", "body": "Restart the VPN client.", "lang": "en", "extra": true}

            """
        static let queries = """
            {"id": "q1", "text": "printer jammed", "relevant": ["printer-jam"], "lang": "en"}
            {"id": "q2", "text": "vpn down", "relevant": ["vpn-connect"], "lang": "en"}
            {"id": "q3", "text": "skipped: no relevant article", "relevant": [], "lang": "en"}

            """

        @Test("scores a JSONL collection", arguments: [[], ["--json"]])
        func collection(_ extra: [String]) async throws {
            let folder = try TemporaryFolder("eval")
            let articles = try folder.write("articles.jsonl", Self.articles)
            let queries = try folder.write("queries.jsonl", Self.queries)
            #expect(await FirstLineCommand.execute(["eval", "--articles", articles.path, "--queries", queries.path] + extra) == 0)
        }

        @Test("scores a knowledge-base folder, with and without intents")
        func knowledgeBase() async throws {
            let kb = try SmallKnowledgeBase.make()
            let folder = try TemporaryFolder("eval")
            let queries = try folder.write("queries.jsonl", Self.queries)
            #expect(await FirstLineCommand.execute(["eval", "--kb", kb.path, "--queries", queries.path, "--json"]) == 0)
            #expect(await FirstLineCommand.execute(["eval", "--kb", Repository.knowledgeBase, "--intents", Repository.intents,
                                                    "--queries", queries.path]) == 0)
        }

        @Test("a queries file whose second line is broken fails")
        func brokenQueries() async throws {
            let folder = try TemporaryFolder("eval")
            let articles = try folder.write("articles.jsonl", Self.articles)
            var lines = Self.queries.split(separator: "\n").map(String.init)
            lines[1] = "{\"id\": \"q2\", \"text\": "
            let queries = try folder.write("queries.jsonl", lines.joined(separator: "\n"))
            #expect(await FirstLineCommand.execute(["eval", "--articles", articles.path, "--queries", queries.path]) == 1)
        }

        @Test("an articles file whose second line is broken fails")
        func brokenArticles() async throws {
            let folder = try TemporaryFolder("eval")
            let articles = try folder.write("articles.jsonl", Self.articles.replacingOccurrences(of: "\"title\": \"VPN won't connect\", ", with: ""))
            let queries = try folder.write("queries.jsonl", Self.queries)
            #expect(await FirstLineCommand.execute(["eval", "--articles", articles.path, "--queries", queries.path]) == 1)
        }

        @Test("missing files fail")
        func missingFiles() async throws {
            let folder = try TemporaryFolder("eval")
            let articles = try folder.write("articles.jsonl", Self.articles)
            #expect(await FirstLineCommand.execute(["eval", "--articles", articles.path, "--queries", folder.missing]) == 1)
            #expect(await FirstLineCommand.execute(["eval", "--articles", folder.missing, "--queries", articles.path]) == 1)
            #expect(await FirstLineCommand.execute(["eval", "--kb", folder.missing, "--queries", articles.path]) == 1)
        }
    }
}
