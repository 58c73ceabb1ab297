#!/usr/bin/env bash
# The dashboards and alerts test: checks contrib/grafana/dpbridge.json and
# contrib/prometheus/alerts.yml with promtool (`check rules`, `test rules` with
# contrib/prometheus/alerts_test.yml, the dashboard's queries parsed as recording rules) and
# checks that every metric name they use is one a live daemon's GET /metrics serves: the debug
# daemon and the simulator on 127.0.0.1 (PUSH mode), a booking approved and denied, a clinic
# change sent to Docplanner, then one scrape. A self-test first shows each check failing on a
# deliberately wrong input (misspelled metrics, a broken rule file, a moved threshold, a
# dashboard without its tenant variable). Details: scripts/dashboards/dashboards_test.py.
# Ends with "N passed, N failed"; exits 1 when anything failed.
#
# Usage: scripts/dashboards-test.sh [--self-test] [--keep]
#   --self-test  the self-test and the file checks only (no build, no processes)
#   --keep       keep the work directory (daemon and simulator logs)
# DASHBOARDS_BIN=path/to/dpbridge uses that binary instead of building the debug one.
set -euo pipefail
cd "$(dirname "$0")/.."

python=/usr/bin/python3
# promtool comes with Debian's prometheus package; the scrape is parsed with Prometheus'
# Python client; the live run reuses the contract test's harness (jsonschema, yaml).
if ! command -v promtool >/dev/null || ! "$python" -c 'import jsonschema, yaml, prometheus_client' 2>/dev/null; then
    scripts/setup.sh
fi

arguments=("$@")
if [[ " ${arguments[*]-} " != *" --self-test "* ]]; then
    if [[ -z ${DASHBOARDS_BIN:-} ]]; then
        build_log=$(mktemp /tmp/dpbridge-dashboards-build.XXXXXX)
        if ! scripts/swiftlock build --product dpbridge >"$build_log" 2>&1; then
            tail -n 30 "$build_log"
            rm -f "$build_log"
            echo "dashboards-test: the debug build failed"
            echo "0 passed, 1 failed"
            exit 1
        fi
        rm -f "$build_log"
    fi
    arguments+=(--bin "${DASHBOARDS_BIN:-$PWD/.build/debug/dpbridge}")
fi

# The Python driver stops every process it started (also on SIGINT/SIGTERM); this trap makes
# sure that an interrupted driver is itself stopped.
driver=
trap '[[ -n $driver ]] && kill -TERM "$driver" 2>/dev/null; wait 2>/dev/null || true' INT TERM
"$python" scripts/dashboards/dashboards_test.py "${arguments[@]}" &
driver=$!
wait "$driver"
