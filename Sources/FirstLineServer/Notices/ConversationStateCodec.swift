import FirstLineCore
import Foundation

/// How a conversation's dialogue state is stored: JSON with sorted keys, so the same state is the
/// same bytes (the desk compares them before it resets a state). Reading never fails: a state this
/// version cannot read starts the conversation afresh rather than failing it.
struct ConversationStateCodec: Sendable {
    private let encoder: JSONEncoder
    /// A new conversation's state as stored: the same bytes every time, so encoded once.
    let initial: String

    init() {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.encoder = encoder
        initial = (try? String(decoding: encoder.encode(ConversationState()), as: UTF8.self)) ?? "{}"
    }

    func encode(_ state: ConversationState) throws -> String {
        String(decoding: try encoder.encode(state), as: UTF8.self)
    }

    func decode(_ json: String) -> ConversationState {
        (try? JSONDecoder().decode(ConversationState.self, from: Data(json.utf8))) ?? ConversationState()
    }
}
