/// Strips the particles (조사) and verb endings (어미) that Korean glues to the end of a word,
/// so that `프린터가`, `프린터는` and `프린터에서도` all index as `프린터`.
///
/// A dictionary-free approximation of a morphological analyser: the longest known suffix is
/// removed, at most twice, and never the whole word. Single-syllable suffixes that are also
/// common word endings (`고`, `서`, `기` …) are removed only from words of three syllables or
/// more, so short nouns such as `광고` survive.
public struct KoreanSuffixStripper: Sendable {
    /// Suffixes removed whenever at least one syllable remains.
    static let freeSuffixes: [String] = [
        // particles
        "이", "가", "은", "는", "을", "를", "의", "에", "도", "만", "로", "와", "과", "랑", "나", "야",
        "에서", "에게", "한테", "께서", "으로", "이랑", "하고", "까지", "부터", "보다", "처럼", "마다", "조차",
        "마저", "밖에", "이나", "이든", "든지", "라도", "이라도", "에서는", "에서도", "에게는", "한테는", "으로는",
        "으로도", "로는", "로도", "에는", "에도", "까지도", "부터는", "이라는", "라는", "이란", "이라고", "라고",
        "이랑은", "같이", "이요", "이며", "이에요", "예요", "이야", "인데", "인가요", "인가", "인지", "이죠",
        // endings (polite, plain, questions, connectives), including the light verbs 하다 / 되다
        "요", "다", "까", "죠", "니", "냐", "네", "지", "음", "됨", "함", "임",
        "어요", "아요", "여요", "해요", "했어요", "했어", "했다", "했음", "했는데", "해서", "하는", "하면", "하기",
        "하게", "하지", "한다", "합니다", "했습니다", "하세요", "해주세요", "해줘", "해줘요", "주세요", "줘요",
        "됩니다", "됐어요", "돼요", "되요", "되는", "되고", "되서", "돼서", "되면", "된", "될", "돼", "되나요",
        "습니다", "습니까", "니까", "는데", "은데", "는지", "은지", "을지", "지만", "지요", "네요", "나요", "까요",
        "을까요", "을까", "을래", "을게", "을게요", "래요", "대요", "려고", "으려고", "려면", "으려면", "도록",
        "어서", "아서", "었어요", "았어요", "였어요", "었어", "았어", "었다", "았다", "었는데", "았는데", "겠어요",
        "겠습니다", "는게", "는거", "는건", "은거", "은건", "던", "어", "아", "고요", "구요", "잖아요", "거든요",
        "할까요", "할까", "할래", "해야", "해야해요", "해야하나요", "하나요", "해도", "했나요", "됐나요", "되나",
        "인데요", "는데요", "은데요", "ㅠ", "ㅠㅠ", "ㅜㅜ",
    ]
    /// Suffixes removed only when at least two syllables remain.
    static let guardedSuffixes: [String] = ["고", "게", "면", "서", "기", "며", "한", "할", "해", "하", "된", "중"]

    private let free: Set<PackedScalars>
    private let guarded: Set<PackedScalars>
    private let longest: Int

    public init() {
        free = Set(Self.freeSuffixes.map { PackedScalars(values: $0.unicodeScalars.map(\.value)[...]) })
        guarded = Set(Self.guardedSuffixes.map { PackedScalars(values: $0.unicodeScalars.map(\.value)[...]) })
        longest = min(Self.freeSuffixes.map(\.unicodeScalars.count).max() ?? 1, PackedScalars.capacity)
    }

    /// The last syllable of a verb's dictionary stem, if `syllable` looks like a conjugated one:
    /// an ending consonant (ㄴ ㄹ ㅁ ㅂ ㅆ) folded into it (`울` → `우`), or a contracted vowel
    /// (`워` → `우`, `와` → `오`, `돼` → `되`, `해` → `하`, `져` → `지`). Nil when nothing changes.
    public static func verbRoot(lastSyllable syllable: UInt32) -> UInt32? {
        guard (0xAC00...0xD7A3).contains(syllable) else { return nil }
        let index = syllable - 0xAC00
        let initial = index / 588
        var medial = (index % 588) / 28
        var final = index % 28
        if [4, 8, 16, 17, 20].contains(final) { final = 0 }        // ㄴ ㄹ ㅁ ㅂ ㅆ
        if final == 0 {
            switch medial {
            case 14: medial = 13                                  // ㅝ → ㅜ
            case 9: medial = 8                                    // ㅘ → ㅗ
            case 10: medial = 11                                  // ㅙ → ㅚ
            case 1 where initial == 18: medial = 0                // 해 → 하
            case 6 where initial == 12 || initial == 14: medial = 20  // 져, 쳐 → 지, 치
            default: break
            }
        }
        let root = 0xAC00 + initial * 588 + medial * 28 + final
        return root == syllable ? nil : root
    }

    /// The end index of the stem of one run of Hangul syllables (scalar values); the run's own
    /// end when nothing can be stripped.
    public func stemEnd(_ word: ArraySlice<UInt32>) -> Int {
        var end = word.endIndex
        for _ in 0..<2 {
            guard let cut = longestSuffix(in: word[word.startIndex..<end]) else { break }
            end -= cut
        }
        return end
    }

    private func longestSuffix(in word: ArraySlice<UInt32>) -> Int? {
        let count = word.count
        guard count >= 2 else { return nil }
        for length in stride(from: min(longest, count - 1), through: 1, by: -1) {
            let suffix = PackedScalars(values: word[(word.endIndex - length)...])
            if free.contains(suffix) { return length }
            if length == 1, count >= 3, guarded.contains(suffix) { return 1 }
        }
        return nil
    }
}

/// Up to eight BMP scalars packed into two integers: a set key that hashes and compares
/// without String's Unicode-equivalence machinery, which dominated tokenisation time.
struct PackedScalars: Hashable, Sendable {
    static let capacity = 8
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(values: ArraySlice<UInt32>) {
        for (offset, scalar) in values.prefix(Self.capacity).enumerated() {
            let value = UInt64(scalar & 0xFFFF)
            if offset < 4 { low |= value << (16 * UInt64(offset)) } else { high |= value << (16 * UInt64(offset - 4)) }
        }
    }
}
