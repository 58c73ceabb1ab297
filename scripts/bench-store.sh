#!/usr/bin/env bash
# Store benchmark: durable enqueues per second with 64 concurrent producers (each keeps
# one enqueue outstanding, as the HTTP loop does), group commit vs the same Store
# committing each enqueue alone (both synchronous=FULL), measured in the same run on
# the same disk; and the enqueue-to-durable latency at a paced 1,000/s.
# Reference (issue 17): a plain sqlite3 client (Python's sqlite3 module over the system's
# libsqlite3) inserting the same rows (600-byte payload, the inbox's columns and indexes,
# journal_mode=WAL, synchronous=FULL, secure_delete=ON) into a store created by dpbridge,
# in transactions of 64 rows (the batch 64 producers make), measured in the same run.
# Targets (issues 4 and 17): >= 25,000 enqueues/s where the disk allows, >= 60% of the
# reference, >= 5x one commit per enqueue, p99 <= 10 ms at 1,000/s.
# Usage: scripts/bench-store.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
scripts/setup.sh
scripts/swiftlock build -c release --product store-bench >/dev/null
bench="$(scripts/swiftlock build -c release --show-bin-path)/store-bench"
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/dpbridge-bench-store.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "disk: $(df -h "$work" | awk 'NR==2 { print $1 " (" $2 ")" }'), $(nproc) cores"
reference() {
    rm -f "$1" "$1-wal" "$1-shm"
    "$bench" --create-store "$1"
    /usr/bin/python3 - "$1" "$seconds" <<'PY'
import sqlite3, sys, time
path, seconds = sys.argv[1], float(sys.argv[2])
connection = sqlite3.connect(path, isolation_level=None)
for pragma in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON", "foreign_keys=ON"):
    connection.execute(f"PRAGMA {pragma}")
payload = b"a" * 600
insert = ("INSERT INTO inbox (dedup_key, kind, ordering_key, coalesce_key, priority, payload, source, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING")
rows, start = 0, time.monotonic()
while time.monotonic() - start < seconds:
    batch = [(f"r-{rows + k}", "slot-booked", None, None, 0, payload, "", time.time()) for k in range(64)]
    connection.execute("BEGIN")
    connection.executemany(insert, batch)
    connection.execute("COMMIT")
    rows += 64
print(f"{rows / (time.monotonic() - start):.0f}")
PY
}
# The reference before and after dpbridge's runs (the disk's pace drifts on a shared machine).
before=$(reference "$work/reference.sqlite")
"$bench" "$work" "$seconds" 1000 | tee "$work/result.txt"
after=$(reference "$work/reference.sqlite")
reference=$(( (before + after) / 2 ))
grouped=$(awk '/^group commit:/ { print $3 }' "$work/result.txt")
printf 'plain sqlite3 client:      %9s rows/s (Python sqlite3 %s, transactions of 64 rows, synchronous=FULL;\n' \
    "$reference" "$(/usr/bin/python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')"
printf '                                         the mean of %s before and %s after)\n' "$before" "$after"
awk -v g="$grouped" -v r="$reference" 'BEGIN { printf "group commit / reference:  %9.0f%%  (target >= 60%%)\n", 100 * g / r }'
