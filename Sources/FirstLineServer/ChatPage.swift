import FirstLineCore
import FirstLineStore
import Foundation
import Hummingbird

/// The web chat page (`GET /chat`): one self-contained HTML file, compiled into the binary so
/// that `firstline serve` works from any folder without a resources directory.
enum ChatPage {
    static func response(signedInAs person: Employee? = nil) -> Response {
        guard let person else { return page(html) }
        // Signed in through the company's sign-on: the person is named (escaped) instead of asked.
        let name = InlineMarkdown.escapeHTML(person.displayName)
        let email = person.email.map { " · " + InlineMarkdown.escapeHTML($0) } ?? ""
        return page(html.replacingOccurrences(of: profileBlock, with: #"<p id="signed-in">\#(name)\#(email)</p>"#))
    }

    /// The optional name and e-mail form of an anonymous page.
    static let profileBlock = #"""
    <details id="profile"><summary>이름·이메일 · 名前・メール · Name and e-mail (optional)</summary>
      <form id="profile-form">
        <input id="profile-name" maxlength="100" placeholder="이름 · 名前 · Name" autocomplete="name">
        <input id="profile-email" maxlength="254" type="email" placeholder="e-mail" autocomplete="email">
        <button type="submit">Save</button> <span id="profile-status"></span>
      </form>
    </details>
    """#

    /// A compiled-in HTML page, never cached (it changes with the binary). `SecurityHeadersMiddleware` adds
    /// the Content-Security-Policy (own script and style only), nosniff, the referrer policy and no framing.
    static func page(_ html: String) -> Response {
        asset(html, type: "text/html; charset=utf-8")
    }

    /// A compiled-in file of a page (its script or style sheet), never cached either.
    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>FirstLine helpdesk</title>
    <link rel="stylesheet" href="/chat/chat.css">
    </head>
    <body>
    <header><h1>IT Helpdesk · 헬프데스크 · ヘルプデスク</h1><span id="status"></span></header>
    \#(profileBlock)
    <main id="log" aria-live="polite"></main>
    <form id="form">
      <div>
        <textarea id="text" placeholder="무엇을 도와드릴까요? · お困りごとをどうぞ · How can we help?" maxlength="2000"></textarea>
        <button type="submit">Send</button>
      </div>
    </form>
    <script src="/chat/chat.js"></script>
    </body>
    </html>
    """#

    /// The page's style sheet, served at `/chat/chat.css` (no inline style: the CSP forbids it).
    static let style = #"""
      :root { --accent: #2f6fdf; --bg: #f4f6fa; --bot: #ffffff; --me: #dce8ff; }
      * { box-sizing: border-box; }
      body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Apple SD Gothic Neo", "Malgun Gothic",
             "Hiragino Sans", "Noto Sans CJK KR", "Noto Sans CJK JP", sans-serif; background: var(--bg); color: #1d2330; }
      header { background: var(--accent); color: #fff; padding: 12px 16px; display: flex; justify-content: space-between; align-items: center; }
      header h1 { font-size: 17px; margin: 0; }
      #signed-in { margin: 8px 16px; color: #4a5568; font-size: 13px; }
      #status { font-size: 13px; opacity: .9; }
      main { max-width: 760px; margin: 0 auto; padding: 16px 12px 96px; }
      .msg { margin: 10px 0; display: flex; }
      .msg .bubble { padding: 10px 14px; border-radius: 14px; max-width: 85%; white-space: pre-wrap; word-break: break-word;
                     box-shadow: 0 1px 2px rgba(0,0,0,.08); }
      .bot .bubble { background: var(--bot); border-top-left-radius: 4px; }
      .me { justify-content: flex-end; }
      .me .bubble { background: var(--me); border-top-right-radius: 4px; }
      .error .bubble { background: #ffe8e8; color: #8a1c1c; }
      .buttons { margin-top: 8px; display: flex; flex-wrap: wrap; gap: 6px; }
      .buttons button { border: 1px solid var(--accent); background: #fff; color: var(--accent); border-radius: 16px;
                        padding: 5px 12px; font: inherit; font-size: 14px; cursor: pointer; }
      .buttons button:hover { background: var(--accent); color: #fff; }
      .buttons button:disabled { opacity: .45; cursor: default; background: #fff; color: var(--accent); }
      form { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; border-top: 1px solid #d9dee8; padding: 12px; }
      form div { max-width: 760px; margin: 0 auto; display: flex; gap: 8px; }
      textarea { flex: 1; resize: none; height: 44px; padding: 10px; font: inherit; border: 1px solid #c4cbd8; border-radius: 8px; }
      form button { background: var(--accent); color: #fff; border: 0; border-radius: 8px; padding: 0 18px; font: inherit; cursor: pointer; }
    """#

    /// The page's script, served at `/chat/chat.js` (no inline script: the CSP forbids it).
    static let script = #"""
    const log = document.getElementById('log');
    const statusLabel = document.getElementById('status');
    // The session lives in an HttpOnly cookie that this script cannot read: the server issues it
    // (POST /api/v1/chat/sessions) and the browser sends it with every call to this origin.
    localStorage.removeItem('firstline.session');
    async function startSession() {
      const res = await fetch('/api/v1/chat/sessions', { method: 'POST', credentials: 'same-origin' });
      return res.ok;
    }

    // Labels of the buttons seen so far, so a press read back from the history shows its label.
    const labels = {};

    function disableOlderButtons() {
      log.querySelectorAll('.buttons button').forEach(x => x.disabled = true);
    }

    // `html` comes from the server already escaped (InlineMarkdown.html); anything else is text.
    function add(kind, text, buttons, html) {
      const row = document.createElement('div');
      row.className = 'msg ' + kind;
      const bubble = document.createElement('div');
      bubble.className = 'bubble';
      if (html) { const body = document.createElement('div'); body.innerHTML = html; bubble.appendChild(body); }
      else bubble.textContent = text;
      if (buttons && buttons.length) {
        disableOlderButtons();
        for (const b of buttons) labels[b.action] = b.label;
        const bar = document.createElement('div');
        bar.className = 'buttons';
        for (const b of buttons) {
          const button = document.createElement('button');
          button.type = 'button';
          button.textContent = b.label;
          button.onclick = () => { bar.querySelectorAll('button').forEach(x => x.disabled = true); send({ action: b.action }, b.label); };
          bar.appendChild(button);
        }
        bubble.appendChild(bar);
      }
      row.appendChild(bubble);
      log.appendChild(row);
      window.scrollTo(0, document.body.scrollHeight);
    }

    // The header says where the request stands in the reader's words, never the engine's state names.
    const uiLanguage = (navigator.language || 'en').slice(0, 2);
    const stateWords = {
      ko: { ticketOpen: '접수됨', withAgent: '담당자 응대 중', resolved: '해결됨' },
      ja: { ticketOpen: '受付済み', withAgent: '担当者が対応中', resolved: '解決済み' },
      en: { ticketOpen: 'received', withAgent: 'with an agent', resolved: 'resolved' },
    };
    function showStatus(data) {
      const word = (stateWords[uiLanguage] || stateWords.en)[data.state];
      statusLabel.textContent = data.ticket ? data.ticket + (word ? ' · ' + word : '') : '';
    }

    function showReplies(data) {
      for (const r of data.replies || []) add('bot', r.text, r.buttons, r.html);
      if ('state' in data) showStatus(data);
    }

    async function send(payload, echo) {
      // Whatever is said next makes the buttons above it stale.
      disableOlderButtons();
      add('me', echo);
      try {
        const post = () => fetch('/api/v1/chat/messages', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                                           credentials: 'same-origin', body: JSON.stringify(payload) });
        let res = await post();
        let data = await res.json();
        // The cookie expired, was never set, or is someone else's: start a session and say it again, once.
        const code = data.error && data.error.code;
        if ((code === 'unknown_session' || code === 'invalid_request') && 'text' in payload && await startSession()) {
          res = await post();
          data = await res.json();
        }
        if (!res.ok) { add('error', (data.error && data.error.message) || ('HTTP ' + res.status)); return; }
        showReplies(data);
      } catch (e) {
        add('error', 'The helpdesk is not reachable right now. Please try again.');
      }
    }

    // The conversation so far, when the page is opened again (the transcript is kept by the server).
    async function loadHistory() {
      try {
        const res = await fetch('/api/v1/chat/history', { credentials: 'same-origin' });
        if (res.status === 404 || res.status === 400) { await startSession(); return; }  // no session yet
        if (!res.ok) return;
        const data = await res.json();
        for (const line of data.messages || []) {
          if (line.author === 'employee') {
            const pressed = /^\[(.+)\]$/.exec(line.text);
            add('me', pressed && labels[pressed[1]] ? labels[pressed[1]] : line.text);
          } else {
            add('bot', line.text, line.buttons, line.html);
          }
        }
        showStatus(data);
      } catch (e) { /* offline: the page still works for new messages */ }
    }
    loadHistory();

    const profileForm = document.getElementById('profile-form');
    if (profileForm) profileForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const label = document.getElementById('profile-status');
      const body = { name: document.getElementById('profile-name').value,
                     email: document.getElementById('profile-email').value };
      try {
        const res = await fetch('/api/v1/chat/profile', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                                         credentials: 'same-origin', body: JSON.stringify(body) });
        const data = await res.json();
        label.textContent = res.ok ? '✓' : (res.status === 404 ? 'Send a message first · 먼저 메시지를 보내 주세요 · 先にメッセージを送ってください'
                                                                 : ((data.error && data.error.message) || ('HTTP ' + res.status)));
      } catch (e) { label.textContent = 'offline'; }
    });

    async function poll() {
      try {
        const res = await fetch('/api/v1/chat/messages', { credentials: 'same-origin' });
        if (res.ok) showReplies(await res.json());
      } catch (e) { /* offline: try again on the next tick */ }
    }
    setInterval(poll, 4000);

    document.getElementById('form').addEventListener('submit', (event) => {
      event.preventDefault();
      const box = document.getElementById('text');
      const text = box.value.trim();
      if (!text) return;
      box.value = '';
      send({ text }, text);
    });
    document.getElementById('text').addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        document.getElementById('form').requestSubmit();
      }
    });
    """#
}
