/// Everything the bot says on its own, in Korean (해요체), Japanese (です・ます) and English.
///
/// Intent replies are authored in `Intents/*.yml`; these are the texts of the dialogue itself:
/// prompts, confirmations, ticket notices and button labels. Each text is written out in all
/// three languages side by side, so a missing translation is a compile error, not a blank reply.
public struct DialogueStrings: Sendable, Equatable {
    public let language: Language

    public init(_ language: Language) {
        self.language = language
    }

    func pick(_ ko: String, _ ja: String, _ en: String) -> String {
        switch language {
        case .ko: ko
        case .ja: ja
        case .en: en
        }
    }

    // MARK: Buttons

    /// The label of a button; `choose` buttons are labelled with their article's title instead.
    public func label(for action: ButtonAction) -> String {
        switch action {
        case .solved: pick("해결됐어요", "解決しました", "Solved")
        case .stillBroken: pick("아직 안 돼요", "まだ解決しません", "Still broken")
        case .choose: pick("이거예요", "これです", "This one")
        case .talkToPerson: pick("담당자와 이야기하기", "担当者と話す", "Talk to a person")
        case .backToBot: pick("봇으로 돌아가기", "ボットに戻る", "Back to the bot")
        case .blocksWork(true): pick("네, 업무를 못 하고 있어요", "はい、業務が止まっています", "Yes, it blocks my work")
        case .blocksWork(false): pick("아니요", "いいえ", "No")
        case let .rate(stars): pick("\(stars)점", "\(stars)点", stars == 1 ? "1 star" : "\(stars) stars")
        case .reopen: pick("다시 열기", "再オープン", "Reopen")
        case .separateProblem: pick("새 문제예요", "別の問題です", "It's a new problem")
        case .addToTicket: pick("기존 티켓에 추가", "今のチケットに追加", "Add it to my ticket")
        case .somethingElse: pick("다른 문제예요", "別の問題です", "This is something else")
        }
    }

    public func button(_ action: ButtonAction) -> ReplyButton {
        ReplyButton(action: action, label: label(for: action))
    }

    // MARK: Conversation

    public var emptyMessage: String {
        pick("궁금한 점이나 겪고 계신 문제를 입력해 주세요.",
             "ご質問やお困りのことを入力してください。",
             "Please type your question.")
    }

    public var staleButton: String {
        pick("이 버튼은 이제 사용할 수 없어요. 도움이 필요하면 내용을 입력해 주세요.",
             "このボタンは現在ご利用いただけません。ご用件があれば入力してください。",
             "That button no longer applies. Please type your question if you need help.")
    }

    /// Asked under an article's steps, next to the Solved / Still broken buttons.
    public var didThisHelp: String {
        pick("이 방법으로 해결되셨나요?", "この方法で解決しましたか？", "Did this fix it?")
    }

    /// Leads into the next-best article after "Still broken".
    public var tryAnother: String {
        pick("도움이 되지 못해 죄송해요. 이 방법도 한번 해 보세요.",
             "お役に立てず申し訳ありません。こちらの方法もお試しください。",
             "Sorry that didn't help. Let's try this instead.")
    }

    public var whichOne: String {
        pick("어떤 내용이 가장 가까운가요?",
             "どれがいちばん近いですか？",
             "Which of these is closest to your problem?")
    }

    public var askToRephrase: String {
        pick("질문을 잘 이해하지 못했어요. 어떤 기기나 프로그램에서 어떤 문제가 생겼는지 조금 더 자세히 적어 주시겠어요?",
             "うまく理解できませんでした。どの機器やソフトで何が起きているか、もう少し詳しく教えていただけますか？",
             "I'm not sure I understood. Could you say it another way, for example which device or app and what happens?")
    }

    public var offerPerson: String {
        pick("죄송해요, 알맞은 답을 찾지 못했어요. 담당자에게 연결해 드릴까요?",
             "申し訳ありません、該当する回答が見つかりませんでした。担当者におつなぎしましょうか？",
             "Sorry, I couldn't find an answer to that. Would you like me to connect you to a person?")
    }

    public var solved: String {
        pick("해결됐다니 다행이에요! 다른 문제가 생기면 언제든 말씀해 주세요.",
             "解決してよかったです！ほかにもお困りのことがあれば、いつでもどうぞ。",
             "Great, glad that fixed it! Let me know if anything else comes up.")
    }

    // MARK: Escalation

