#!/usr/bin/python3
"""The dashboards and alerts test (run by scripts/dashboards-test.sh): checks
contrib/grafana/dpbridge.json and contrib/prometheus/alerts.yml against promtool and against
what a live daemon serves on GET /metrics.

Checks:
- the dashboard: a JSON model whose Prometheus data source is the `${DS_PROMETHEUS}` input,
  with a `tenant` template variable that every query filters on; every PromQL expression
  parses (promtool, as recording rules with `$tenant` and Grafana's intervals substituted);
- the rules: `promtool check rules`, `promtool test rules` (contrib/prometheus/alerts_test.yml),
  and each alert has `for:`, a `severity` label and a summary and description naming the tenant;
- every metric name (`dpbridge_…`, with a histogram's `_bucket`/`_sum`/`_count` suffix) that
  the dashboard or the rules name is one a live daemon's /metrics serves: the debug daemon and
  the simulator run on loopback (PUSH mode); a patient books (a booking question approved, an
  event acknowledged), two booking questions are denied, the clinic books a visit (an outbox
  job, bookSlot); then /metrics is scraped and parsed with Prometheus' Python parser.

First a self-test: each check must fail on a deliberately wrong input (a misspelled metric
in the dashboard and in the rules, a broken rule file, a changed threshold, a dashboard without
its tenant variable or with a fixed data source).

Prints "ok   <check>: <detail>" or "FAIL <check>: <detail>" per check, then
"N passed, N failed"; exits 1 when anything failed. Every wait is bounded; every process
started is stopped on exit.

Usage: dashboards_test.py [--self-test] [--bin DPBRIDGE] [--keep]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

import yaml
from prometheus_client.parser import text_string_to_metric_families

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPOSITORY, "scripts", "contract"))

DASHBOARD = os.path.join(REPOSITORY, "contrib", "grafana", "dpbridge.json")
RULES_DIRECTORY = os.path.join(REPOSITORY, "contrib", "prometheus")
RULES = os.path.join(RULES_DIRECTORY, "alerts.yml")
RULES_TEST = os.path.join(RULES_DIRECTORY, "alerts_test.yml")
DOCUMENT = os.path.join(REPOSITORY, "Tests", "Contract", "integrations-api.yml")

METRIC = re.compile(r"(?<![A-Za-z0-9_:])dpbridge_[A-Za-z0-9_:]*[A-Za-z0-9]")
DATA_SOURCE = "${DS_PROMETHEUS}"
# Grafana's variables in PromQL, as the dashboard's queries get them.
GRAFANA_VARIABLES = {"$tenant": ".*", "$__rate_interval": "1m", "$__interval": "30s", "$__range": "1h"}
SEVERITIES = {"critical", "warning"}


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def record(self, name: str, ok: bool, detail: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)


# MARK: - What the files name

def strings(value):
    """Every string in a JSON/YAML value, keys excepted."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def metric_names(value) -> set:
    """The `dpbridge_…` names in every string of `value` (expressions, variable queries,
    annotations that query, descriptions)."""
    return {name for text in strings(value) for name in METRIC.findall(text)}


def expressions(dashboard: dict) -> list:
    """(where, PromQL) of every query in the dashboard: panel targets and template variables."""
    found = []

    def panels(items):
        for panel in items or []:
            yield panel
            yield from panels(panel.get("panels"))
    for panel in panels(dashboard.get("panels")):
        for target in panel.get("targets") or []:
            if target.get("expr"):
                found.append((f"panel {panel.get('title')!r} {target.get('refId')}", target["expr"]))
    for variable in (dashboard.get("templating") or {}).get("list") or []:
        query = variable.get("query")
        text = query.get("query") if isinstance(query, dict) else query
        if text:
            found.append((f"variable {variable.get('name')}", text))
    return found


# MARK: - The checks, each a function of its input (so that the self-test can feed it wrong ones)

