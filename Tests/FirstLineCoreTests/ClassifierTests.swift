import FirstLineCore
import Testing

/// Small hand-made helpdesk sets: four categories, five resolved tickets each, per language.
enum ClassifierFixtures {
    static let english: [(text: String, label: String)] = [
        ("the printer is jammed", "printer"),
        ("paper stuck in the printer", "printer"),
        ("cannot print anything from my laptop", "printer"),
        ("printer says out of toner", "printer"),
        ("print queue is stuck", "printer"),
        ("i forgot my password", "password"),
        ("reset my password please", "password"),
        ("my password expired this morning", "password"),
        ("account locked after typing the wrong password", "password"),
        ("how do i change my password", "password"),
        ("wifi keeps disconnecting", "network"),
        ("no internet connection at my desk", "network"),
        ("vpn won't connect from home", "network"),
        ("the network is very slow today", "network"),
        ("cannot join the wireless network", "network"),
        ("i am not receiving any emails", "email"),
        ("email won't send", "email"),
        ("attachment too large to send by email", "email"),
        ("my mailbox is full", "email"),
        ("too much spam in my inbox", "email"),
    ]

    static let korean: [(text: String, label: String)] = [
        ("프린터에 종이가 걸렸어요", "printer"),
        ("프린터 인쇄가 안 돼요", "printer"),
        ("프린터에서 용지 걸림이 떠요", "printer"),
        ("인쇄 대기열이 멈췄어요", "printer"),
        ("프린터 토너가 부족하대요", "printer"),
        ("비밀번호를 잊어버렸어요", "password"),
        ("비밀번호 재설정 하고 싶어요", "password"),
        ("비밀번호가 만료됐다고 나와요", "password"),
        ("비밀번호를 틀려서 계정이 잠겼어요", "password"),
        ("로그인 비밀번호 변경 방법 알려주세요", "password"),
        ("와이파이가 안 잡혀요", "network"),
        ("인터넷이 자꾸 끊겨요", "network"),
        ("와이파이 연결이 느려요", "network"),
        ("VPN 접속이 안 돼요", "network"),
        ("사내 네트워크 연결 오류가 나요", "network"),
        ("메일이 안 와요", "email"),
        ("메일 발송이 실패해요", "email"),
        ("첨부파일이 커서 메일이 안 보내져요", "email"),
        ("아웃룩 메일함이 꽉 찼어요", "email"),
        ("스팸 메일이 너무 많이 와요", "email"),
    ]

    static let japanese: [(text: String, label: String)] = [
        ("プリンターで紙詰まりが起きました", "printer"),
        ("印刷ができません", "printer"),
        ("プリンターのトナーが切れました", "printer"),
        ("印刷キューが止まっています", "printer"),
        ("プリンターがオフラインになっています", "printer"),
        ("パスワードを忘れました", "password"),
        ("パスワードをリセットしたいです", "password"),
        ("パスワードの有効期限が切れました", "password"),
        ("パスワードを間違えてアカウントがロックされました", "password"),
        ("ログインのパスワードを変更したい", "password"),
        ("Wi-Fiにつながりません", "network"),
        ("インターネットが頻繁に切れます", "network"),
        ("VPNに接続できません", "network"),
        ("ネットワークが遅いです", "network"),
        ("無線LANの接続が不安定です", "network"),
        ("メールが届きません", "email"),
        ("メールを送信できません", "email"),
        ("添付ファイルが大きすぎてメールが送れません", "email"),
        ("受信トレイがいっぱいです", "email"),
        ("迷惑メールが多すぎます", "email"),
    ]

    /// Paraphrases that are in no training set, with the category a person would pick.
    static let unseen: [(text: String, label: String)] = [
        ("paper jam in the printer on floor 3", "printer"),
        ("forgot the password for my account", "password"),
        ("the wifi connection drops all the time", "network"),
        ("my emails are not being sent", "email"),
        ("프린터 용지가 걸려서 인쇄가 안 돼요", "printer"),
        ("비밀번호 바꾸고 싶어요", "password"),
        ("와이파이 연결이 자꾸 끊어져요", "network"),
        ("메일 보내기가 안 돼요", "email"),
        ("プリンターの紙詰まりを直したい", "printer"),
        ("パスワードが分からなくなりました", "password"),
        ("Wi-Fiがすぐ切れます", "network"),
        ("メールが送れない", "email"),
    ]

