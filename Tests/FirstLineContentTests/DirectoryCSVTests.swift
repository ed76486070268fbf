import FirstLineContent
import FirstLineCore
import Foundation
import Testing

/// The employee directory file (`firstline users import`): RFC 4180 quoting, line numbers in every error.
@Suite("directory CSV")
struct DirectoryCSVTests {
    @Test("quoted fields keep commas, quotes and line breaks; the line of each row is where it starts")
    func quoting() throws {
        let text = "\u{FEFF}id,name,department,slack\r\nE1,\"Kim, Minsu\",\"R&D \"\"Lab\"\"\",U01\r\nE2,\"佐藤\n花子\",,\r\n\r\nE3,Lee,,U03\r\n"
        let rows = try DirectoryCSV.parse(text, file: "d.csv")
        #expect(rows.map(\.id) == ["E1", "E2", "E3"])
        #expect(rows[0].name == "Kim, Minsu")
        #expect(rows[0].department == "R&D \"Lab\"")
        #expect(rows[0].platformIDs == ["slack": "U01"])
        #expect(rows[1].name == "佐藤\n花子")
        #expect(rows[1].platformIDs.isEmpty)
        #expect(rows.map(\.line) == [2, 3, 6])
    }

    @Test("each problem names its line", arguments: [
        ("id,name,fax\nE1,A,1\n", 1, "unknown column 'fax'"),
        ("name,email\nA,a@example.com\n", 1, "'id' column"),
        ("id,name\nE1,A\nE2\n", 3, "1 fields"),
        ("id,name\nE1,A\nE1,B\n", 3, "already used on line 2"),
        ("id,name,email\nE1,A,not-an-address\n", 2, "not an e-mail"),
        ("id,name,manager\nE1,A,E1\n", 2, "own manager"),
        ("id,name\nE1,\"A\n", 2, "never closed"),
        ("", 1, "empty"),
    ])
    func problems(text: String, line: Int, fragment: String) throws {
        let failure = try #require(throws: SettingsFile.Failure.self) { try DirectoryCSV.parse(text, file: "d.csv") }
        #expect(failure.issues.contains { $0.line == line && $0.message.contains(fragment) }, "\(failure.description)")
    }
}
