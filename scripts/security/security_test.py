#!/usr/bin/python3
"""The security test of issue 16, against a running release daemon (see security-test.sh).

Usage: security_test.py DPBRIDGE_BINARY

One line per attack: "ok   <attack>: <figures>" or "FAIL <attack>: <why>", then
"N passed, N failed"; exit status 1 when anything failed. Every wait is bounded; every
process started here is stopped on exit. Standard library only (Debian's python3).
"""
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="dpbridge-security.")
os.chmod(WORK, 0o755)

SECRET_A = "sec-test-callback-secret-aaaa-0123456789"
SECRET_B = "sec-test-callback-secret-bbbb-0123456789"
TOKEN_A = "sec-test-admin-token-aaaa-0123456789"
TOKEN_B = "sec-test-admin-token-bbbb-0123456789"
CLIENT_SECRET_A = "sec-test-client-secret-aaaa-0123456789"
CLIENT_SECRET_B = "sec-test-client-secret-bbbb-0123456789"
# A patient no log line, status or metric may show.
PATIENT = {"name": "Zbigniewa", "surname": "Sekretna-Kowalska", "phone": "+48999888777",
           "email": "zbigniewa.sekretna@example.org"}

passed = failed = 0
processes = []


def report(ok, name, detail):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}: {detail}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name}: {detail}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(arguments, log_path, env=None):
    log = open(log_path, "ab")
    process = subprocess.Popen([BIN] + arguments, stdout=log, stderr=log, env=env or dict(os.environ))
    processes.append(process)
    return process


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cleanup():
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()
    subprocess.run(["umount", os.path.join(WORK, "tiny")], capture_output=True)
    shutil.rmtree(WORK, ignore_errors=True)


def http(method, url, body=None, headers=None, timeout=5):
    """(status, body text); status 0 when no answer came."""
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


def config_text(public_port, admin_port, simulator_port, store_dir, tenants=True, secret=SECRET_A,
                base_url=None):
    base = base_url or f"http://127.0.0.1:{simulator_port}"
    text = f"""listen:
  public: {{address: 127.0.0.1, port: {public_port}}}
  admin: {{address: 127.0.0.1, port: {admin_port}, token: {TOKEN_A}}}
callback:
  secret: {secret}
docplanner:
  domain: znanylekarz.pl
  client_id: sec-client-a
  client_secret: {CLIENT_SECRET_A}
  base_url: "{base}"
  time_zone: Europe/Warsaw
store: {{path: {store_dir}/a/dpbridge.sqlite}}
partner: {{embedded: {{path: {store_dir}/a/partner.sqlite}}}}
log: {{format: text}}
"""
    if tenants:
        text += f"""tenants:
  clinic-b:
    callback: {{secret: {SECRET_B}}}
    docplanner: {{client_id: sec-client-b, client_secret: {CLIENT_SECRET_B}, base_url: "http://127.0.0.1:9"}}
    store: {{path: {store_dir}/b/dpbridge.sqlite}}
    partner: {{embedded: {{path: {store_dir}/b/partner.sqlite}}}}
    listen: {{admin: {{token: {TOKEN_B}}}}}
"""
    return text


def write(path, text):
    with open(path, "w") as handle:
        handle.write(text)
    return path


def slot_booked(booking_id, minute=0):
    """A slot-booked notification (the shape of the document's example) for `booking_id`."""
    start = f"2030-03-04T10:{minute % 60:02d}:00+01:00"
    return json.dumps({
        "name": "slot-booked",
        "created_at": f"2030-03-01T09:00:{minute % 60:02d}+01:00",
        "data": {
            "facility": {"id": "1", "name": "Example hospital"},
            "doctor": {"id": "123", "name": "Anna", "surname": "Doctor"},
            "address": {"id": "111", "name": "Example hospital"},
            "visit_booking": {
                "id": str(booking_id), "status": "booked", "start_at": start, "end_at": start.replace(":00:00", ":30:00"),
                "duration": 30, "booked_by": "patient", "canceled_by": "",
                "address_service": {"id": "101", "name": "Consultation"},
                "patient": dict(PATIENT), "comment": "private note about the patient's illness",
            },
        },
    }).encode()


