#!/usr/bin/env bash
# Attacks a running release daemon the way an attacker and a data-protection auditor
# would (issue 16), one line per attack with its result, then "N passed, N failed":
# a demo secret refused at start; admin payload and purge routes without a token (401);
# one tenant's token on another tenant's routes; pipelined, chunk-extension and slow-body
# floods held under an RSS bound while pings answer 200 (scripts/http-attacks.py); a full
# disk (a tiny tmpfs) answered 503 with nothing acknowledged lost, and recovered; secrets
# and patient fields absent from the log, /status and /metrics; files 0600, directories
# 0700. Needs root for the tmpfs (CI runs as root).
set -uo pipefail
cd "$(dirname "$0")/.."
ulimit -n 8192 2>/dev/null || true
SWIFT=${SWIFT:-scripts/swiftlock}
# The same build as `make deb` (systemd-test.sh), so that one release build serves both.
if [ -z "${BIN:-}" ]; then
    $SWIFT build -c release --static-swift-stdlib --product dpbridge >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
    BIN="$($SWIFT build -c release --static-swift-stdlib --show-bin-path)/dpbridge"
fi
exec /usr/bin/python3 scripts/security/security_test.py "$BIN"
