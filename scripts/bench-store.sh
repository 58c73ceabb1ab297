#!/usr/bin/env bash
# Store benchmark: durable enqueues per second with 64 concurrent producers (each keeps
# one enqueue outstanding, as the HTTP loop does), group commit vs the same Store
# committing each enqueue alone (both synchronous=FULL), measured in the same run on
# the same disk; and the enqueue-to-durable latency at a paced 1,000/s.
# Targets (issue 4): >= 25,000 enqueues/s, >= 5x the baseline, p99 <= 10 ms at 1,000/s.
# Usage: scripts/bench-store.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
scripts/setup.sh
swift build -c release --product store-bench >/dev/null
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/dpbridge-bench-store.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "disk: $(df -h "$work" | awk 'NR==2 { print $1 " (" $2 ")" }'), $(nproc) cores"
"$(swift build -c release --show-bin-path)/store-bench" "$work" "$seconds" 1000
