#!/usr/bin/env bash
# Store benchmark: durable enqueues per second with 64 concurrent producers (each keeps
# one enqueue outstanding, as the HTTP loop does), group commit vs the same Store
# committing each enqueue alone (both synchronous=FULL), measured in the same run on
# the same disk; and the enqueue-to-durable latency at a paced 1,000/s.
# Reference (issue 17): a plain sqlite3 client (Python's sqlite3 module over the system's
# libsqlite3) inserting the same rows (600-byte payload, the inbox's columns and indexes,
# journal_mode=WAL, synchronous=FULL, secure_delete=ON) into a store created by dpbridge,
# in transactions of 64 rows (the batch 64 producers make), measured in the same run. The
# same rows means the same dedup keys too: one per producer in each transaction, 64 places
# in the unique index, as the producers' `<producer>-<sequence>` keys make. Keys in one
# sequence (one place) write ~7x fewer pages a commit; that client is printed beside, for
# information.
# Targets (issues 4 and 17): >= 25,000 enqueues/s where the disk allows, >= 60% of the
# reference, >= 5x one commit per enqueue, p99 <= 10 ms at 1,000/s.
# With --backend postgres (issue 18): a throw-away PostgreSQL server (scripts/with-postgres.sh,
# fsync on) and durable enqueues/s through PostgresGroupCommit (64 producers) beside pgbench,
# a plain client on the same server inserting the same rows in transactions of 64 (one
# INSERT per row, as the group commit sends them), before and after; target >= 50%.
# Usage: scripts/bench-store.sh [SECONDS] | scripts/bench-store.sh --backend postgres [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
backend=sqlite
if [ "${1:-}" = --backend ]; then
    backend=${2:-}
    shift 2
    [ "$backend" = sqlite ] || [ "$backend" = postgres ] || { echo "bench-store: --backend sqlite or postgres" >&2; exit 2; }
fi
seconds=${1:-5}
if [ "$backend" = postgres ] && [ -z "${TEST_POSTGRES_URL:-}" ]; then
    # Again beside a throw-away server (which sets TEST_POSTGRES_URL and POSTGRES_BINDIR).
    scripts/setup.sh
    POSTGRES_DURABLE=1 exec scripts/with-postgres.sh "$0" --backend postgres "$seconds"
fi
scripts/setup.sh
scripts/swiftlock build -c release --product store-bench >/dev/null
bench="$(scripts/swiftlock build -c release --show-bin-path)/store-bench"
if [ "$backend" = postgres ]; then
    pgbench=${POSTGRES_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}/pgbench
    work=$(mktemp -d /tmp/dpbridge-bench-store-pg.XXXXXX)
    trap 'rm -rf "$work"' EXIT
    "$bench" --postgres "$TEST_POSTGRES_URL" "$seconds" | tee "$work/result.txt"
    schema=$(awk '/^schema:/ { print $2 }' "$work/result.txt")
    # The reference: 64 INSERTs a transaction into the same table, one client.
    {
        echo "\\set base random(1, 1000000000000)"
        echo "BEGIN;"
        for k in $(seq 1 64); do
            echo "INSERT INTO $schema.inbox (dedup_key, kind, payload, source, created_at) VALUES ('r-' || :base || '-$k', 'slot-booked', convert_to(repeat('a', 600), 'UTF8'), '', 0) ON CONFLICT (dedup_key) DO NOTHING;"
        done
        echo "COMMIT;"
    } >"$work/reference.sql"
    reference() { "$pgbench" -n -c 1 -T "$seconds" -f "$work/reference.sql" "$TEST_POSTGRES_URL" 2>/dev/null \
        | awk '/^tps = / { printf "%.0f", $3 * 64 }'; }
    before=$(reference)
    after=$(reference)
    reference=$(( (before + after) / 2 ))
    grouped=$(awk '/^group commit:/ { print $3 }' "$work/result.txt")
    printf 'plain client (pgbench):    %9s rows/s (transactions of 64 INSERTs, fsync on, synchronous_commit on;\n' "$reference"
    printf '                                         the mean of %s before and %s after)\n' "$before" "$after"
    awk -v g="$grouped" -v r="$reference" 'BEGIN { printf "group commit / reference:  %9.0f%%  (target >= 50%%)\n", 100 * g / r }'
    exit 0
fi
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/dpbridge-bench-store.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "disk: $(df -h "$work" | awk 'NR==2 { print $1 " (" $2 ")" }'), $(nproc) cores"
reference() {  # PATH KEYS: KEYS is `producers` (the benchmark's keys) or `sequence`
    rm -f "$1" "$1-wal" "$1-shm"
    "$bench" --create-store "$1"
    /usr/bin/python3 - "$1" "$seconds" "$2" <<'PY'
import sqlite3, sys, time
path, seconds, keys = sys.argv[1], float(sys.argv[2]), sys.argv[3]
connection = sqlite3.connect(path, isolation_level=None)
for pragma in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON", "foreign_keys=ON"):
    connection.execute(f"PRAGMA {pragma}")
payload = b"a" * 600
insert = ("INSERT INTO inbox (dedup_key, kind, ordering_key, coalesce_key, priority, payload, source, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING")
rows, turn, start = 0, 0, time.monotonic()
while time.monotonic() - start < seconds:
    if keys == "producers":
        # The benchmark's keys: each of 64 producers' next one (`r-<producer>-<sequence>`), so
        # that each transaction writes the same pages of the dedup index as a group commit.
        names = [f"r-{producer}-{turn}" for producer in range(64)]
    else:
        names = [f"r-{rows + k}" for k in range(64)]
    batch = [(name, "slot-booked", None, None, 0, payload, "", time.time()) for name in names]
    connection.execute("BEGIN")
    connection.executemany(insert, batch)
    connection.execute("COMMIT")
    rows += 64
    turn += 1
print(f"{rows / (time.monotonic() - start):.0f}")
PY
}
# The reference before and after dpbridge's runs (the disk's pace drifts on a shared machine).
before=$(reference "$work/reference.sqlite" producers)
sequence_before=$(reference "$work/reference.sqlite" sequence)
"$bench" "$work" "$seconds" 1000 | tee "$work/result.txt"
after=$(reference "$work/reference.sqlite" producers)
sequence_after=$(reference "$work/reference.sqlite" sequence)
reference=$(( (before + after) / 2 ))
sequence=$(( (sequence_before + sequence_after) / 2 ))
grouped=$(awk '/^group commit:/ { print $3 }' "$work/result.txt")
printf 'plain sqlite3 client:      %9s rows/s (Python sqlite3 %s, transactions of 64 rows, synchronous=FULL,
' \
    "$reference" "$(/usr/bin/python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')"
printf '                                         the same keys; the mean of %s before and %s after)
' "$before" "$after"
printf '  with keys in one sequence: %7s rows/s (one insertion point in the dedup index: not the same
' "$sequence"
printf '                                         rows; the mean of %s before and %s after)
' "$sequence_before" "$sequence_after"
awk -v g="$grouped" -v r="$reference" 'BEGIN { printf "group commit / reference:  %9.0f%%  (target >= 60%%)\n", 100 * g / r }'
