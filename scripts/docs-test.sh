#!/usr/bin/env bash
# The documentation check (issue 19): every relative link in README.md and docs/*.md
# resolves, each `#anchor` to a heading of the Markdown file it names (GitHub's slug
# rules); every repository path docs/ARCHITECTURE.md names in backticks exists; every page
# of docs/ is linked from README.md; README.md is under 15 KB. First a self-test breaks a
# copy of the documents in each of those ways and expects each reported, so the check
# cannot pass silently. Prints each failure and "N passed, N failed"; exits 1 when anything
# failed. Details: scripts/docs/docs_test.py.
#
# Usage: scripts/docs-test.sh [--no-self-test]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--no-self-test" ]; then
    exec /usr/bin/python3 scripts/docs/docs_test.py .
fi
exec /usr/bin/python3 scripts/docs/docs_test.py --self-test .
