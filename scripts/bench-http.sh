#!/usr/bin/env bash
# HTTP benchmark: wrk (1 thread, 64 connections, 10 s) against dpbridge's ping route
# (GET /callbacks/<secret>, one event-loop thread) and against nginx (1 worker)
# returning 200 with a tiny body, both on loopback in the same run. Prints requests/s
# and p99 for both and the ratio; then dpbridge's RSS with 1,000 idle keep-alive
# connections open.
# Targets (issue 3): >= 1.0x nginx's requests/s, p99 <= 2 ms, RSS <= 30 MB.
# Both servers run on CPU 0 and wrk on CPU 1 (on a machine with two or more), so that
# the scheduler does not put client and server on one core in some rounds and not in
# others. Also prints each server's CPU time per request (user + system, from
# /proc/PID/stat over the round), a figure that varies less than requests/s.
# Usage: scripts/bench-http.sh [DURATION]   (ROUNDS=3 by default; SWIFT=scripts/swiftlock on a shared
# machine; BIN=path/to/dpbridge benchmarks that binary instead of building one)
# BASELINE_BIN=path/to/older/dpbridge (with BASELINE_CONFIG=its example configuration) adds that
# build as a third server in the same rounds, to show whether a change regressed the ping:
# its row and the CPU-per-request ratio of this build to it are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
scripts/setup.sh nginx-light wrk
swift=${SWIFT:-swift}
if [ -n "${BIN:-}" ]; then
    bin=$BIN  # a daemon built before, e.g. to compare two builds in the same conditions
else
    $swift build -c release --static-swift-stdlib --product dpbridge >/dev/null  # as installed (make install)
    bin="$($swift build -c release --static-swift-stdlib --show-bin-path)/dpbridge"
fi
work=$(mktemp -d /tmp/dpbridge-bench-http.XXXXXX)
nginx_port=${NGINX_PORT:-18480}
public_port=${PUBLIC_PORT:-18481}
admin_port=${ADMIN_PORT:-18482}
secret=bench-callback-secret-0123456789
pids=()
if [ "$(nproc)" -ge 2 ]; then server_cpu=(taskset -c 0); client_cpu=(taskset -c 1); else server_cpu=(); client_cpu=(); fi
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# nginx, one worker, no logging.
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $work/body;
    server {
        listen 127.0.0.1:$nginx_port;
        location / { return 200 '{"status":"ok"}'; }
    }
}
CONF
"${server_cpu[@]}" nginx -c "$work/nginx.conf" &
nginx_master=$!
pids+=($nginx_master)

# dpbridge with the example configuration, state in its own directory.
start_dpbridge() {  # BIN CONFIG PUBLIC_PORT ADMIN_PORT NAME; sets $started
    mkdir -p "$work/$5"
    DPBRIDGE_STORE_PATH="$work/$5/dpbridge.sqlite" DPBRIDGE_PARTNER_EMBEDDED_PATH="$work/$5/partner.sqlite" \
    DPBRIDGE_DOCPLANNER_BASE_URL=http://127.0.0.1:9 \
    DPBRIDGE_LISTEN_PUBLIC_ADDRESS=127.0.0.1 DPBRIDGE_LISTEN_PUBLIC_PORT=$3 \
    DPBRIDGE_LISTEN_ADMIN_PORT=$4 DPBRIDGE_CALLBACK_SECRET=$secret DPBRIDGE_LOG_LEVEL=warning \
    DPBRIDGE_HTTP_MAX_CONNECTIONS=4096 DPBRIDGE_LOG_FORMAT=text \
        "${server_cpu[@]}" "$1" run --config "$2" 2>"$work/$5.log" &
    started=$!
    pids+=($started)
    for _ in $(seq 1 100); do
        curl -fs -o /dev/null "http://127.0.0.1:$3/callbacks/$secret" && return 0
        sleep 0.1
    done
    echo "$5 did not answer its ping; its log:" >&2; cat "$work/$5.log" >&2; exit 1
}
start_dpbridge "$bin" etc/dpbridge-demo.yaml "$public_port" "$admin_port" dpbridge
daemon=$started
servers=("nginx (1 worker)|http://127.0.0.1:$nginx_port/|nginx")
servers+=("dpbridge ping (1 loop)|http://127.0.0.1:$public_port/callbacks/$secret|$daemon")
if [ -n "${BASELINE_BIN:-}" ]; then
    baseline_public=${BASELINE_PUBLIC_PORT:-18483}
    start_dpbridge "$BASELINE_BIN" "${BASELINE_CONFIG:-etc/dpbridge-demo.yaml}" "$baseline_public" "${BASELINE_ADMIN_PORT:-18484}" baseline
    servers+=("baseline build ping|http://127.0.0.1:$baseline_public/callbacks/$secret|$started")
