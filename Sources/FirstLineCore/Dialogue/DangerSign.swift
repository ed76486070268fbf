/// A message that reports a security emergency: every minute of self-help is a minute an
/// attacker keeps a password or a device. Such a message skips the article's "Did this fix it?"
/// and becomes a P1 ticket for the security team at once.
///
/// Each sign needs two or three kinds of evidence together ("typed" + "password" + a suspicious
/// page), so that "I typed my password and it says wrong", "I clicked the reset link and entered
/// a new password" or "I lost the Wi-Fi on my laptop" stay ordinary questions.
public enum DangerSign: String, Sendable, Equatable, CaseIterable {
    /// A password (or card details) entered on a suspicious page or after a suspicious link.
    case credentialsEntered = "credentials_entered"
    /// A company laptop or phone lost or stolen.
    case deviceLost = "device_lost"
    /// Company or personal data leaked or sent to the wrong person.
    case dataLeak = "data_leak"

    /// The sign `text` reports, if any.
    public static func detect(_ text: String) -> DangerSign? {
        let normalised = TypedAnswer.normalised(text)
        if secret.matches(normalised: normalised), entered.matches(normalised: normalised),
           suspicious.matches(normalised: normalised) {
            return .credentialsEntered
        }
        if loss.matches(normalised: normalised), device.matches(normalised: normalised),
           !connection.matches(normalised: normalised) {
            return .deviceLost
        }
        if leakPhrase.matches(normalised: normalised)
            || (leak.matches(normalised: normalised) && information.matches(normalised: normalised)) {
            return .dataLeak
        }
        return nil
    }

    private static let secret = PhraseCues([
        "비밀번호", "비번", "패스워드", "암호", "카드 번호", "카드번호", "otp", "인증번호",
        "パスワード", "暗証番号", "カード番号", "認証コード",
        "password", "passwords", "passcode", "credentials", "login details", "card details", "card number", "pin",
    ])
    private static let entered = PhraseCues([
        "입력", "넣었", "넣어버", "쳤어", "쳐버", "적었", "알려줬", "알려 줬", "보냈",
        "入力", "入れて", "入れた", "入れちゃ", "打ち込", "教えて", "送って", "送った",
        "entered", "typed", "put in", "put my", "gave", "submitted", "input", "filled in", "logged in", "signed in",
    ])
    private static let suspicious = PhraseCues([
        "피싱", "이상한", "수상한", "가짜", "낯선", "의심", "사기", "모르는 사이트",
        "フィッシング", "怪しい", "あやしい", "偽", "変な", "不審", "知らない", "詐欺",
        "phishing", "phish", "fake", "weird", "suspicious", "strange", "scam", "spoof", "spoofed", "shady", "dodgy",
        "not legit", "sketchy", "unknown site",
    ])
    private static let loss = PhraseCues([
        "잃어버", "잃어 버", "분실", "도난", "도둑", "훔쳐", "두고 내렸", "놓고 내렸", "없어졌",
        "紛失", "盗まれ", "盗難", "なくし", "無くし", "失くし", "落とし", "置き忘れ", "忘れてきた",
        "lost my", "lost our", "lost the", "lost a", "stolen", "was stolen", "got stolen", "left my", "i lost",
        "has been lost", "went missing", "is missing",
    ])
    private static let device = PhraseCues([
        "노트북", "휴대폰", "핸드폰", "스마트폰", "업무폰", "폰을", "폰이", "태블릿", "아이패드", "맥북", "기기", "단말", "pc",
        "ノートpc", "ノートパソコン", "パソコン", "スマホ", "携帯", "端末", "タブレット", "社用携帯",
        "laptop", "notebook", "phone", "mobile", "tablet", "ipad", "macbook", "computer", "device", "smartphone",
        "work phone", "usb stick", "usb drive",
    ])
    /// "I lost the connection on my laptop" is a network question, not a lost device.
    private static let connection = PhraseCues([
        "연결", "인터넷", "와이파이", "신호", "接続", "ネット", "電波", "wi-fi", "wifi", "wi fi", "connection", "internet",
        "signal", "network", "sound", "audio",
    ])
    private static let leak = PhraseCues([
        "leak", "leaked", "leaking", "breach", "exposed", "유출", "漏えい", "漏洩", "流出",
        // Sent to the wrong person: a leak when what was sent is information ("customer data").
        "to the wrong person", "to the wrong recipient", "to the wrong address", "to the wrong customer",
        "잘못 보냈", "間違えて送",
    ])
    private static let information = PhraseCues([
        "정보", "데이터", "자료", "파일", "개인정보", "고객", "情報", "データ", "資料", "ファイル", "個人情報", "顧客",
        "data", "information", "info", "customer", "customers", "personal", "file", "files", "records",
    ])
    /// Phrases that need nothing else: a Korean or Japanese leak word is never about water.
    private static let leakPhrase = PhraseCues([
        "유출", "잘못 보냈", "잘못 전송", "漏えい", "漏洩", "情報流出", "誤送信", "間違えて送",
        "data leak", "data breach", "sent to the wrong", "wrong recipient", "emailed the wrong person",
    ])
}
