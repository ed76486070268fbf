import FirstLineCore
import Testing

@Suite("DialogueStrings")
struct DialogueStringsTests {
    static let actions: [ButtonAction] = [
        .solved(articleID: "a"), .stillBroken(articleID: "a"), .choose(articleID: "a"), .talkToPerson, .backToBot,
        .blocksWork(true), .blocksWork(false), .rate(1), .rate(5), .reopen,
    ]

    @Test("every button label is written in its language", arguments: Language.allCases)
    func labels(_ language: Language) {
        let strings = DialogueStrings(language)
        for action in Self.actions {
            #expect(LanguageDetector().detect(strings.label(for: action)) == language, "\(action)")
        }
        #expect(strings.label(for: .rate(1)) != strings.label(for: .rate(5)))
    }

    @Test("the dialogue's own texts are written in their language", arguments: Language.allCases)
    func texts(_ language: Language) {
        let s = DialogueStrings(language)
        let texts = [
            s.emptyMessage, s.staleButton, s.didThisHelp, s.tryAnother, s.whichOne, s.askToRephrase, s.offerPerson,
            s.solved, s.askDescription, s.askBlocksWork, s.noOpenTickets, s.openTicketsHeader, s.ratingThanks,
            s.willConnect(.stillBroken), s.willConnect(.urgent), s.willConnect(.askedForPerson),
            s.ticketCreated(number: "HD-000001", due: "x", urgent: false),
            s.ticketCreated(number: "HD-000001", due: "x", urgent: true),
            s.requestFiled(number: "HD-000001", due: "x", needsApproval: true),
            s.requestFiled(number: "HD-000001", due: "x", needsApproval: false),
            s.backToBot(number: "HD-000001"), s.askRating(number: "HD-000001"), s.reopened(number: "HD-000001"),
            s.intentFallback(.greet), s.intentFallback(.thanks), s.intentFallback(.bye), s.intentFallback(.cancel),
        ]
        for text in texts {
            #expect(LanguageDetector().detect(text) == language, "\(text)")
        }
    }

    @Test("Korean is 해요체 and Japanese です・ます: no plain or formal endings")
    func politeness() {
        let ko = DialogueStrings(.ko)
        for text in [ko.solved, ko.askBlocksWork, ko.staleButton, ko.emptyMessage, ko.askDescription] {
            #expect(!text.contains("합니다") && !text.contains("한다"), "\(text)")
        }
        let ja = DialogueStrings(.ja)
        for text in [ja.askBlocksWork, ja.staleButton, ja.noOpenTickets, ja.askToRephrase] {
            #expect(["ます", "ません", "です", "ください"].contains(where: text.contains), "\(text)")
        }
    }

    @Test("every ticket status is named in each language")
    func statusNames() {
        #expect(DialogueStrings(.ko).statusName(.open) == "처리 중")
        #expect(DialogueStrings(.ja).statusName(.waiting) == "ご返信待ち")
        #expect(DialogueStrings(.en).statusName(.resolved) == "resolved")
        for language in Language.allCases {
            let names = Set(TicketStatus.allCases.map { DialogueStrings(language).statusName($0) })
            #expect(names.count == TicketStatus.allCases.count)
        }
    }
}
