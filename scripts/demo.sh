#!/usr/bin/env bash
# A first look at dpbridge: runs the Docplanner simulator and the daemon with the example
# configuration on loopback and walks the whole sync loop:
#   Docplanner → clinic: the simulator, acting as a patient, books (a blocking slot-booking,
#     then slot-booked) and the visit appears in the embedded partner calendar (an SQLite
#     file); the patient cancels (booking-canceled) and the row turns canceled;
#   clinic → Docplanner: the clinic changes a doctor's working hours in that file and the
#     simulator's slots follow (replaceSlots); the clinic books a visit and it is booked on
#     Docplanner (bookSlot), its new id written back;
# curl plays a ping, a wrong secret and a duplicate push; the daemon's status and both logs
# are shown and everything stops gracefully. Every wait is bounded; it takes a few seconds.
# DEMO_BIN=path/to/dpbridge runs that binary instead of swift's bin path.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${DEMO_BIN:-$(swift build --show-bin-path)/dpbridge}
work=$(mktemp -d /tmp/dpbridge-demo.XXXXXX)
public_port=${DEMO_PUBLIC_PORT:-18080}
admin_port=${DEMO_ADMIN_PORT:-18081}
sim_port=${DEMO_SIMULATOR_PORT:-19090}
secret=demo-callback-secret-0123456789
client_id=demo-client
client_secret=demo-client-secret
sim=http://127.0.0.1:$sim_port
export DPBRIDGE_STORE_PATH="$work/dpbridge.sqlite"
export DPBRIDGE_PARTNER_EMBEDDED_PATH="$work/partner.sqlite"
export DPBRIDGE_LISTEN_PUBLIC_ADDRESS=127.0.0.1
export DPBRIDGE_LISTEN_PUBLIC_PORT=$public_port
export DPBRIDGE_LISTEN_ADMIN_PORT=$admin_port
export DPBRIDGE_LOG_FORMAT=text
export DPBRIDGE_DOCPLANNER_BASE_URL=$sim
# The same client and callback secret for the daemon and the simulator, whatever the file says.
export DPBRIDGE_DOCPLANNER_CLIENT_ID=$client_id
export DPBRIDGE_DOCPLANNER_CLIENT_SECRET=$client_secret
export DPBRIDGE_CALLBACK_SECRET=$secret

