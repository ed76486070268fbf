import FirstLineCore
import Foundation
import Testing

@testable import FirstLineMessengers

@Suite("JSON reader")
struct JSONReaderTests {
    /// Documents of the shapes the platforms send, plus the corners of the grammar.
    static let documents = [
        #"{}"#,
        #"{"type":"event_callback","event_id":"Ev1","event_time":1750000000,"event":{"type":"message","text":"VPN"}}"#,
        #"  {"a" : [1, -2, 3.5, -0.25, 1e3, 2.5E-3, 12345678901234567890, 0], "b" : [] , "c" : {}}  "#,
        #"{"t":true,"f":false,"n":null,"nested":[[[{"deep":["x"]}]]]}"#,
        #"{"escapes":"quote \" backslash \\ slash \/ \b\f\n\r\t","unicode":"caf\u00e9 \ud83d\ude00 \u3042"}"#,
        #"{"utf8":"한국어 日本語 😀","empty":""}"#,
        #"{"update_id":123456789,"message":{"chat":{"id":-1001234567890},"date":1750000000}}"#,
    ]

    @Test("reads what JSONDecoder reads, into the same values", arguments: documents)
    func sameAsDecoder(document: String) throws {
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(document.utf8))
        #expect(try JSONReader.parse(Array(document.utf8)) == expected)
    }

    @Test("refuses what is not JSON", arguments: [
        "", "{", #"{"a":}"#, #"{"a":1,}"#, "[1,]", #"{"a":01}"#, #"{"a":1.}"#, #"{"a":tru}"#, #"{"a":"x"} x"#,
        "{\"a\":\"tab\tinside\"}", #"{"a":"\ud800"}"#, #"{"a":"\x"}"#, #"{'a':1}"#,
    ])
    func refuses(document: String) {
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array(document.utf8)) }
    }

    @Test("refuses invalid UTF-8 and documents nested too deep")
    func refusesBadBytesAndDepth() {
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D]) }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONReader.Failure.tooDeep) { try JSONReader.parse(Array(deep.utf8)) }
    }
}