def main():
    simulator_port = free_port()
    start(["simulate", "--port", str(simulator_port), "--client-id", "sec-client-a", "--client-secret",
           CLIENT_SECRET_A, "--ping-interval", "0", "--time-zone", "Europe/Warsaw"], os.path.join(WORK, "simulator.log"))
    wait_for(lambda: http("GET", f"http://127.0.0.1:{simulator_port}/_sim/state")[0] == 200, 15)

    demo_secret_refused(simulator_port)

    public_port, admin_port = free_port(), free_port()
    store_dir = os.path.join(WORK, "stores")
    config = write(os.path.join(WORK, "dpbridge.yaml"), config_text(public_port, admin_port, simulator_port, store_dir))
    log_path = os.path.join(WORK, "daemon.log")
    daemon = start(["run", "--config", config], log_path)
    ping = f"http://127.0.0.1:{public_port}/callbacks/{SECRET_A}"
    admin = f"http://127.0.0.1:{admin_port}"
    if not wait_for(lambda: http("GET", ping)[0] == 200, 20):
        report(False, "daemon started", open(log_path).read()[-2000:])
        return
    admin_routes_need_a_token(admin)
    tokens_stay_with_their_tenant(admin)
    floods_are_held(public_port, daemon.pid)
    no_secrets_or_patient_data_shown(ping, admin, log_path, config)
    stop(daemon)
    files_are_private(store_dir)
    full_disk(simulator_port)


def demo_secret_refused(simulator_port):
    """A configuration carrying a published demo secret, pointed at the real Docplanner,
    never starts: an attacker who read the README could otherwise post booking-canceled."""
    demo = "demo-callback-secret-0123456789"
    config = write(os.path.join(WORK, "demo.yaml"),
                   config_text(free_port(), free_port(), simulator_port, os.path.join(WORK, "demo-store"),
                               tenants=False, secret=demo, base_url="https://www.znanylekarz.pl"))
    started = subprocess.run([BIN, "run", "--config", config], capture_output=True, text=True, timeout=30)
    checked = subprocess.run([BIN, "check-config", "--config", config], capture_output=True, text=True, timeout=30)
    template = subprocess.run([BIN, "check-config", "--config", os.path.join(ROOT, "etc", "dpbridge.yaml")],
                              capture_output=True, text=True, timeout=30)
    said = "example value published" in (started.stderr + started.stdout)
    ok = started.returncode != 0 and said and checked.returncode != 0 and template.returncode != 0
    report(ok, "forged callback with the demo secret",
           f"run exits {started.returncode} ({'says the secret is a published example' if said else 'no reason given'}), "
           f"check-config exits {checked.returncode}, the installed template fails check-config "
           f"(exit {template.returncode})")


def admin_routes_need_a_token(admin):
    routes = [("GET", "/status"), ("GET", "/jobs"), ("GET", "/jobs/1"), ("POST", "/jobs/1/retry"),
              ("POST", "/jobs/purge"), ("POST", "/deadletters/purge"), ("POST", "/deadletters/replay"),
              ("GET", "/quarantine"), ("POST", "/quarantine/purge"), ("GET", "/v1/bookings/1"), ("PUT", "/v1/catalog")]
    answers = {}
    for method, path in routes:
        body = b'{"all": true}' if method != "GET" else None
        answers[f"{method} {path}"] = http(method, admin + path, body, {"Content-Type": "application/json"})[0]
    wrong = {route: status for route, status in answers.items() if status != 401}
    bad_token = http("GET", admin + "/jobs", headers={"Authorization": "Bearer not-the-token"})[0]
    ok = not wrong and bad_token == 401
    report(ok, "admin payload and purge routes without a token",
           f"{len(answers) - len(wrong)}/{len(answers)} answered 401, a wrong token {bad_token}"
           + (f"; not 401: {wrong}" if wrong else ""))


