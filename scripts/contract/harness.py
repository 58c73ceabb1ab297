"""One run of the real daemon against the simulator, with a recording proxy on each side:

    dpbridge (run, map, activate) ──▶ API proxy ──▶ dpbridge simulate
    dpbridge simulate (pushes, pings) ──▶ callback proxy ──▶ dpbridge run's /callbacks/<secret>

`Run` starts the four parts on loopback ports, drives them through their own interfaces
(the simulator's /_sim admin API, the daemon's CLI, /v1 partner API and its SQLite clinic
calendar) and stops them; every wait is bounded.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
import zoneinfo

from recording_proxy import RecordingProxy

ZONE = zoneinfo.ZoneInfo("Europe/Warsaw")
CLIENT_ID = "contract-test"
CLIENT_SECRET = "contract-test-client-secret"
CALLBACK_SECRET = "contract-test-callback-secret-0123"
ADMIN_TOKEN = "contract-test-admin-token"
PROBE_HEADER = "X-Contract-Probe"


def warsaw(days: int, hour: int, minute: int = 0) -> str:
    """That local time `days` from today in the clinic's zone, ISO 8601 with its offset."""
    date = datetime.datetime.now(ZONE).date() + datetime.timedelta(days=days)
    return datetime.datetime(date.year, date.month, date.day, hour, minute, tzinfo=ZONE).isoformat()


def warsaw_day(days: int) -> str:
    return (datetime.datetime.now(ZONE).date() + datetime.timedelta(days=days)).isoformat()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(probe, attempts: int = 300, pause: float = 0.1) -> bool:
    """Calls `probe` until it returns true, at most `attempts` times `pause` seconds apart."""
    for _ in range(attempts):
        try:
            if probe():
                return True
        except (OSError, ValueError, sqlite3.Error, KeyError, AttributeError, TypeError):
            pass
        time.sleep(pause)
    return False


def request(method: str, url: str, body=None, headers=None, timeout: float = 30):
    """(status, parsed JSON or text) of one HTTP request; (None, error) when no answer."""
    data = None
    headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode() if not isinstance(body, (bytes, str)) else (
            body.encode() if isinstance(body, str) else body)
        headers.setdefault("Content-Type", "application/json")
    call = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(call, timeout=timeout) as answer:
            status, text = answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode("utf-8", "replace")
    except (OSError, urllib.error.URLError) as error:
        return None, str(error)
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, text


