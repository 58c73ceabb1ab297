#!/usr/bin/env bash
# Proves dpbridge as a systemd service on a real systemd: builds the .deb (`make deb`),
# installs it with dpkg into a minimal Debian 12 root booted with `systemd-nspawn --boot`
# (own network namespace), and drives it with systemctl/journalctl inside the container.
#
# Checks: the installed configuration is a template check-config refuses; `dpbridge init`
# (non-interactive, with flags) writes the secrets (0700/0600) and a production
# configuration, prints the callback URL, and changes nothing when run again; both unit
# files pass `systemd-analyze verify`; the first connection on the loopback socket starts
# the service (socket activation), which becomes active only after READY=1, and the
# printed callback URL answers the ping; the unit's limits (LimitCORE=0, MemoryMax=,
# TasksMax=, UMask=, /run/dpbridge) are in force; a callback is acknowledged and its
# booking is found with `journalctl DPBRIDGE_BOOKING_ID=…`; `systemctl reload` reloads in
# place; a SIGSTOP'd daemon is killed by the watchdog and restarted; `systemctl stop`
# finishes an in-flight request and exits cleanly; `systemd-analyze security` reports an
# exposure ≤ 2.0.
#
# init writes Docplanner's real address; the container has no network, so a drop-in
# points the service at a simulator (`dpbridge simulate`, the package's own binary, run
# in the container's network namespace) with DPBRIDGE_DOCPLANNER_BASE_URL, the way a
# staging server is pointed elsewhere. The simulator publishes 127.0.0.1 as Docplanner's
# address, which init's configuration (use_docplanner_ips) then admits.
#
# The Debian root is built once with debootstrap (about a minute) and cached in
# $DPBRIDGE_SYSTEMD_BASE (default /var/tmp/dpbridge-systemd-base). Needs root.
# Prints one line per check and "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

passed=0
failed=0
pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1${2:+: $2}"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

if [ "$(id -u)" -ne 0 ]; then
    fail "systemd-test needs root (debootstrap, systemd-nspawn)"
    finish
fi
scripts/setup.sh debootstrap systemd-container dpkg-dev python3 curl || { fail "setup"; finish; }

# 1. A minimal Debian 12 root with systemd and the libraries dpbridge links.
base=${DPBRIDGE_SYSTEMD_BASE:-/var/tmp/dpbridge-systemd-base}
includes=systemd,systemd-sysv,dbus,libcurl4,libsqlite3-0,libpq5
if [ "$(cat "$base/.dpbridge-base" 2>/dev/null)" != "$includes" ]; then
    echo "building the Debian root in $base (debootstrap, about a minute)"
    rm -rf "$base"
    if ! debootstrap --variant=minbase --include="$includes" bookworm "$base" http://deb.debian.org/debian \
        > /tmp/dpbridge-debootstrap.log 2>&1; then
        fail "debootstrap" "see /tmp/dpbridge-debootstrap.log"
        finish
    fi
    echo "$includes" > "$base/.dpbridge-base"
fi

# 2. The package, built as an operator would.
echo "building the package (make deb)"
if ! make --no-print-directory deb > /tmp/dpbridge-make-deb.log 2>&1; then
    fail "make deb" "see /tmp/dpbridge-make-deb.log"
    finish
fi
deb=$(ls -t out/deb/dpbridge_*.deb | head -n 1)
grep '^make-deb: Depends' /tmp/dpbridge-make-deb.log

root=$(mktemp -d /var/tmp/dpbridge-systemd-test.XXXXXX)
nspawn_pid=""
leader=""
simulator=""
cleanup() {
    if [ -n "$simulator" ]; then kill "$simulator" 2>/dev/null; wait "$simulator" 2>/dev/null; fi
    if [ -n "$leader" ]; then nsenter -t "$leader" -a systemctl poweroff >/dev/null 2>&1 || true; fi
    if [ -n "$nspawn_pid" ]; then
        for _ in $(seq 1 100); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$nspawn_pid" 2>/dev/null || true
        wait "$nspawn_pid" 2>/dev/null || true
    fi
    rm -rf "$root"
}
trap cleanup EXIT
cp -a "$base/." "$root/"
cp "$deb" "$root/root/dpbridge.deb"
echo "dpbridge-test" > "$root/etc/hostname"

