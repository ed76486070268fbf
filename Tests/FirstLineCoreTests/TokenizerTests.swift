import FirstLineCore
import Testing

/// Helpers shared by the tokenizer tests.
private extension Tokenizer {
    func texts(_ text: String, _ kind: TermKind) -> [String] {
        terms(text).filter { $0.kind == kind }.map(\.text)
    }

    func synonymGroups(_ text: String) -> Set<String> {
        Set(texts(text, .synonym))
    }
}

@Suite("Tokenizer: Korean")
struct KoreanTokenizerTests {
    let tokenizer = Tokenizer()

    @Test("particles and endings are stripped from the stem", arguments: ["프린터가", "프린터는", "프린터에서도", "프린터"])
    func particlesStripped(_ word: String) {
        #expect(tokenizer.words(word) == ["프린터"])
        #expect(tokenizer.texts(word, .word) == ["프린터"])
    }

    @Test("common nouns lose their particle, short nouns keep their last syllable", arguments: [
        ("메일이", "메일"), ("계정이", "계정"), ("비밀번호를", "비밀번호"), ("로그인이", "로그인"),
        ("모니터도", "모니터"), ("광고", "광고"), ("회사에서", "회사"),
    ])
    func nounStems(_ eojeol: String, _ stem: String) {
        #expect(tokenizer.words(eojeol) == [stem])
    }

    @Test("'안 돼요' (it doesn't work) carries only the shared negation term")
    func doesNotWorkHasNoWords() {
        #expect(tokenizer.words("안 돼요") == [Tokenizer.negation])
        #expect(tokenizer.words("안돼요") == [Tokenizer.negation])
        // The complaint around it still keeps its subject.
        #expect(tokenizer.words("프린터가 안 돼요") == ["프린터", Tokenizer.negation])
        // The same marker in every language, so "not fixed" differs from "fixed".
        #expect(Tokenizer().words("not fixed") == [Tokenizer.negation, "fix"])
        #expect(Tokenizer().words("まだ直らない").contains(Tokenizer.negation))
        #expect(!Tokenizer().words("안녕하세요").contains(Tokenizer.negation))
    }

    @Test("bigrams of the whole eojeol are present", arguments: [
        ("프린터가", ["프린", "린터", "터가"]),
        ("비밀번호를", ["비밀", "밀번", "번호", "호를"]),
    ])
    func bigrams(_ eojeol: String, _ expected: [String]) {
        #expect(tokenizer.texts(eojeol, .bigram) == expected)
    }

    @Test("an unknown compound still shares bigrams with its parts")
    func compoundSharesBigrams() {
        let compound = Set(tokenizer.texts("공유폴더가", .bigram))
        let part = Set(tokenizer.texts("폴더", .bigram))
        #expect(tokenizer.words("공유폴더가") == ["공유폴더"])
        #expect(part == ["폴더"])
        #expect(part.isSubset(of: compound))
    }

    @Test("a stem and the same characters as a bigram are different terms")
    func kindIsPartOfIdentity() {
        let terms = tokenizer.terms("비번")
        #expect(terms.contains(Term("비번", .word)))
        #expect(terms.contains(Term("비번", .bigram)))
        #expect(Term("비번", .word) != Term("비번", .bigram))
    }
}

@Suite("Tokenizer: Japanese")
struct JapaneseTokenizerTests {
    let tokenizer = Tokenizer()

    @Test("a sentence without spaces splits at script changes")
    func sentenceWithoutSpaces() {
        let words = tokenizer.words("パスワードを忘れました")
        #expect(words.contains("パスワード"))
        #expect(words.contains("忘"))
        // The particle を and the ending ました are not words.
        #expect(!words.contains("を"))
        #expect(words == ["パスワード", "忘"])
        #expect(!tokenizer.terms("パスワードを忘れました").contains { $0.text.contains("を") })
    }

