#!/usr/bin/env python3
"""The console in a real browser (issue: console, point 6), run by BrowserTests.swift.

Starts Debian's headless Chromium, drives it over the DevTools protocol (a small WebSocket client on the
standard library only: no package to install) and walks an agent's and an editor's day on a FirstLine
server that the Swift test started and seeded: sign in with a token, the queue (English, then Korean),
a ticket, a reply, a change seen by live refresh without a reload, the employee's web chat showing the
reply, the intake form, the reports in Japanese, and the editor's gap report. Saves a PNG at every step.

Input (environment): FIRSTLINE_BROWSER_BASE (http://localhost:PORT), FIRSTLINE_BROWSER_AGENT_TOKEN,
FIRSTLINE_BROWSER_EDITOR_TOKEN, FIRSTLINE_BROWSER_TICKET, FIRSTLINE_BROWSER_CHAT_SESSION,
FIRSTLINE_BROWSER_REPLY, FIRSTLINE_SCREENSHOTS (the folder), FIRSTLINE_TEST_CHROMIUM (the binary).
Output: one line per check on stderr; exit 0 when every check held, 1 with the failed check otherwise.
"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


class WebSocket:
    """RFC 6455 client frames (masked), text messages, enough for the DevTools protocol."""

    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {parsed.path} HTTP/1.1\r\nHost: {parsed.hostname}:{parsed.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("the browser closed the WebSocket handshake")
            answer += chunk
        head, self.buffer = answer.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"WebSocket handshake refused: {head[:200]!r}")

    def _frame(self, opcode, data):
        header = bytearray([0x80 | opcode])
        if len(data) < 126:
            header.append(0x80 | len(data))
        elif len(data) < 65536:
            header.append(0x80 | 126)
            header += struct.pack(">H", len(data))
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", len(data))
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(bytes(header) + mask + masked)

    def send(self, text):
        self._frame(0x1, text.encode())

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("the browser closed the WebSocket")
            self.buffer += chunk
        out, self.buffer = self.buffer[:count], self.buffer[count:]
        return out

    def receive(self):
        message = b""
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if second & 0x80 else None
            payload = self._read(length)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            opcode = first & 0x0F
            if opcode == 0x8:
                raise RuntimeError("the browser closed the WebSocket")
            if opcode == 0x9:
                self._frame(0xA, payload)
                continue
            if opcode == 0xA:
                continue
            message += payload
            if first & 0x80:
                return message.decode()


class Tab:
    """One page over the DevTools protocol: commands by id, events kept aside."""

    def __init__(self, socket_url):
        self.ws = WebSocket(socket_url)
        self.last_id = 0

    def call(self, method, **params):
        self.last_id += 1
        ident = self.last_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.receive())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait_for(self, expression, what, timeout=20.0):
        """A real browser loads and runs script in its own time: poll until `expression` holds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.evaluate(expression):
                    return
            except RuntimeError:
                pass  # between two documents: the old context is gone, the new one not ready
            time.sleep(0.2)
        raise Check(f"timed out after {timeout:.0f}s waiting for {what}")

    def _new_document(self, action):
        # A marker on the old document's window: the new document has none.
        self.evaluate("window.__firstlineOld = true")
        action()
        self.wait_for("!window.__firstlineOld && document.readyState === 'complete'", "the next page")

    def goto(self, url):
        self._new_document(lambda: self.call("Page.navigate", url=url))

    def submit(self, script):
        """Runs `script`, which submits a form, and waits for the page it leads to."""
        self._new_document(lambda: self.evaluate(script))

    def text(self):
        return self.evaluate("document.body.innerText")

    def path(self):
        return self.evaluate("location.pathname + location.search")

    def screenshot(self, folder, name):
        metrics = self.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width, height = int(size["width"]), min(int(size["height"]), 4000)
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": max(width, 1280), "height": max(height, 200), "scale": 1})
        path = os.path.join(folder, name)
        with open(path, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
        print(f"screenshot {path}", file=sys.stderr)
        return path


class Check(Exception):
    pass


def expect(condition, what):
    if not condition:
        raise Check(what)
    print(f"ok: {what}", file=sys.stderr)


def start_browser(binary, profile):
    arguments = [binary, "--headless", "--disable-gpu", "--remote-debugging-port=0", f"--user-data-dir={profile}",
                 "--no-first-run", "--no-default-browser-check", "--window-size=1280,900", "--lang=en-US",
                 "--hide-scrollbars", "about:blank"]
    if os.geteuid() == 0:
        arguments.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    browser = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.time() + 30
    while time.time() < deadline:
        if browser.poll() is not None:
            raise Check(f"chromium exited at start with status {browser.returncode}")
        if os.path.exists(port_file):
            lines = open(port_file).read().split("\n")
            if lines and lines[0].strip().isdigit():
                return browser, int(lines[0])
        time.sleep(0.1)
    raise Check("chromium did not open its DevTools port within 30 s")


def page_socket(port):
    for _ in range(50):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            for target in json.load(answer):
                if target.get("type") == "page":
                    return target["webSocketDebuggerUrl"]
        time.sleep(0.1)
    raise Check("chromium has no page to drive")


def api_note(base, token, ticket, text):
    request = urllib.request.Request(f"{base}/api/v1/tickets/{ticket}/notes", method="POST",
                                     data=json.dumps({"text": text}).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        expect(answer.status == 201, "a note added through the API meanwhile")


def walk(tab, base, folder, env):
    ticket = env["FIRSTLINE_BROWSER_TICKET"]
    reply = env["FIRSTLINE_BROWSER_REPLY"]
    host = urllib.parse.urlparse(base).hostname
    tab.call("Page.enable")
    tab.call("Network.enable")
    tab.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)

    # 1. Sign in with a token (English).
    tab.goto(f"{base}/console/login?lang=en")
    expect("Sign in" in tab.text(), "the sign-in page in English")
    tab.screenshot(folder, "01-login-en.png")
    token = json.dumps(env["FIRSTLINE_BROWSER_AGENT_TOKEN"])
    tab.submit(f"document.querySelector('input[name=token]').value = {token};"
               "document.querySelector('form[action=\"/console/login\"]').submit()")
    expect(tab.path().startswith("/console/queue"), "signed in, the queue")
    expect(ticket in tab.text(), f"the queue lists {ticket}")
    expect(not tab.evaluate("!!document.querySelector('input[name=token]')"), "no token box after sign-in")
    wraps = tab.evaluate("Array.from(document.querySelectorAll('table.queue td:first-child a'))"
                         ".some(a => a.getClientRects().length > 1)")
    expect(not wraps, "ticket numbers do not wrap")
    tab.screenshot(folder, "02-queue-en.png")

    # 2. The same queue in Korean (the language switch, remembered).
    tab.submit("document.querySelector('a[href=\"?lang=ko\"]').click()")
    expect("대기열" in tab.text(), "the queue in Korean")
    tab.screenshot(folder, "03-queue-ko.png")

    # 3. Open the ticket (still Korean), send a reply.
    tab.submit(f"document.querySelector('a[href=\"/console/tickets/{ticket}\"]').click()")
    expect(tab.path() == f"/console/tickets/{ticket}", f"the ticket page of {ticket}")
    expect("대화 기록" in tab.text() and "변경 이력" in tab.text(), "the transcript and the history, in Korean")
    expect("첫 응답 기한" in tab.text(), "the SLA countdowns")
    tab.screenshot(folder, "04-ticket-ko.png")
    tab.submit(f"document.querySelector('form[action$=\"/reply\"] textarea').value = {json.dumps(reply)};"
               "document.querySelector('form[action$=\"/reply\"]').submit()")
    expect("답장을 보냈어요" in tab.text(), "the reply was sent")
    expect(reply in tab.text(), "the reply is in the transcript")

    # 4. Live refresh: a note added elsewhere appears without a reload.
    note = "Live: 원격으로 드라이버를 다시 설치했어요"
    tab.evaluate("window.__firstlineSamePage = true")
    api_note(base, env["FIRSTLINE_BROWSER_AGENT_TOKEN"], ticket, note)
    tab.wait_for(f"document.body.innerText.includes({json.dumps(note)})", "the note to appear by live refresh")
    expect(tab.evaluate("window.__firstlineSamePage === true"), "the page was not reloaded")
    tab.screenshot(folder, "05-ticket-replied-live-ko.png")

    # 5. The employee's web chat shows the agent's reply (the chat session's cookie, as the chat page sets it).
    tab.call("Network.setCookie", name="firstline_session", value=env["FIRSTLINE_BROWSER_CHAT_SESSION"],
             domain=host, path="/", httpOnly=True)
    tab.goto(f"{base}/chat")
    tab.wait_for(f"document.body.innerText.includes({json.dumps(reply)})", "the reply in the employee's web chat")
    expect(True, "the employee's web chat shows the agent's reply")
    tab.screenshot(folder, "06-web-chat.png")

    # 6. The intake form (Korean, remembered): search the directory.
    tab.goto(f"{base}/console/intake?q=%EC%9E%AC%EB%AC%B4")
    expect("김민지" in tab.text(), "the directory search finds the employee")
    tab.submit("document.querySelector('a[href^=\"/console/intake?employee=\"]').click()")
    expect(tab.evaluate("!!document.querySelector('input[name=employee_id]')"), "the employee is chosen")
    tab.evaluate("document.querySelector('select[name=channel]').value = 'visit';"
                 "document.querySelector('input[name=subject]').value = '모니터가 켜지지 않아요 (방문)';"
                 "document.querySelector('textarea[name=description]').value = '3층 안내 데스크에서 접수';")
    tab.screenshot(folder, "07-intake-ko.png")
    tab.submit("document.querySelector('form.intake').submit()")
    expect(tab.path().startswith("/console/tickets/HD-") and "티켓을 접수했어요" in tab.text(), "a visit logged as a ticket")
    expect("visit" in tab.text(), "the ticket's channel is visit")
    tab.screenshot(folder, "07b-intake-logged-ko.png")

    # 7. Reports in Japanese.
    tab.goto(f"{base}/console/reports?lang=ja")
    expect("レポート" in tab.text() and "自己解決率" in tab.text(), "the reports in Japanese")
    expect(tab.evaluate("!!document.querySelector('.chart svg')"), "the backlog chart")
    expect(tab.evaluate("document.querySelectorAll('.downloads a').length") >= 12, "the CSV download links")
    expect("優先度ごとの SLA 順守" in tab.text() and "カテゴリ別のチケット" in tab.text(), "SLA per priority and the breakdowns")
    expect(tab.evaluate("document.querySelectorAll('.breakdown svg').length") >= 4, "a bar chart for each breakdown")
    tab.screenshot(folder, "08-reports-ja.png")

    # 8. Sign out; the editor signs in and sees the gap report.
    tab.submit("document.querySelector('form[action=\"/console/logout\"]').submit()")
    expect(tab.path().startswith("/console/login"), "signed out")
    editor = json.dumps(env["FIRSTLINE_BROWSER_EDITOR_TOKEN"])
    tab.submit(f"document.querySelector('input[name=token]').value = {editor};"
               "document.querySelector('form[action=\"/console/login\"]').submit()")
    expect(tab.path().startswith("/console/gaps"), "the editor lands on the gap report")
    expect(tab.evaluate("document.querySelectorAll('.clusters > li').length") >= 1, "the gap report has clusters")
    first = tab.evaluate("document.querySelector('.clusters > li').innerText")
    expect(all(word in first for word in ["parking", "주차", "駐車場"]),
           f"the parking questions in three languages are one cluster: {first!r}")
    tab.screenshot(folder, "09-gaps-ja.png")
    tab.goto(f"{base}/console/gaps?lang=en")
    tab.screenshot(folder, "10-gaps-en.png")

    # 9. "Write an article for this" opens the editor with the cluster's English examples as questions;
    #    the editor previews it, publishes it, finds it in the list and in its version history.
    english = tab.evaluate("[...document.querySelectorAll('.write a')].map(a => a.href).find(h => h.includes('in=en')) || ''")
    expect(english, "a 'write an article for this' link in English")
    tab.goto(english)
    questions = tab.evaluate("document.querySelector('textarea[name=questions]').value")
    expect("parking permit" in questions, f"the examples prefilled as questions: {questions!r}")
    tab.screenshot(folder, "11-editor-from-gap-en.png")
    tab.submit("document.querySelector('input[name=id]').value = 'parking-permit';"
               "document.querySelector('input[name=title]').value = 'Where to get a parking permit';"
               "document.querySelector('select[name=category]').value = 'facilities';"
               "document.querySelector('textarea[name=body]').value = '1. Open the facilities portal.\\n2. Choose **Parking**.';"
               "document.querySelector('button[value=preview]').click()")
    expect(tab.evaluate("!!document.querySelector('.preview strong')"), "the preview renders the Markdown")
    tab.screenshot(folder, "12-editor-preview-en.png")
    # The validator wants at least three questions, as a real editor would learn from the page.
    tab.submit("document.querySelector('textarea[name=questions]').value += '\\nhow do I register my car for the garage';"
               "document.querySelector('button[value=publish]').click()")
    expect("done=published" in tab.path(), f"published: {tab.path()}")
    tab.goto(f"{base}/console/articles?lang=en")
    expect("Where to get a parking permit" in tab.text(), "the new article in the list")
    tab.screenshot(folder, "13-articles-en.png")
    tab.goto(f"{base}/console/articles/en/parking-permit/history?lang=en")
    expect(tab.evaluate("document.querySelectorAll('main li, table tr').length") >= 1, "its version history")
    tab.screenshot(folder, "14-article-history-en.png")


def main():
    env = os.environ
    base = env["FIRSTLINE_BROWSER_BASE"].rstrip("/")
    folder = env["FIRSTLINE_SCREENSHOTS"]
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        if old.endswith(".png"):
            os.remove(os.path.join(folder, old))
    profile = tempfile.mkdtemp(prefix="firstline-chromium-")
    browser = None
    try:
        browser, port = start_browser(env["FIRSTLINE_TEST_CHROMIUM"], profile)
        tab = Tab(page_socket(port))
        try:
            walk(tab, base, folder, env)
        except Check:
            try:
                tab.screenshot(folder, "failed.png")
            except Exception:
                pass
            raise
    except Check as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        if browser is not None:
            browser.terminate()
            try:
                browser.wait(timeout=10)
            except subprocess.TimeoutExpired:
                browser.kill()
        shutil.rmtree(profile, ignore_errors=True)
    print("all browser checks passed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
