import FirstLineCore
import Yams

/// `other_desks:` of `firstline.yml`: desks that handle what IT does not. Each needs an id
/// (lower-case letters, digits and '-', unique), a name in at least one language and example
/// phrases in at least one; `reach` (how to contact the desk) is optional.
enum OtherDesksSection {
    static func read(_ node: Node, reader: inout SettingsReader) -> [OtherDesk] {
        var desks: [OtherDesk] = []
        var seen = Set<String>()
        for item in reader.sequence(node, of: "desks") {
            var id: String?
            var names: [Language: String] = [:]
            var reach: [Language: String] = [:]
            var examples: [Language: [String]] = [:]
            for (key, value) in reader.mapping(item, allowed: ["id", "names", "reach", "examples"]) {
                switch key {
                case "id":
                    guard let text = reader.string(value) else { continue }
                    guard text.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
                        reader.fail(value, "a desk id uses lower-case letters, digits and '-' only (got '\(text)')")
                        continue
                    }
                    guard seen.insert(text).inserted else {
                        reader.fail(value, "desk '\(text)' is defined twice")
                        continue
                    }
                    id = text
                case "names":
                    names = perLanguage(value, reader: &reader) { reader, node in reader.string(node) }
                case "reach":
                    reach = perLanguage(value, reader: &reader) { reader, node in reader.string(node) }
                default:
                    examples = perLanguage(value, reader: &reader) { reader, node in
                        let phrases = reader.strings(node)
                        return phrases.isEmpty ? nil : phrases
                    }
                }
            }
            guard let id else {
                reader.fail(item, "a desk needs an 'id'")
                continue
            }
            if names.isEmpty { reader.fail(item, "desk '\(id)' needs 'names' in at least one of ko, ja, en") }
            if examples.isEmpty { reader.fail(item, "desk '\(id)' needs 'examples' in at least one of ko, ja, en") }
            desks.append(OtherDesk(id: id, names: names, reach: reach, examples: examples))
        }
        return desks
    }

    private static func perLanguage<Value>(_ node: Node, reader: inout SettingsReader,
                                           _ value: (inout SettingsReader, Node) -> Value?) -> [Language: Value] {
        var result: [Language: Value] = [:]
        for (code, node) in reader.mapping(node, allowed: Language.allCases.map(\.rawValue)) {
            if let language = Language(rawValue: code), let parsed = value(&reader, node) { result[language] = parsed }
        }
        return result
    }
}
