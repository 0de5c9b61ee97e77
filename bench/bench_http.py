"""HTTP load benchmark: ``POST /api/ask`` on loopback, bounded in time, with real gold questions.

    .venv/bin/python bench/bench_http.py [--duration 20] [--concurrency 8] [--url http://127.0.0.1:8000]

Without ``--url`` it starts ``policybot serve`` on a free loopback port (POLICYBOT_HOME as in the
environment; the first run builds the index) and stops it at the end. Each client thread keeps one
keep-alive connection and works through the gold cases of ``tests/gold/answers.jsonl`` (each case's
turns in order, in one session, so follow-ups are real follow-ups), for ``--duration`` seconds after
a short warm-up. Reports answers/s, latency p50/p95/p99/max and errors; writes
``bench/results/http.json``. Targets (issue 5): ≥ 50 answers/s, p95 ≤ 200 ms, no errors.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "answers.jsonl"
TARGET_RPS = 50.0
TARGET_P95_MS = 200.0


def cases() -> list[list[str]]:
    """The gold cases as lists of turns, with duplicate first questions dropped."""
    out, seen = [], set()
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        turns = [t["q"] for t in json.loads(line)["turns"]]
        if turns[0] not in seen:
            seen.add(turns[0])
            out.append(turns)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen[str]:
    exe = Path(sys.executable).with_name("policybot")
    cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"policybot serve exited: {proc.communicate()[1][-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("policybot serve did not come up within 600 s")


class Client(threading.Thread):
    """One keep-alive connection asking whole gold cases until the deadline."""

    def __init__(self, n: int, host: str, port: int, work: Any, start_at: float, stop_at: float, key: str) -> None:
        super().__init__(name=f"client-{n}", daemon=True)
        self.n, self.host, self.port, self.work = n, host, port, work
        self.start_at, self.stop_at, self.key = start_at, stop_at, key
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.found = 0

    def _ask(self, conn: http.client.HTTPConnection, question: str, session: str) -> None:
        body = json.dumps({"question": question, "session": session}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if self.key:
            headers["X-API-Key"] = self.key
        t0 = time.perf_counter()
        conn.request("POST", "/api/ask", body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter() - t0
        counted = self.start_at <= time.monotonic() <= self.stop_at
        if resp.status != 200:
            if counted:
                self.errors.append(f"HTTP {resp.status}: {data[:200]!r}")
            return
        answer = json.loads(data)
        if counted:
            self.latencies.append(elapsed)
            self.found += bool(answer.get("found"))

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        while time.monotonic() < self.stop_at:
            try:
                run, turns = next(self.work)
            except StopIteration:
                break
            session = f"bench-{os.getpid()}-{run}"
            for q in turns:
                if time.monotonic() >= self.stop_at:
                    break
                try:
                    self._ask(conn, q, session)
                except (OSError, http.client.HTTPException, ValueError) as exc:
                    if self.start_at <= time.monotonic() <= self.stop_at:
                        self.errors.append(f"{exc.__class__.__name__}: {exc}")
                    conn.close()
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        conn.close()


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="an already running server; default: start `policybot serve` on a free loopback port")
    ap.add_argument("--duration", type=float, default=20.0, help="measured seconds (default 20)")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring (default 3)")
    ap.add_argument("--concurrency", type=int, default=8, help="client threads, one keep-alive connection each (default 8)")
    ap.add_argument(
        "--once", action="store_true", help="ask every gold case once (cold: no repeated question), no warm-up; measures until done"
    )
    ap.add_argument("--api-key", default=os.environ.get("POLICYBOT_API_KEY", ""), help="X-API-Key to send, if the server wants one")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "http.json"))
    args = ap.parse_args()
    if not 0 < args.duration <= 600 or not 1 <= args.concurrency <= 64:
        ap.error("duration must be in (0, 600] s and concurrency in [1, 64]")

    proc = None
    if args.url:
        parts = urlsplit(args.url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        if host not in ("127.0.0.1", "localhost", "::1"):
            ap.error("the benchmark runs on loopback only")
    else:
        host, port = "127.0.0.1", free_port()
        print(f"starting policybot serve on {host}:{port} …", file=sys.stderr)
        proc = start_server(port)
    try:
        all_cases = cases()
        runs = _CaseFeed(all_cases, once=args.once)
        if args.once:
            args.warmup = 0.0
        start_at = time.monotonic() + args.warmup
        stop_at = start_at + args.duration
        clients = [Client(i, host, port, runs, start_at, stop_at, args.api_key) for i in range(args.concurrency)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        measured = min(args.duration, time.monotonic() - start_at)
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

    lat = [x for c in clients for x in c.latencies]
    errors = [e for c in clients for e in c.errors]
    rps = len(lat) / measured
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "mode": "once (cold)" if args.once else "cycling",
        "duration_s": round(measured, 2),
        "concurrency": args.concurrency,
        "distinct_cases": len(all_cases),
        "answers": len(lat),
        "found": sum(c.found for c in clients),
        "answers_per_s": round(rps, 1),
        "p50_ms": round(pct(lat, 50) * 1000, 1),
        "p95_ms": round(pct(lat, 95) * 1000, 1),
        "p99_ms": round(pct(lat, 99) * 1000, 1),
        "max_ms": round(max(lat, default=float("nan")) * 1000, 1),
        "errors": len(errors),
        "first_errors": errors[:5],
    }
    ok = rps >= TARGET_RPS and result["p95_ms"] <= TARGET_P95_MS and not errors
    result["meets_targets"] = ok
    print(
        f"{result['answers']} answers in {measured:.1f} s with {args.concurrency} clients: "
        f"{result['answers_per_s']} answers/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"p99 {result['p99_ms']} ms, max {result['max_ms']} ms, errors {result['errors']}"
    )
    print(f"targets (≥ {TARGET_RPS:.0f}/s, p95 ≤ {TARGET_P95_MS:.0f} ms, no errors): {'met' if ok else 'NOT met'}")
    for e in errors[:5]:
        print("  error:", e)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if ok else 1


class _CaseFeed:
    """Hands out (run number, turns) to client threads, cycling through the cases."""

    def __init__(self, all_cases: list[list[str]], once: bool = False) -> None:
        self.cases = all_cases
        self.once = once
        self.count = itertools.count()
        self.lock = threading.Lock()

    def __iter__(self) -> _CaseFeed:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        with self.lock:
            n = next(self.count)
        if self.once and n >= len(self.cases):
            raise StopIteration
        return n, self.cases[n % len(self.cases)]


if __name__ == "__main__":
    sys.exit(main())
