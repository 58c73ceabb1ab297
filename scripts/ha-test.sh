#!/usr/bin/env bash
# High availability (issue 18): two dpbridge instances on one PostgreSQL store behind
# haproxy, with the Docplanner simulator booking, pushing and pinging through haproxy.
# Under a steady load of patients' bookings (each a blocking slot-booking question, then a
# slot-booked push) it SIGKILLs instance A, restarts it, then SIGKILLs instance B. Checks:
# every booking Docplanner made reached the clinic calendar once; no blocking question
# failed outside the load balancer's failover after a kill; at most one failed ping in a
# row; each singleton held by one instance at a time and taken over after each kill; the
# write budget (10 a minute here, shared by both instances) never exceeded at Docplanner.
# Prints figures and "N passed, N failed".
#
# The clinic calendar is on the same server (partner.backend: postgres, schema
# dpbridge_default_calendar): the instances share nothing but PostgreSQL, as on two hosts.
set -uo pipefail
cd "$(dirname "$0")/.."

# Beside a throw-away PostgreSQL server (scripts/with-postgres.sh sets TEST_POSTGRES_URL).
if [ -z "${TEST_POSTGRES_URL:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi

passed=0
failed=0
check() {  # check NAME STATUS [DETAIL]
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1${3:+: $3}"; fi
}
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

command -v haproxy >/dev/null || { echo "ha-test: haproxy is not installed (scripts/setup.sh installs it)"; check "haproxy installed" 1; finish; }
scripts/swiftlock build --product dpbridge >/dev/null 2>&1 || { scripts/swiftlock build --product dpbridge; check "build" 1; finish; }
bin="$(scripts/swiftlock build --show-bin-path)/dpbridge"
work=$(mktemp -d /tmp/dpbridge-ha.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    wait 2>/dev/null
    [ -n "${KEEP_HA_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sim_port=$(free_port); lb_port=$(free_port)
declare -A public admin
for name in a b; do public[$name]=$(free_port); admin[$name]=$(free_port); done
secret=ha-callback-secret-0123456789abcdef
sim=http://127.0.0.1:$sim_port
calendar_schema=dpbridge_default_calendar
write_limit=10

# The simulator as Docplanner: pushes and pings go to haproxy's address; a write budget of
# 10 a minute, which both instances share.
"$bin" simulate --port "$sim_port" --client-id ha-client --client-secret ha-secret \
    --callback-url "http://127.0.0.1:$lb_port/callbacks/$secret" --ping-interval 0.5 \
    --write-limit "$write_limit" >"$work/simulator.out" 2>"$work/simulator.log" &
pids+=($!)

for name in a b; do
    mkdir -p "$work/$name"
    cat >"$work/$name/dpbridge.yaml" <<EOF
listen:
  public: {address: 127.0.0.1, port: ${public[$name]}}
  admin: {address: 127.0.0.1, port: ${admin[$name]}, token: ha-admin-token-0123456789abcdef0123}
callback:
  secret: $secret
  trusted_proxies: [127.0.0.1/32]
docplanner:
  base_url: $sim
  client_id: ha-client
  client_secret: ha-secret
  write_limit_per_minute: $write_limit
  horizon_weeks: 1
store:
  backend: postgres
  path: $work/$name/dpbridge.sqlite
partner:
  backend: postgres
  embedded: {path: $work/$name/partner.sqlite}
log: {format: text}
EOF
done
# The URL is a credential: from the environment here (systemd: LoadCredential=store_url).
export DPBRIDGE_STORE_URL=$TEST_POSTGRES_URL

start_instance() {  # start_instance NAME
    "$bin" run --config "$work/$1/dpbridge.yaml" 2>>"$work/$1/daemon.log" &
    local pid=$!
    pids+=("$pid")
    echo "$pid" >"$work/$1/pid"
    for _ in $(seq 1 100); do
        curl -fsS -o /dev/null "http://127.0.0.1:${admin[$1]}/health" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
for _ in $(seq 1 50); do curl -fsS -o /dev/null "$sim/_sim/state" 2>/dev/null && break; sleep 0.1; done
"$bin" migrate --config "$work/a/dpbridge.yaml" >"$work/migrate.out" 2>&1
check "dpbridge migrate makes the tenant's schemas (store and calendar)" $? "$(cat "$work/migrate.out")"
cat "$work/migrate.out"
start_instance a; check "instance A starts on the PostgreSQL store" $?
start_instance b; check "instance B starts beside it on the same store" $?

# haproxy: health checks on each instance's /health (admin listener) every 0.5 s, two
# failures take it out; a request that finds no connection or an empty answer is sent to
# the other instance (safe: a callback is stored once per identity, a question only reads).
cat >"$work/haproxy.cfg" <<EOF
global
    maxconn 2000
defaults
    mode http
    timeout connect 500ms
    timeout client 10s
    timeout server 10s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
frontend callbacks
    bind 127.0.0.1:$lb_port
    default_backend dpbridge
backend dpbridge
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
    server a 127.0.0.1:${public[a]} check port ${admin[a]}
    server b 127.0.0.1:${public[b]} check port ${admin[b]}
EOF
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=($!)
sleep 1

# The clinic works around the clock on address 111 (doctor 123): dpbridge feeds the week's
# slots (7 replaceSlots within the budget), which the patients then book.
psql -q "$TEST_POSTGRES_URL" -c "SET search_path TO $calendar_schema" -c "INSERT INTO working_hours
        (facility_id, doctor_id, address_id, weekday, start_time, end_time, address_service_id, duration)
    WITH RECURSIVE d(weekday) AS (SELECT 1 UNION ALL SELECT weekday + 1 FROM d WHERE weekday < 7)
    SELECT '1', '123', '111', weekday, '00:00', '23:30', '101', 30 FROM d;"

cat >"$work/driver.py" <<'PY'
import json, os, signal, subprocess, sys, threading, time, urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

work, sim, pg_url, calendar_schema, write_limit = sys.argv[1:6]
results = {}

def sim_state():
    with urllib.request.urlopen(sim + "/_sim/state", timeout=10) as r:
        return json.load(r)

def psql(sql):
    out = subprocess.run(["psql", pg_url, "-At", "-F", "|", "-c", sql], capture_output=True, text=True, timeout=10)
    return out.stdout.strip()

def clinic_sql(sql):
    """What clinic software does: SQL on the calendar's schema."""
    out = subprocess.run(["psql", pg_url, "-qAt", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c",
                          "SET search_path TO " + calendar_schema, "-c", sql],
                         capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return out.stdout.strip()

# 1. Wait for the week's slots (at most two minutes: the feed waits on the write budget).
deadline = time.time() + 120
while time.time() < deadline:
    units = sim_state().get("slot_units", {})
    if sum(units.values()) >= 6 * 40:
        break
    time.sleep(1)
results["slot_units"] = sum(sim_state().get("slot_units", {}).values())

# 2. Singletons: who holds each, sampled every 0.25 s for the whole run.
names = ["default/release", "default/change-collection", "default/mapping-watch", "default/retention"]
samples = []
stop_sampling = threading.Event()
def sample():
    query = ("SELECT n, coalesce((SELECT string_agg(a.application_name, ',') FROM pg_locks l JOIN pg_stat_activity a "
             "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND "
             "((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('dpbridge-singleton:' || n, 0)), '') "
             "FROM unnest(ARRAY[" + ",".join("'%s'" % n for n in names) + "]) AS n")
    while not stop_sampling.is_set():
        rows = psql(query)
        samples.append((time.time(), dict(line.split("|", 1) for line in rows.splitlines() if "|" in line)))
        time.sleep(0.25)
sampler = threading.Thread(target=sample); sampler.start()

# 3. Patients book every free half hour of the week, two at a time, while A is killed,
#    restarted, and B killed.
zone = ZoneInfo("Europe/Warsaw")
tomorrow = (datetime.now(zone) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
starts = [tomorrow + timedelta(minutes=30 * i) for i in range(5 * 47)]
outcomes = []  # (time, outcome, partner_status, error)
made = set()  # the bookings these patients made
lock = threading.Lock()
def book(start):
    body = json.dumps({"address_id": "111", "start": start.isoformat()}).encode()
    request = urllib.request.Request(sim + "/_sim/book", body, {"Content-Type": "application/json"})
    at = time.time()
    try:
        with urllib.request.urlopen(request, timeout=15) as r:
            answer = json.load(r)
    except urllib.error.HTTPError as e:
        answer = {"outcome": "http-%d" % e.code, "error": e.read().decode(errors="replace")[:200]}
    with lock:
        outcomes.append((at, answer.get("outcome"), answer.get("partner_status"), answer.get("error")))
        if answer.get("outcome") == "booked":
            made.add(answer["booking"]["id"])
def worker(index):
    for start in starts[index::2]:
        book(start)
        time.sleep(0.05)

def pid(name):
    return int(open(os.path.join(work, name, "pid")).read())
events = []
threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
load_started = time.time()
for t in threads: t.start()
# Meanwhile the clinic books 30 visits of its own on the sixth day (which the patients
# leave free; the seventh is past the one-week horizon): 30 bookSlot calls to make, more than the budget of 10 a minute allows in
# the run; both instances' senders take them from the shared outbox.
day6 = tomorrow + timedelta(days=5)
clinic_sql("INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at, address_service_id, "
           "patient_name, patient_surname, patient_phone) VALUES " + ", ".join(
               "('1', '123', '111', '%s', '%s', '101', 'Clinic', 'Visit', '+48500100%03d')"
               % ((day6 + timedelta(minutes=30 * i)).isoformat(), (day6 + timedelta(minutes=30 * i + 30)).isoformat(), i)
               for i in range(30)))
time.sleep(8)
killed = {}
def kill(name):
    at = time.time()
    killed[at] = pid(name)
    events.append(("kill " + name.upper(), at))
    os.kill(pid(name), signal.SIGKILL)
kill("a")
time.sleep(8)
# The shell restarts A (it owns the processes) and says when A answers.
events.append(("restart A", time.time()))
open(os.path.join(work, "restart-a"), "w").close()
while not os.path.exists(os.path.join(work, "a-restarted")) and time.time() - events[-1][1] < 15:
    time.sleep(0.1)
time.sleep(8)
kill("b")
for t in threads: t.join()
load_ended = time.time()

# 4. Everything Docplanner booked reaches the calendar (jobs held by a killed instance are
#    claimable once their 60 s lease runs out), and no push stays undelivered.
def settled():
    state = sim_state()
    booked = {b["id"] for b in state["bookings"] if b.get("status") == "booked"} & made
    rows = clinic_sql("SELECT docplanner_booking_id, count(*) FROM bookings WHERE docplanner_booking_id IS NOT NULL "
                      "GROUP BY docplanner_booking_id")
    return state, booked, {k: int(v) for k, v in (line.split("|") for line in rows.splitlines() if "|" in line)}
# The run goes on at least 80 s from the start of the load: the survivor's takeover of
# each singleton is watched, and the clinic's 30 visits keep asking for more writes than
# two budget windows allow.
deadline = time.time() + 100
while time.time() < deadline:
    state, booked, in_calendar = settled()
    if booked and booked <= set(in_calendar) and state["failed_pushes"] == 0 and time.time() - load_started >= 80:
        break
    time.sleep(1)
settled_at = time.time()
stop_sampling.set(); sampler.join()
state, booked, in_calendar = settled()

results["events"] = [(name, at - load_started) for name, at in events]
results["bookings_made"] = len(booked)
results["booking_attempts"] = len(outcomes)
results["missing_in_calendar"] = sorted(booked - set(in_calendar))[:10]
results["missing_count"] = len(booked - set(in_calendar))
results["doubled_in_calendar"] = [k for k, c in in_calendar.items() if c > 1][:10]
results["failed_pushes"] = state["failed_pushes"]
results["settle_seconds"] = round(settled_at - load_ended, 1)
results["clinic_visits_on_docplanner"] = int(clinic_sql(
    "SELECT count(*) FROM bookings WHERE patient_name = 'Clinic' AND docplanner_booking_id IS NOT NULL"))
inbox = psql("SELECT state || '=' || count(*) FROM dpbridge_default.inbox GROUP BY state ORDER BY state")
results["inbox"] = inbox.replace("\n", " ")
results["inbox_duplicates"] = int(psql("SELECT count(*) FROM (SELECT dedup_key FROM dpbridge_default.inbox "
                                      "GROUP BY dedup_key HAVING count(*) > 1) d") or 0)
# Blocking questions: a failure (no approval: unreachable, timeout, 5xx) counts against
# the failover when it comes within 3 s of a kill (haproxy: 2 checks 0.5 s apart, plus
# the connection timeout); any other failure is a failure of the test.
failover = 3.0
kills = [at for name, at in events if name.startswith("kill")]
# A question counts when it was asked: "denied" (no approval came); a 409 from the
# simulator before asking (no free slot left at that time) is not the partner's.
failures = [(at, outcome, status, error) for at, outcome, status, error in outcomes if outcome == "denied"]
outside = [f for f in failures if not any(k <= f[0] <= k + failover for k in kills)]
results["question_failures"] = len(failures)
results["question_failures_outside_failover"] = [(round(f[0] - load_started, 2), f[1], f[2], (f[3] or "")[:80])
                                                for f in outside][:10]
spans = []
for k in kills:
    inside = [f[0] for f in failures if k <= f[0] <= k + failover]
    spans.append(round(max(inside) - k, 2) if inside else 0.0)
results["longest_failing_span_after_kill"] = max(spans) if spans else 0.0
pings = state.get("pings") or {}
results["pings_sent"] = pings.get("sent", 0)
results["pings_failed"] = pings.get("failed", 0)
results["most_consecutive_ping_failures"] = pings.get("most_consecutive_failures", 99)
results["rate_limited"] = state.get("rate_limited", -1)
results["writes_total"] = state.get("writes_total", 0)
sent = {}
for name in ("a", "b"):
    with open(os.path.join(work, name, "daemon.log"), errors="replace") as log:
        sent[name] = sum(1 for line in log if 'msg="clinic change sent to Docplanner"' in line)
results["changes_sent_by_instance"] = sent
# Singletons: never two holders; after each kill, held again (by the survivor) within 15 s.
two_holders = [(round(t - load_started, 2), n, h) for t, held in samples for n, h in held.items() if "," in h]
results["samples"] = len(samples)
results["two_holders"] = two_holders[:5]
takeover = {}
for name in names:
    worst = 0.0
    for k, dead in killed.items():
        # The first sample after the kill in which a live instance holds the singleton.
        live = next((t for t, held in samples if t > k and held.get(name) and f":{dead}" not in held[name]), None)
        worst = max(worst, (live - k) if live else 99.0)
    takeover[name] = round(worst, 2)
results["takeover_seconds"] = takeover
json.dump(results, sys.stdout)
PY
python3 "$work/driver.py" "$work" "$sim" "$TEST_POSTGRES_URL" "$calendar_schema" "$write_limit" >"$work/report.json" 2>"$work/driver.err" &
driver=$!
while kill -0 "$driver" 2>/dev/null; do
    if [ -e "$work/restart-a" ] && [ ! -e "$work/a-restarted" ]; then
        start_instance a && touch "$work/a-restarted"
    fi
    sleep 0.2
done
wait "$driver"
check "the load driver ran to its end" $? "$(tail -n 5 "$work/driver.err")"
[ -e "$work/a-restarted" ]; check "instance A restarted after its SIGKILL and answered /health" $?

field() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])).get(sys.argv[2])))' "$work/report.json" "$1" 2>/dev/null; }
echo "figures:"
for key in events slot_units booking_attempts bookings_made settle_seconds inbox inbox_duplicates failed_pushes \
    question_failures longest_failing_span_after_kill pings_sent pings_failed most_consecutive_ping_failures \
    writes_total clinic_visits_on_docplanner changes_sent_by_instance rate_limited samples takeover_seconds; do
    printf '  %-34s %s\n' "$key" "$(field "$key")"
done
num() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print(v if isinstance(v,(int,float)) else len(v))' "$work/report.json" "$1" 2>/dev/null || echo -1; }
made=$(num bookings_made)
[ "${made%.*}" -ge 100 ]; check "patients booked under the kills ($made bookings, each a blocking question and a push)" $?
[ "$(num missing_count)" = 0 ] && [ "$(num failed_pushes)" = 0 ]
check "every booking Docplanner made reached the clinic calendar, no push left undelivered" $? "missing $(field missing_in_calendar)"
[ "$(num doubled_in_calendar)" = 0 ] && [ "$(num inbox_duplicates)" = 0 ]
check "none is in the calendar or the inbox twice" $? "$(field doubled_in_calendar)"
[ "$(num question_failures_outside_failover)" = 0 ]
check "no blocking question failed outside haproxy's failover (3 s after a kill)" $? "$(field question_failures_outside_failover)"
[ "$(num most_consecutive_ping_failures)" -le 1 ] && [ "$(num pings_sent)" -gt 20 ]
check "at most one failed ping in a row" $? "$(field most_consecutive_ping_failures) of $(field pings_sent)"
[ "$(num two_holders)" = 0 ] && [ "$(num samples)" -gt 20 ]
check "each singleton held by one instance at a time" $? "$(field two_holders)"
python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["takeover_seconds"]; sys.exit(0 if t and max(t.values()) <= 15 else 1)' "$work/report.json" 2>/dev/null
check "each singleton taken over by the survivor within 15 s of a kill" $? "$(field takeover_seconds)"
[ "$(num rate_limited)" = 0 ] && [ "$(num writes_total)" -gt 0 ]
check "Docplanner's write budget ($write_limit a minute, both instances together) never exceeded" $? "$(field rate_limited) refused of $(field writes_total) writes"
# The database goes away (no new connections, the instance's ones ended): the survivor's
# /health answers 503 within seconds, so haproxy would send traffic elsewhere; 200 again
# once it is back.
admin_db=${TEST_POSTGRES_URL%/*}/postgres
db_name=${TEST_POSTGRES_URL##*/}
health() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${admin[a]}/health"; }
psql -qAt "$admin_db" -c "ALTER DATABASE $db_name ALLOW_CONNECTIONS false" \
    -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$db_name'" >/dev/null
lost=$(date +%s.%N); unhealthy=""
for _ in $(seq 1 150); do [ "$(health)" = 503 ] && { unhealthy=$(date +%s.%N); break; }; sleep 0.1; done
psql -qAt "$admin_db" -c "ALTER DATABASE $db_name ALLOW_CONNECTIONS true" >/dev/null
back=$(date +%s.%N); healthy=""
for _ in $(seq 1 150); do [ "$(health)" = 200 ] && { healthy=$(date +%s.%N); break; }; sleep 0.1; done
to_503=$([ -n "$unhealthy" ] && awk -v a="$lost" -v b="$unhealthy" 'BEGIN { printf "%.1f", b - a }' || echo never)
to_200=$([ -n "$healthy" ] && awk -v a="$back" -v b="$healthy" 'BEGIN { printf "%.1f", b - a }' || echo never)
echo "  /health after the database went away: 503 in ${to_503} s; 200 ${to_200} s after it came back"
[ -n "$unhealthy" ] && [ -n "$healthy" ]
check "/health answers 503 within 15 s of losing the database, and 200 again once it is back" $?

# `dpbridge status` on the survivor names it as the holder of every singleton.
# (After the outage above, its leases are taken again within a couple of seconds.)
cat >"$work/status-check.py" <<'PY'
import json, sys
holders = json.load(open(sys.argv[1])).get("singletons") or {}
print(holders)
wanted = {"release", "pull", "change-collection", "mapping-watch", "retention"}
sys.exit(0 if set(holders) == wanted and all(holders[n].endswith(":" + sys.argv[2]) for n in wanted - {"pull"})
         and holders["pull"] == "none" else 1)
PY
for _ in $(seq 1 30); do
    "$bin" status --json --config "$work/a/dpbridge.yaml" >"$work/status.json" 2>"$work/status.err"
    python3 "$work/status-check.py" "$work/status.json" "$(cat "$work/a/pid")" >"$work/status.check" 2>&1 && break
    sleep 0.5
done
python3 "$work/status-check.py" "$work/status.json" "$(cat "$work/a/pid")" >"$work/status.check" 2>&1
check "dpbridge status shows the survivor holding each singleton (pull: none, push mode)" $? "$(cat "$work/status.check" "$work/status.err" 2>/dev/null | tail -n 3)"
finish
