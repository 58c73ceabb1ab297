#!/usr/bin/env bash
# Many clinics on one daemon (issue 17): N tenants (default 1,000), each with its own
# callback secret, store, embedded calendar and Docplanner client id, against one
# simulator that accepts every client id starting with "bench-" (simulate --client-id 'bench-*').
#   1. start: seconds from the daemon's exec to its `event=started` line and /health 200;
#   2. idle: threads and RSS of the daemon, and its CPU over TENANTS_IDLE_SECONDS (60) with
#      nothing arriving;
#   3. one slot-booked event to each tenant's callback URL: seconds from the first POST
#      until every tenant's event is applied (its inbox row done), and a ping (GET) to
#      each tenant answered 200;
#   4. a restart: seconds to start again with every tenant's files present.
# Targets: start ≤ 5 s (first start and restart); ≤ 64 threads; idle CPU ≤ 5% of one core; RSS ≤ 300 MB; every
# event applied within 5 s; every ping 200. Prints figures next to the targets, then
# "N passed, N failed"; exits 1 when a check fails.
# Usage: scripts/bench-tenants.sh   (TENANTS=1000, TENANTS_IDLE_SECONDS=60, TENANTS_BIN=path
# instead of building, TENANTS_KEEP=1 keeps the work directory)
set -euo pipefail
cd "$(dirname "$0")/.."

tenants=${TENANTS:-1000}
idle_seconds=${TENANTS_IDLE_SECONDS:-60}
public_port=${TENANTS_PUBLIC_PORT:-18680}
admin_port=${TENANTS_ADMIN_PORT:-18681}
sim_port=${TENANTS_SIMULATOR_PORT:-18690}
client_secret=bench-client-secret

scripts/setup.sh
if [[ -n ${TENANTS_BIN:-} ]]; then
    bin=$TENANTS_BIN
else
    scripts/swiftlock build -c release --product dpbridge >/dev/null
    bin="$(scripts/swiftlock build -c release --show-bin-path)/dpbridge"
