"""The contract conformance test (run by scripts/contract-test.sh): drives the real daemon
through every flow against the simulator, records every exchange on both sides, and checks
each against Docplanner's OpenAPI document (Tests/Contract/integrations-api.yml):

- every request dpbridge sent to Docplanner: its method and path match an operation, its
  path and query parameters are declared and typed, its body is valid against the request
  schema with no undeclared field (see openapi_contract.py for the rules);
- every answer the simulator gave: a status the operation declares, a declared content type,
  a body valid against that response's schema (undeclared fields allowed, counted as notes);
- every callback the simulator pushed to dpbridge: valid against the callback's request
  schema under the `/{client-endpoint-url}` path's `callbacks:`, and dpbridge's answer a
  declared status (any non-2xx denies a blocking slot-booking/booking-moving).

Checks: the validator's self-test (wrong exchanges reported, right ones pass), one per flow,
one for "0 violations", one for coverage (every operation dpbridge's client implements was
exercised by dpbridge, or is listed in SKIPPED with the reason). Prints figures and ends with
`N passed, N failed`; exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import re
import shutil
import signal
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import flows  # noqa: E402
import selftest  # noqa: E402
from harness import PROBE_HEADER, Run, wait_until  # noqa: E402
from openapi_contract import Contract  # noqa: E402

DOCUMENT = os.path.join(REPOSITORY, "Tests", "Contract", "integrations-api.yml")
EXAMPLES = os.path.join(REPOSITORY, "Tests", "Contract", "callback-examples.json")
CLIENT_SOURCES = os.path.join(REPOSITORY, "Sources", "DocplannerAPI", "DocplannerClient+*.swift")

# dpbridge's names (metrics, `send("…")`) for operations the document names otherwise.
CLIENT_ALIASES = {
    "pullNotification": "Pull Notification",
    "pullNotifications": "Pull Multiple Notification",
    "releaseNotifications": "Release Notifications",
}

# Operations dpbridge's client implements that no dpbridge flow calls, and why. Their
# simulator answers are still checked: the driver probes each (flows.probes).
NO_FLOW = "no dpbridge flow calls it (the client implements it for completeness); the driver probes the simulator's answer"
SKIPPED = {
    "getDoctor": NO_FLOW + " (discovery lists doctors with getDoctors)",
    "getAddress": NO_FLOW + " (discovery lists addresses with getAddresses)",
    "updateAddress": NO_FLOW,
    "removeAddressIntegration": NO_FLOW + " (DocplannerPMS clients only)",
    "getAddressService": NO_FLOW,
    "disableCalendar": NO_FLOW,
    "getCalendarBreak": NO_FLOW,
    "requestOpinion": NO_FLOW,
    "Pull Notification": NO_FLOW + " (PULL mode drains GET /notifications/multiple)",
    # Since the slot feed sends one whole day per replaceSlots, a closed day is a range
    # without address services there; older feeds called deleteSlots for it.
    "deleteSlots": NO_FLOW + " (a closed day goes as a replaceSlots range without address services)",
}


def implemented_operations(contract: Contract) -> tuple[set, list]:
    """The document's operationIds that dpbridge's client sends, and client names the
    document does not have."""
    names = set()
    for path in glob.glob(CLIENT_SOURCES):
        with open(path, encoding="utf-8") as handle:
            names |= set(re.findall(r'\b(?:send|call)\(\s*"([A-Za-z]+)"', handle.read()))
    known = {op.operation_id for op in contract.operations}
    mapped = {CLIENT_ALIASES.get(name, name) for name in names}
    return mapped & known, sorted(mapped - known)


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def record(self, name: str, ok: bool, detail: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"  {'✓' if ok else '✗'} {name}" + (f" — {detail}" if detail else ""), flush=True)

    def flow(self, run: Run, name: str, body) -> None:
        try:
            detail, ok = body(run), True
        except flows.FlowFailed as failure:
            detail, ok = str(failure), False
        except Exception as error:  # a broken flow is a failed check, not a crash
            detail, ok = f"{type(error).__name__}: {error}", False
        self.record(f"[{run.name}] {name}", ok, detail)


def started(run: Run) -> str:
    expected = ["oauthToken"] + (["Release Notifications"] if run.mode in ("push", "both") else [])
    missing = run.wait_for_calls(expected, 0, 200)
    flows.require(not missing, f"never called at start: {missing}")
    detail = ", ".join(expected)
    if run.mode in ("push", "both"):
        pinged = wait_until(lambda: any(e["method"] == "GET" and e.get("status") == 200
                                        for e in run.recorded("callback")), 100)
        flows.require(pinged, "no ping of the callback URL was answered 200")
        detail += "; pings answered 200"
    return detail


def drive(binary: str, work: str, contract: Contract, checks: Checks) -> list:
    """Runs the daemon in PUSH and then PULL mode through every flow; returns the recordings."""
    entries = []
    for name, mode, steps in (("push", "push", flows.PUSH_FLOWS), ("pull", "pull", flows.PULL_FLOWS)):
        print(f"== run {name}: dpbridge run (docplanner.mode {mode}) and dpbridge simulate --mode {mode}", flush=True)
        run = Run(name, os.path.join(work, name), binary, mode, contract)
        try:
            run.start([])
            checks.flow(run, "start: OAuth token" + (", release, pings" if mode == "push" else ""), started)
            for title, body in steps:
                checks.flow(run, title, body)
        except RuntimeError as error:
            checks.record(f"[{name}] the run started", False, str(error))
        finally:
            run.stop()
            for log in ("daemon.log", "simulator.log"):
                path = os.path.join(run.directory, log)
                if os.path.exists(path):
                    with open(path, encoding="utf-8", errors="replace") as handle:
                        bad = [line for line in handle if " level=error " in line or "level=critical" in line]
                    if bad:
                        print(f"  note: {len(bad)} error lines in {name}/{log}, e.g. {bad[0].strip()[:200]}")
        entries += run.recorded("api") + run.recorded("callback")
    return entries


def validate(entries: list, contract: Contract, checks: Checks) -> set:
    """Checks every recorded exchange; prints the figures; returns the operations dpbridge exercised."""
    per_operation = collections.Counter()
    probed = collections.Counter()
    violations = []
    notes = collections.Counter()
    skipped = collections.Counter()
    exercised = set()
    callbacks_seen = collections.Counter()
    proxy_self_test = []
    for entry in entries:
        marker = {k.lower(): v for k, v in entry.get("request_headers", {}).items()}.get(PROBE_HEADER.lower())
        is_probe = marker is not None
        outcome = contract.check_api(entry) if entry["channel"] == "api" else contract.check_callback(entry)
        if marker == "self-test":
            proxy_self_test.append(outcome)
            continue
        if outcome.skipped:
            skipped[f"{outcome.operation}: {outcome.skipped}"] += 1
            continue
        (probed if is_probe else per_operation)[outcome.operation] += 1
        if entry["channel"] == "api" and not is_probe and entry.get("status") is not None:
            exercised.add(outcome.operation)
        if entry["channel"] == "callback":
            callbacks_seen[outcome.operation.removeprefix("callback:")] += 1
        for violation in outcome.violations:
            violations.append((entry["run"], "driver probe" if is_probe else "dpbridge", violation))
        for note in outcome.notes:
            notes[re.sub(r"\[\d+\]", "[]", note)] += 1
    total = sum(per_operation.values()) + sum(probed.values())
    print(f"== exchanges checked: {total} ({sum(per_operation.values())} by dpbridge and the simulator's pushes, "
          f"{sum(probed.values())} driver probes)")
    by_operation = collections.Counter(v.operation for _, _, v in violations)
    for operation in sorted(set(per_operation) | set(probed)):
        print(f"  {operation:42} {per_operation[operation]:4} dpbridge/pushes {probed[operation]:3} probes "
              f"{by_operation[operation]:3} violations")
    for reason, count in sorted(skipped.items()):
        print(f"  not checked: {count} × {reason}")
    print(f"== violations: {len(violations)}")
    seen_lines = collections.Counter()
    for run, source, violation in violations:
        seen_lines[f"[{run}, {source}] {violation.line()}"] += 1
    for line, count in sorted(seen_lines.items()):
        print(f"  {line}" + (f"  (× {count})" if count > 1 else ""))
    if notes:
        print(f"== notes: undeclared properties in answers and callbacks (allowed, not violations): {sum(notes.values())}")
        for note, count in sorted(notes.items()):
            print(f"  {note} (× {count})")
    events = set(contract.callbacks)
    print(f"== callbacks pushed: {', '.join(f'{k} ×{v}' for k, v in sorted(callbacks_seen.items()))}")
    if events - set(callbacks_seen):
        print(f"  not pushed (the simulator's admin API has no action for them): {', '.join(sorted(events - set(callbacks_seen)))}")
    found = {v.path for outcome in proxy_self_test for v in outcome.violations}
    wanted = set(flows.PROXY_SELF_TEST_PATHS)
    checks.record("self-test through the proxy: the wrong replaceSlots is reported from the recording",
                  len(proxy_self_test) == 1 and wanted <= found,
                  f"reported at {', '.join(sorted(found))}" if wanted <= found else
                  f"{len(proxy_self_test)} recorded; expected violations at {sorted(wanted)}, got {sorted(found)}")
    checks.record("0 violations of the OpenAPI document", not violations and total > 0,
                  f"{total} exchanges checked" if not violations else f"{len(violations)} violations (listed above)")
    return exercised


def coverage(contract: Contract, exercised: set, checks: Checks) -> None:
    implemented, unknown = implemented_operations(contract)
    every = {op.operation_id for op in contract.operations}
    never = implemented - exercised - set(SKIPPED)
    print(f"== coverage: {len(every)} operations in the document, {len(implemented)} implemented by dpbridge's client, "
          f"{len(exercised & every)} exercised by dpbridge")
    print(f"  exercised: {', '.join(sorted(exercised & every))}")
    for operation in sorted(set(SKIPPED) & implemented - exercised):
        print(f"  skipped: {operation}: {SKIPPED[operation]}")
    for operation in sorted(set(SKIPPED) & exercised):
        print(f"  note: {operation} is listed as skipped, yet dpbridge exercised it in this run")
    if every - implemented:
        print(f"  not implemented by the client: {', '.join(sorted(every - implemented))}")
    problems = [f"never exercised: {', '.join(sorted(never))}"] if never else []
    if unknown:
        problems.append(f"client names no operation of the document: {', '.join(unknown)}")
    checks.record("every operation the client implements was exercised (or skipped with a reason)", not problems,
                  "; ".join(problems) or f"{len(implemented & exercised)} exercised, "
                                         f"{len(set(SKIPPED) & implemented - exercised)} skipped with a reason")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(REPOSITORY, ".build", "debug", "dpbridge"))
    parser.add_argument("--self-test", action="store_true", help="only the validator's self-test")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work directory (recordings hold the simulator's sample patients)")
    arguments = parser.parse_args()
    # SIGTERM/SIGINT end the run through the finally blocks, which stop every process.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    contract = Contract(DOCUMENT)
    with open(EXAMPLES, encoding="utf-8") as handle:
        examples = json.load(handle)
    checks = Checks()
    print("== self-test: the validator reports deliberately wrong exchanges", flush=True)
    for name, ok, detail in selftest.run(contract, examples):
        checks.record(name, ok, detail)
    if not arguments.self_test:
        work = tempfile.mkdtemp(prefix="dpbridge-contract.")
        try:
            entries = drive(arguments.bin, work, contract, checks)
            exercised = validate(entries, contract, checks)
            coverage(contract, exercised, checks)
        finally:
            if arguments.keep:
                print(f"work directory kept: {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