def dashboard_problems(dashboard: dict) -> list:
    """What keeps the dashboard from being imported as one per-tenant, data-source-neutral model."""
    problems = []
    inputs = {i.get("name"): i for i in dashboard.get("__inputs") or []}
    source = inputs.get("DS_PROMETHEUS")
    if not source or source.get("type") != "datasource" or source.get("pluginId") != "prometheus":
        problems.append("no __inputs entry DS_PROMETHEUS (a Prometheus data source)")
    variables = {v.get("name"): v for v in (dashboard.get("templating") or {}).get("list") or []}
    tenant = variables.get("tenant")
    if not tenant:
        problems.append("no `tenant` template variable")
    elif (tenant.get("datasource") or {}).get("uid") != DATA_SOURCE:
        problems.append(f"the tenant variable's data source is not {DATA_SOURCE}")

    def panels(items):
        for panel in items or []:
            yield panel
            yield from panels(panel.get("panels"))
    for panel in panels(dashboard.get("panels")):
        for target in panel.get("targets") or []:
            where = f"panel {panel.get('title')!r} {target.get('refId')}"
            if (target.get("datasource") or {}).get("uid") != DATA_SOURCE:
                problems.append(f"{where}: data source {target.get('datasource')} is not {DATA_SOURCE}")
            if target.get("expr") and 'tenant=~"$tenant"' not in target["expr"]:
                problems.append(f"{where}: the query does not filter on tenant=~\"$tenant\"")
    if not expressions(dashboard):
        problems.append("no query")
    return problems


def promtool(*arguments: str, cwd: str | None = None) -> tuple[bool, str]:
    result = subprocess.run(["promtool", *arguments], capture_output=True, text=True, cwd=cwd, timeout=120)
    output = (result.stdout + result.stderr).strip()
    return result.returncode == 0, output


def dashboard_expressions_parse(dashboard: dict, work: str) -> tuple[bool, str]:
    """promtool check rules on the dashboard's queries as recording rules (variables substituted)."""
    rules = []
    for number, (where, expression) in enumerate(expressions(dashboard)):
        if expression.startswith("label_values("):
            match = re.fullmatch(r"label_values\((.+),\s*(\w+)\)", expression)
            if not match:
                return False, f"{where}: {expression!r} is not label_values(metric, label)"
            expression = match.group(1)
        for variable, value in GRAFANA_VARIABLES.items():
            expression = expression.replace(variable, value)
        rules.append({"record": f"dashboard:query_{number}", "expr": expression})
    path = os.path.join(work, "dashboard-queries.yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, handle)
    ok, output = promtool("check", "rules", path)
    return ok, f"{len(rules)} queries parse" if ok else output[-600:]


def rule_problems(rules: dict) -> list:
    """Alerts without `for:`, a severity or a summary and description naming the tenant."""
    problems = []
    alerts = [rule for group in rules.get("groups") or [] for rule in group.get("rules") or [] if "alert" in rule]
    for rule in alerts:
        name = rule["alert"]
        if not rule.get("for"):
            problems.append(f"{name}: no `for:`")
        if (rule.get("labels") or {}).get("severity") not in SEVERITIES:
            problems.append(f"{name}: severity not one of {sorted(SEVERITIES)}")
        annotations = rule.get("annotations") or {}
        for key in ("summary", "description"):
            if not annotations.get(key):
                problems.append(f"{name}: no {key}")
        if "tenant" not in annotations.get("description", ""):
            problems.append(f"{name}: the description does not name the tenant")
    if not alerts:
        problems.append("no alert")
    return problems


def unserved(named: set, served: set) -> list:
    return sorted(named - served)


def sample_sum(exposition: str, name: str, **labels: str) -> float:
    """The sum of the samples `name` whose labels include `labels`."""
    return sum(sample.value for family in text_string_to_metric_families(exposition) for sample in family.samples
               if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()))


def counted_problems(exposition: str) -> list:
    """What the scrape should show after the live steps and does not."""
    expected = [
        ("dpbridge_pings_total", {}, 1),
        ("dpbridge_blocking_answer_duration_seconds_count", {"answer": "approved"}, 1),
        ("dpbridge_blocking_answer_duration_seconds_count", {"answer": "denied"}, 2),
        ("dpbridge_callbacks_acknowledged_total", {"event": "slot-booked"}, 1),
        ("dpbridge_callbacks_rejected_total", {"reason": "denied"}, 2),
        ("dpbridge_jobs_processed_total", {"queue": "outbox", "outcome": "done"}, 1),
        ("dpbridge_docplanner_requests_total", {"operation": "bookSlot"}, 2),
    ]
    problems = [f"{name}{labels or ''} = {sample_sum(exposition, name, **labels):g}, expected at least {least}"
                for name, labels, least in expected if sample_sum(exposition, name, **labels) < least]
    age = [s for f in text_string_to_metric_families(exposition) for s in f.samples
           if s.name == "dpbridge_last_ping_age_seconds"]
    if len(age) != 1 or not 0 <= age[0].value < 60:
        problems.append(f"dpbridge_last_ping_age_seconds: {[(s.labels, s.value) for s in age]}, expected one below 60")
    return problems