    @Test("a kanji compound is a word plus its bigrams and unigrams")
    func kanjiCompound() {
        let terms = tokenizer.terms("紙詰まり")
        #expect(terms.contains(Term("紙詰", .word)))
        #expect(terms.contains(Term("紙詰", .bigram)))
        #expect(terms.contains(Term("紙", .unigram)))
        #expect(terms.contains(Term("詰", .unigram)))
        #expect(tokenizer.words("紙詰まり") == ["紙詰"])
    }

    @Test("katakana words are kept whole, prolonged sound mark included",
          arguments: [("サーバーにログインできない", ["サーバー", "ログイン"]),
                      ("プリンターが動かない", ["プリンター"]),
                      ("アウトルックのメール", ["アウトルック", "メール"])])
    func katakanaWhole(_ text: String, _ expected: [String]) {
        let words = tokenizer.words(text)
        for word in expected {
            #expect(words.contains(word), "\(text) → \(words)")
        }
    }

    @Test("hiragana particles alone produce no terms", arguments: ["を", "が", "は", "ですか", "ください"])
    func hiraganaParticles(_ text: String) {
        #expect(tokenizer.terms(text).isEmpty)
    }
}

@Suite("Tokenizer: mixed scripts and width")
struct MixedScriptTokenizerTests {
    let tokenizer = Tokenizer()

    @Test("a Latin word glued to a particle splits at the script boundary",
          arguments: [("VPN이", "vpn"), ("Wi-Fiが", "wifi"), ("Outlook이", "outlook"), ("Teamsで", "team")])
    func mixedToken(_ text: String, _ word: String) {
        #expect(tokenizer.words(text) == [word])
    }

    @Test("full-width Latin is folded to ASCII", arguments: [("ＶＰＮ", "vpn"), ("ｐａｓｓｗｏｒｄ", "password"), ("Ｗｉ－Ｆｉ", "wifi")])
    func fullWidth(_ text: String, _ word: String) {
        #expect(tokenizer.words(text) == [word])
    }

    @Test("half-width katakana without voicing marks becomes full-width")
    func halfWidthKatakanaPlain() {
        #expect(tokenizer.words("ﾒｰﾙ") == ["メール"])
        #expect(TextNormalizer().normalize("ﾒｰﾙ") == "メール")
    }

    @Test("half-width katakana with (semi-)voicing marks becomes one full-width word")
    func halfWidthKatakanaVoiced() {
        #expect(tokenizer.words("ﾌﾟﾘﾝﾀｰ") == ["プリンター"])
        #expect(TextNormalizer().normalize("ﾌﾟﾘﾝﾀｰ").unicodeScalars.elementsEqual("プリンター".unicodeScalars))
        #expect(tokenizer.words("ｻｰﾊﾞｰ") == ["サーバー"])
    }

    @Test("Latin diacritics are stripped", arguments: [("café", "cafe"), ("Résumé", "resume"), ("naïve", "naive")])
    func diacritics(_ text: String, _ word: String) {
        #expect(tokenizer.words(text) == [word])
    }

    @Test("Japanese voicing marks survive diacritic stripping in the same text")
    func voicedKanaKept() {
        let normalized = TextNormalizer().normalize("Café ガイド データ")
        #expect(normalized == "cafe ガイド データ")
        #expect(normalized.unicodeScalars.contains("ガ"))
        #expect(tokenizer.words("ガ") == ["ガ"])
        #expect(tokenizer.words("café ガス") == ["cafe", "ガス"])
    }

    @Test("Hangul syllables are not decomposed by normalisation")
    func hangulStaysComposed() {
        let normalized = TextNormalizer().normalize("Café 비밀번호")
        #expect(normalized == "cafe 비밀번호")
        #expect(normalized.unicodeScalars.count == "cafe 비밀번호".unicodeScalars.count)
    }
}

@Suite("Tokenizer: English")
struct EnglishTokenizerTests {
    let tokenizer = Tokenizer()

