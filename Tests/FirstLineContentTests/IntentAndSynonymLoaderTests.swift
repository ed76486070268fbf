import FirstLineContent
import FirstLineCore
import Foundation
import Testing

@Suite("IntentLoader")
struct IntentLoaderTests {
    static let valid = """
        id: request-software
        action: request
        category: software
        approval: manager
        examples:
          ko:
            - 프로그램 설치 요청
            - 소프트웨어 설치해 주세요
          ja:
            - ソフトのインストール申請
          en:
            - please install software
            - software request
        replies:
          ko: [설치 요청으로 접수할게요.]
          ja: [インストール申請として受け付けます。]
          en: [I'll file a software request.]

        """

    @Test("a valid intent parses with all its fields")
    func validIntent() throws {
        let result = IntentLoader().parse(Self.valid, file: "request-software.yml", slug: "request-software")
        #expect(result.issues.isEmpty, "\(result.issues)")
        let intent = try #require(result.intent)
        #expect(intent.id == "request-software")
        #expect(intent.action == .request)
        #expect(intent.category == .software)
        #expect(intent.needsManagerApproval)
        #expect(intent.examples[.ko] == ["프로그램 설치 요청", "소프트웨어 설치해 주세요"])
        #expect(intent.examples[.ja] == ["ソフトのインストール申請"])
        #expect(intent.examples[.en] == ["please install software", "software request"])
        #expect(intent.replies[.en] == ["I'll file a software request."])
    }

    @Test("an intent without a language in its examples is reported with that language")
    func missingLanguage() throws {
        let text = Self.valid.replacingOccurrences(of: "  ja:\n    - ソフトのインストール申請\n", with: "")
        #expect(!text.contains("ソフトのインストール申請"))
        let result = IntentLoader().parse(text, file: "request-software.yml", slug: "request-software")
        #expect(result.intent == nil)
        #expect(result.issues.count == 1, "\(result.issues)")
        let issue = try #require(result.issues.first)
        #expect(issue.message.contains("'ja'"))
        #expect(issue.message.contains("examples"))
        #expect(issue.file == "request-software.yml")
        // The issue points into the `examples:` block (key on line 5, languages below it).
        #expect((5...9).contains(issue.line), "\(issue)")
    }

    @Test("an unknown action is reported on its line")
    func unknownAction() throws {
        let text = Self.valid.replacingOccurrences(of: "action: request", with: "action: dance")
        let result = IntentLoader().parse(text, file: "request-software.yml", slug: "request-software")
        #expect(result.intent == nil)
        let issue = try #require(result.issues.first { $0.message.contains("dance") })
        #expect(issue.line == 2)
        #expect(issue.message.contains("action"))
    }

    @Test("a request without a category is reported")
    func requestWithoutCategory() throws {
        let text = Self.valid.replacingOccurrences(of: "category: software\n", with: "")
        let result = IntentLoader().parse(text, file: "request-software.yml", slug: "request-software")
        #expect(result.intent == nil)
        #expect(result.issues.count == 1, "\(result.issues)")
        let issue = try #require(result.issues.first)
        #expect(issue.message.contains("category"))
        #expect(issue.line == 2, "reported on the 'action: request' line")
    }

    @Test("an intent id must match its file name, and a file is named in its issues")
    func idMatchesFileName() throws {
        let folder = try TemporaryFolder("intents")
        let file = try folder.write("software.yml", Self.valid)
        let loaded = try IntentLoader().load(directory: folder.url)
        #expect(loaded.intents.isEmpty)
        let issue = try #require(loaded.issues.first)
        #expect(loaded.issues.count == 1)
        #expect(issue.file == file.path)
        #expect(issue.line == 1)
        #expect(issue.message.contains("software.yml"))
    }

    @Test("invalid YAML in an intent names the file line")
    func invalidYAML() throws {
        let text = Self.valid.replacingOccurrences(of: "approval: manager", with: "approval: manager: yes")
        let result = IntentLoader().parse(text, file: "x.yml", slug: nil)
        #expect(result.intent == nil)
        #expect(result.issues.map(\.line) == [4])
    }

    @Test("an unknown language code in examples is reported")
    func unknownLanguage() throws {
        let text = Self.valid.replacingOccurrences(of: "  en:\n    - please install", with: "  fr:\n    - s'il vous plait\n  en:\n    - please install")
        let result = IntentLoader().parse(text, file: "x.yml", slug: nil)
        #expect(result.intent == nil)
        let issue = try #require(result.issues.first)
        #expect(issue.message.contains("'fr'"))
        #expect(issue.line == 11)
    }
}

