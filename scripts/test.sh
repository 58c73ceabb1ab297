#!/usr/bin/env bash
# Runs every test: `swift test` (unit and live tests over loopback, a throw-away PostgreSQL
# server beside it: scripts/with-postgres.sh), then the shell-level
# tests in scripts/tests.d order. Prints each suite's result and a closing
# "N passed, N failed" line that adds them up; exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

log_dir=$(mktemp -d /tmp/dpbridge-test-logs.XXXXXX)
passed=0
failed=0

# Runs `swift test` with the arguments given (beside a throw-away PostgreSQL server), its
# log in $log_dir/$1, and adds its tests to the counts.
swift_tests() {
    local log="$log_dir/$1"
    shift
    scripts/with-postgres.sh swift test "$@" 2>&1 | tee "$log" | grep -vE '^\[[0-9]+/[0-9]+\]|^(◇|↳) |^Test Suite |Executed 0 tests|passed after [0-9.]+ seconds\.$|^Building for'
    local status=${PIPESTATUS[0]}
    local summary tests issues failing
    summary=$(grep -E 'Test run with [0-9]+ tests?' "$log" | tail -n 1)
    echo "$summary"
    tests=$(sed -nE 's/.*Test run with ([0-9]+) tests?.*/\1/p' <<<"$summary")
    issues=$(sed -nE 's/.* with ([0-9]+) issues?.*/\1/p' <<<"$summary")
    tests=${tests:-0}
    if [ "$status" -eq 0 ] && [ "$tests" -gt 0 ]; then
        passed=$((passed + tests))
    else
        failing=$(grep -cE '^✘ Test .* failed' "$log" || true)
        failing=${failing:-0}; [ "$failing" -gt 0 ] || failing=1
        failed=$((failed + failing))
        if [ "$tests" -gt "$failing" ]; then passed=$((passed + tests - failing)); fi
        echo "swift test failed (status $status, ${issues:-?} issues)"
    fi
}

echo "== swift test"
swift_tests swift-test.log

# The store's suite again with every `TestStore` on PostgreSQL (issue 18: the inbox/outbox
# semantics, quarantine, mappings, values, retention and erasure hold on both backends).
echo "== swift test --filter StoreTests (TEST_STORE_BACKEND=postgres)"
TEST_STORE_BACKEND=postgres swift_tests swift-test-postgres-store.log --skip-build --filter StoreTests

# The clinic calendar's suites again with every `TestCalendar` on PostgreSQL (its tables,
# PL/pgSQL triggers and change log; the blocking answers read from it).
echo "== swift test --filter 'PartnerTests|BookingContractTests' (TEST_CALENDAR_BACKEND=postgres)"
TEST_CALENDAR_BACKEND=postgres swift_tests swift-test-postgres-calendar.log --skip-build \
    --filter 'PartnerTests|BookingContractTests'

# CI's code checks on the build above: no compiler warning in its log, the tree formatted
# as .swift-format says (scripts/code-checks.sh; each check first shows it can fail).
echo "== scripts/code-checks.sh"
scripts/code-checks.sh "$log_dir/swift-test.log" 2>&1 | tee "$log_dir/code-checks.log"
code_status=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log_dir/code-checks.log" | tail -n 1)
p=$(sed -nE 's/^([0-9]+) passed.*/\1/p' <<<"$line")
f=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$line")
passed=$((passed + ${p:-0}))
if [ "$code_status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then f=1; fi
failed=$((failed + ${f:-0}))

# Shell-level tests: each prints its own "N passed, N failed" line.
for script in scripts/docs-test.sh scripts/crash-test.sh scripts/ha-test.sh scripts/slowloris-test.sh scripts/contract-test.sh scripts/dashboards-test.sh scripts/status-page-test.sh scripts/security-test.sh scripts/systemd-test.sh; do
    [ -x "$script" ] || continue
    echo "== $script"
    "$script" 2>&1 | tee "$log_dir/$(basename "$script").log"
    status=${PIPESTATUS[0]}
    line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log_dir/$(basename "$script").log" | tail -n 1)
    p=$(sed -nE 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/p' <<<"$line")
    f=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$line")
    passed=$((passed + ${p:-0}))
    if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then f=1; fi
    failed=$((failed + ${f:-0}))
done

echo "logs: $log_dir"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
