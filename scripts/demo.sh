#!/usr/bin/env bash
# A first look at dpbridge: runs the daemon with the example configuration on loopback,
# plays Docplanner's ping and one pushed event with curl, shows the daemon's status and
# log lines, then stops it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(swift build --show-bin-path)/dpbridge
work=$(mktemp -d /tmp/dpbridge-demo.XXXXXX)
public_port=${DEMO_PUBLIC_PORT:-18080}
admin_port=${DEMO_ADMIN_PORT:-18081}
secret=demo-callback-secret-0123456789
export DPBRIDGE_STORE_PATH="$work/dpbridge.sqlite"
export DPBRIDGE_PARTNER_EMBEDDED_PATH="$work/partner.sqlite"
export DPBRIDGE_LISTEN_PUBLIC_ADDRESS=127.0.0.1
export DPBRIDGE_LISTEN_PUBLIC_PORT=$public_port
export DPBRIDGE_LISTEN_ADMIN_PORT=$admin_port
export DPBRIDGE_LOG_FORMAT=text

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "configuration (etc/dpbridge.yaml, with DPBRIDGE_* overrides for this demo)"
"$bin" check-config --config etc/dpbridge.yaml | head -n 8
echo "…"

step "starting: $bin run --config etc/dpbridge.yaml"
"$bin" run --config etc/dpbridge.yaml 2>"$work/daemon.log" &
daemon=$!
trap 'kill $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$admin_port/health" 2>/dev/null && break
    sleep 0.1
done

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

step "stopping with SIGTERM (graceful drain)"
kill -TERM $daemon
wait $daemon && echo "daemon exited with status 0"
trap - EXIT

step "the daemon's log ($work/daemon.log)"
cat "$work/daemon.log"