    /// Said when the conversation is handed over, before the questions a ticket needs.
    public func willConnect(_ reason: EscalationReason) -> String {
        switch reason {
        case .stillBroken: pick("도움이 되지 못해 죄송해요. 담당자에게 연결해 드릴게요.",
                                "お役に立てず申し訳ありません。担当者におつなぎします。",
                                "Sorry that didn't help. I'll get a person from IT on it.")
        case .urgent, .security: pick("긴급 건으로 바로 담당자에게 연결할게요.",
                           "緊急の案件として、すぐに担当者におつなぎします。",
                           "I'm flagging this as urgent and getting a person on it right away.")
        case .noMatch, .askedForPerson, .request: pick("알겠어요. 담당자에게 연결해 드릴게요.",
                                                      "承知しました。担当者におつなぎします。",
                                                      "Sure, I'll connect you to a person from IT.")
        }
    }

    public var askDescription: String {
        pick("담당자에게 전달할 수 있도록 어떤 문제인지 한 줄로 적어 주시겠어요?",
             "担当者にお伝えするため、どのような問題か一行で教えていただけますか？",
             "So I can pass this on, could you describe the problem in one line?")
    }

    public var askBlocksWork: String {
        pick("이 문제 때문에 지금 업무를 못 하고 계신가요?",
             "この問題のために、今、業務が止まっていますか？",
             "Is this stopping you from working right now?")
    }

    /// Said before asking "does it block your work?" again after a message that did not answer it.
    public var addedToDescription: String {
        pick("말씀하신 내용은 설명에 덧붙였어요.", "いただいた内容は説明に追加しました。", "I've added that to the description.")
    }

    /// Said when the ticket is filed after the blocks-work question went unanswered twice.
    public var filedAsNotBlocking: String {
        pick("그 내용도 덧붙여서 업무에 지장이 없는 건으로 접수할게요. 급하면 언제든 '급해요'라고 말씀해 주세요.",
             "その内容も追加し、業務に支障のない案件として受け付けます。急ぎの場合はいつでも「急ぎです」とお伝えください。",
             "I've added that too and filed it as not blocking your work. If it becomes urgent, just say \"urgent\".")
    }

    /// `due` comes from `DueTimeWording` in the same language.
    public func ticketCreated(number: String, due: String, urgent: Bool) -> String {
        let filed = urgent
            ? pick("긴급 건으로 티켓을 접수했어요 (티켓 번호: \(number)).",
                   "緊急の案件としてチケットを受け付けました（チケット番号：\(number)）。",
                   "I've filed this as an urgent ticket, \(number).")
            : pick("티켓을 접수했어요 (티켓 번호: \(number)).",
                   "チケットを受け付けました（チケット番号：\(number)）。",
                   "I've filed ticket \(number) for you.")
        return filed + " " + firstResponse(due: due) + " " + pick(
            "이 대화에 남기시는 내용은 티켓에 함께 기록돼요.",
            "このチャットに書き込んだ内容はチケットに追記されます。",
            "Anything you write here is added to the ticket.")
    }

    /// A filed service request. With an approval it says who decides: the manager by name, or,
    /// when the directory names no manager, an IT agent.
    public func requestFiled(number: String, due: String, needsApproval: Bool, manager: String? = nil) -> String {
        let filed = pick("요청을 접수했어요 (티켓 번호: \(number)).",
                         "申請を受け付けました（チケット番号：\(number)）。",
                         "I've filed your request as ticket \(number).")
        guard needsApproval else { return filed + " " + firstResponse(due: due) }
        guard let manager else {
            return filed + " " + pick(
                "등록된 팀장 정보가 없어 IT 담당자가 승인 여부를 결정할 거예요. 결정되면 알려 드릴게요.",
                "上長の情報が登録されていないため、承認はITの担当者が判断します。決まり次第お知らせします。",
                "No manager is on record for you, so an IT agent will decide on the approval; I'll tell you when they have.")
        }
        return filed + " " + pick(
            "팀장님(\(manager))께 승인 요청을 보냈고, 승인되면 바로 진행할게요.",
            "上長の\(manager)さんに承認依頼をお送りしました。承認され次第、対応を進めます。",
            "It has been sent to your manager, \(manager), for approval, and IT will go ahead once it's approved.")
    }

    private func firstResponse(due: String) -> String {
        pick("담당자가 \(due) 첫 답변을 드릴 거예요.",
             "担当者から\(due)にご連絡します。",
             "An agent will get back to you \(due).")
    }

    // MARK: Open tickets

    /// The short acknowledgement of a message added to the open ticket: the employee knows it was
    /// not lost and that a person will read it.
    /// A security emergency was filed at once; `number` is the new ticket's, `due` when the
    /// security team answers (from `DueTimeWording`).
    public func securityTicketCreated(number: String, due: String) -> String {
        pick("보안 사고일 수 있어 바로 보안 담당자에게 긴급 티켓(\(number))으로 전달했어요. \(firstResponse(due: due)) 기다리시는 동안 아래 조치를 먼저 해 주세요.",
             "セキュリティ事故の可能性があるため、すぐにセキュリティ担当へ緊急チケット（\(number)）としてお伝えしました。\(firstResponse(due: due)) お待ちいただく間に、まず次の対応をしてください。",
             "This may be a security incident, so I've sent it straight to the security team as urgent ticket \(number). \(firstResponse(due: due)) While you wait, please do these steps now.")
    }