@Suite("SynonymsLoader")
struct SynonymsLoaderTests {
    @Test("groups are read in order")
    func validGroups() {
        let text = """
            # Accounts
            - [password, pw, 비밀번호, 비번, パスワード]
            - [vpn, 브이피엔]
            - - shared drive
              - 공유 드라이브
            """
        let result = SynonymsLoader().parse(text, file: "synonyms.yml")
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.groups == [["password", "pw", "비밀번호", "비번", "パスワード"], ["vpn", "브이피엔"], ["shared drive", "공유 드라이브"]])
    }

    @Test("a term in two groups is reported on the second group's line, naming the first")
    func termInTwoGroups() throws {
        let text = """
            # Accounts
            - [password, pw, 비밀번호]
            - [vpn, 브이피엔]

            - [PW, passcode]
            """
        let result = SynonymsLoader().parse(text, file: "synonyms.yml")
        #expect(result.issues.count == 1, "\(result.issues)")
        let issue = try #require(result.issues.first)
        #expect(issue.file == "synonyms.yml")
        #expect(issue.line == 5)
        #expect(issue.message.contains("PW"))
        #expect(issue.message.contains("line 2"))
    }

    @Test("malformed groups are reported on their lines")
    func malformed() {
        let text = """
            - [password, pw]
            - vpn
            - [lonely]
            """
        let result = SynonymsLoader().parse(text, file: "synonyms.yml")
        #expect(result.issues.map(\.line) == [2, 3])
        #expect(SynonymsLoader().parse("password: pw", file: "s.yml").issues.count == 1)
        #expect(SynonymsLoader().parse("- [a, b\n- [c, d]", file: "s.yml").issues.count == 1)
    }

    @Test("the loader reads a file and a knowledge base picks synonyms.yml up")
    func fromFile() throws {
        let folder = try TemporaryFolder("synonyms")
        let file = try folder.write("synonyms.yml", "- [printer, 프린터, プリンター]\n")
        #expect(SynonymsLoader().load(file: file).groups == [["printer", "프린터", "プリンター"]])
        let knowledgeBase = try KnowledgeBaseLoader().load(directory: folder.url)
        #expect(knowledgeBase.synonymGroups == [["printer", "프린터", "プリンター"]])
        #expect(knowledgeBase.issues.isEmpty)
    }
}

@Suite("JSONLinesReader")
struct JSONLinesReaderTests {
    @Test("valid rows are decoded; blank lines are skipped")
    func validRows() throws {
        let folder = try TemporaryFolder("jsonl")
        let file = try folder.write("queries.jsonl", """
            {"id": "q1", "text": "vpn down", "relevant": ["vpn-connect"], "lang": "en"}

            {"id": "q2", "text": "비번 까먹음", "relevant": [], "lang": "ko", "extra": 1}
            """)
        let rows = try JSONLinesReader().read(EvalQuery.self, from: file)
        #expect(rows.map(\.id) == ["q1", "q2"])
        #expect(rows[0].relevant == ["vpn-connect"])
        #expect(rows[1].lang == "ko")
    }

    /// The bad row, and a word the message must contain.
    @Test("a bad row is reported with its file and line", arguments: [
        ("{\"id\": \"q2\", \"text\": \"x\"", "JSON"),                        // truncated
        ("{\"id\": \"q2\", \"relevant\": [], \"lang\": \"en\"}", "text"),      // missing field
        ("{\"id\": 2, \"text\": \"x\", \"relevant\": []}", "id"),            // wrong type
    ])
    func badRow(_ row: String, _ mentions: String) throws {
        let folder = try TemporaryFolder("jsonl")
        let file = try folder.write("queries.jsonl", """
            {"id": "q1", "text": "vpn down", "relevant": ["vpn-connect"], "lang": "en"}
            \(row)
            {"id": "q3", "text": "printer", "relevant": ["printer-jam"], "lang": "en"}
            """)
        let error = try #require(throws: ContentError.self) { try JSONLinesReader().read(EvalQuery.self, from: file) }
        guard case let .invalid(issues) = error else {
            Issue.record("expected .invalid, got \(error)")
            return
        }
        #expect(issues.count == 1)
        #expect(issues.first?.file == file.path)
        #expect(issues.first?.line == 2)
        #expect(issues.first?.message.contains(mentions) == true, "\(issues)")
    }

    @Test("line numbers count blank lines")
    func blankLinesCounted() throws {
        let folder = try TemporaryFolder("jsonl")
        let file = try folder.write("a.jsonl", "{\"id\":\"a\",\"title\":\"A\"}\n\n\nnot json\n")
        let error = try #require(throws: ContentError.self) { try JSONLinesReader().read(EvalArticle.self, from: file) }
        #expect(error == .invalid([ContentIssue(file: file.path, line: 4, message: "not a valid JSON object")]))
    }

    @Test("a file with Windows line endings (CRLF) is read row by row")
    func windowsLineEndings() throws {
        let folder = try TemporaryFolder("jsonl")
        let file = try folder.write("a.jsonl", "{\"id\":\"a\",\"title\":\"A\"}\r\n{\"id\":\"b\",\"title\":\"B\"}\r\n")
        let rows = try JSONLinesReader().read(EvalArticle.self, from: file)
        #expect(rows.map(\.id) == ["a", "b"])
    }

    @Test("a missing file is unreadable")
    func missingFile() {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-\(UUID().uuidString).jsonl")
        #expect(throws: ContentError.unreadable(path: missing.path, reason: "no such file or not readable")) {
            try JSONLinesReader().read(EvalQuery.self, from: missing)
        }
    }
}
