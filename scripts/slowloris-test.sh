#!/usr/bin/env bash
# Slowloris test: 500 connections each send one header byte per second to dpbridge's
# public listener while a normal client keeps asking for the ping route; the normal
# requests must not be delayed by more than 100 ms. Then the connection cap: with the
# cap at 600 and 500 slow connections held, 150 more connections see exactly the
# excess refused with 503. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ulimit -n 8192 2>/dev/null || true
bin="$(swift build --show-bin-path)/dpbridge"
[ -x "$bin" ] || swift build --product dpbridge >/dev/null
work=$(mktemp -d /tmp/dpbridge-slowloris.XXXXXX)
public_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
admin_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
secret=slowloris-callback-secret-0123
DPBRIDGE_STORE_PATH="$work/dpbridge.sqlite" DPBRIDGE_PARTNER_EMBEDDED_PATH="$work/partner.sqlite" \
DPBRIDGE_DOCPLANNER_BASE_URL=http://127.0.0.1:9 \
DPBRIDGE_LISTEN_PUBLIC_ADDRESS=127.0.0.1 DPBRIDGE_LISTEN_PUBLIC_PORT=$public_port \
DPBRIDGE_LISTEN_ADMIN_PORT=$admin_port DPBRIDGE_CALLBACK_SECRET=$secret DPBRIDGE_HTTP_MAX_CONNECTIONS=600 \
DPBRIDGE_LOG_FORMAT=text DPBRIDGE_LOG_LEVEL=warning \
    "$bin" run --config etc/dpbridge-demo.yaml 2>"$work/daemon.log" &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$public_port/callbacks/$secret" && break; sleep 0.1; done

python3 - "$public_port" "$secret" <<'PY'
import socket, sys, time
port, secret = int(sys.argv[1]), sys.argv[2]
request = f"GET /callbacks/{secret} HTTP/1.1\r\nHost: dpbridge\r\n\r\n".encode()
passed = failed = 0
def check(name, ok, detail=""):
    global passed, failed
    if ok: passed += 1; print(f"ok   {name} {detail}")
    else: failed += 1; print(f"FAIL {name} {detail}")

def normal_request():
    started = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"}"):
        chunk = s.recv(4096)
        if not chunk: break
        data += chunk
    s.close()
    return (time.monotonic() - started) * 1000, data.startswith(b"HTTP/1.1 200")

baseline = [normal_request()[0] for _ in range(20)]
slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(500)]
latencies, statuses_ok = [], True
start = time.monotonic()
for second in range(5):  # one header byte per second on every slow connection
    for s in slow:
        s.send(request[second:second + 1])
    while time.monotonic() - start < second + 1:
        latency, ok = normal_request()
        latencies.append(latency); statuses_ok &= ok
        time.sleep(0.05)
latencies.sort()
p50 = latencies[len(latencies) // 2]; p99 = latencies[int(len(latencies) * 0.99)]; worst = latencies[-1]
print(f"normal request latency without slow clients: median {sorted(baseline)[10]:.2f} ms")
print(f"with 500 slow clients: {len(latencies)} requests, median {p50:.2f} ms, p99 {p99:.2f} ms, max {worst:.2f} ms")
check("normal requests answered 200 throughout", statuses_ok)
check("no normal request delayed more than 100 ms by 500 slowloris connections", worst <= 100, f"(max {worst:.2f} ms)")

# The cap (600): 500 slow held, 150 more -> 50 refused with 503, the rest held open.
extra = [socket.create_connection(("127.0.0.1", port)) for _ in range(150)]
time.sleep(0.5)
refused = 0
for s in extra:
    s.settimeout(0.2)
    try:
        data = s.recv(100)
        if data.startswith(b"HTTP/1.1 503") or data == b"": refused += 1
    except socket.timeout:
        pass
check("connection cap holds: excess connections refused with 503", refused == 50, f"({refused} of 150 refused, cap 600, 500 held)")
for s in slow + extra: s.close()
time.sleep(0.3)
latency, ok = normal_request()
check("service normal again after the slow clients leave", ok, f"({latency:.2f} ms)")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
