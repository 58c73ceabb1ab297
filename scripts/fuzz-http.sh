#!/usr/bin/env bash
# Fuzzes HTTP1's request parser with libFuzzer for SECONDS (default 60): every input
# must parse the same whole and split into pieces, within the limits, without a crash
# or a hang. Prints libFuzzer's summary (executions, coverage) and exits non-zero on a
# finding (the reproducer is saved as Fuzz/crash-*).
# Usage: scripts/fuzz-http.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
mkdir -p .build
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name HTTP1Fuzz \
    Fuzz/FuzzRequestParser.swift Sources/HTTP1/RequestParser.swift Sources/HTTP1/HTTPHeaders.swift \
    Sources/HTTP1/HTTPRequest.swift -o .build/fuzz-http
corpus=$(mktemp -d /tmp/dpbridge-fuzz-corpus.XXXXXX)
cp Fuzz/corpus/* "$corpus/"
.build/fuzz-http -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=Fuzz/ "$corpus" 2>&1 | grep -E "^(#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|==[0-9]+==|SUMMARY|.*Test unit written)" | tail -n 12
status=${PIPESTATUS[0]}
rm -rf "$corpus"
echo "fuzz-http: ${seconds}s, exit status $status"
exit "$status"
