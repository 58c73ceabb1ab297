#!/usr/bin/env bash
# Code hygiene checks that CI enforces (issue 19):
#   - warnings: no compiler warning in a build log (the `swift test` log of scripts/test.sh, which
#     builds the products and the tests from scratch in CI's fresh clone);
#   - format: the tree is exactly as `swift format` (the toolchain's swift-format, configured by
#     the checked-in .swift-format) leaves it;
#   - access: no `public` or `open` declaration in Sources or Tests (dpbridge ships no library:
#     what crosses modules is `package`).
# Each check first proves it can fail: the warning check on the output of a real compile of a
# snippet with an unused variable, the format check on a copy of a source file with its
# formatting broken, the access check on a snippet that declares a public type. Prints "N passed, N failed"; exits 1 when anything failed.
#
# Usage: scripts/code-checks.sh [BUILD_LOG]
#   BUILD_LOG  a swift build/test log to scan for warnings (without it: a fresh `swift build`
#              of the debug products into a scratch directory, which compiles every file).
# To fix a format difference: swift format format --in-place --recursive --parallel Sources Tests Package.swift
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
work=$(mktemp -d /tmp/dpbridge-code-checks.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Compiler warnings as swiftc prints them: "path:line:col: warning: message".
warnings_in() { grep -E '^[^ ]+\.swift:[0-9]+:[0-9]+: warning: ' "$1" | sort -u; }

# Self-test: a real compiler warning is recognised.
printf 'func probe() { let unused = 1 }\n' > "$work/probe.swift"
swiftc -typecheck "$work/probe.swift" > "$work/probe.log" 2>&1
if [ -n "$(warnings_in "$work/probe.log")" ]; then
    pass "warnings self-test: an unused variable is reported"
else
    fail "warnings self-test: the compiler's warning in $work/probe.log was not recognised"
fi

log=${1:-}
if [ -z "$log" ]; then
    log="$work/build.log"
    swift build --build-tests --scratch-path .build-code-checks > "$log" 2>&1 \
        || { fail "build failed (see output below)"; tail -n 30 "$log"; }
fi
found=$(warnings_in "$log")
if [ -z "$found" ]; then
    pass "no compiler warning in $(basename "$log")"
else
    fail "compiler warnings ($(wc -l <<<"$found")):"
    echo "$found" | sed 's/^/    /'
fi

format() { swift format lint --strict --recursive --parallel --configuration .swift-format "$@"; }

# Self-test: a formatting difference is reported.
mkdir -p "$work/format"
sed -E '0,/^(import|public|struct|final|enum|let)/s/^(import|public|struct|final|enum|let)(.*)$/\1\2 ;   /' \
    Sources/Clocks/ManualClock.swift > "$work/format/Broken.swift"
printf '\nfunc   badlySpaced( ){ }\n' >> "$work/format/Broken.swift"
if format "$work/format/Broken.swift" > "$work/format.log" 2>&1; then
    fail "format self-test: a badly formatted file passed the check"
else
    pass "format self-test: a badly formatted file is reported"
fi

if format Sources Tests Package.swift > "$work/format.log" 2>&1; then
    pass "the tree is formatted as .swift-format says"
else
    fail "format differences ($(grep -c ': \(error\|warning\): ' "$work/format.log") findings; fix with swift format format --in-place --recursive --parallel Sources Tests Package.swift):"
    head -n 20 "$work/format.log" | sed 's/^/    /'
fi

# Declarations spelled public or open (attributes before them allowed).
public_declarations() {
    grep -rnE '^[[:space:]]*(@[A-Za-z_]+(\([^)]*\))?[[:space:]]+)*(public|open)[[:space:]]' --include='*.swift' "$@"
}

# Self-test: a public declaration is found, a package one is not.
mkdir -p "$work/access"
printf 'package struct Kept {}\n@inlinable public func leaked() {}\n' > "$work/access/Probe.swift"
if [ "$(public_declarations "$work/access" | wc -l)" -eq 1 ]; then
    pass "access self-test: a public declaration is reported, a package one is not"
else
    fail "access self-test: expected exactly the public function of $work/access/Probe.swift"
fi

found=$(public_declarations Sources Tests)
if [ -z "$found" ]; then
    pass "no public or open declaration: what crosses modules is package"
else
    fail "public declarations ($(wc -l <<<"$found")); dpbridge ships no library, make them package:"
    echo "$found" | head -n 20 | sed 's/^/    /'
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