# 3. Boot it.
systemd-nspawn --boot -D "$root" --register=no --keep-unit --private-network --console=passive -q \
    > /tmp/dpbridge-nspawn.log 2>&1 < /dev/null &
nspawn_pid=$!
for _ in $(seq 1 200); do
    # --keep-unit: no scope on the host's bus; the container's init is nspawn's child.
    for pid in $(pgrep -P "$nspawn_pid"); do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = systemd ] && leader=$pid
    done
    [ -n "$leader" ] && break
    sleep 0.1
done
if [ -z "$leader" ]; then
    fail "container boots" "see /tmp/dpbridge-nspawn.log"
    finish
fi
inside() { nsenter -t "$leader" -a "$@"; }          # a command of the container
on_net() { nsenter -t "$leader" -n "$@"; }          # a host tool in the container's network
# Until its manager socket exists, systemctl cannot even ask; then --wait waits for boot.
state=""
for _ in $(seq 1 300); do
    state=$(timeout 90 nsenter -t "$leader" -a systemctl is-system-running --wait 2>/dev/null)
    [ -n "$state" ] && break
    sleep 0.1
done
case "$state" in
    running|degraded) pass "container boots systemd ($state)" ;;
    *) fail "container boots systemd" "state '$state'"; finish ;;
esac

# 4. Install the package: its configuration is a template that check-config refuses.
if inside dpkg -i /root/dpbridge.deb > /tmp/dpbridge-dpkg.log 2>&1; then
    pass "dpkg -i installs the package with its Depends satisfied"
else
    fail "dpkg -i" "$(tail -n 3 /tmp/dpbridge-dpkg.log)"
    finish
fi
out=$(inside dpbridge check-config 2>&1)
if [ $? -ne 0 ] && grep -q "docplanner.domain: still the template's CHANGE-ME" <<<"$out" \
    && grep -q '^dpbridge: configuration: callback.secret: required' <<<"$out"; then
    pass "the installed /etc/dpbridge/dpbridge.yaml is a template check-config refuses ($(wc -l <<<"$out") lines)"
else
    fail "installed template refused" "$out"
fi