    /// Shown under an urgent ticket when an article may help before the agent arrives.
    public var whileYouWait: String {
        pick("담당자를 기다리시는 동안 이 방법으로 해결될 수도 있어요:",
             "担当者をお待ちいただく間、次の方法で解決することもあります：",
             "While you wait, this may already fix it:")
    }

    /// An urgency message on an open ticket raised its priority.
    public func priorityRaised(number: String, priority: TicketPriority) -> String {
        pick("\(number) 티켓을 긴급(\(priority.rawValue))으로 올리고 담당자에게 알렸어요.",
             "チケット\(number)の優先度を緊急（\(priority.rawValue)）に上げ、担当者に伝えました。",
             "I've raised ticket \(number) to urgent (\(priority.rawValue)) and told the IT team.")
    }

    /// An urgency message on a ticket that already has the highest priority.
    public func alreadyHighestPriority(number: String) -> String {
        pick("\(number) 티켓은 이미 가장 높은 우선순위예요. 말씀하신 내용은 담당자에게 전달했어요.",
             "チケット\(number)はすでに最優先です。いただいた内容は担当者に伝えました。",
             "Ticket \(number) already has the highest priority; I've passed your message on to the IT team.")
    }

    /// A message while a ticket is open that looks like another problem.
    public func newProblemOrSame(number: String) -> String {
        pick("\(number) 티켓과는 다른 문제 같아요. 새 문제로 따로 도와드릴까요, 아니면 \(number) 티켓에 추가할까요?",
             "チケット\(number)とは別の問題のようです。別の問題として対応しましょうか、それとも\(number)に追加しましょうか？",
             "This sounds like a different problem from ticket \(number). Shall I help with it separately, or add it to \(number)?")
    }

    public func addedToTicket(number: String) -> String {
        pick("\(number) 티켓에 추가했어요. 담당자에게 전달돼요.",
             "チケット\(number)に追記しました。担当者に伝わります。",
             "Added to ticket \(number); the IT team will see it.")
    }

    public func backToBot(number: String) -> String {
        pick("알겠어요. \(number) 티켓은 그대로 열려 있고 담당자가 계속 처리할 거예요. 다른 궁금한 점이 있으면 말씀해 주세요.",
             "承知しました。チケット\(number)は開いたままで、担当者が引き続き対応します。ほかにご用件があればどうぞ。",
             "OK, I'm back. Ticket \(number) stays open and the IT team is still on it. What else can I help you with?")
    }

    /// Small talk while a ticket is open: the ticket is still being worked on.
    public func stillWithAgent(number: String) -> String {
        pick("\(number) 티켓은 담당자가 계속 처리하고 있어요.",
             "チケット\(number)は引き続き担当者が対応しています。",
             "Ticket \(number) is still with the IT team.")
    }

    /// Asked for the status while the bot is still collecting what the ticket needs.
    public var requestNotFiledYet: String {
        pick("이 요청은 아직 접수 전이에요. 아래 질문에 답해 주시면 바로 티켓을 만들어 드릴게요.",
             "このご依頼はまだ受付前です。下の質問にお答えいただければ、すぐにチケットを作成します。",
             "This request isn't filed yet. Answer the question below and I'll open the ticket right away.")
    }

    public var noOpenTickets: String {
        pick("지금 진행 중인 티켓이 없어요.",
             "現在対応中のチケットはありません。",
             "You have no open tickets.")
    }

    public var openTicketsHeader: String {
        pick("진행 중인 티켓이에요.", "対応中のチケットです。", "Your open tickets:")
    }

    /// One line of the status list; `due` is the first-response phrase, if there is one.
    public func ticketLine(number: String, subject: String, status: TicketStatus, due: String?) -> String {
        var line = "• \(number) · \(subject) · \(statusName(status))"
        if let due {
            line += " · " + pick("첫 답변 \(due)", "初回回答 \(due)", "first response \(due)")
        }
        return line
    }

    /// A ticket status in words.
    public func statusName(_ status: TicketStatus) -> String {
        switch status {
        case .new: pick("접수됨", "受付済み", "new")
        case .open: pick("처리 중", "対応中", "in progress")
        case .waiting: pick("회신 대기 중", "ご返信待ち", "waiting for your reply")
        case .resolved: pick("해결됨", "解決済み", "resolved")
        case .closed: pick("종료됨", "完了", "closed")
        }
    }

