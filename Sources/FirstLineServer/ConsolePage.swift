import FirstLineCore
import Hummingbird

/// The agents' console (`GET /console`, design §6 "Console pages under /console"): one
/// self-contained page over the agent API. The token is pasted once and kept in the tab's
/// session storage only; every action is an `/api/v1` call with it, so the page has no powers
/// the API does not give that token. All text from tickets is inserted as text, never as HTML.
enum ConsolePage {
    static func response() -> Response {
        // The page talks only to this server; nothing else may be loaded, and it may not be framed
        // (the policy is `SecurityHeadersMiddleware`'s, the same for every page).
        ChatPage.page(html)
    }

    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>FirstLine console</title>
    <link rel="stylesheet" href="/console/console.css">
    </head>
    <body>
    <header>
      <h1>FirstLine console</h1>
      <input id="token" type="password" placeholder="API token (Authorization: Bearer …)" autocomplete="off">
      <button id="signin">Sign in</button>
      <span id="me"></span>
      <label><input id="online" type="checkbox" checked> available</label>
      <span id="error"></span>
    </header>
    <div id="layout">
      <section>
        <div class="filters">
          <select id="filter">
            <option value="status=new,open,waiting">Open tickets</option>
            <option value="status=new,open,waiting&amp;assignee=@me">Mine</option>
            <option value="sla=at_risk">SLA at risk</option>
            <option value="sla=breached">SLA breached</option>
            <option value="status=resolved,closed">Resolved and closed</option>
          </select>
          <button id="refresh">Refresh</button>
        </div>
        <table><thead><tr><th>Ticket</th><th>Subject</th><th>Status</th><th>Assignee</th><th>SLA</th></tr></thead>
        <tbody id="queue"></tbody></table>
      </section>
      <section id="detail"><p>Select a ticket.</p></section>
    </div>
    <script src="/console/console.js"></script>
    </body>
    </html>
    """#

    /// The page's style sheet, served at `/console/console.css` (no inline style: the CSP forbids it).
    static let style = #"""
      * { box-sizing: border-box; }
      body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Apple SD Gothic Neo", "Malgun Gothic",
             "Hiragino Sans", "Noto Sans CJK KR", "Noto Sans CJK JP", sans-serif; background: #f4f6fa; color: #1d2330; }
      header { background: #1d2330; color: #fff; padding: 10px 16px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
      header h1 { font-size: 16px; margin: 0 12px 0 0; }
      header input { width: 320px; }
      #layout { display: grid; grid-template-columns: minmax(320px, 42%) 1fr; gap: 12px; padding: 12px; }
      section { background: #fff; border-radius: 8px; padding: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); min-height: 200px; }
      table { width: 100%; border-collapse: collapse; }
      td, th { text-align: left; padding: 6px 4px; border-bottom: 1px solid #e6e9f0; vertical-align: top; }
      tr.row { cursor: pointer; } tr.row:hover { background: #eef3ff; }
      .sla-breached { color: #b3261e; font-weight: 600; } .sla-at_risk { color: #a15c00; font-weight: 600; }
      .line { margin: 4px 0; white-space: pre-wrap; word-break: break-word; }
      .line .who { color: #5b6475; font-size: 12px; }
      .event { font-size: 12px; color: #5b6475; white-space: pre-wrap; }
      textarea { width: 100%; min-height: 70px; font: inherit; }
      button { margin: 4px 4px 0 0; }
      #error { color: #ffb4ab; }
      .filters { margin-bottom: 8px; display: flex; gap: 6px; flex-wrap: wrap; }
    """#

    /// The page's script, served at `/console/console.js` (no inline script: the CSP forbids it).
    static let script = #"""
    const state = { token: sessionStorage.getItem('firstline.token') || '', me: null, current: null };
    const $ = (id) => document.getElementById(id);
    function el(tag, text, cls) { const node = document.createElement(tag); if (text !== undefined) node.textContent = text; if (cls) node.className = cls; return node; }
    function showError(message) { $('error').textContent = message || ''; }

    async function api(method, path, body) {
      const headers = { 'Authorization': 'Bearer ' + state.token };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error((json.error && json.error.message) || ('HTTP ' + response.status));
      return json;
    }

    async function signIn() {
      state.token = $('token').value.trim() || state.token;
      try {
        state.me = await api('GET', '/api/v1/me');
        sessionStorage.setItem('firstline.token', state.token);
        $('me').textContent = state.me.name + ' (' + state.me.role + ')';
        $('token').value = '';
        showError('');
        await loadQueue();
      } catch (e) { showError(e.message); }
    }

    async function loadQueue() {
      let query = $('filter').value.replace('@me', encodeURIComponent(state.me ? state.me.name : ''));
      try {
        const list = await api('GET', '/api/v1/tickets?' + query);
        const body = $('queue'); body.replaceChildren();
        for (const ticket of list.tickets) {
          const row = el('tr', undefined, 'row');
          row.append(el('td', ticket.number + ' ' + ticket.priority), el('td', ticket.subject), el('td', ticket.status),
                     el('td', ticket.assignee || '—'), el('td', ticket.sla.state, 'sla-' + ticket.sla.state));
          row.addEventListener('click', () => openTicket(ticket.number));
          body.append(row);
        }
        showError('');
      } catch (e) { showError(e.message); }
    }

    async function openTicket(number) {
      try {
        const detail = await api('GET', '/api/v1/tickets/' + encodeURIComponent(number));
        state.current = number;
        const t = detail.ticket, box = $('detail');
        box.replaceChildren();
        box.append(el('h2', t.number + ' · ' + t.subject));
        box.append(el('div', [t.priority, t.category, t.status, 'team ' + (t.team || '—'), 'assignee ' + (t.assignee || '—'),
                              'via ' + t.channel, 'requester ' + ((t.requester && t.requester.name) || '?')].join(' · ')));
        if (t.first_response_due_at) box.append(el('div', 'First response due ' + t.first_response_due_at));
        if (t.resolution_due_at) box.append(el('div', 'Resolution due ' + t.resolution_due_at));
        const actions = el('div');
        const button = (label, handler) => { const b = el('button', label); b.addEventListener('click', handler); actions.append(b); };
        button('Claim', () => act('POST', '/claim'));
        button('Waiting on employee', () => act('PATCH', '', { status: 'waiting' }));
        button('Open', () => act('PATCH', '', { status: 'open' }));
        button('Resolve', () => act('POST', '/resolve'));
        if (detail.history.some((e) => e.kind === 'approval') && !detail.history.some((e) => e.kind === 'approval' && (e.after === 'approved' || e.after === 'rejected'))) {
          button('Approve', () => act('POST', '/approval', { decision: 'approve' }));
          button('Reject', () => act('POST', '/approval', { decision: 'reject' }));
        }
        box.append(actions);
        const text = el('textarea'); text.placeholder = 'Reply to the employee, or an internal note';
        box.append(text);
        const send = el('div');
        const reply = el('button', 'Send reply'); reply.addEventListener('click', () => act('POST', '/replies', { text: text.value }));
        const note = el('button', 'Add note'); note.addEventListener('click', () => act('POST', '/notes', { text: text.value }));
        send.append(reply, note); box.append(send);
        box.append(el('h3', 'Conversation'));
        for (const line of detail.transcript) {
          const div = el('div', undefined, 'line'); div.append(el('div', line.author + ' · ' + (line.at || ''), 'who'), el('div', line.text));
          box.append(div);
        }
        box.append(el('h3', 'History'));
        for (const event of detail.history) {
          const change = event.field ? event.field + ': ' + (event.before || '—') + ' → ' + (event.after || '—') : '';
          box.append(el('div', [event.at, event.actor, event.kind, change, event.note || ''].filter(Boolean).join(' · '), 'event'));
        }
        showError('');
      } catch (e) { showError(e.message); }
    }

    async function act(method, suffix, body) {
      if (!state.current) return;
      try {
        await api(method, '/api/v1/tickets/' + encodeURIComponent(state.current) + suffix, body);
        await openTicket(state.current);
        await loadQueue();
      } catch (e) { showError(e.message); }
    }

    $('signin').addEventListener('click', signIn);
    $('refresh').addEventListener('click', loadQueue);
    $('filter').addEventListener('change', loadQueue);
    $('online').addEventListener('change', async (event) => {
      try { await api('PUT', '/api/v1/agents/me/presence', { online: event.target.checked }); showError(''); }
      catch (e) { showError(e.message); event.target.checked = !event.target.checked; }
    });
    if (state.token) signIn();
    setInterval(() => { if (state.me) loadQueue(); }, 15000);
    """#
}