# Prints a member of the JSON on stdin: json_get booking.id
json_get() { python3 -c 'import json,sys; v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v.get(k) if isinstance(v, dict) else None
print(v if not isinstance(v, (dict, list)) else json.dumps(v))' "$1"; }

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# The clinic's side: SQL on the embedded partner calendar, as the clinic software runs it.
clinic_sql() { sqlite3 -cmd '.timeout 5000' "$DPBRIDGE_PARTNER_EMBEDDED_PATH" "$@"; }
# The same, printed as a table with a header.
clinic_show() { sqlite3 -cmd '.timeout 5000' -header -column "$DPBRIDGE_PARTNER_EMBEDDED_PATH" "$@"; }

# wait_until TRIES COMMAND…: runs COMMAND every 0.1 s until it succeeds, at most TRIES times.
wait_until() {
    local tries=$1
    shift
    for _ in $(seq 1 "$tries"); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

# Stops the demo with a reason and the end of the logs (the EXIT trap stops both processes).
fail() {
    printf '\ndemo: %s\n' "$*" >&2
    for log in "$work/daemon.log" "$work/simulator.log"; do
        [[ -s $log ]] && printf -- '--- the end of %s:\n%s\n' "$log" "$(tail -n 20 "$log")" >&2
    done
    exit 1
}

# warsaw_at DAYS HH:MM: that local time DAYS days from today in the clinic's zone
# (docplanner.time_zone), ISO 8601 with the offset that holds then.
warsaw_at() {
    local day
    day=$(TZ=Europe/Warsaw date -d "+$1 days" +%F)
    TZ=Europe/Warsaw date -d "$day $2" +%Y-%m-%dT%H:%M:%S%:z
}

# A date with offset for a query string: + and : percent-encoded.
urlencode_date() {
    local s=${1//:/%3A}
    printf '%s' "${s//+/%2B}"
}

step "configuration (etc/dpbridge-demo.yaml, with DPBRIDGE_* overrides for this demo)"
"$bin" check-config --config etc/dpbridge-demo.yaml | head -n 8
echo "…"

step "starting the Docplanner simulator: $bin simulate --port $sim_port --callback-url …/callbacks/<secret>"
"$bin" simulate --port "$sim_port" --client-id "$client_id" --client-secret "$client_secret" \
    --callback-url "http://127.0.0.1:$public_port/callbacks/$secret" \
    --ping-interval 1 >"$work/simulator.out" 2>"$work/simulator.log" &
simulator=$!
daemon=
trap 'kill $daemon $simulator 2>/dev/null || true; wait $daemon $simulator 2>/dev/null || true' EXIT
# Up: it logged its start (not some other instance holding the port) and answers. Docplanner
# is there first, so the daemon's first calls to it at start find it.
simulator_up() {
    grep -q 'event=simulator-started' "$work/simulator.log" && curl -fsS -o /dev/null "$sim/_sim/state" 2>/dev/null
}
wait_until 50 simulator_up || fail "the simulator did not start within 5 s (port $sim_port in use? set DEMO_SIMULATOR_PORT)"

step "starting: $bin run --config etc/dpbridge-demo.yaml"
"$bin" run --config etc/dpbridge-demo.yaml 2>"$work/daemon.log" &
daemon=$!
daemon_up() {
    grep -q 'event=started' "$work/daemon.log" \
        && curl -fsS -o /dev/null "http://127.0.0.1:$admin_port/health" 2>/dev/null
}
wait_until 50 daemon_up \
    || fail "the daemon did not start within 5 s (ports $public_port, $admin_port in use? set DEMO_PUBLIC_PORT, DEMO_ADMIN_PORT)"

step "the simulator's OAuth endpoint and API (what the daemon's client talks to)"
token=$(curl -sS -u "$client_id:$client_secret" -d grant_type=client_credentials -d scope=integration \
    "$sim/oauth/v2/token" | json_get access_token)
echo "token: ${token:0:8}…"
curl -sS -D - -o "$work/facilities.json" -H "Authorization: Bearer $token" "$sim/api/v3/integration/facilities" \
    | grep -i '^x-ratelimit'
cat "$work/facilities.json"; echo

step "Docplanner pings the callback URL (every second in this demo, every 5 minutes for real)"
sleep 1.5
curl -sS "$sim/_sim/state" | json_get pings

step "a patient books tomorrow at 11:00: slot-booking (blocking) asks the daemon, then slot-booked is pushed"
start=$(warsaw_at 1 11:00)
booked=$(curl -sS -H 'Content-Type: application/json' -d "{\"address_id\":\"111\",\"start\":\"$start\"}" "$sim/_sim/book")
echo "$booked"
booking=$(json_get booking.id <<<"$booked")
[[ $booking =~ ^[0-9]+$ ]] || fail "the simulator did not book: $booked"

step "the visit arrives in the clinic calendar (table bookings of partner.sqlite)"
booking_row="SELECT docplanner_booking_id, start_at, status, patient_name FROM bookings
    WHERE docplanner_booking_id = '$booking'"
booking_in_partner() { [[ -n $(clinic_sql "$booking_row" 2>/dev/null) ]]; }
wait_until 50 booking_in_partner || fail "booking $booking did not reach the partner calendar within 5 s"
clinic_show "$booking_row"

step "the patient cancels booking $booking: booking-canceled is pushed"
curl -sS -H 'Content-Type: application/json' -d "{\"booking_id\":\"$booking\"}" "$sim/_sim/cancel"; echo

step "the clinic calendar's row turns canceled"
booking_canceled() {
    [[ $(clinic_sql "SELECT status FROM bookings WHERE docplanner_booking_id = '$booking'" 2>/dev/null) == canceled ]]
}
wait_until 50 booking_canceled || fail "booking $booking did not turn canceled in the partner calendar within 5 s"
clinic_show "$booking_row"

step "Docplanner's ping: GET http://127.0.0.1:$public_port/callbacks/<secret>"
curl -sS -w '  → HTTP %{http_code} in %{time_total}s\n' "http://127.0.0.1:$public_port/callbacks/$secret"

step "a wrong secret is refused"
curl -sS -w '  → HTTP %{http_code}\n' "http://127.0.0.1:$public_port/callbacks/wrong-secret"

step "Docplanner pushes slot-booked; the answer comes after the event is on disk"
body='{"name":"slot-booked","data":{"facility":{"id":"1"},"doctor":{"id":"2"},"address":{"id":"3"},"visit_booking":{"id":"900001","start_at":"2026-12-01T10:00:00+01:00","end_at":"2026-12-01T10:30:00+01:00"}},"created_at":"2026-11-25T10:00:00+01:00"}'
curl -sS -w '  → HTTP %{http_code} in %{time_total}s\n' -H 'Content-Type: application/json' -d "$body" \
    "http://127.0.0.1:$public_port/callbacks/$secret"
step "the same event again (Docplanner re-sends, or PUSH and PULL both deliver): stored once"
curl -sS -w '  → HTTP %{http_code}\n' -H 'Content-Type: application/json' -d "$body" \
    "http://127.0.0.1:$public_port/callbacks/$secret"

step "the clinic changes Dr 123's schedule at address 111: 08:00–12:00 every day, 30-minute visits (service 101)"
clinic_sql "INSERT INTO working_hours
        (facility_id, doctor_id, address_id, weekday, start_time, end_time, address_service_id, duration)
    WITH RECURSIVE d(weekday) AS (SELECT 1 UNION ALL SELECT weekday + 1 FROM d WHERE weekday < 7)
    SELECT '1', '123', '111', weekday, '08:00', '12:00', '101', 30 FROM d;"
clinic_show "SELECT weekday, start_time, end_time, address_service_id, duration FROM working_hours
    WHERE doctor_id = '123' AND address_id = '111' ORDER BY weekday"

day10=$(warsaw_at 10 00:00)
day11=$(warsaw_at 11 00:00)
slots_path="/api/v3/integration/facilities/1/doctors/123/addresses/111/slots"
slots_url="$sim$slots_path?start=$(urlencode_date "$day10")&end=$(urlencode_date "$day11")"
step "dpbridge feeds the new hours to Docplanner (replaceSlots); the simulator's slots on ${day10%%T*} follow"
echo "GET $slots_path?start=$(urlencode_date "$day10")&end=…"
# The slots' start times (HH:MM) on one line; nothing while there are none (a 404).
slot_times() {
    curl -sS -H "Authorization: Bearer $token" "$slots_url" | python3 -c 'import json,sys
print(" ".join(i["start"][11:16] for i in json.load(sys.stdin).get("_items") or []))' 2>/dev/null
}
slots=
slots_from_eight() {
    slots=$(slot_times)
    [[ $slots == 08:00* ]]
}
wait_until 100 slots_from_eight || fail "the simulator's slots did not start at 08:00 within 10 s (last: '$slots')"
echo "slots: $slots"

visit_start=$(warsaw_at 4 10:00)
visit_end=$(warsaw_at 4 10:30)
step "the clinic books a visit at $visit_start in its calendar: dpbridge books it on Docplanner (bookSlot)"
row=$(clinic_sql "INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at,
        address_service_id, patient_name, patient_surname, patient_phone)
    VALUES ('1', '123', '111', '$visit_start', '$visit_end', '101', 'Anna', 'Nowak', '+48500100200')
    RETURNING id;")
clinic_row="SELECT id, docplanner_booking_id, start_at, status, patient_name, origin FROM bookings WHERE id = $row"
clinic_show "$clinic_row"
clinic_booking=
has_docplanner_id() {
    clinic_booking=$(clinic_sql "SELECT docplanner_booking_id FROM bookings WHERE id = $row" 2>/dev/null)
    [[ -n $clinic_booking ]]
}
wait_until 100 has_docplanner_id || fail "the clinic's booking (row $row) got no Docplanner id within 10 s"
echo "… and Docplanner's id is written back:"
clinic_show "$clinic_row"

step "Docplanner has booking $clinic_booking (GET $sim/_sim/state → bookings)"
curl -sS "$sim/_sim/state" | python3 -c 'import json,sys
found = [b for b in json.load(sys.stdin)["bookings"] if b["id"] == sys.argv[1]]
print(json.dumps(found[0], sort_keys=True)) if found else sys.exit(1)' "$clinic_booking" \
    || fail "the simulator has no booking $clinic_booking"

step "what the simulator delivered (GET $sim/_sim/state → deliveries)"
curl -sS "$sim/_sim/state" | json_get deliveries

step "status from the admin listener: GET http://127.0.0.1:$admin_port/status"
curl -sS "http://127.0.0.1:$admin_port/status"; echo
echo "On a server: curl -s http://127.0.0.1:8081/status (the admin listener), systemctl status dpbridge"
echo "(its one-line STATUS=) and journalctl -u dpbridge -f (or journalctl DPBRIDGE_BOOKING_ID=<id>)."

step "stopping with SIGTERM (graceful drain)"
kill -TERM $daemon
wait $daemon && echo "daemon exited with status 0"
kill -TERM $simulator
wait $simulator && echo "simulator exited with status 0"
trap - EXIT

step "the daemon's log ($work/daemon.log)"
cat "$work/daemon.log"

step "the simulator's log ($work/simulator.log)"
cat "$work/simulator.log"
