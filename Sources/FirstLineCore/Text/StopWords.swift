/// Words that carry no meaning for matching, per script.
enum StopWords {
    /// Greetings, thanks and "please" are not stop words: they are how intents are recognised.
    static let english: Set<String> = [
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "from", "by", "with",
        "about", "as", "into", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did",
        "i", "me", "my", "we", "our", "you", "your", "it", "its", "this", "that", "these", "those", "there",
        "here", "so", "just", "can", "could", "would", "should",
        "will", "shall", "may", "might", "must", "have", "has", "had", "what", "which", "who", "whom", "how",
        "when", "where", "why", "some", "any", "all", "im", "ive", "id", "ill", "also", "too", "very", "really",
        "then", "than", "them", "they", "he", "she", "his", "her", "us", "get", "got", "getting",
        "keep", "keeps", "still", "again", "now", "today", "u", "ur",
        "not", "no", "doesnt", "dont", "cant", "cannot", "wont", "isnt", "arent", "didnt", "anymore",
    ]

    /// Hiragana runs that are only particles or auxiliaries.
    static let hiragana: Set<String> = [
        "を", "が", "は", "に", "で", "と", "の", "も", "へ", "や", "か", "ね", "よ", "な", "から", "まで",
        "より", "です", "ます", "でした", "ました", "ません", "ですか", "ますか", "ください", "ので", "のに",
        "けど", "けれど", "って", "たら", "ても", "でも", "には", "では", "とは", "への", "での", "この", "その",
        "あの", "どの", "これ", "それ", "あれ", "どれ", "ここ", "そこ", "どこ", "なに", "なん", "こと", "もの",
        "ため", "よう", "とき", "した", "して", "する", "します", "しました", "されて", "ている", "ています",
        "てる", "てます", "ちゃった", "んです", "のですが", "んですが", "ですが", "ますが", "たい", "たいです",
        "お", "ご", "し", "て", "た", "だ", "い", "う", "る", "れ", "ん",
    ]

    /// Words that say "not". They are dropped like stop words, but leave one shared negation term
    /// behind, so that "해결 안 됐어요" and "not fixed" can still be told from "해결됐어요" and
    /// "fixed" (feedback intents), while no article is preferred just for containing a "not".
    static let englishNegations: Set<String> = [
        "not", "no", "doesnt", "dont", "cant", "cannot", "wont", "isnt", "arent", "didnt", "never", "nothing",
        "havent", "hasnt", "wasnt", "werent", "couldnt", "wouldnt",
    ]
    static let koreanNegations: Set<String> = ["안", "못", "않", "안돼", "안됨", "안되", "없"]
    /// Hiragana endings that negate the word before them (`直らない`, `できません`, `つかず`).
    static let japaneseNegationEndings: [String] = ["ない", "なかった", "ません", "ませんでした", "ず", "なくて", "ないです"]

    /// Korean stems that remain after stripping and carry nothing.
    static let korean: Set<String> = [
        "것", "수", "등", "좀", "저", "제", "그", "이", "거", "걸", "게", "건", "때", "뭐", "왜", "어떻게", "어떡",
        "혹시", "지금", "그냥", "너무", "정말", "진짜", "계속", "자꾸", "다시", "안녕하세요", "있", "없",
        // "it doesn't work" is in every complaint: it says nothing about which article helps
        "안", "돼", "되", "됨", "안돼", "안됨", "안되", "않", "못", "해", "하", "했", "요",
    ]
}