class Run:
    """The daemon (`mode`), the simulator and the two proxies, in `directory`."""

    def __init__(self, name: str, directory: str, binary: str, mode: str, contract):
        self.name = name
        self.directory = directory
        self.binary = binary
        self.mode = mode
        self.contract = contract
        os.makedirs(directory, exist_ok=True)
        self.api_record = os.path.join(directory, "api.jsonl")
        self.callback_record = os.path.join(directory, "callbacks.jsonl")
        self.simulator_port = free_port()
        self.public_port = free_port()
        self.admin_port = free_port()
        self.api_proxy = RecordingProxy(f"http://127.0.0.1:{self.simulator_port}", self.api_record, "api").start()
        self.callback_proxy = RecordingProxy(
            f"http://127.0.0.1:{self.public_port}", self.callback_record, "callback").start()
        self.config = os.path.join(directory, "dpbridge.yaml")
        self.partner_path = os.path.join(directory, "state", "partner.sqlite")
        self.store_path = os.path.join(directory, "state", "dpbridge.sqlite")
        with open(self.config, "w", encoding="utf-8") as handle:
            handle.write(f"""listen:
  public: {{address: 127.0.0.1, port: {self.public_port}}}
  admin: {{address: 127.0.0.1, port: {self.admin_port}, token: {ADMIN_TOKEN}}}
callback:
  secret: {CALLBACK_SECRET}
docplanner:
  domain: znanylekarz.pl
  base_url: http://127.0.0.1:{self.api_proxy.port}
  client_id: {CLIENT_ID}
  client_secret: {CLIENT_SECRET}
  mode: {mode}
  time_zone: Europe/Warsaw
  write_limit_per_minute: 1000
  pull_max_idle_seconds: 1
store:
  path: {self.store_path}
partner:
  embedded: {{path: {self.partner_path}}}
workers:
  coalesce_ms: 300
log:
  format: text
""")
        self.environment = {k: v for k, v in os.environ.items()
                            if not k.startswith("DPBRIDGE_") and k not in
                            ("NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "CREDENTIALS_DIRECTORY", "JOURNAL_STREAM")}
        self.simulator = None
        self.daemon = None
        self._token = None

    # MARK: - Processes

    @property
    def simulator_url(self) -> str:
        return f"http://127.0.0.1:{self.simulator_port}"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.admin_port}"

    def start(self, simulator_arguments: list) -> None:
        arguments = [self.binary, "simulate", "--port", str(self.simulator_port), "--client-id", CLIENT_ID,
                     "--client-secret", CLIENT_SECRET, "--time-zone", "Europe/Warsaw", "--write-limit", "1000",
                     "--clinic-doctors", "2"]
        if self.mode in ("push", "both"):
            arguments += ["--callback-url", f"http://127.0.0.1:{self.callback_proxy.port}/callbacks/{CALLBACK_SECRET}",
                          "--ping-interval", "2"]
        arguments += ["--mode", self.mode] + simulator_arguments
        self.simulator = subprocess.Popen(
            arguments, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.directory, "simulator.log"), "w"),
            env=self.environment, start_new_session=True)
        if not wait_until(lambda: request("GET", self.simulator_url + "/_sim/state", timeout=2)[0] == 200, 100):
            raise RuntimeError(f"{self.name}: the simulator did not answer within 10 s; see simulator.log")
        self.daemon = subprocess.Popen(
            [self.binary, "run", "--config", self.config], stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.directory, "daemon.log"), "w"), env=self.environment,
            start_new_session=True)
        if not wait_until(lambda: request("GET", self.admin_url + "/health", timeout=2)[0] == 200, 150):
            raise RuntimeError(f"{self.name}: the daemon did not answer /health within 15 s; see daemon.log")

    def stop(self) -> None:
        """SIGTERM to the daemon, then the simulator (SIGKILL after 15 s), then the proxies."""
        for process in (self.daemon, self.simulator):
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self.api_proxy.stop()
        self.callback_proxy.stop()

    def cli(self, *arguments: str, timeout: float = 180) -> subprocess.CompletedProcess:
        """`dpbridge <arguments> --config <this run's configuration>`."""
        return subprocess.run([self.binary, *arguments, "--config", self.config], capture_output=True, text=True,
                              env=self.environment, timeout=timeout)

    # MARK: - Interfaces

    def act(self, action: str, body: dict) -> dict:
        """The simulator's admin action /_sim/<action>: acts on Docplanner's side."""
        status, answer = request("POST", f"{self.simulator_url}/_sim/{action}", body)
        if not isinstance(answer, dict):
            return {"status": status, "error": str(answer)}
        answer.setdefault("status", status)
        return answer

    def v1(self, method: str, path: str, body=None):
        """The daemon's /v1 partner API."""
        return request(method, self.admin_url + path, body, {"Authorization": f"Bearer {ADMIN_TOKEN}"})

    def sql(self, script: str) -> None:
        """A clinic-side write on the embedded calendar, as clinic software makes it."""
        connection = sqlite3.connect(self.partner_path, timeout=10, isolation_level=None)
        try:
            connection.executescript(script)
        finally:
            connection.close()

    def query(self, statement: str, *parameters):
        connection = sqlite3.connect(self.partner_path, timeout=10)
        try:
            return connection.execute(statement, parameters).fetchall()
        finally:
            connection.close()

    def value(self, statement: str, *parameters):
        rows = self.query(statement, *parameters)
        return rows[0][0] if rows else None

    def probe(self, method: str, path: str, body=None, query: str = "", marker: str = "driver"):
        """The driver's own API request through the proxy, marked with `marker` so that it is
        never taken for dpbridge's: for operations no dpbridge flow calls (their answers get
        checked), and for the self-test through the proxy (`marker` "self-test")."""
        if self._token is None:
            status, answer = request(
                "POST", f"http://127.0.0.1:{self.api_proxy.port}/oauth/v2/token",
                f"grant_type=client_credentials&scope=integration&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}",
                {"Content-Type": "application/x-www-form-urlencoded", PROBE_HEADER: "driver"})
            self._token = answer.get("access_token") if isinstance(answer, dict) else ""
        url = f"http://127.0.0.1:{self.api_proxy.port}/api/v3/integration{path}" + (f"?{query}" if query else "")
        return request(method, url, body, {"Authorization": f"Bearer {self._token}", PROBE_HEADER: marker,
                                           "Accept": "application/vnd.docplanner+json"})

    # MARK: - The recordings

    def recorded(self, channel: str = "api") -> list:
        path = self.api_record if channel == "api" else self.callback_record
        entries = []
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        entry = json.loads(line)
                        entry["run"] = self.name
                        entries.append(entry)
        return entries

    def operation_of(self, entry: dict) -> str:
        if entry["path"] == self.contract.token_path:
            return "oauthToken"
        operation, _ = self.contract.match(entry["method"], entry["path"])
        return operation.operation_id if operation else "?"

    def mark(self) -> int:
        return len(self.recorded())

    def dpbridge_calls(self, since: int = 0) -> list:
        """(operationId, status) of dpbridge's API requests recorded after `since`."""
        return [(self.operation_of(e), e.get("status")) for e in self.recorded()[since:]
                if PROBE_HEADER.lower() not in {k.lower() for k in e.get("request_headers", {})}]

    def wait_for_calls(self, operations: list, since: int, attempts: int = 300, success: bool = True) -> list:
        """Waits until dpbridge called each of `operations` after `since` (answered 2xx when
        `success`); returns the ones still missing."""
        def missing() -> list:
            seen = {op for op, status in self.dpbridge_calls(since)
                    if status is not None and (not success or 200 <= status < 300)}
            return [op for op in operations if op not in seen]
        wait_until(lambda: not missing(), attempts)
        return missing()
