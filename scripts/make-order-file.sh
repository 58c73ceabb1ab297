#!/usr/bin/env bash
# Regenerates Sources/dpbridge/dpbridge.order, the symbol ordering file the release link
# of dpbridge gives lld (Package.swift): the functions the daemon runs, laid out next to
# each other, so that its resident code is ~1 MB of pages instead of the ~180 scattered
# 64 KB read-around windows (~11 MB) it touched before (issue 3: RSS <= 30 MB).
#
# Runs the release daemon under valgrind's callgrind in three phases, and lists the
# functions of the dpbridge binary that ran, one mangled name a line, phase by phase
# (each phase's new ones sorted), so that what runs together lies together:
#   1. what scripts/bench-http.sh measures: start with the example configuration,
#      Docplanner's pings (GET, HEAD, POST without a body), 1,000 idle keep-alive
#      connections;
#   2. one slot-booked callback stored and applied to the embedded calendar, the admin
#      listener's /health and /status;
#   3. a graceful stop.
#
# A stale file does no harm: names that no longer exist are ignored (the link passes
# --no-warn-symbol-ordering) and new functions are placed after the listed ones, as
# without the file. Rerun after large changes; it takes a minute or two.
# Usage: scripts/make-order-file.sh   (SWIFT=scripts/swiftlock on a shared machine)
set -euo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
scripts/setup.sh valgrind binutils
$swift build -c release --static-swift-stdlib --product dpbridge >/dev/null
bin="$($swift build -c release --static-swift-stdlib --show-bin-path)/dpbridge"
work=$(mktemp -d /tmp/dpbridge-order.XXXXXX)
daemon=
cleanup() { [ -z "$daemon" ] || kill "$daemon" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# Valgrind 3.19 (Debian 12) cannot read the DWARF 5 the toolchain emits; the symbol
# table is all this needs.
objcopy --strip-debug "$bin" "$work/dpbridge"
public_port=${PUBLIC_PORT:-18491}
admin_port=${ADMIN_PORT:-18492}
secret=order-callback-secret-0123456789
# /status needs the admin token (it shows the queues).
admin_token=order-admin-token-0123456789abcdef
DPBRIDGE_STORE_PATH="$work/dpbridge.sqlite" DPBRIDGE_PARTNER_EMBEDDED_PATH="$work/partner.sqlite" \
DPBRIDGE_DOCPLANNER_BASE_URL=http://127.0.0.1:9 \
DPBRIDGE_LISTEN_PUBLIC_ADDRESS=127.0.0.1 DPBRIDGE_LISTEN_PUBLIC_PORT=$public_port \
DPBRIDGE_LISTEN_ADMIN_PORT=$admin_port DPBRIDGE_LISTEN_ADMIN_TOKEN=$admin_token \
DPBRIDGE_CALLBACK_SECRET=$secret DPBRIDGE_LOG_LEVEL=warning DPBRIDGE_HTTP_MAX_CONNECTIONS=4096 DPBRIDGE_LOG_FORMAT=text \
    valgrind --tool=callgrind --demangle=no --dump-instr=no --callgrind-out-file="$work/callgrind.out" \
    "$work/dpbridge" run --config etc/dpbridge-demo.yaml 2>"$work/dpbridge.log" &
daemon=$!
for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$public_port/callbacks/$secret" && break
    sleep 0.1
done

client() {  # phase: runs one phase's requests
    python3 - "$1" "$public_port" "$admin_port" "$secret" "$admin_token" <<'PY'
import http.client, json, socket, sys, time
phase, public, admin, secret, token = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
path = f"/callbacks/{secret}"
if phase == "serve":
    connection = http.client.HTTPConnection("127.0.0.1", public, timeout=60)
    for _ in range(200):
        connection.request("GET", path); connection.getresponse().read()
    connection.request("HEAD", path); connection.getresponse().read()
    connection.request("POST", path, body=b""); connection.getresponse().read()
    connection.close()
    sockets = []
    for _ in range(1000):
        s = socket.create_connection(("127.0.0.1", public))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        sockets.append(s)
    for s in sockets:
        s.recv(4096)
    time.sleep(1)
    for s in sockets:
        s.close()
else:
    event = ('{"name":"slot-booked","data":{"facility":{"id":"1","name":"Sample hospital"},'
        '"doctor":{"id":"123","name":"Sample","surname":"Doctor 123"},'
        '"address":{"id":"111","name":"Example hospital","street":"Some street","post_code":"00-001"},'
        '"visit_booking":{"id":"90000001","status":"booked","start_at":"2030-01-07T08:00:00+01:00",'
        '"end_at":"2030-01-07T08:15:00+01:00","duration":15,"booked_by":"user","canceled_by":"",'
        '"booked_at":"2029-12-31T08:00:00+01:00",'
        '"address_service":{"id":"101","name":"Service","price":50,"is_price_from":false,"is_visible":true},'
        '"patient":{"name":"Order","surname":"Patient","email":"order@example.com","phone":"+48500100200",'
        '"birth_date":"1985-01-01","gender":"f"},"comment":"order-file"}},'
        '"created_at":"2029-12-31T08:00:00+01:00"}')
    connection = http.client.HTTPConnection("127.0.0.1", public, timeout=60)
    connection.request("POST", path, body=event.encode(), headers={"Content-Type": "application/json"})
    answer = connection.getresponse()
    assert answer.status == 200, f"the event was not stored: {answer.status} {answer.read()!r}"
    answer.read()
    connection.close()
    time.sleep(3)  # the inbound worker applies the event
    status = http.client.HTTPConnection("127.0.0.1", admin, timeout=60)
    for route in ("/health", "/status"):
        status.request("GET", route, headers={"Authorization": f"Bearer {token}"})
        body = status.getresponse().read()
        if route == "/status":
            assert json.loads(body)["inbox"]["done"] == 1, f"the event was not applied: {body.decode()}"
    status.close()
PY
}
client serve
callgrind_control --dump=serve "$daemon" >/dev/null 2>&1
client event
callgrind_control --dump=event "$daemon" >/dev/null 2>&1
kill -TERM "$daemon"
wait "$daemon" || true
daemon=

# Every function of the dpbridge object that callgrind saw run, by phase (a dump file
# per phase; each writes a name in full once, then refers to it by number).
python3 - "$work"/callgrind.out* >Sources/dpbridge/dpbridge.order <<'PY'
import re, sys
def functions_run(path):
    objects, functions, current, ran = {}, {}, None, set()
    def resolve(table, text):
        match = re.match(r"\((\d+)\)(?: (.*))?$", text)
        if not match:
            return text
        if match[2] is not None:
            table[match[1]] = match[2]
        return table.get(match[1])
    part = 0
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("part: "):
            part = int(line[6:])
        elif line.startswith(("ob=", "cob=")):
            name = resolve(objects, line.split("=", 1)[1])
            if line.startswith("ob="):
                current = name
        elif line.startswith(("fn=", "cfn=")):
            name = resolve(functions, line.split("=", 1)[1])
            if line.startswith("fn=") and current and current.endswith("/dpbridge") and not name.startswith("0x"):
                ran.add(name)
    return part, ran
parts = sorted(functions_run(path) for path in sys.argv[1:])
assert len(parts) == 3, f"expected 3 profile dumps, got {len(parts)}"
listed = set()
for _, ran in parts:
    for name in sorted(ran - listed):
        print(name)
    listed |= ran
PY
echo "Sources/dpbridge/dpbridge.order: $(wc -l <Sources/dpbridge/dpbridge.order) functions"
# SwiftPM does not know the order file is an input of the link: remove the binary so
# that the next build links it again with the new order.
rm -f "$bin"