    // MARK: Agents and ratings

    /// An agent's message as relayed to the employee; the agent's name is not translated.
    public func agentSays(agent: String, text: String) -> String {
        "\(agent): \(text)"
    }

    public func askRating(number: String) -> String {
        pick("\(number) 티켓이 해결 처리됐어요. 이번 지원은 어떠셨나요? 1~5점으로 평가해 주세요. 아직 해결되지 않았다면 '다시 열기'를 눌러 주세요.",
             "チケット\(number)が解決済みになりました。今回の対応はいかがでしたか？1〜5点で評価してください。まだ解決していない場合は「再オープン」を押してください。",
             "Ticket \(number) has been resolved. How did we do? Please rate us from 1 to 5 stars, or press Reopen if it isn't fixed.")
    }

    public var ratingThanks: String {
        pick("평가해 주셔서 감사해요! 또 도움이 필요하면 언제든 말씀해 주세요.",
             "ご評価ありがとうございます！またお困りのことがあれば、いつでもどうぞ。",
             "Thanks for your rating! I'm here whenever you need help again.")
    }

    public func reopened(number: String) -> String {
        pick("\(number) 티켓을 다시 열었어요. 아직 안 되는 부분을 적어 주시면 담당자에게 전달할게요.",
             "チケット\(number)を再オープンしました。まだ解決していない点を書き込んでいただければ、担当者にお伝えします。",
             "I've reopened ticket \(number). Tell me what's still wrong and I'll pass it on to the agent.")
    }

    /// A Reopen pressed after the reopen window (or on a closed ticket).
    public func reopenTooLate(number: String, days: Int) -> String {
        pick("\(number) 티켓은 해결된 지 \(days)일이 지나 다시 열 수 없어요. "
                + "문제가 계속되면 내용을 입력해 새 요청을 남겨 주세요.",
             "チケット\(number)は解決から\(days)日以上経過したため、再オープンできません。"
                + "問題が続く場合は、内容を入力して新しくお問い合わせください。",
             "Ticket \(number) was resolved more than \(days) days ago and can no longer be reopened. "
                + "If the problem is back, describe it and I'll open a new request.")
    }

    /// A message that is not an IT matter; `desk` and `reach` name who handles it, when configured.
    public func notForIT(desk: String?, reach: String?) -> String {
        guard let desk else {
            return pick("이 내용은 IT 헬프데스크에서 다루는 일이 아니라서 여기서는 도와드리기 어려워요. "
                            + "IT 문제라면 조금 더 자세히 적어 주시거나 담당자와 이야기해 주세요.",
                        "こちらはITヘルプデスクで扱う内容ではないため、ここではお答えできません。"
                            + "ITの問題でしたら、もう少し詳しく書いていただくか、担当者にご相談ください。",
                        "That isn't something the IT helpdesk handles, so I can't help with it here. "
                            + "If it is an IT problem after all, tell me a bit more or talk to a person.")
        }
        let contact = reach.map { pick(" (\($0))", "（\($0)）", " (\($0))") } ?? ""
        return pick("이 내용은 IT가 아니라 \(desk)에서 담당해요\(contact). IT 문제라면 조금 더 자세히 적어 주세요.",
                    "こちらはITではなく\(desk)の担当です\(contact)。ITの問題でしたら、もう少し詳しく書いてください。",
                    "That's handled by \(desk), not IT\(contact). If it is an IT problem after all, tell me a bit more.")
    }

    // MARK: Intents without a reply in this language

    /// What to say for an intent whose YAML has no reply in this language.
    public func intentFallback(_ action: IntentAction?) -> String {
        switch action {
        case .greet: pick("안녕하세요! 어떤 문제가 있으신지 편하게 적어 주세요.",
                          "こんにちは！お困りのことを気軽に入力してください。",
                          "Hi! Tell me what's going on and I'll help you sort it out.")
        case .thanks: pick("천만에요! 다른 문제가 있으면 언제든 말씀해 주세요.",
                           "どういたしまして！ほかにもお困りのことがあれば、いつでもどうぞ。",
                           "You're welcome! Let me know if anything else comes up.")
        case .bye: pick("좋은 하루 보내세요!", "良い一日をお過ごしください。", "Bye! Have a good day.")
        case .cancel: pick("알겠어요, 취소했어요. 다른 도움이 필요하면 말씀해 주세요.",
                           "キャンセルしました。ほかにお手伝いできることがあればお知らせください。",
                           "OK, cancelled. What else can I help you with?")
        case .feedbackYes: solved
        default: pick("알겠어요.", "承知しました。", "OK.")
        }
    }
}
