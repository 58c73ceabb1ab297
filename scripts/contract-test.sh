#!/usr/bin/env bash
# The contract conformance test (issue 15): drives the real daemon (a debug build) through
# every flow against the Docplanner simulator, with a recording proxy between the daemon and
# the simulator's API and another between the simulator's pushes/pings and the daemon's
# callback URL, and checks every exchange against Docplanner's official OpenAPI document
# (Tests/Contract/integrations-api.yml, v1.14.0):
#   - each request body dpbridge sent: valid against the operation's request schema, no
#     undeclared field (a strict server refuses them); its method and path an operation of the
#     document; path and query parameters declared and of their declared types;
#   - each answer of the simulator: a status the operation declares, a declared content type,
#     a body valid against that response's schema (undeclared fields allowed unless forbidden);
#   - each callback the simulator pushed: valid against its schema under the
#     `/{client-endpoint-url}` path's `callbacks:`, and dpbridge's answer a declared status.
# OpenAPI 3.0 is translated to JSON Schema (python3-jsonschema): `$ref`s resolved in the
# document, `nullable` adds null, `example`/`x-*` dropped, `date-time` checked strictly as
# ISO 8601 with an offset. Details: scripts/contract/openapi_contract.py.
#
# First the validator's self-test (wrong exchanges must be reported, right ones pass), then
# two runs: PUSH (discovery, mapping, activation, every inbound event the simulator can push,
# every outbound clinic change, probes of the operations no flow calls) and PULL. Prints the
# exchanges checked per operationId, every violation (operation, status, JSON path, message;
# no patient data) and the operations exercised; ends with "N passed, N failed" and exits 1
# when anything failed.
#
# Usage: scripts/contract-test.sh [--self-test] [--keep]
#   --self-test  only the validator's self-test (no build, no processes)
#   --keep       keep the work directory (recordings, logs; the simulator's sample patients)
# CONTRACT_BIN=path/to/dpbridge uses that binary instead of building the debug one.
set -euo pipefail
cd "$(dirname "$0")/.."

python=/usr/bin/python3
if ! "$python" -c 'import jsonschema, yaml' 2>/dev/null; then
    scripts/setup.sh python3-jsonschema python3-yaml
fi

arguments=("$@")
if [[ " ${arguments[*]-} " != *" --self-test "* ]]; then
    if [[ -z ${CONTRACT_BIN:-} ]]; then
        build_log=$(mktemp /tmp/dpbridge-contract-build.XXXXXX)
        if ! scripts/swiftlock build --product dpbridge >"$build_log" 2>&1; then
            tail -n 30 "$build_log"
            rm -f "$build_log"
            echo "contract-test: the debug build failed"
            echo "0 passed, 1 failed"
            exit 1
        fi
        rm -f "$build_log"
    fi
    arguments+=(--bin "${CONTRACT_BIN:-$PWD/.build/debug/dpbridge}")
fi

# The Python driver stops every process it started (also on SIGINT/SIGTERM); this trap makes
# sure that an interrupted driver is itself stopped.
driver=
trap '[[ -n $driver ]] && kill -TERM "$driver" 2>/dev/null; wait 2>/dev/null || true' INT TERM
"$python" scripts/contract/contract_test.py "${arguments[@]}" &
driver=$!
wait "$driver"
