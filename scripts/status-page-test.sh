#!/usr/bin/env bash
# The status page (GET / on the admin listener, issue 19) in a real browser: the daemon (a
# debug build) and the simulator on loopback, a day of pings seeded into the store, a dead
# letter whose reason holds a <script>, discovery, a mapping and an activation report; then
# Debian's chromium (headless, --dump-dom) loads the page and its DOM is checked: the SVG
# strip's marks and gap, the queue numbers against /status, the reason as text, the mapping
# coverage and the activation steps; a wrong token gets the refusal page. Details:
# scripts/status-page/status_page_test.py. Ends with "N passed, N failed".
#
# Usage: scripts/status-page-test.sh [--screenshot docs/status-page.png] [--keep]
# STATUS_PAGE_BIN=path/to/dpbridge uses that binary instead of building the debug one.
set -uo pipefail
cd "$(dirname "$0")/.."

command -v chromium >/dev/null || scripts/setup.sh chromium >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
if [[ -z ${STATUS_PAGE_BIN:-} ]]; then
    build_log=$(mktemp /tmp/dpbridge-status-page-build.XXXXXX)
    if ! scripts/swiftlock build --product dpbridge >"$build_log" 2>&1; then
        tail -n 30 "$build_log"
        rm -f "$build_log"
        echo "status-page-test: the debug build failed"
        echo "0 passed, 1 failed"
        exit 1
    fi
    rm -f "$build_log"
fi

# The driver stops every process it started; this trap makes sure an interrupted driver
# is itself stopped.
driver=
trap '[[ -n $driver ]] && kill -TERM "$driver" 2>/dev/null; wait 2>/dev/null || true' INT TERM
/usr/bin/python3 scripts/status-page/status_page_test.py --bin "${STATUS_PAGE_BIN:-$PWD/.build/debug/dpbridge}" "$@" &
driver=$!
wait "$driver"