    static var all: [(text: String, label: String)] { english + korean + japanese }
}

@Suite("TicketClassifier")
struct ClassifierTests {
    @Test("learns separable categories: every training ticket gets its own category back",
          arguments: ["en", "ko", "ja"])
    func learnsTrainingSet(_ language: String) throws {
        let examples = switch language {
        case "ko": ClassifierFixtures.korean
        case "ja": ClassifierFixtures.japanese
        default: ClassifierFixtures.english
        }
        let classifier = try TicketClassifier.train(examples: examples)
        #expect(classifier.labels == ["email", "network", "password", "printer"])
        for example in examples {
            #expect(classifier.predict(example.text).label == example.label, "\(example.text)")
        }
    }

    @Test("categorises unseen paraphrases in each language with one model trained on all three")
    func unseenParaphrases() throws {
        let classifier = try TicketClassifier.train(examples: ClassifierFixtures.all)
        for example in ClassifierFixtures.unseen {
            let prediction = classifier.predict(example.text)
            #expect(prediction.label == example.label, "\(example.text) → \(prediction.ranked)")
            #expect(prediction.knownFeatures > 0)
        }
    }

    @Test("categorises unseen paraphrases with a model trained on their language only")
    func unseenParaphrasesPerLanguage() throws {
        let sets = [ClassifierFixtures.english, ClassifierFixtures.korean, ClassifierFixtures.japanese]
        for (index, examples) in sets.enumerated() {
            let classifier = try TicketClassifier.train(examples: examples)
            for example in ClassifierFixtures.unseen[(index * 4)..<(index * 4 + 4)] {
                #expect(classifier.predict(example.text).label == example.label, "\(example.text)")
            }
        }
    }

    @Test("training is deterministic, and the same on one core as on several")
    func deterministic() throws {
        var sequential = TicketClassifier.Options()
        sequential.parallel = false
        let first = try TicketClassifier.train(examples: ClassifierFixtures.all)
        let second = try TicketClassifier.train(examples: ClassifierFixtures.all)
        let third = try TicketClassifier.train(examples: ClassifierFixtures.all, options: sequential)
        #expect(first.featureCount == second.featureCount && first.featureCount == third.featureCount)
        for example in ClassifierFixtures.unseen + ClassifierFixtures.english {
            let scores = first.scores(example.text).scores
            #expect(second.scores(example.text).scores == scores)
            #expect(third.scores(example.text).scores == scores)
        }
    }

    @Test("the ranking is best first, starts with the suggestion and has the requested length")
    func ranking() throws {
        let classifier = try TicketClassifier.train(examples: ClassifierFixtures.english)
        let prediction = classifier.predict("printer out of paper and toner", top: 3)
        #expect(prediction.ranked.count == 3)
        #expect(prediction.ranked.first?.label == prediction.label)
        #expect(prediction.ranked.first?.score == prediction.score)
        #expect(zip(prediction.ranked, prediction.ranked.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(prediction.margin == prediction.ranked[0].score - prediction.ranked[1].score)
        #expect(prediction.margin >= 0)
        #expect(classifier.predict("printer jam", top: 10).ranked.count == 4)
        #expect(classifier.predict("printer jam", top: 0).ranked.count == 1)
    }

    @Test("a training ticket scores clearly above the others")
    func confidentOnTrainingText() throws {
        let classifier = try TicketClassifier.train(examples: ClassifierFixtures.english)
        let prediction = classifier.predict("the printer is jammed")
        #expect(prediction.score > 0)
        #expect(prediction.margin > 0.5)
    }

    @Test("text that shares nothing with the training tickets is flagged as such")
    func nothingKnown() throws {
        let classifier = try TicketClassifier.train(examples: ClassifierFixtures.english)
        #expect(classifier.predict("?!").knownFeatures == 0)
        #expect(classifier.predict("").knownFeatures == 0)
        #expect(classifier.labels.contains(classifier.predict("").label))
    }

    @Test("no examples is an error; one category always wins")
    func degenerate() throws {
        #expect(throws: TicketClassifier.TrainingError.noExamples) {
            try TicketClassifier.train(examples: [])
        }
        let single = try TicketClassifier.train(examples: [("printer jam", "printer"), ("toner empty", "printer")])
        let prediction = single.predict("vpn is down")
        #expect(prediction.label == "printer")
        #expect(prediction.margin == .infinity)
        #expect(prediction.ranked.count == 1)
    }
}