def tokens_stay_with_their_tenant(admin):
    def status(path, token):
        return http("GET", admin + path, headers={"Authorization": f"Bearer {token}"})[0]
    cross = (status("/jobs?tenant=clinic-b", TOKEN_A), status("/jobs", TOKEN_B), status("/status?tenant=default", TOKEN_B))
    own = (status("/jobs?tenant=clinic-b", TOKEN_B), status("/jobs", TOKEN_A))
    ok = all(code == 401 for code in cross) and all(code == 200 for code in own)
    report(ok, "a second tenant's token on the first tenant's routes",
           f"cross-tenant answers {list(cross)} (401 wanted), own tokens {list(own)} (200 wanted)")


def floods_are_held(public_port, pid):
    result = subprocess.run(
        ["/usr/bin/python3", os.path.join(ROOT, "scripts", "http-attacks.py"), "127.0.0.1", str(public_port), str(pid),
         f"/callbacks/{SECRET_A}", "--rss-bound-mb", "64"],
        capture_output=True, text=True, timeout=600)
    lines = [line for line in result.stdout.splitlines() if re.match(r"^[a-z-]+: ", line)]
    for name in ("pipelined-flood", "chunk-ext-flood", "slow-body"):
        line = next((l for l in lines if l.startswith(name + ":")), None)
        report(line is not None and line.rstrip().endswith("passed"), name,
               line.split(": ", 1)[1] if line else f"no result (exit {result.returncode}): {result.stderr[-500:]}")


def no_secrets_or_patient_data_shown(ping, admin, log_path, config):
    body = slot_booked(990001)
    status, _ = http("POST", ping, body, {"Content-Type": "application/json"})
    applied = wait_for(lambda: '"event-applied"' in open(log_path).read() or "event applied" in open(log_path).read(), 15)
    shown = {
        "the log": open(log_path, errors="replace").read(),
        "/status": http("GET", admin + "/status", headers={"Authorization": f"Bearer {TOKEN_A}"})[1],
        "/metrics": http("GET", admin + "/metrics")[1],
        "queue show": subprocess.run([BIN, "queue", "list", "--state", "done", "--queue", "inbox", "--json", "--config",
                                      config], capture_output=True, text=True, timeout=30).stdout,
    }
    jobs = json.loads(shown["queue show"] or "{}").get("jobs", []) if shown["queue show"].startswith("{") else []
    if jobs:
        shown["queue show"] = subprocess.run(
            [BIN, "queue", "show", str(jobs[0]["id"]), "--queue", jobs[0].get("queue", "inbox"), "--json",
             "--config", config], capture_output=True, text=True, timeout=30).stdout
    # The control: asked for explicitly, the same job shows the patient (so the search can find one).
    revealed = subprocess.run(
        [BIN, "queue", "show", str(jobs[0]["id"]), "--queue", "inbox", "--reveal-patient-data", "--json", "--config",
         config], capture_output=True, text=True, timeout=30).stdout if jobs else ""
    control = PATIENT["phone"] in revealed
    secrets = [SECRET_A, SECRET_B, TOKEN_A, TOKEN_B, CLIENT_SECRET_A, CLIENT_SECRET_B]
    private = list(PATIENT.values()) + ["private note"]
    leaks = [f"{what} shows {'a secret' if value in secrets else 'patient data'}"
             for what, text in shown.items() for value in secrets + private if value in text]
    ok = status == 200 and applied and not leaks and bool(jobs) and control
    report(ok, "secrets and patient fields absent from the log, /status, /metrics and queue show",
           f"callback {status}, applied {applied}, {sum(len(t) for t in shown.values())} bytes searched"
           + (f"; {', '.join(sorted(set(leaks)))}" if leaks else "; none found")
           + f"; queue show --reveal-patient-data shows the patient: {control}")


