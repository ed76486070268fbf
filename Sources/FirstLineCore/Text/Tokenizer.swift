/// Turns text in Korean, Japanese, English or any mix into weighted-evidence terms.
///
/// The text is normalised, cut into runs of one script, and each run is tokenised the way its
/// language needs (design §3): Latin words stemmed, Hangul stems plus bigrams, kanji compounds
/// plus unigrams and bigrams, katakana words whole. Synonym groups are recognised over the
/// resulting word sequence and added as extra terms.
public struct Tokenizer: Sendable {
    public let synonyms: SynonymTable
    private let normalizer = TextNormalizer()
    private let korean = KoreanSuffixStripper()
    private let english = EnglishStemmer()

    public init(synonyms: SynonymTable = .empty) {
        self.synonyms = synonyms
    }

    /// All terms of `text`, in order of appearance, duplicates kept (they are term frequencies).
    public func terms(_ text: String) -> [Term] {
        var terms: [Term] = []
        var words: [String] = []
        tokenize(normalizer.normalize(text), into: &terms, words: &words)
        if !synonyms.isEmpty {
            for group in synonyms.groups(in: words) {
                terms.append(Term(String(group), .synonym))
            }
        }
        return terms
    }

    /// The whole-word terms only, without n-grams or synonyms: what synonym entries are matched on.
    public func words(_ text: String) -> [String] {
        var terms: [Term] = []
        var words: [String] = []
        tokenize(normalizer.normalize(text), into: &terms, words: &words)
        return words
    }

    private func tokenize(_ text: String, into terms: inout [Term], words: inout [String]) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let script = ScriptClass(scalars[index])
            switch script {
            case .separator, .joiner:
                index += 1
            case .latin, .digit:
                index = latinWord(scalars, from: index, into: &terms, words: &words)
            case .hangul, .hiragana, .katakana, .kanji:
                var end = index + 1
                while end < scalars.count, ScriptClass(scalars[end]) == script { end += 1 }
                let run = scalars[index..<end]
                switch script {
                case .hangul: hangul(run, into: &terms, words: &words)
                case .katakana: katakana(run, into: &terms, words: &words)
                case .kanji: kanji(run, into: &terms, words: &words)
                default: hiragana(run, into: &terms)
                }
                index = end
            }
        }
    }

    /// Letters and digits, with `-` `'` `_` inside a word dropped (`wi-fi` → `wifi`, `don't` → `dont`).
    private func latinWord(_ s: [Unicode.Scalar], from start: Int, into terms: inout [Term], words: inout [String]) -> Int {
        var word = String.UnicodeScalarView()
        var index = start
        while index < s.count {
            let script = ScriptClass(s[index])
            if script == .latin || script == .digit {
                word.append(s[index])
            } else if script == .joiner, s[index] != ".", index + 1 < s.count,
                      [.latin, .digit].contains(ScriptClass(s[index + 1])), !word.isEmpty {
                // a joiner between two word characters: keep reading the same word
            } else {
                break
            }
            index += 1
        }
        let raw = String(word)
        if StopWords.english.contains(raw) { return index }
        let stemmed = english.stem(raw)
        terms.append(Term(stemmed, .word))
        words.append(stemmed)
        return index
    }

    private func hangul(_ run: ArraySlice<Unicode.Scalar>, into terms: inout [Term], words: inout [String]) {
        let stem = korean.stem(run)
        let stemText = string(stem)
        if StopWords.korean.contains(stemText) { return }
        terms.append(Term(stemText, .word))
        words.append(stemText)
        appendBigrams(run, into: &terms)
        for scalar in stem where stem.count > 1 {
            terms.append(Term(String(scalar), .unigram))
        }
    }

    private func katakana(_ run: ArraySlice<Unicode.Scalar>, into terms: inout [Term], words: inout [String]) {
        // A lone prolonged-sound mark or middle dot is punctuation, not a word.
        let letters = run.filter { $0 != "ー" && $0 != "・" }
        guard !letters.isEmpty else { return }
        let word = string(run.filter { $0 != "・" }[...])
        terms.append(Term(word, .word))
        words.append(word)
        if run.count >= 4 { appendBigrams(run, into: &terms) }
    }

    private func kanji(_ run: ArraySlice<Unicode.Scalar>, into terms: inout [Term], words: inout [String]) {
        let word = string(run)
        terms.append(Term(word, .word))
        words.append(word)
        guard run.count > 1 else { return }
        appendBigrams(run, into: &terms)
        for scalar in run { terms.append(Term(String(scalar), .unigram)) }
    }

    /// Hiragana carries grammar more than meaning; content runs contribute bigrams only.
    private func hiragana(_ run: ArraySlice<Unicode.Scalar>, into terms: inout [Term]) {
        if run.count < 2 || StopWords.hiragana.contains(string(run)) { return }
        appendBigrams(run, into: &terms)
    }

    private func appendBigrams(_ run: ArraySlice<Unicode.Scalar>, into terms: inout [Term]) {
        guard run.count >= 2 else { return }
        var i = run.startIndex
        while i + 1 < run.endIndex {
            var pair = String.UnicodeScalarView()
            pair.append(run[i]); pair.append(run[i + 1])
            terms.append(Term(String(pair), .bigram))
            i += 1
        }
    }

    private func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
