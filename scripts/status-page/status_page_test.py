#!/usr/bin/python3
"""The status page in a real browser (see status-page-test.sh).

Usage: status_page_test.py --bin DPBRIDGE [--screenshot PATH] [--keep]

A simulator (Docplanner) and the daemon (a debug build) on loopback. Before the daemon
starts, its store is given a day of Docplanner's pings (every 5 minutes, one missed ping
5 hours ago, 40 minutes missing 10 hours ago) as the daemon keeps them; `map discover` and
one `map set` give mapping coverage. While it runs, the simulator pings it 5 times in a row
(one mark: pings less than a minute apart count once), a callback whose event name is a
`<script>` becomes a dead letter, and `dpbridge activate` keeps its report. Then Debian's
chromium (headless) loads `GET /?token=…` and its DOM is checked: the SVG strip with one
mark per ping and one gap, the queue numbers equal to `/status`, the dead letter's reason
as text (no script element, the title untouched), the mapping coverage and the activation
steps equal to what `activate --json` printed; a wrong token gets the refusal page.

One line per check ("ok   …" or "FAIL …"), then "N passed, N failed"; exit status 1 when
anything failed. Every wait is bounded; every process started here is stopped on exit.
Standard library only (Debian's python3).
"""
import argparse
import datetime
import html.parser
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CLIENT_ID = "status-page-test"
CLIENT_SECRET = "status-page-test-client-secret-0123"
CALLBACK_SECRET = "status-page-test-callback-secret-0123"
ADMIN_TOKEN = "status-page-test-admin-token-0123456789"
EVIL_EVENT = "<script>document.title='pwned'</script>"

passed = failed = 0
processes = []