# 5. dpbridge init, non-interactive: flags, the client secret from a file.
client_secret="systemd-test-client-secret-$RANDOM$RANDOM"
inside sh -c "umask 077; printf '%s\n' '$client_secret' > /root/client_secret"
init_out=$(inside dpbridge init --domain znanylekarz.pl --client-id systemd-test \
    --client-secret-file /root/client_secret --public-url https://bridge.test.example </dev/null 2>&1)
init_status=$?
url=$(grep -oE 'https://bridge\.test\.example/callbacks/[A-Za-z0-9_-]+' <<<"$init_out" | head -n 1)
secret=${url#https://bridge.test.example/callbacks/}
modes=$(inside stat -c '%n %a' /etc/dpbridge/credentials /etc/dpbridge/credentials/callback_secret \
    /etc/dpbridge/credentials/admin_token /etc/dpbridge/credentials/client_secret /etc/dpbridge/dpbridge.yaml)
want_modes="/etc/dpbridge/credentials 700
/etc/dpbridge/credentials/callback_secret 600
/etc/dpbridge/credentials/admin_token 600
/etc/dpbridge/credentials/client_secret 600
/etc/dpbridge/dpbridge.yaml 644"
if [ "$init_status" -eq 0 ] && [ ${#secret} -ge 32 ] && [ "$modes" = "$want_modes" ] \
    && [ "$(inside cat /etc/dpbridge/credentials/callback_secret)" = "$secret" ] \
    && ! inside grep -qF "$secret" /etc/dpbridge/dpbridge.yaml && ! inside grep -q base_url /etc/dpbridge/dpbridge.yaml; then
    pass "dpbridge init: secrets in credentials/ (700/600), a production dpbridge.yaml (644), the callback URL printed"
else
    fail "dpbridge init" "status $init_status, url '$url', modes '$modes': $(tail -n 5 <<<"$init_out")"
fi
again=$(inside dpbridge init </dev/null 2>&1)
if [ $? -eq 0 ] && grep -q 'nothing changed' <<<"$again" \
    && [ "$(inside cat /etc/dpbridge/credentials/callback_secret)" = "$secret" ]; then
    pass "dpbridge init again: nothing changed"
else
    fail "dpbridge init again" "$(tail -n 5 <<<"$again")"
fi

# Docplanner here is the simulator (the package's binary) in the container's network.
# Not through on_net: a backgrounded function is a subshell, and killing it would leave
# the simulator running after the test; nsenter without --pid execs the command itself.
nsenter -t "$leader" -n "$root/usr/bin/dpbridge" simulate --port 9090 --client-id systemd-test --client-secret "$client_secret" \
    > /tmp/dpbridge-systemd-simulator.log 2>&1 &
simulator=$!
for _ in $(seq 1 100); do on_net curl -fs -o /dev/null http://127.0.0.1:9090/_sim/state && break; sleep 0.1; done
inside mkdir -p /etc/systemd/system/dpbridge.service.d
inside sh -c 'cat > /etc/systemd/system/dpbridge.service.d/test.conf' <<'EOF'
[Service]
Environment=DPBRIDGE_DOCPLANNER_BASE_URL=http://127.0.0.1:9090
WatchdogSec=4s
TimeoutAbortSec=3s
RestartSec=1s
EOF
inside systemctl daemon-reload

out=$(inside systemd-analyze verify /lib/systemd/system/dpbridge.service /lib/systemd/system/dpbridge.socket 2>&1)
if [ $? -eq 0 ] && ! grep -q dpbridge <<<"$out"; then
    pass "systemd-analyze verify accepts dpbridge.service and dpbridge.socket"
else
    fail "systemd-analyze verify" "$out"
fi

# 6. Socket activation: only the socket runs, on loopback; the first connection starts the
#    service, which is active only once it has sent READY=1. The printed URL's path is
#    what the TLS proxy forwards: it answers the ping once Docplanner's addresses are
#    loaded from the simulator (503 until then).
inside systemctl enable --now dpbridge.socket >/dev/null 2>&1
listen=$(inside systemctl show -p Listen --value dpbridge.socket)
if [ "$(inside systemctl is-active dpbridge.service)" != active ] \
    && [ "$(inside systemctl is-active dpbridge.socket)" = active ] && [ "$listen" = "127.0.0.1:8080 (Stream)" ]; then
    path=${url#https://bridge.test.example}
    first=$(on_net curl -s -o /dev/null -m 30 -w '%{http_code}' "http://127.0.0.1:8080$path")
    code=$first
    for _ in $(seq 1 100); do
        [ "$code" = 200 ] && break
        sleep 0.1
        code=$(on_net curl -s -o /dev/null -m 10 -w '%{http_code}' "http://127.0.0.1:8080$path")
    done
    adopted=$(inside journalctl -u dpbridge.service -o export --no-pager DPBRIDGE_EVENT=started \
        | tr -d '\0' | grep -c '^DPBRIDGE_PUBLIC=1 socket(s) from systemd')
    if [ "$code" = 200 ] && [ "$(inside systemctl is-active dpbridge.service)" = active ] && [ "$adopted" -ge 1 ]; then
        pass "socket activation on $listen: the first connection ($first) starts dpbridge, which adopts the socket; init's callback URL answers the ping (200)"
    else
        fail "socket activation" "ping $first then $code, service $(inside systemctl is-active dpbridge.service), adopted $adopted"
    fi
else
    fail "socket activation" "socket $(inside systemctl is-active dpbridge.socket) on '$listen', service already $(inside systemctl is-active dpbridge.service)"
fi

limits=$(inside systemctl show -p LimitCORE -p MemoryMax -p TasksMax -p UMask dpbridge.service | sort | tr '\n' ' ')
if [ "$limits" = "LimitCORE=0 MemoryMax=1073741824 TasksMax=256 UMask=0077 " ] && inside test -d /run/dpbridge; then
    pass "the unit's limits: $limits/run/dpbridge exists"
else
    fail "unit limits" "'$limits', /run/dpbridge $(inside test -d /run/dpbridge && echo exists || echo missing)"
fi

status=$(inside systemctl show -p StatusText --value dpbridge.service)
notify_ok=$(inside journalctl -u dpbridge.service -o cat --no-pager | grep -c '^Started dpbridge')
if [ "$(inside systemctl show -p Type --value dpbridge.service)" = notify ] && [ -n "$status" ] && [ "$notify_ok" -ge 1 ]; then
    pass "Type=notify: started after READY=1, STATUS='$status'"
else
    fail "READY/STATUS" "status '$status', started lines $notify_ok"
fi

# 7. A callback is acknowledged after commit, and journald finds its booking by field.
booking="st$RANDOM$RANDOM"
body=$(python3 - "$booking" <<'EOF'
import json, sys
print(json.dumps({"name": "slot-booked", "created_at": "2026-11-25T10:00:00+01:00", "data": {
    "facility": {"id": "1", "name": "Clinic"}, "doctor": {"id": "2", "name": "Anna", "surname": "Nowak"},
    "address": {"id": "3", "name": "Main"},
    "visit_booking": {"id": sys.argv[1], "status": "booked", "start_at": "2026-12-01T09:00:00+01:00",
        "end_at": "2026-12-01T09:30:00+01:00", "duration": 30, "booked_by": "patient", "canceled_by": None,
        "booked_at": "2026-11-25T10:00:00+01:00", "patient": {"name": "Jan", "surname": "Kowalski"}}}}))
EOF
)
code=$(on_net curl -s -o /dev/null -m 10 -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "$body" "http://127.0.0.1:8080/callbacks/$secret")
wrong=$(on_net curl -s -o /dev/null -m 10 -w '%{http_code}' --data-binary "$body" \
    "http://127.0.0.1:8080/callbacks/demo-callback-secret-0123456789")
# The 200 says the event is stored; the worker applies it (and logs its line) just after.
found=0
for _ in $(seq 1 50); do
    found=$(inside journalctl -u dpbridge.service --no-pager -o cat "DPBRIDGE_BOOKING_ID=$booking" | wc -l)
    [ "$found" -ge 1 ] && break
    sleep 0.2
done
if [ "$code" = 200 ] && [ "$found" -ge 1 ]; then
    pass "callback acknowledged (200); journalctl DPBRIDGE_BOOKING_ID=$booking finds $found line(s)"
else
    fail "callback and journal fields" "status $code, $found journal line(s)"
fi
if [ "$wrong" = 404 ]; then
    pass "the secret comes from LoadCredential= (init's credential; the demo's secret is refused: 404)"
else
    fail "LoadCredential" "the demo secret answered $wrong"
fi
fields=$(inside journalctl -u dpbridge.service --no-pager -o export "DPBRIDGE_BOOKING_ID=$booking" | tr -d '\0')
if grep -q '^SYSLOG_IDENTIFIER=dpbridge' <<<"$fields" && grep -q '^CODE_FILE=' <<<"$fields" \
    && grep -q '^PRIORITY=' <<<"$fields" && grep -q '^DPBRIDGE_EVENT=' <<<"$fields"; then
    pass "journald entries carry SYSLOG_IDENTIFIER, PRIORITY, CODE_FILE and DPBRIDGE_* fields"
else
    fail "journald fields" "$(head -c 400 <<<"$fields")"
fi

# 8. systemctl reload: RELOADING=1 … READY=1, same process, new log level applied.
pid=$(inside systemctl show -p MainPID --value dpbridge.service)
inside sed -i 's/^  level: info/  level: debug/' /etc/dpbridge/dpbridge.yaml
if inside timeout 30 systemctl reload dpbridge.service \
    && [ "$(inside systemctl show -p MainPID --value dpbridge.service)" = "$pid" ] \
    && inside journalctl -u dpbridge.service -o export --no-pager DPBRIDGE_EVENT=reload \
        | tr -d '\0' | grep -q '^DPBRIDGE_LOG_LEVEL=debug'; then
    pass "systemctl reload re-reads the configuration in the same process (log level debug)"
else
    fail "reload" "$(inside journalctl -u dpbridge.service -o cat --no-pager | tail -n 3)"
fi

# 9. Watchdog: a stopped daemon stops pinging; systemd aborts and restarts it.
pid=$(inside systemctl show -p MainPID --value dpbridge.service)
inside sh -c "kill -STOP $pid"
restarted=""
for _ in $(seq 1 300); do
    now=$(inside systemctl show -p MainPID --value dpbridge.service)
    if [ "$now" != "$pid" ] && [ "$now" != 0 ] && [ "$(inside systemctl is-active dpbridge.service)" = active ]; then
        restarted=$now; break
    fi
    sleep 0.1
done
if [ -n "$restarted" ] && inside journalctl -u dpbridge.service -o cat --no-pager | grep -q 'Watchdog timeout'; then
    pass "watchdog: SIGSTOP'd daemon $pid killed and restarted as $restarted"
else
    fail "watchdog" "$(inside journalctl -u dpbridge.service -o cat --no-pager | tail -n 4)"
fi

# 10. systemctl stop drains: a request in flight when the stop begins is answered.
drain_log=$(mktemp)
on_net python3 - "$secret" "$body" > "$drain_log" 2>&1 <<'EOF' &
import socket, subprocess, sys, time
secret, body = sys.argv[1], sys.argv[2].encode()
s = socket.create_connection(("127.0.0.1", 8080), timeout=20)
head = (f"POST /callbacks/{secret} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n").encode()
s.sendall(head + body[:10])
time.sleep(0.5)
print("SEND-STOP", flush=True)
sys.stdout.flush()
time.sleep(1.5)
s.sendall(body[10:])
reply = s.recv(4096).decode(errors="replace")
print(reply.split("\r\n")[0])
EOF
client=$!
sleep 0.7
inside systemctl stop --no-block dpbridge.service
wait "$client" 2>/dev/null
drain=$(cat "$drain_log"); rm -f "$drain_log"
for _ in $(seq 1 200); do
    [ "$(inside systemctl is-active dpbridge.service)" = inactive ] && break
    sleep 0.1
done
result=$(inside systemctl show -p Result --value dpbridge.service)
drained=$(inside journalctl -u dpbridge.service -o cat --no-pager | grep -c '^stopped')
if grep -q 'HTTP/1.1 200' <<<"$drain" && [ "$(inside systemctl is-active dpbridge.service)" = inactive ] \
    && [ "$result" = success ] && [ "$drained" -ge 1 ]; then
    pass "systemctl stop drains: the request in flight answered 200, clean exit (Result=success)"
else
    fail "graceful stop" "reply '$(tail -n 1 <<<"$drain")', state $(inside systemctl is-active dpbridge.service), result $result"
fi

# 11. Exposure as systemd rates it.
exposure=$(inside systemd-analyze security dpbridge.service --no-pager 2>&1 \
    | sed -nE 's/.*Overall exposure level for dpbridge.service: ([0-9.]+).*/\1/p')
if [ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }'; then
    pass "systemd-analyze security: exposure $exposure (≤ 2.0)"
else
    fail "systemd-analyze security" "exposure '${exposure:-?}' (want ≤ 2.0)"
fi

finish