fi
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/dpbridge-bench-tenants.XXXXXX")
simulator=
daemon=
cleanup() {
    local pid
    # The daemon is started (and normally stopped) by the Python part.
    if [[ -s $work/daemon.pid ]]; then daemon=$(cat "$work/daemon.pid"); fi
    for pid in $daemon $simulator; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $daemon $simulator; do wait "$pid" 2>/dev/null || true; done
    if [[ -n ${TENANTS_KEEP:-} ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() {
    printf 'bench-tenants: %s\n' "$*" >&2
    for log in "$work/daemon.log" "$work/simulator.log"; do
        [[ -s $log ]] && printf -- '--- the end of %s:\n%s\n' "${log##*/}" "$(tail -n 15 "$log")" >&2
    done
    exit 1
}
for port in "$public_port" "$admin_port" "$sim_port"; do
    ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" \
        || fail "port $port is in use (set TENANTS_PUBLIC_PORT, TENANTS_ADMIN_PORT, TENANTS_SIMULATOR_PORT)"
done

"$bin" simulate --port "$sim_port" --client-id 'bench-*' --client-secret "$client_secret" \
    --time-zone Europe/Warsaw --no-rate-limits --log-level warning >/dev/null 2>"$work/simulator.log" &
simulator=$!
for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$sim_port/_sim/state" 2>/dev/null && break
    sleep 0.1
done

# The configuration: the top level is tenant 0 (`default`), tenants 1…N-1 below `tenants:`.
secret() { printf 'bench-tenant-secret-%06d' "$1"; }
{
    cat <<EOF
listen:
  public: {address: 127.0.0.1, port: $public_port}
  admin: {address: 127.0.0.1, port: $admin_port}
callback:
  secret: $(secret 0)
docplanner:
  base_url: http://127.0.0.1:$sim_port
  client_id: bench-0
  client_secret: $client_secret
  time_zone: Europe/Warsaw
store: {path: $work/t0.sqlite}
partner: {embedded: {path: $work/t0-partner.sqlite}}
log: {level: info, format: text}
tenants:
EOF
    for ((i = 1; i < tenants; i++)); do
        cat <<EOF
  t$i:
    callback: {secret: $(secret "$i")}
    docplanner: {client_id: bench-$i, client_secret: $client_secret}
    store: {path: $work/t$i.sqlite}
    partner: {embedded: {path: $work/t$i-partner.sqlite}}
EOF
    done
} >"$work/dpbridge.yaml"
"$bin" check-config --config "$work/dpbridge.yaml" >/dev/null || fail "check-config refused the configuration"

status=0
/usr/bin/python3 - "$bin" "$work" "$tenants" "$idle_seconds" "$public_port" "$admin_port" <<'PY' || status=$?
import http.client, os, sqlite3, subprocess, sys, threading, time
from datetime import datetime, timedelta, timezone

binary, work, tenants, idle_seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
public_port, admin_port = int(sys.argv[5]), int(sys.argv[6])
TICK = os.sysconf("SC_CLK_TCK")
checks = []

def secret(i):
    return f"bench-tenant-secret-{i:06d}"

def status_field(pid, name):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0

def cpu(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK

def health():
    try:
        connection = http.client.HTTPConnection("127.0.0.1", admin_port, timeout=2)
        connection.request("GET", "/health")
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False

# === 1. Start.
def start_daemon(log_name):
    """Starts the daemon; returns it and the seconds until its first `event=started` line
    and /health 200 (None when it did not start within 120 s)."""
    log = open(f"{work}/{log_name}", "wb")
    started_at = time.monotonic()
    process = subprocess.Popen([binary, "run", "--config", f"{work}/dpbridge.yaml"], stderr=log,
                               stdout=subprocess.DEVNULL)
    with open(f"{work}/daemon.pid", "w") as pid_file:
        pid_file.write(str(process.pid))
    while time.monotonic() - started_at < 120 and process.poll() is None:
        with open(f"{work}/{log_name}", "rb") as text:
            if b"event=started" in text.read() and health():
                return process, time.monotonic() - started_at
        time.sleep(0.05)
    return process, None

daemon, start_seconds = start_daemon("daemon.log")
if start_seconds is None:
    print("the daemon did not start within 120 s")
    sys.exit(1)
print(f"dpbridge with {tenants} tenants (embedded calendars, one simulator as Docplanner), {os.cpu_count()} cores")
print(f"\n== 1. start (every file created): event=started and /health 200 after {start_seconds:.2f} s")
checks.append(("start, files created", "≤ 5 s", f"{start_seconds:.2f} s", start_seconds <= 5))

# === 2. Idle.
time.sleep(5)  # the first turns of every part (IP lists, releases, first looks) are over
threads = status_field(daemon.pid, "Threads")
before = cpu(daemon.pid)
time.sleep(idle_seconds)
idle = (cpu(daemon.pid) - before) / idle_seconds
rss = status_field(daemon.pid, "VmRSS") / 1024
print(f"\n== 2. idle: {threads} threads, RSS {rss:.0f} MB, CPU {idle * 100:.1f}% of one core over {idle_seconds:.0f} s")
checks.append(("threads", "≤ 64", f"{threads}", threads <= 64))
checks.append((f"idle CPU over {idle_seconds:.0f} s", "≤ 5% of a core", f"{idle * 100:.1f}%", idle <= 0.05))
checks.append(("RSS", "≤ 300 MB", f"{rss:.0f} MB", rss <= 300))

# === 3. One event to each tenant, then a ping to each.
WARSAW = timezone(timedelta(hours=1))
created = datetime.now(WARSAW).replace(microsecond=0)
visit = (created + timedelta(days=1)).replace(hour=9, minute=0, second=0)
TEMPLATE = (
    '{"name":"slot-booked","data":{"facility":{"id":"1","name":"Sample hospital"},'
    '"doctor":{"id":"123","name":"Sample","surname":"Doctor"},'
    '"address":{"id":"111","name":"Example hospital","street":"Some street","post_code":"00-001"},'
    '"visit_booking":{"id":"%d","status":"booked","start_at":"%s","end_at":"%s","duration":15,'
    '"booked_by":"user","canceled_by":"","booked_at":"%s",'
    '"address_service":{"id":"101","name":"Service","price":50,"is_price_from":false,"is_visible":true},'
    '"patient":{"name":"Bench","surname":"Patient","email":"bench@example.com","phone":"+48500100200",'
    '"birth_date":"1985-01-01","gender":"f"},"comment":"bench-tenants"}},"created_at":"%s"}')
when = created.isoformat()
statuses, pings = {}, {}
lock = threading.Lock()

def send(indices, method):
    connection = http.client.HTTPConnection("127.0.0.1", public_port, timeout=30)
    for i in indices:
        body = None
        if method == "POST":
            body = (TEMPLATE % (70_000_000 + i, visit.isoformat(), (visit + timedelta(minutes=15)).isoformat(),
                                when, when)).encode()
        try:
            connection.request(method, f"/callbacks/{secret(i)}", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", public_port, timeout=30)
            status = 0
        with lock:
            (statuses if method == "POST" else pings)[i] = status
    connection.close()

def fan_out(method, connections=16):
    workers = [threading.Thread(target=send, args=(range(k, tenants, connections), method))
               for k in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

def applied_everywhere(pending):
    for i in list(pending):
        try:
            connection = sqlite3.connect(f"file:{work}/t{i}.sqlite?mode=ro", uri=True, timeout=5)
            done = connection.execute("SELECT count(*) FROM inbox WHERE state = 'done'").fetchone()[0]
            connection.close()
        except sqlite3.Error:
            done = 0
        if done >= 1:
            pending.discard(i)
    return not pending

first = time.monotonic()
fan_out("POST")
acked = time.monotonic() - first
pending = set(range(tenants))
applied_seconds = None
while time.monotonic() - first < 60:
    if applied_everywhere(pending):
        applied_seconds = time.monotonic() - first
        break
    time.sleep(0.2)
accepted = sum(1 for status in statuses.values() if status == 200)
print(f"\n== 3. one slot-booked event to each tenant over 16 connections: {accepted}/{tenants} acknowledged 200 "
      f"in {acked:.2f} s; " + (f"all applied {applied_seconds:.2f} s after the first was sent" if applied_seconds
                               else f"{tenants - len(pending)} applied within 60 s"))
checks.append(("one event per tenant applied", "≤ 5 s", f"{applied_seconds:.2f} s" if applied_seconds else
               f"{tenants - len(pending)}/{tenants}", accepted == tenants and applied_seconds is not None
               and applied_seconds <= 5))
fan_out("GET")
answered = sum(1 for status in pings.values() if status == 200)
print(f"pings: {answered}/{tenants} answered 200")
checks.append(("a ping to each tenant", f"{tenants} × 200", f"{answered}", answered == tenants))
threads_after = status_field(daemon.pid, "Threads")
rss_after = status_field(daemon.pid, "VmRSS") / 1024
print(f"after the events: {threads_after} threads, RSS {rss_after:.0f} MB")

# === 4. A restart: the same tenants, their files present.
daemon.terminate()
try:
    daemon.wait(timeout=60)
except subprocess.TimeoutExpired:
    daemon.kill()
daemon, restart_seconds = start_daemon("daemon-restart.log")
print(f"\n== 4. restart (files present): event=started and /health 200 after "
      + (f"{restart_seconds:.2f} s" if restart_seconds is not None else "more than 120 s"))
checks.append(("start, files present (restart)", "≤ 5 s",
               f"{restart_seconds:.2f} s" if restart_seconds is not None else "> 120 s",
               restart_seconds is not None and restart_seconds <= 5))

print("\n== summary (targets of issue 17)")
print(f"{'check':<36} {'target':>16} {'measured':>14}  result")
for what, target, measured, passed in checks:
    print(f"{what:<36} {target:>16} {measured:>14}  {'pass' if passed else 'FAIL'}")
passed = sum(1 for check in checks if check[3])
print(f"{passed} passed, {len(checks) - passed} failed")
daemon.terminate()
try:
    daemon.wait(timeout=60)
except subprocess.TimeoutExpired:
    daemon.kill()
sys.exit(0 if passed == len(checks) else 1)
PY
if grep -q 'level=error\|level=critical' "$work/daemon.log"; then
    echo "daemon errors logged ($(grep -c 'level=error\|level=critical' "$work/daemon.log")), the last:"
    grep 'level=error\|level=critical' "$work/daemon.log" | tail -n 5
fi
exit $status