def files_are_private(store_dir):
    wrong = []
    count = 0
    for directory, _, files in os.walk(store_dir):
        if directory != store_dir:
            count += 1
            mode = stat.S_IMODE(os.stat(directory).st_mode)
            if mode & 0o077:
                wrong.append(f"{os.path.relpath(directory, store_dir)}/ {oct(mode)}")
        for name in files:
            count += 1
            mode = stat.S_IMODE(os.stat(os.path.join(directory, name)).st_mode)
            if mode & 0o077:
                wrong.append(f"{os.path.relpath(os.path.join(directory, name), store_dir)} {oct(mode)}")
    report(not wrong and count > 4, "files 0600, directories 0700",
           f"{count} files and directories the daemon made" + (f"; too open: {wrong}" if wrong else ""))


def full_disk(simulator_port):
    """The store on a 16 MB tmpfs; events posted all along; the file system filled, then
    emptied: every event acknowledged 200 is stored exactly once, events meanwhile get 503,
    /health and the ping answer 503, and all recovers by itself."""
    name = "full disk: 503 while full, nothing acknowledged lost, recovers"
    if os.geteuid() != 0:
        report(False, name, "needs root to mount a tmpfs")
        return
    tiny = os.path.join(WORK, "tiny")
    os.makedirs(tiny)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", tiny], capture_output=True,
                             text=True)
    if mounted.returncode != 0:
        report(False, name, f"cannot mount a tmpfs: {mounted.stderr.strip()}")
        return
    public_port, admin_port = free_port(), free_port()
    config = write(os.path.join(WORK, "tiny.yaml"),
                   config_text(public_port, admin_port, simulator_port, tiny, tenants=False))
    log_path = os.path.join(WORK, "tiny-daemon.log")
    daemon = start(["run", "--config", config], log_path)
    ping = f"http://127.0.0.1:{public_port}/callbacks/{SECRET_A}"
    health = f"http://127.0.0.1:{admin_port}/health"
    if not wait_for(lambda: http("GET", ping)[0] == 200, 20):
        report(False, name, "the daemon did not start: " + open(log_path).read()[-1000:])
        return
    acked, refused, other = [], [], []
    stop_posting = threading.Event()

    def post_events():
        booking = 700000
        while not stop_posting.is_set():
            booking += 1
            code, _ = http("POST", ping, slot_booked(booking, booking), {"Content-Type": "application/json"})
            (acked if code == 200 else refused if code == 503 else other).append((booking, code))
            time.sleep(0.02)

    poster = threading.Thread(target=post_events)
    poster.start()
    time.sleep(1)
    filler = os.path.join(tiny, "filler")
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
    full_health = wait_for(lambda: http("GET", health)[0] == 503, 45)
    full_ping = http("GET", ping)[0]
    refused_before = len(refused)
    time.sleep(2)
    refused_while_full = len(refused) - refused_before
    os.remove(filler)
    back = wait_for(lambda: http("GET", health)[0] == 200 and http("GET", ping)[0] == 200, 30)
    time.sleep(1)
    stop_posting.set()
    poster.join(timeout=30)
    stop(daemon)
    stored = subprocess.run(["sqlite3", os.path.join(tiny, "a", "dpbridge.sqlite"),
                             "SELECT dedup_key FROM inbox"], capture_output=True, text=True).stdout.split()
    ids = [int(m.group(1)) for key in stored for m in [re.search(r"booking:(\d+)", key)] if m]
    lost = [booking for booking, _ in acked if ids.count(booking) != 1]
    ok = (full_health and full_ping == 503 and refused_while_full > 0 and back and not lost and not other
          and len(acked) > 0)
    report(ok, name,
           f"{len(acked)} acknowledged and all stored once ({len(lost)} lost or doubled), {len(refused)} answered 503, "
           f"{len(other)} other answers; /health 503 while full: {full_health}, ping {full_ping}; "
           f"recovered by itself: {back}")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a crash of the test is a failure, not a pass
        report(False, "security test", f"stopped: {error!r}")
    finally:
        cleanup()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
