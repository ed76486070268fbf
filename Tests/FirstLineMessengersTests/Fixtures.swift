import FirstLineCore
// Recorded-shape webhook payloads, embedded as string literals because this target has no
// resources. Bodies are exact bytes: signatures are computed over them as written.

enum Fixtures {
    // MARK: Slack

    /// messengers.md §8, the "our vector" body (183 bytes).
    static let slackVectorBody = #"{"type":"event_callback","event_id":"Ev01TEST","event":{"type":"message","channel_type":"im","channel":"D01TEST","user":"U01TEST","text":"VPN이 안 돼요","ts":"1700000000.000100"}}"#

    /// The same event re-serialised by Python `json.dumps` (spaces, \u escapes): must not verify.
    static let slackVectorReserialised = #"{"type": "event_callback", "event_id": "Ev01TEST", "event": {"type": "message", "channel_type": "im", "channel": "D01TEST", "user": "U01TEST", "text": "VPN\uc774 \uc548 \ub3fc\uc694", "ts": "1700000000.000100"}}"#

    /// python-slack-sdk's official vector body (a slash command form).
    static let slackOfficialBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"

    static let slackDirectMessage = #"""
    {"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","team_id":"T01TEAM","api_app_id":"A01APP","event":{"client_msg_id":"5f9c1f1e-7a45-4b2e-9a0c-2b1e6a1d0c11","type":"message","text":"VPN이 안 돼요","user":"U01TEST","ts":"1700000000.000100","blocks":[{"type":"rich_text","block_id":"x1","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"VPN이 안 돼요"}]}]}],"team":"T01TEAM","channel":"D01TEST","event_ts":"1700000000.000100","channel_type":"im","user_profile":{"display_name":"minji","real_name":"Kim Minji"}},"type":"event_callback","event_id":"Ev01TEST","event_time":1700000000,"authorizations":[{"enterprise_id":null,"team_id":"T01TEAM","user_id":"U0BOT","is_bot":true,"is_enterprise_install":false}],"is_ext_shared_channel":false,"event_context":"4-eyJldCI6Im1lc3NhZ2UifQ"}
    """#

    static let slackAppMention = #"""
    {"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","team_id":"T01TEAM","api_app_id":"A01APP","event":{"type":"app_mention","user":"U02EMP","text":"<@U0BOT> プリンタが動かない","ts":"1700000100.000200","team":"T01TEAM","channel":"C01HELP","event_ts":"1700000100.000200"},"type":"event_callback","event_id":"Ev02MENTION","event_time":1700000100}
    """#

    static let slackThreadMention = #"""
    {"type":"event_callback","team_id":"T01TEAM","event_id":"Ev03THREAD","event_time":1700000200,"event":{"type":"app_mention","user":"U02EMP","text":"<@U0BOT> still broken","ts":"1700000200.000300","thread_ts":"1700000100.000200","channel":"C01HELP","event_ts":"1700000200.000300"}}
    """#

    /// The same mention delivered as message.channels: ignored (answered via app_mention).
    static let slackChannelMessage = #"""
    {"type":"event_callback","team_id":"T01TEAM","event_id":"Ev04CHANNEL","event_time":1700000100,"event":{"type":"message","user":"U02EMP","text":"<@U0BOT> プリンタが動かない","ts":"1700000100.000200","channel":"C01HELP","event_ts":"1700000100.000200","channel_type":"channel"}}
    """#

    /// The bot's own reply echoed back in the DM.
    static let slackBotMessage = #"""
    {"type":"event_callback","team_id":"T01TEAM","event_id":"Ev05BOT","event_time":1700000001,"event":{"type":"message","subtype":"bot_message","text":"Try restarting the VPN client.","ts":"1700000001.000200","bot_id":"B01BOT","app_id":"A01APP","channel":"D01TEST","event_ts":"1700000001.000200","channel_type":"im"}}
    """#

    /// A message from the bot user without `bot_id` (some app setups post as the bot user).
    static let slackOwnUserMessage = #"""
    {"type":"event_callback","team_id":"T01TEAM","event_id":"Ev06OWN","event_time":1700000002,"event":{"type":"message","user":"U0BOT","text":"Did this solve it?","ts":"1700000002.000200","channel":"D01TEST","event_ts":"1700000002.000200","channel_type":"im"}}
    """#

    static let slackMessageChanged = #"""
    {"type":"event_callback","team_id":"T01TEAM","event_id":"Ev07EDIT","event_time":1700000003,"event":{"type":"message","subtype":"message_changed","message":{"type":"message","user":"U01TEST","text":"VPN이 안 돼요!!","ts":"1700000000.000100"},"channel":"D01TEST","hidden":true,"ts":"1700000003.000100","event_ts":"1700000003.000100","channel_type":"im"}}
    """#

    static let slackBotJoined = #"""
    {"type":"event_callback","team_id":"T01TEAM","event_id":"Ev08JOIN","event_time":1700000300,"event":{"type":"member_joined_channel","user":"U0BOT","channel":"C01HELP","channel_type":"C","team":"T01TEAM","inviter":"U02EMP","event_ts":"1700000300.000100"}}
    """#

    static let slackURLVerification = #"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#

    static let slackBlockActions = #"""
    {"type":"block_actions","user":{"id":"U01TEST","username":"minji","name":"minji","team_id":"T01TEAM"},"api_app_id":"A01APP","token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","container":{"type":"message","message_ts":"1700000001.000200","channel_id":"D01TEST","is_ephemeral":false},"trigger_id":"6204512345.1234567890.abcdef","team":{"id":"T01TEAM","domain":"acme"},"enterprise":null,"is_enterprise_install":false,"channel":{"id":"D01TEST","name":"directmessage"},"message":{"bot_id":"B01BOT","type":"message","text":"Try restarting the VPN client.","user":"U0BOT","ts":"1700000001.000200"},"state":{"values":{}},"response_url":"https:\/\/hooks.slack.com\/actions\/T01TEAM\/123\/abc","actions":[{"action_id":"firstline-0","block_id":"firstline-actions","text":{"type":"plain_text","text":"Solved","emoji":true},"value":"solved:vpn-reset","type":"button","action_ts":"1700000060.123456"}]}
    """#

    static let slackThreadBlockActions = #"""
    {"type":"block_actions","user":{"id":"U02EMP","username":"ken","name":"ken"},"container":{"type":"message","message_ts":"1700000101.000100","channel_id":"C01HELP","is_ephemeral":false,"thread_ts":"1700000100.000200"},"trigger_id":"1.2.3","channel":{"id":"C01HELP","name":"helpdesk"},"message":{"type":"message","ts":"1700000101.000100","thread_ts":"1700000100.000200"},"actions":[{"action_id":"firstline-2","block_id":"firstline-actions","value":"human","type":"button","action_ts":"1700000160.000001"}]}
    """#

    // MARK: Telegram

    static let telegramText = #"""
    {"update_id":100000001,"message":{"message_id":5,"date":1700000000,"chat":{"id":123456,"first_name":"Ken","last_name":"Sato","type":"private"},"from":{"id":123456,"is_bot":false,"first_name":"Ken","last_name":"Sato","language_code":"ja"},"text":"プリンタが動かない"}}
    """#

    static let telegramStart = #"""
    {"update_id":100000000,"message":{"message_id":1,"date":1699999990,"chat":{"id":123456,"type":"private"},"from":{"id":123456,"is_bot":false,"first_name":"Ken"},"text":"/start","entities":[{"offset":0,"length":6,"type":"bot_command"}]}}
    """#

    static let telegramCallback = #"""
    {"update_id":100000002,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":123456,"is_bot":false,"first_name":"Ken","language_code":"ja"},"message":{"message_id":6,"from":{"id":7000000001,"is_bot":true,"first_name":"FirstLine","username":"firstline_bot"},"chat":{"id":123456,"type":"private"},"date":1700000001,"text":"解決しましたか?","reply_markup":{"inline_keyboard":[[{"text":"解決","callback_data":"solved:printer-jam"}]]}},"chat_instance":"-1234567890123456789","data":"solved:printer-jam"}}
    """#

    static let telegramBotMessage = #"""
    {"update_id":100000003,"message":{"message_id":7,"date":1700000002,"chat":{"id":-1001234567890,"title":"IT help","type":"supergroup"},"from":{"id":7000000002,"is_bot":true,"first_name":"OtherBot"},"text":"I am a bot"}}
    """#

    static let telegramAddedToGroup = #"""
    {"update_id":100000004,"my_chat_member":{"chat":{"id":-1001234567890,"title":"IT help","type":"supergroup"},"from":{"id":123456,"is_bot":false,"first_name":"Ken"},"date":1700000003,"old_chat_member":{"user":{"id":7000000001,"is_bot":true,"first_name":"FirstLine"},"status":"left"},"new_chat_member":{"user":{"id":7000000001,"is_bot":true,"first_name":"FirstLine"},"status":"member"}}}
    """#

    static let telegramEdited = #"""
    {"update_id":100000005,"edited_message":{"message_id":5,"date":1700000000,"edit_date":1700000010,"chat":{"id":123456,"type":"private"},"from":{"id":123456,"is_bot":false,"first_name":"Ken"},"text":"プリンタが動かないです"}}
    """#

    // MARK: LINE

    /// messengers.md §8, the "our vector" body (359 bytes).
    static let lineVectorBody = #"{"destination":"U00000000000000000000000000000000","events":[{"type":"message","message":{"type":"text","id":"1","text":"パスワードを忘れました"},"webhookEventId":"01HTEST","deliveryContext":{"isRedelivery":false},"timestamp":1700000000000,"source":{"type":"user","userId":"U11111111111111111111111111111111"},"replyToken":"rt-1","mode":"active"}]}"#

    static let linePostback = #"""
    {"destination":"U00000000000000000000000000000000","events":[{"type":"postback","postback":{"data":"broken:password-reset"},"webhookEventId":"01HTESTPOSTBACK0000000000","deliveryContext":{"isRedelivery":false},"timestamp":1700000030000,"source":{"type":"user","userId":"U11111111111111111111111111111111"},"replyToken":"rt-2","mode":"active"}]}
    """#

    static let lineFollow = #"""
    {"destination":"U00000000000000000000000000000000","events":[{"type":"follow","follow":{"isUnblocked":false},"webhookEventId":"01HTESTFOLLOW000000000000","deliveryContext":{"isRedelivery":false},"timestamp":1699999990000,"source":{"type":"user","userId":"U11111111111111111111111111111111"},"replyToken":"rt-0","mode":"active"}]}
    """#

    static let lineRedelivered = #"""
    {"destination":"U00000000000000000000000000000000","events":[{"type":"message","message":{"type":"text","id":"1","text":"パスワードを忘れました"},"webhookEventId":"01HTEST","deliveryContext":{"isRedelivery":true},"timestamp":1700000000000,"source":{"type":"user","userId":"U11111111111111111111111111111111"},"replyToken":"rt-1","mode":"active"}]}
    """#

    static let lineGroupAndSticker = #"""
    {"destination":"U00000000000000000000000000000000","events":[{"type":"message","message":{"type":"text","id":"2","text":"와이파이 비밀번호 알려주세요","quoteToken":"q2"},"webhookEventId":"01HTESTGROUP0000000000000","deliveryContext":{"isRedelivery":false},"timestamp":1700000040000,"source":{"type":"group","groupId":"C22222222222222222222222222222222","userId":"U33333333333333333333333333333333"},"replyToken":"rt-3","mode":"active"},{"type":"message","message":{"type":"sticker","id":"3","packageId":"446","stickerId":"1988","stickerResourceType":"STATIC"},"webhookEventId":"01HTESTSTICKER00000000000","deliveryContext":{"isRedelivery":false},"timestamp":1700000041000,"source":{"type":"user","userId":"U11111111111111111111111111111111"},"replyToken":"rt-4","mode":"active"}]}
    """#

    static let lineVerify = #"{"destination":"U00000000000000000000000000000000","events":[]}"#

    // MARK: LINE WORKS

    /// messengers.md §8, the "our vector" body (158 bytes).
    static let lineWorksVectorBody = #"{"type":"message","source":{"userId":"u-1","domainId":1},"issuedTime":"2024-01-01T00:00:00.000Z","content":{"type":"text","text":"経費精算の方法は?"}}"#

    static let lineWorksButtonTap = #"""
    {"type":"message","source":{"userId":"c72af563-4b5b-4c8e-b0a4-0f2a1e5f3a11","domainId":40029600},"issuedTime":"2024-01-04T05:16:05.716Z","content":{"type":"text","text":"解決した","postback":"solved:expense-claims"}}
    """#

    static let lineWorksPostback = #"""
    {"type":"postback","source":{"userId":"c72af563-4b5b-4c8e-b0a4-0f2a1e5f3a11","domainId":40029600},"issuedTime":"2024-01-04T05:16:06.716Z","data":"human"}
    """#

    static let lineWorksChannelText = #"""
    {"type":"message","source":{"userId":"c72af563-4b5b-4c8e-b0a4-0f2a1e5f3a11","channelId":"ch-8f2b1e","domainId":40029600},"issuedTime":"2024-01-04T05:17:00.000Z","content":{"type":"text","text":"프린터 드라이버 설치"}}
    """#

    static let lineWorksJoined = #"""
    {"type":"joined","source":{"channelId":"ch-8f2b1e","domainId":40029600},"issuedTime":"2024-01-04T05:15:00.000Z","members":["c72af563-4b5b-4c8e-b0a4-0f2a1e5f3a11"]}
    """#

    static let lineWorksImage = #"""
    {"type":"message","source":{"userId":"u-1","domainId":1},"issuedTime":"2024-01-01T00:00:10.000Z","content":{"type":"image","fileId":"jp1.1628695315008671000.1628781715.0.1000001.0.0.0"}}
    """#
}
