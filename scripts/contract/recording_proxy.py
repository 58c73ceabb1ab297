"""A recording reverse proxy: forwards every request to one upstream (http://127.0.0.1:PORT)
and appends the exchange to a JSON-lines file: method, path, query, the request headers that
matter (credentials reduced to their scheme), request body, status, the response headers that
matter, response body, and an error when the upstream gave no answer.

Used in-process by contract_test.py (RecordingProxy), or alone for a look at a flow:
    /usr/bin/python3 recording_proxy.py --upstream http://127.0.0.1:9090 --record api.jsonl
It binds 127.0.0.1 on a port from the kernel and prints it.
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import threading
import time
import urllib.parse

from openapi_contract import decode_body

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "content-length", "host", "expect"}
KEPT_REQUEST_HEADERS = {"content-type", "accept", "authorization", "user-agent", "x-contract-probe"}
KEPT_RESPONSE_HEADERS = {"content-type", "location", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining",
                         "x-ratelimit-used", "x-ratelimit-reset"}


def redact(name: str, value: str) -> str:
    """Credentials keep only their scheme (Bearer, Basic)."""
    if name.lower() == "authorization":
        return value.split(" ", 1)[0] + " <redacted>"
    return value


class RecordingProxy:
    """A threaded reverse proxy on 127.0.0.1:<kernel port> that records to `record_path`."""

    def __init__(self, upstream: str, record_path: str, channel: str, timeout: float = 30):
        parsed = urllib.parse.urlsplit(upstream)
        self.upstream_host = parsed.hostname
        self.upstream_port = parsed.port
        self.channel = channel
        self.timeout = timeout
        self.lock = threading.Lock()
        self.sequence = 0
        self.record = open(record_path, "a", encoding="utf-8")
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # noqa: A002 - the base class's name
                pass

            def handle_any(self):
                proxy.forward(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name=f"proxy-{channel}", daemon=True)

    def start(self) -> "RecordingProxy":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        with self.lock:
            self.record.close()

    @staticmethod
    def read_body(handler) -> bytes:
        if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(handler.rfile.read(size))
                handler.rfile.readline()
        length = int(handler.headers.get("Content-Length") or 0)
        return handler.rfile.read(length) if length else b""

    def forward(self, handler) -> None:
        started = time.time()
        body = self.read_body(handler)
        path, _, query = handler.path.partition("?")
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
        entry = {
            "channel": self.channel, "time": started, "method": handler.command, "path": path, "query": query,
            "request_headers": {k: redact(k, v) for k, v in headers.items() if k.lower() in KEPT_REQUEST_HEADERS},
            "request_body": decode_body(body), "status": None, "response_headers": {}, "response_body": "",
            "error": None,
        }
        status, reason, response_headers, response_body = 502, "Bad Gateway", [], b""
        connection = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=self.timeout)
        try:
            connection.request(handler.command, handler.path, body=body if body or handler.command in
                               ("POST", "PUT", "PATCH") else None, headers=headers)
            response = connection.getresponse()
            response_body = response.read()
            status, reason = response.status, response.reason
            response_headers = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
            entry["status"] = status
            entry["response_headers"] = {k: v for k, v in response_headers if k.lower() in KEPT_RESPONSE_HEADERS}
            entry["response_body"] = decode_body(response_body)
        except (OSError, http.client.HTTPException) as error:
            entry["error"] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()
        entry["duration_ms"] = round((time.time() - started) * 1000, 1)
        with self.lock:
            self.sequence += 1
            entry["seq"] = self.sequence
            if not self.record.closed:
                self.record.write(json.dumps(entry, sort_keys=True) + "\n")
                self.record.flush()
        try:
            if entry["error"]:
                # No answer upstream: close without one, as the upstream did.
                handler.close_connection = True
                return
            handler.send_response(status, reason)
            for name, value in response_headers:
                if name.lower() not in ("server", "date"):
                    handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(response_body)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(response_body)
        except OSError:
            handler.close_connection = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--channel", default="api")
    arguments = parser.parse_args()
    proxy = RecordingProxy(arguments.upstream, arguments.record, arguments.channel).start()
    print(f"recording proxy on http://127.0.0.1:{proxy.port} → {arguments.upstream}", flush=True)
    try:
        proxy.thread.join()
    except KeyboardInterrupt:
        proxy.stop()


if __name__ == "__main__":
    main()