fi
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/" && break; sleep 0.1; done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
nginx_worker=$(pgrep -P "$nginx_master" | head -n 1)
run_wrk() {  # URL SERVER_PID; prints "requests_per_second p99_ms cpu_us_per_request"
    local before after requests
    before=$(cpu_ticks "$2")
    "${client_cpu[@]}" wrk -t1 -c64 -d"$duration" --latency "$1" >"$work/wrk.txt"
    after=$(cpu_ticks "$2")
    requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")
    p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 } print v }' "$work/wrk.txt")
    errors=$(awk '/Non-2xx|Socket errors/ { print }' "$work/wrk.txt")
    [ -z "$errors" ] || echo "  wrk: $errors" >&2
    echo "$rps $p99 $(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')"
}

# Rounds rotate which server goes first, so drift on a shared machine hits all;
# each figure is the median over the rounds.
rounds=${ROUNDS:-3}
echo "wrk -t1 -c64 -d$duration, loopback, $(nproc) cores, $rounds rounds"
count=${#servers[@]}
for index in $(seq 0 $((count - 1))); do : >"$work/server-$index.txt"; done
for round in $(seq 1 "$rounds"); do
    for offset in $(seq 0 $((count - 1))); do
        index=$(((round - 1 + offset) % count))
        IFS='|' read -r _ url pid <<<"${servers[$index]}"
        [ "$pid" = nginx ] && pid=$nginx_worker
        run_wrk "$url" "$pid" >>"$work/server-$index.txt"
    done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
column_median() { awk -v c="$2" '{ print $c }' "$work/server-$1.txt" | median; }
for index in $(seq 0 $((count - 1))); do
    IFS='|' read -r name _ _ <<<"${servers[$index]}"
    echo "rounds of $name (requests/s p99_ms cpu_us/request): $(tr '\n' ';' <"$work/server-$index.txt")"
done
printf '%-28s %12s %10s %16s\n' "server (median)" "requests/s" "p99 (ms)" "CPU us/request"
for index in $(seq 0 $((count - 1))); do
    IFS='|' read -r name _ _ <<<"${servers[$index]}"
    printf '%-28s %12.0f %10.2f %16.2f\n' "$name" "$(column_median "$index" 1)" "$(column_median "$index" 2)" "$(column_median "$index" 3)"
done
awk -v a="$(column_median 1 1)" -v b="$(column_median 0 1)" 'BEGIN { printf "ratio dpbridge/nginx: %.2fx requests/s\n", a / b }'
if [ "$count" -eq 3 ]; then
    awk -v a="$(column_median 1 1)" -v b="$(column_median 2 1)" -v ca="$(column_median 1 3)" -v cb="$(column_median 2 3)" \
        'BEGIN { printf "ratio dpbridge/baseline build: %.2fx requests/s, %.2fx CPU per request\n", a / b, ca / cb }'
fi

# RSS with 1,000 idle keep-alive connections.
python3 - "$public_port" "$secret" "$daemon" <<'PY'
import socket, sys, time
port, secret, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def rss_mb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
before = rss_mb()
sockets = []
for i in range(1000):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET /callbacks/{secret} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    sockets.append(s)
for s in sockets:
    s.recv(4096)
time.sleep(0.5)
after = rss_mb()
print(f"RSS: {before:.1f} MB before, {after:.1f} MB with 1000 idle keep-alive connections", end="")
if after <= 30:
    print(" (target <= 30 MB: pass)")
else:
    # Most often the link's symbol order is stale and the daemon's code lies scattered again.
    print(" (target <= 30 MB: FAIL; if the binary's own resident pages grew, rerun scripts/make-order-file.sh)")
for s in sockets: s.close()
PY
