#!/usr/bin/python3
"""Hostile HTTP clients against a running dpbridge listener (issue 16).

Usage: scripts/http-attacks.py HOST PORT PID [PING_PATH] [--rss-bound-mb 64]
           [--slow-clients 1000] [--slow-seconds 40] [--flood-mb 64] [--only NAME]

  HOST PORT   the HTTP listener to attack (loopback in tests)
  PID         the server's process: its RSS is read from /proc/PID/status
  PING_PATH   a GET route answering 200 (default /ping; for the daemon
              /callbacks/<callback.secret>); a second thread asks for it on a new
              connection every 100 ms during each attack and counts the 200s

Attacks, one after the other (--only runs one):
  pipelined-flood  one connection writes up to --flood-mb MB of pipelined GETs
                   without ever reading an answer
  chunk-ext-flood  8 connections send chunked bodies of 1-byte chunks whose size
                   lines carry 4,000 bytes of extensions each; each must be answered
                   (413) before it has sent 16 MB
  slow-body        --slow-clients connections announce a 100 kB body and send one
                   byte every 2 s; each must be answered or closed by the server
                   within --slow-seconds

An attack passes when the server's RSS stays within --rss-bound-mb throughout, every
ping is answered 200, and the attack's own condition holds. One line per attack, e.g.
  pipelined-flood: max RSS 31.2 MB (bound 64 MB), pings 60/60 ok, 9.1 MB sent, ...: passed
then "N passed, N failed"; the exit status is 1 when any attack failed.
Standard library only (Debian's /usr/bin/python3).
"""
import argparse
import resource
import selectors
import socket
import sys
import threading
import time


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Watch:
    """Samples the server's RSS every 50 ms and pings it every 100 ms while an attack runs."""

    def __init__(self, args):
        self.args = args
        self.stop = threading.Event()
        self.max_rss = rss_mb(args.pid)
        self.pings = 0
        self.pings_ok = 0
        self.failures = []
        self.threads = [threading.Thread(target=self.sample), threading.Thread(target=self.ping)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def sample(self):
        while not self.stop.is_set():
            self.max_rss = max(self.max_rss, rss_mb(self.args.pid))
            self.stop.wait(0.05)

    def ping(self):
        request = f"GET {self.args.ping_path} HTTP/1.1\r\nHost: {self.args.host}\r\nConnection: close\r\n\r\n".encode()
        while not self.stop.is_set():
            self.pings += 1
            status = "no answer"
            try:
                with socket.create_connection((self.args.host, self.args.port), timeout=2) as s:
                    s.sendall(request)
                    data = b""
                    while b"\r\n" not in data:
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    status = data.split(b"\r\n", 1)[0].decode(errors="replace") or "closed"
            except OSError as error:
                status = type(error).__name__
            if status.startswith("HTTP/1.1 200"):
                self.pings_ok += 1
            elif len(self.failures) < 3:
                self.failures.append(status)
            self.stop.wait(0.1)

    def verdict(self, name, ok, detail):
        rss_ok = self.max_rss <= self.args.rss_bound_mb
        pings_ok = self.pings > 0 and self.pings_ok == self.pings
        passed = rss_ok and pings_ok and ok
        print(f"{name}: max RSS {self.max_rss:.1f} MB (bound {self.args.rss_bound_mb:g} MB), "
              f"pings {self.pings_ok}/{self.pings} {'ok' if pings_ok else 'FAILED (' + ', '.join(self.failures) + ')'}, "
              f"{detail}: {'passed' if passed else 'FAILED'}", flush=True)
        return passed


def pipelined_flood(args, watch):
    """One connection writes pipelined requests and never reads."""
    request = f"GET {args.ping_path} HTTP/1.1\r\nHost: {args.host}\r\n\r\n".encode()
    batch = request * max(1, 65536 // len(request))
    goal = args.flood_mb * 1024 * 1024
    sent = 0
    outcome = "sent all"
    s = socket.create_connection((args.host, args.port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    s.settimeout(3)
    try:
        while sent < goal:
            sent += s.send(batch)
    except socket.timeout:
        outcome = "the server stopped reading"
    except OSError as error:
        outcome = f"the server closed the connection ({type(error).__name__})"
    time.sleep(1)  # let the server work through what it read, still unread by us
    s.close()
    return True, f"{sent / 1048576:.1f} MB sent, then {outcome}"


def chunk_extension_flood(args, watch):
    """Chunked bodies whose framing, not data, is huge; each connection must be answered."""
    head = (f"POST {args.ping_path} HTTP/1.1\r\nHost: {args.host}\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    chunk = b"1;" + b"e" * 4000 + b"\r\nx\r\n"  # size lines just under their 4 KiB limit
    batch = chunk * 16
    limit = 16 * 1024 * 1024
    answers = []

    def client():
        s = socket.create_connection((args.host, args.port))
        s.settimeout(5)
        sent, answer = 0, b""
        selector = selectors.DefaultSelector()
        selector.register(s, selectors.EVENT_READ)
        try:
            s.sendall(head)
            while sent < limit and not selector.select(0):
                sent += s.send(batch)
        except OSError:
            pass  # the server stopped reading or closed: its answer may be waiting
        try:
            s.settimeout(3)
            answer = s.recv(4096) or b"closed without an answer"
        except OSError as error:
            answer = type(error).__name__.encode()
        s.close()
        answers.append((answer.split(b"\r\n", 1)[0].decode(errors="replace"), sent))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answered = [a for a, sent in answers if a.startswith("HTTP/1.1 413")]
    most = max(sent for _, sent in answers) / 1048576
    others = sorted({a for a, _ in answers if not a.startswith("HTTP/1.1 413")})
    detail = f"{len(answered)}/{len(answers)} answered 413 (at most {most:.1f} MB sent each)"
    if others:
        detail += f"; others: {', '.join(others)}"
    return len(answered) == len(answers), detail


def slow_body(args, watch):
    """Many connections trickle a body one byte every 2 s; the server must cut each off."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, args.slow_clients + 512)), hard))
    head = f"POST {args.ping_path} HTTP/1.1\r\nHost: {args.host}\r\nContent-Length: 100000\r\n\r\n".encode()
    selector = selectors.DefaultSelector()
    clients = {}
    started = time.monotonic()
    refused = 0
    for _ in range(args.slow_clients):
        try:
            s = socket.create_connection((args.host, args.port), timeout=2)
            s.sendall(head)
            s.setblocking(False)
        except OSError:
            refused += 1
            continue
        clients[s] = None  # when the server answered or closed it, seconds after the start
        selector.register(s, selectors.EVENT_READ)
    next_byte = time.monotonic()
    while time.monotonic() - started < args.slow_seconds and any(cut is None for cut in clients.values()):
        now = time.monotonic()
        if now >= next_byte:
            for s, cut in clients.items():
                if cut is None:
                    try:
                        s.send(b"x")
                    except OSError:
                        pass
            next_byte = now + 2
        for key, _ in selector.select(timeout=max(0.01, min(0.5, next_byte - time.monotonic()))):
            s = key.fileobj
            try:
                s.recv(4096)
            except OSError:
                pass
            clients[s] = time.monotonic() - started
            selector.unregister(s)
    cut = [t for t in clients.values() if t is not None]
    for s in clients:
        s.close()
    detail = f"{len(cut)}/{len(clients)} slow clients cut off within {args.slow_seconds} s"
    if cut:
        detail += f" (last after {max(cut):.1f} s)"
    if refused:
        detail += f", {refused} refused at connect"
    return len(clients) > 0 and len(cut) == len(clients), detail


ATTACKS = {"pipelined-flood": pipelined_flood, "chunk-ext-flood": chunk_extension_flood, "slow-body": slow_body}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("pid", type=int)
    parser.add_argument("ping_path", nargs="?", default="/ping")
    parser.add_argument("--rss-bound-mb", type=float, default=64)
    parser.add_argument("--slow-clients", type=int, default=1000)
    parser.add_argument("--slow-seconds", type=float, default=40)
    parser.add_argument("--flood-mb", type=int, default=64)
    parser.add_argument("--only", choices=sorted(ATTACKS))
    args = parser.parse_args()
    passed = failed = 0
    for name, attack in ATTACKS.items():
        if args.only and name != args.only:
            continue
        with Watch(args) as watch:
            ok, detail = attack(args, watch)
        time.sleep(0.2)
        if watch.verdict(name, ok, detail):
            passed += 1
        else:
            failed += 1
        time.sleep(1)  # let the server settle between attacks
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
