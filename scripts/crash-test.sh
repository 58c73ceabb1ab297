#!/usr/bin/env bash
# Crash test for the Store: a child process enqueues events from 16 threads and prints
# each event's key only after its commit is durable (when dpbridge would answer 2xx).
# The child is killed with SIGKILL at random moments, 20 times, and restarted; each
# restart also re-sends keys acknowledged earlier, which must be recognised as
# duplicates. Afterwards every acknowledged key must be in the database exactly once.
# Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

kills=${CRASH_KILLS:-20}
scripts/swiftlock build --product store-crash-child >/dev/null 2>&1 || { scripts/swiftlock build --product store-crash-child; echo "0 passed, 1 failed"; exit 1; }
child="$(scripts/swiftlock build --show-bin-path)/store-crash-child"
work=$(mktemp -d /tmp/dpbridge-crash.XXXXXX)
trap 'rm -rf "$work"' EXIT
db="$work/store.sqlite"
acked="$work/acked.txt"
: >"$acked"

passed=0
failed=0
check() {  # check NAME CONDITION-STATUS
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}

for run in $(seq 1 "$kills"); do
    "$child" "$db" "$run" "$acked" >>"$acked" 2>>"$work/child.err" &
    pid=$!
    # A random moment between 0.2 and 1.2 s into the run.
    sleep "$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.3f", 0.2 + rand() }')"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
done

# A last run without a kill re-sends the newest acknowledged keys once more.
"$child" "$db" 999 "$acked" >>"$acked" 2>>"$work/child.err" &
pid=$!; sleep 0.5; kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null

python3 - "$db" "$acked" >"$work/verify.txt" <<'PY'
import sqlite3, sys
db, acked_path = sys.argv[1], sys.argv[2]
lines = [l.strip() for l in open(acked_path) if l.strip()]
lost_reports = [l for l in lines if l.startswith("LOST ")]
acked = [l for l in lines if not l.startswith("LOST ")]
conn = sqlite3.connect(db)
counts = dict(conn.execute("SELECT dedup_key, COUNT(*) FROM inbox GROUP BY dedup_key"))
missing = [k for k in acked if counts.get(k, 0) == 0]
doubled = [k for k, c in counts.items() if c > 1]
acked_twice = len(acked) - len(set(acked))
integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
print(f"acknowledged {len(acked)} events over the runs; {len(counts)} rows in the inbox")
print(f"missing={len(missing)} doubled={len(doubled)} acked_twice={acked_twice} lost_on_resend={len(lost_reports)} integrity={integrity}")
for k in missing[:5]: print("missing", k)
sys.exit(0 if not missing and not doubled and not acked_twice and not lost_reports and integrity == "ok" and len(acked) > 0 else 1)
PY
status=$?
cat "$work/verify.txt"
acked_count=$(grep -vc '^LOST ' "$acked")
check "$kills SIGKILLs: processes acknowledged $acked_count events" "$([ "$acked_count" -gt 0 ]; echo $?)"
check "every acknowledged event is stored exactly once, resends were duplicates, integrity ok" "$status"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
