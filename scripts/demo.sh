#!/usr/bin/env bash
# A first look at dpbridge: runs the Docplanner simulator and the daemon with the example
# configuration on loopback; the simulator pings the daemon's callback URL and, acting as a
# patient, books and cancels (blocking slot-booking, then slot-booked and booking-canceled);
# curl plays a ping and a duplicate push; then the daemon's status and both logs are shown
# and everything stops gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(swift build --show-bin-path)/dpbridge
work=$(mktemp -d /tmp/dpbridge-demo.XXXXXX)
public_port=${DEMO_PUBLIC_PORT:-18080}
admin_port=${DEMO_ADMIN_PORT:-18081}
sim_port=${DEMO_SIMULATOR_PORT:-19090}
secret=demo-callback-secret-0123456789
sim=http://127.0.0.1:$sim_port
export DPBRIDGE_STORE_PATH="$work/dpbridge.sqlite"
export DPBRIDGE_PARTNER_EMBEDDED_PATH="$work/partner.sqlite"
export DPBRIDGE_LISTEN_PUBLIC_ADDRESS=127.0.0.1
export DPBRIDGE_LISTEN_PUBLIC_PORT=$public_port
export DPBRIDGE_LISTEN_ADMIN_PORT=$admin_port
export DPBRIDGE_LOG_FORMAT=text
export DPBRIDGE_DOCPLANNER_BASE_URL=$sim

# Prints a member of the JSON on stdin: json_get booking.id
json_get() { python3 -c 'import json,sys; v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v.get(k) if isinstance(v, dict) else None
print(v if not isinstance(v, (dict, list)) else json.dumps(v))' "$1"; }

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "configuration (etc/dpbridge.yaml, with DPBRIDGE_* overrides for this demo)"
"$bin" check-config --config etc/dpbridge.yaml | head -n 8
echo "…"

step "starting the Docplanner simulator: $bin simulate --port $sim_port --callback-url …/callbacks/<secret>"
"$bin" simulate --port "$sim_port" --callback-url "http://127.0.0.1:$public_port/callbacks/$secret" \
    --ping-interval 1 >"$work/simulator.out" 2>"$work/simulator.log" &
simulator=$!
step "starting: $bin run --config etc/dpbridge.yaml"
"$bin" run --config etc/dpbridge.yaml 2>"$work/daemon.log" &
daemon=$!
trap 'kill $daemon $simulator 2>/dev/null || true; wait $daemon $simulator 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$admin_port/health" 2>/dev/null \
        && curl -fsS -o /dev/null "$sim/_sim/state" 2>/dev/null && break
    sleep 0.1
done

step "the simulator's OAuth endpoint and API (what the daemon's client talks to)"
token=$(curl -sS -u demo-client:demo-client-secret -d grant_type=client_credentials -d scope=integration \
    "$sim/oauth/v2/token" | json_get access_token)
echo "token: ${token:0:8}…"
curl -sS -D - -o "$work/facilities.json" -H "Authorization: Bearer $token" "$sim/api/v3/integration/facilities" \
    | grep -i '^x-ratelimit'
cat "$work/facilities.json"; echo

step "Docplanner pings the callback URL (every second in this demo, every 5 minutes for real)"
sleep 1.5
curl -sS "$sim/_sim/state" | json_get pings

step "a patient books tomorrow at 11:00: slot-booking (blocking) asks the daemon, then slot-booked is pushed"
start=$(TZ=Europe/Warsaw date -d tomorrow +%Y-%m-%dT11:00:00%:z)
booked=$(curl -sS -H 'Content-Type: application/json' -d "{\"address_id\":\"111\",\"start\":\"$start\"}" "$sim/_sim/book")
echo "$booked"
booking=$(json_get booking.id <<<"$booked")

step "the patient cancels booking $booking: booking-canceled is pushed"
curl -sS -H 'Content-Type: application/json' -d "{\"booking_id\":\"$booking\"}" "$sim/_sim/cancel"; echo

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

step "status from the admin listener: GET http://127.0.0.1:$admin_port/status"
curl -sS "http://127.0.0.1:$admin_port/status"; echo

step "what the simulator delivered (GET $sim/_sim/state)"
curl -sS "$sim/_sim/state" | json_get deliveries

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