def served_names(exposition: str) -> set:
    """The sample names of a /metrics answer (histograms' _bucket/_sum/_count, counters' _total)."""
    return {sample.name for family in text_string_to_metric_families(exposition) for sample in family.samples}


# MARK: - Self-test: every check fails on a wrong input

def self_test(checks: Checks, dashboard: dict, rules_text: str, served: set, work: str) -> None:
    # A misspelled metric and a histogram's wrong suffix in the dashboard.
    wrong = json.loads(json.dumps(dashboard)
                       .replace("dpbridge_queue_oldest_pending_age_seconds", "dpbridge_queue_oldest_pending_age_second")
                       .replace("dpbridge_blocking_answer_duration_seconds_bucket",
                                "dpbridge_blocking_answer_duration_seconds_buckets"))
    missing = unserved(metric_names(wrong), served)
    checks.record("self-test: a misspelled dashboard metric is reported",
                  missing == ["dpbridge_blocking_answer_duration_seconds_buckets",
                              "dpbridge_queue_oldest_pending_age_second"],
                  f"reported {missing}")
    # A misspelled metric in the rules (in an expression and in an annotation's query).
    wrong_rules = yaml.safe_load(rules_text.replace("dpbridge_last_ping_age_seconds", "dpbridge_last_ping_seconds")
                                 .replace("dpbridge_pings_total{instance", "dpbridge_ping_total{instance"))
    missing = unserved(metric_names(wrong_rules), served)
    checks.record("self-test: a misspelled rule metric is reported",
                  missing == ["dpbridge_last_ping_seconds", "dpbridge_ping_total"], f"reported {missing}")

    # A broken rule file: an expression that does not parse, a `for:` without a unit.
    for number, (what, old, new) in enumerate((
            ("an expression that does not parse", "expr: dpbridge_last_ping_age_seconds >= 900",
             "expr: dpbridge_last_ping_age_seconds >= "),
            ("a `for:` without a unit", "for: 2m", "for: 2"))):
        directory = os.path.join(work, f"broken-rules-{number}")
        os.makedirs(directory)
        path = os.path.join(directory, "alerts.yml")
        assert old in rules_text, old
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(rules_text.replace(old, new, 1))
        ok, output = promtool("check", "rules", path)
        checks.record(f"self-test: promtool check rules refuses {what}", not ok,
                      (output.splitlines() or ["(no output)"])[-1][:200])

    # A threshold moved (15 min of silence → 30): the rules' unit tests catch it.
    directory = os.path.join(work, "threshold")
    os.makedirs(directory)
    shutil.copy(RULES_TEST, directory)
    with open(os.path.join(directory, "alerts.yml"), "w", encoding="utf-8") as handle:
        handle.write(rules_text.replace("dpbridge_last_ping_age_seconds >= 900", "dpbridge_last_ping_age_seconds >= 1800"))
    ok, output = promtool("test", "rules", "alerts_test.yml", cwd=directory)
    checks.record("self-test: promtool test rules catches a moved threshold", not ok and "DpbridgeNoPing" in output,
                  "failed on DpbridgeNoPing" if "DpbridgeNoPing" in output else output[-300:])

    # Alerts without `for:`, severity or tenant.
    wrong_rules = yaml.safe_load(rules_text)
    first = wrong_rules["groups"][0]["rules"][0]
    first.pop("for")
    first["labels"]["severity"] = "page"
    first["annotations"]["description"] = "no ping"
    problems = rule_problems(wrong_rules)
    checks.record("self-test: an alert without for, severity or tenant is reported", len(problems) == 3,
                  "; ".join(problems))

    # A dashboard without its tenant variable, with one query on a fixed data source and one
    # query for every tenant.
    wrong = copy.deepcopy(dashboard)
    wrong["templating"]["list"] = [v for v in wrong["templating"]["list"] if v.get("name") != "tenant"]
    targets = [t for p in wrong["panels"] for t in p.get("targets") or []]
    targets[0]["datasource"] = {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"}
    targets[1]["expr"] = targets[1]["expr"].replace('tenant=~"$tenant"', 'tenant=~".*"')
    problems = dashboard_problems(wrong)
    checks.record("self-test: a dashboard without tenant variable, with a fixed data source, is reported",
                  len(problems) == 3, "; ".join(problems))
    # A query that does not parse.
    wrong = copy.deepcopy(dashboard)
    targets = [t for p in wrong["panels"] for t in p.get("targets") or []]
    targets[-1]["expr"] = targets[-1]["expr"].replace(")", "", 1)
    directory = os.path.join(work, "broken-queries")
    os.makedirs(directory)
    ok, output = dashboard_expressions_parse(wrong, directory)
    checks.record("self-test: a dashboard query that does not parse is refused", not ok,
                  (output.splitlines() or ["(no output)"])[-1][:200])


# MARK: - The live daemon

def live_scrape(binary: str, work: str, checks: Checks) -> str | None:
    """Runs the daemon and the simulator (PUSH), drives a callback, booking questions and a clinic
    change, and returns /metrics; None (with a failed check) when a step did not happen."""
    import flows
    from harness import Run, request, wait_until
    from openapi_contract import Contract

    run = Run("live", os.path.join(work, "live"), binary, "push", Contract(DOCUMENT))
    try:
        run.start([])
        steps = [
            ("a ping reached the daemon", lambda r: "answered 200" if wait_until(lambda: any(
                e["method"] == "GET" and e.get("status") == 200 for e in r.recorded("callback")), 150)
             else flows.require(False, "no ping answered 200 within 15 s")),
            ("a patient books: slot-booking approved, slot-booked acknowledged", flows.patient_books),
            ("slot-booking and booking-moving denied", flows.blocking_denied),
            ("the clinic books: an outbox job, bookSlot", flows.clinic_books),
        ]
        for title, step in steps:
            try:
                checks.record(f"live: {title}", True, step(run))
            except flows.FlowFailed as failure:
                checks.record(f"live: {title}", False, str(failure))
                return None
        status, text = request("GET", run.admin_url + "/metrics", timeout=10)
        if status != 200 or not isinstance(text, str):
            checks.record("live: GET /metrics", False, f"answered {status}")
            return None
        with open(os.path.join(run.directory, "metrics.txt"), "w", encoding="utf-8") as handle:
            handle.write(text)
        problems = counted_problems(text)
        checks.record("live: /metrics counts what was sent", not problems,
                      "; ".join(problems) or "ping age, answers approved/denied, callbacks, outbox job, bookSlot")
        return text
    except RuntimeError as error:
        checks.record("live: the daemon and the simulator started", False, str(error))
        return None
    finally:
        run.stop()


def canned_served(dashboard: dict, rules: dict) -> set:
    """For the self-test: as if every name the unaltered files use were served."""
    return metric_names(dashboard) | metric_names(rules)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(REPOSITORY, ".build", "debug", "dpbridge"))
    parser.add_argument("--self-test", action="store_true", help="only the checks' self-test and the file checks")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    arguments = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    checks = Checks()
    work = tempfile.mkdtemp(prefix="dpbridge-dashboards.")
    try:
        with open(DASHBOARD, encoding="utf-8") as handle:
            dashboard = json.load(handle)
        with open(RULES, encoding="utf-8") as handle:
            rules_text = handle.read()
        rules = yaml.safe_load(rules_text)

        print("== self-test: each check fails on a deliberately wrong input", flush=True)
        self_test(checks, dashboard, rules_text, canned_served(dashboard, rules), work)

        print("== the dashboard and the rules", flush=True)
        problems = dashboard_problems(dashboard)
        checks.record("dashboard: ${DS_PROMETHEUS} input, tenant variable, every query per tenant", not problems,
                      "; ".join(problems) or f"{len(expressions(dashboard))} queries")
        checks.record("dashboard: every query parses (promtool)", *dashboard_expressions_parse(dashboard, work))
        ok, output = promtool("check", "rules", RULES)
        checks.record("rules: promtool check rules", ok, (output.splitlines() or [""])[-1].strip())
        ok, output = promtool("test", "rules", os.path.basename(RULES_TEST), cwd=RULES_DIRECTORY)
        checks.record("rules: promtool test rules (alerts_test.yml)", ok,
                      (output.splitlines() or [""])[-1].strip() if ok else output[-600:])
        problems = rule_problems(rules)
        checks.record("rules: for, severity, summary and description with the tenant", not problems,
                      "; ".join(problems) or f"{sum(len(g['rules']) for g in rules['groups'])} alerts")

        if not arguments.self_test:
            print("== a live daemon's /metrics (debug daemon and simulator on 127.0.0.1)", flush=True)
            exposition = live_scrape(arguments.bin, work, checks)
            if exposition is not None:
                served = served_names(exposition)
                for what, named in (("dashboard", metric_names(dashboard)), ("rules", metric_names(rules))):
                    missing = unserved(named, served)
                    checks.record(f"{what}: every metric it names is served", not missing,
                                  f"not served: {missing}" if missing else f"{len(named)} names, all served")
    finally:
        if arguments.keep:
            print(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