    @Test("inflections meet at the stem", arguments: [
        ("printing", "print"), ("printed", "print"), ("print", "print"), ("prints", "print"),
        ("policies", "policy"), ("stopped", "stop"), ("installed", "install"), ("passwords", "password"),
        ("access", "access"), ("status", "status"),
    ])
    func stemming(_ word: String, _ stem: String) {
        #expect(tokenizer.words(word) == [stem])
    }

    @Test("verb forms meet their stem, and a plural noun its singular")
    func printersMeetPrint() {
        #expect(tokenizer.words("printing") == ["print"])
        #expect(tokenizer.words("printed") == ["print"])
        // The plural does meet its singular.
        #expect(tokenizer.words("printers") == tokenizer.words("printer"))
    }

    @Test("a verb ending in a silent e meets its -ed and -ing forms", arguments: [
        ["share", "shared", "sharing", "shares"],
        ["update", "updated", "updating", "updates"],
        ["save", "saved", "saving", "saves"],
    ])
    func silentE(_ forms: [String]) {
        let stems = Set(forms.map { tokenizer.words($0) })
        #expect(stems.count == 1, "\(forms) → \(stems)")
        // The base form and its plural (listed last) do meet.
        #expect(tokenizer.words(forms[0]) == tokenizer.words(forms[forms.count - 1]))
    }

    @Test("stop words are dropped")
    func stopWords() {
        #expect(tokenizer.words("the printer is offline") == ["printer", "offline"])
        #expect(tokenizer.words("how do I do this").isEmpty)
        #expect(!tokenizer.words("The VPN").contains("the"))
    }

    @Test("joiners inside a word are dropped, a dot splits")
    func joiners() {
        #expect(tokenizer.words("wi-fi") == ["wifi"])
        #expect(tokenizer.words("e-mail") == ["email"])
        #expect(tokenizer.words("office365.exe") == ["office365", "exe"])
    }
}

@Suite("Tokenizer: synonyms")
struct SynonymTokenizerTests {
    let tokenizer = Tokenizer(synonyms: SynonymTable(groups: [
        ["password", "pw", "비밀번호", "비번", "パスワード"],
        ["shared drive", "공유 드라이브", "共有ドライブ"],
        ["vpn", "브이피엔"],
    ]))

    @Test("a Korean slang term with a particle and the English word share a synonym term")
    func slangMeetsEnglish() {
        let korean = tokenizer.synonymGroups("비번이")
        let english = tokenizer.synonymGroups("password")
        #expect(!korean.isEmpty)
        #expect(korean == english)
        #expect(tokenizer.synonymGroups("パスワードを忘れました") == english)
        #expect(tokenizer.synonymGroups("PW") == english)
    }

    @Test("different groups give different synonym terms")
    func groupsAreDistinct() {
        let password = tokenizer.synonymGroups("password")
        let vpn = tokenizer.synonymGroups("VPN이")
        #expect(!vpn.isEmpty)
        #expect(password.isDisjoint(with: vpn))
    }

    @Test("a multi-word entry matches only the whole phrase in order")
    func multiWordEntry() {
        let phrase = tokenizer.synonymGroups("the shared drive is gone")
        #expect(phrase.count == 1)
        #expect(tokenizer.synonymGroups("공유 드라이브가 안 열려요") == phrase)
        #expect(tokenizer.synonymGroups("shared").isEmpty)
        #expect(tokenizer.synonymGroups("drive").isEmpty)
        #expect(tokenizer.synonymGroups("drive shared").isEmpty)
    }

    @Test("each occurrence counts once, and a tokenizer without synonyms adds none")
    func occurrences() {
        #expect(tokenizer.terms("password pw").filter { $0.kind == .synonym }.count == 2)
        #expect(Tokenizer().terms("password").allSatisfy { $0.kind != .synonym })
        #expect(SynonymTable.empty.isEmpty)
        #expect(SynonymTable(groups: [["...", "!!!"]]).isEmpty)
    }
}