def report(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}: {detail}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name}: {detail}", flush=True)
    return ok


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http(method, url, body=None, headers=None, timeout=10):
    """(status, text); status 0 when no answer came."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return 0, ""


def wait_for(probe, seconds, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if probe():
            return True
        time.sleep(step)
    return probe()


def stop_all():
    for process in reversed(processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class DOM(html.parser.HTMLParser):
    """The elements of a page (tag, attributes, text directly inside), in order."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.stack = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in ("meta", "link", "br", "input", "img"):
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": ""})

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data

    def find(self, tag=None, cls=None, **attrs):
        return [e for e in self.elements
                if (tag is None or e["tag"] == tag)
                and (cls is None or cls in e["attrs"].get("class", "").split())
                and all(e["attrs"].get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def by_id(self, identifier):
        found = [e for e in self.elements if e["attrs"].get("id") == identifier]
        return found[0] if found else None


class Browser:
    """Debian's chromium, headless, with its own profile in `directory`."""

    def __init__(self, directory):
        self.directory = directory

    def run(self, arguments, url, timeout=90):
        command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-first-run", "--hide-scrollbars", f"--user-data-dir={self.directory}"] + arguments + [url]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)

    def dom(self, url):
        return self.run(["--dump-dom"], url).stdout

    def screenshot(self, url, path, size="1200,1700"):
        result = self.run([f"--screenshot={path}", f"--window-size={size}"], url)
        return os.path.exists(path) and os.path.getsize(path) > 10_000, result.stderr[-500:]


def seeded_pings(now):
    """Seconds since 1970 of a day of pings every 5 minutes up to 3 minutes ago, without
    the one 5 hours ago (10 minutes: no alert) and those within 40 minutes 10 hours ago."""
    last = int(now) - 180
    times = []
    for k in range(0, 288):
        if k == 60:  # 5 h ago: one missed ping
            continue
        if 120 < k < 128:  # 10 h ago: 7 missed, 40 minutes without a ping
            continue
        times.append(last - k * 300)
    return sorted(times)


def encode_history(times):
    """PingHistory's stored text: v1: the first time, then each next one as a delta."""
    return "v1:" + ",".join([str(times[0])] + [str(b - a) for a, b in zip(times, times[1:])])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--screenshot", help="also write a screenshot of the page here")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    options = parser.parse_args()
    binary = os.path.abspath(options.bin)
    work = tempfile.mkdtemp(prefix="dpbridge-status-page.")
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("DPBRIDGE_") and k not in
                   ("NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "CREDENTIALS_DIRECTORY", "JOURNAL_STREAM")}
    try:
        run(binary, work, environment, options.screenshot)
    except Exception as error:  # a broken harness is a failure, never a pass
        report(False, "harness", f"{type(error).__name__}: {error}")
    finally:
        stop_all()
        if options.keep:
            print(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


def run(binary, work, environment, screenshot):
    simulator_port, public_port, admin_port = free_port(), free_port(), free_port()
    store_path = os.path.join(work, "state", "dpbridge.sqlite")
    os.makedirs(os.path.dirname(store_path), mode=0o700)
    config = os.path.join(work, "dpbridge.yaml")
    with open(config, "w") as handle:
        handle.write(f"""listen:
  public: {{address: 127.0.0.1, port: {public_port}}}
  admin: {{address: 127.0.0.1, port: {admin_port}, token: {ADMIN_TOKEN}}}
callback:
  secret: {CALLBACK_SECRET}
docplanner:
  domain: znanylekarz.pl
  base_url: http://127.0.0.1:{simulator_port}
  client_id: {CLIENT_ID}
  client_secret: {CLIENT_SECRET}
  time_zone: Europe/Warsaw
store: {{path: {store_path}}}
partner: {{embedded: {{path: {os.path.join(work, "state", "partner.sqlite")}}}}}
log: {{format: text}}
""")

    def start(arguments, log_name):
        log = open(os.path.join(work, log_name), "ab")
        process = subprocess.Popen([binary] + arguments, stdout=log, stderr=log, env=environment,
                                   start_new_session=True)
        processes.append(process)
        return process

    def cli(*arguments, timeout=120):
        return subprocess.run([binary, *arguments, "--config", config], capture_output=True, text=True,
                              env=environment, timeout=timeout)

    simulator = f"http://127.0.0.1:{simulator_port}"
    start(["simulate", "--port", str(simulator_port), "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
           "--time-zone", "Europe/Warsaw", "--clinic-doctors", "2", "--ping-interval", "0",
           "--callback-url", f"http://127.0.0.1:{public_port}/callbacks/{CALLBACK_SECRET}"], "simulator.log")
    if not report(wait_for(lambda: http("GET", simulator + "/_sim/state")[0] == 200, 20), "simulator started"):
        return

    # Before the daemon runs: discovery and one mapping (coverage), and a day of pings as
    # the daemon keeps them in its store.
    discovered = cli("map", "discover")
    mapped = cli("map", "set", "doctor", "3001", "D-1", "--force")
    report(discovered.returncode == 0 and mapped.returncode == 0, "map discover, map set doctor 3001",
           " / ".join((discovered.stderr.strip().splitlines() or [""])[-1:] + [mapped.stdout.strip()[-200:]])
           if discovered.returncode == 0 and mapped.returncode == 0 else (discovered.stderr + mapped.stderr)[-300:])
    now = time.time()
    seeded = seeded_pings(now)
    with sqlite3.connect(store_path) as database:
        database.execute("INSERT OR REPLACE INTO store_values VALUES ('ping_history', ?, ?)",
                         (encode_history(seeded), now))
        database.execute("INSERT OR REPLACE INTO store_values VALUES ('last_ping_at', ?, ?)",
                         (f"{seeded[-1]:.3f}", now))

    start(["run", "--config", config], "daemon.log")
    admin = f"http://127.0.0.1:{admin_port}"
    if not report(wait_for(lambda: http("GET", admin + "/health")[0] == 200, 30), "daemon started",
                  f"{len(seeded)} pings of the last day seeded into its store" if http("GET", admin + "/health")[0] == 200
                  else open(os.path.join(work, "daemon.log")).read()[-800:]):
        return

    # Five pings in a row from the simulator: one mark.
    answers = [http("POST", simulator + "/_sim/ping", b"{}")[0] for _ in range(5)]
    report(answers == [200] * 5, "the simulator pinged the daemon 5 times", f"answers {answers}")

    # An event whose name is a script: stored, then a dead letter "unknown event <script>…".
    event = json.dumps({"name": EVIL_EVENT, "data": {},
                        "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat()}).encode()
    status, _ = http("POST", f"http://127.0.0.1:{public_port}/callbacks/{CALLBACK_SECRET}", event,
                     {"Content-Type": "application/json"})
    bearer = {"Authorization": f"Bearer {ADMIN_TOKEN}"}

    def status_json():
        code, text = http("GET", admin + "/status", headers=bearer)
        return json.loads(text) if code == 200 else None

    dead = wait_for(lambda: (status_json() or {}).get("deadLetters") == 1, 30)
    report(status == 200 and dead, "a callback named <script> became a dead letter", f"callback answered {status}")

    # Activation beside the running daemon keeps its report in the store.
    activated = cli("activate", "--facility", "3", "--json", timeout=180)
    try:
        activation = json.loads(activated.stdout)
    except ValueError:
        activation = None
    report(activation is not None and len(activation.get("steps", [])) == 5, "dpbridge activate --facility 3",
           f"exit {activated.returncode}, {activated.stderr[-200:]}")

    expected = status_json()
    browser = Browser(os.path.join(work, "chromium"))
    page_url = f"{admin}/?token={ADMIN_TOKEN}"
    dom_text = browser.dom(page_url)
    with open(os.path.join(work, "page.html"), "w") as handle:
        handle.write(dom_text)
    dom = DOM(dom_text)
    if not report(bool(dom.find("h1")) and expected is not None, "chromium loaded the page",
                  f"{len(dom_text)} bytes of DOM"):
        return

    # The strip: one mark per ping of the last 24 hours (the seeded day and one live mark), one gap.
    strip = dom.find("svg", cls="ping-strip")
    marks = dom.find("rect", cls="ping")
    gaps = dom.find("rect", cls="gap")
    window_start = now - 86_400
    in_window = len([t for t in seeded if t >= window_start]) + 1
    report(len(strip) == 1, "the SVG strip exists", f"{len(strip)} svg.ping-strip")
    report(len(marks) == in_window, "one mark per ping (5 live pings in a row count once)",
           f"{len(marks)} marks, expected {in_window}")
    report(len(gaps) == 1 and "no ping for 40 min" in gaps[0]["text"],
           "one gap: 40 min without a ping (a 10-min one is no gap)",
           f"{len(gaps)} gaps: {[g['text'] for g in gaps]}")
    step = (marks[1]["attrs"].get("x"), marks[2]["attrs"].get("x")) if len(marks) > 2 else ("0", "0")
    spacing = float(step[1]) - float(step[0])
    report(4.5 <= spacing <= 5.5, "the 5-minute rhythm: marks 5 units (minutes) apart", f"spacing {spacing:.1f}")

    # The queues: the numbers of /status (read just before and just after the page: the
    # page must equal one of them).
    after = status_json() or {}
    fields = (("pending", "pending"), ("retrying", "retrying"), ("in-flight", "inFlight"), ("dead", "dead"),
              ("done", "done"))

    def numbers(source):
        return {f"{q}-{key}": str(source.get(q, {}).get(field)) for q in ("inbox", "outbox") for key, field in fields}

    on_page = {key: (dom.by_id(key) or {"text": "missing"})["text"].strip() for key in numbers(expected)}
    report(on_page in (numbers(expected), numbers(after)), "queue numbers equal /status",
           f"page {on_page}" if on_page not in (numbers(expected), numbers(after)) else
           f"inbox dead {on_page['inbox-dead']}, outbox pending {on_page['outbox-pending']}, "
           f"inbox done {on_page['inbox-done']}")

    # The dead letter's reason is text: no script element, the title untouched.
    reasons = [e["text"] for e in dom.find("td", cls="reason")]
    report(any(f"unknown event {EVIL_EVENT}" in r for r in reasons), "the dead letter's reason shown as text",
           f"reasons {reasons}")
    titles = [e["text"] for e in dom.find("title")]
    report(not dom.find("script") and not any("pwned" in t for t in titles), "no script from the reason ran or exists",
           f"{len(dom.find('script'))} script elements, title {titles[:1]}")

    # Mapping coverage per kind: the store's counts.
    with sqlite3.connect(store_path) as database:
        kinds = dict(database.execute(
            "SELECT kind, COUNT(*) FROM docplanner_resources WHERE vanished_at IS NULL GROUP BY kind").fetchall())
    doctor = dom.by_id("mapping-doctor")
    report(doctor is not None and doctor["attrs"].get("data-mapped") == "1"
           and doctor["attrs"].get("data-discovered") == str(kinds.get("doctor")),
           "mapping coverage per kind", f"doctor row {doctor and doctor['attrs']}, discovered {kinds}")

    # Activation as last checked: the steps `activate --json` printed.
    facility = dom.by_id("activation-3")
    shown = [(e["attrs"].get("data-step"), e["attrs"].get("data-ok")) for e in dom.find("li", cls="step")]
    printed = [(str(s["number"]), "true" if s["ok"] else "false") for s in (activation or {}).get("steps", [])]
    report(facility is not None and shown == printed and len(shown) == 5, "activation steps as activate printed them",
           f"page {shown}, activate {printed}")

    # A wrong token gets the refusal page, without the numbers.
    refused = DOM(browser.dom(f"{admin}/?token=wrong-token"))
    report(not refused.by_id("inbox-dead") and any("wrong bearer token" in e["text"] for e in refused.find("p")),
           "a wrong token is refused in the browser too", "")

    path = screenshot or os.path.join(work, "status-page.png")
    ok, errors = browser.screenshot(page_url, path)
    report(ok, "screenshot", f"{path} ({os.path.getsize(path) if os.path.exists(path) else 0} bytes) {'' if ok else errors}")


if __name__ == "__main__":
    sys.exit(main())
