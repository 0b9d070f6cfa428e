"""A small concurrent HTTP load driver: processes x threads, one connection per request.

gunicorn's sync workers close the connection after each response, so every request
opens a new TCP connection on loopback, as a browser without keep-alive would.  The
driver runs in separate processes so that its own Python (and GIL) does not cap what
the server can answer; on a small machine it still shares the CPUs with the server, and
it does so equally for the app and for the bare page it is compared with.
"""

from __future__ import annotations

import http.client
import multiprocessing
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p95(self) -> float:
        return self.percentile(95)


def _one(host: str, port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _threads(host: str, port: int, path: str, headers: dict[str, str], threads: int, warmup: float,
             duration: float, start_at: float, expect: int, queue) -> None:
    """One driver process: ``threads`` closed-loop clients; measures only after the warm-up."""
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    measure_from = start_at + warmup
    stop_at = measure_from + duration

    def client() -> None:
        mine: list[float] = []
        ok = errors = 0
        while True:
            began = time.perf_counter()
            wall = time.time()
            if wall >= stop_at:
                break
            try:
                status = _one(host, port, path, headers)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - began) * 1000
            if wall >= measure_from and time.time() <= stop_at:
                if status == expect:
                    ok += 1
                    mine.append(elapsed)
                else:
                    errors += 1
        with lock:
            latencies.extend(mine)
            counts["ok"] += ok
            counts["errors"] += errors

    while time.time() < start_at:
        time.sleep(0.005)
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((counts["ok"], counts["errors"], latencies))


def drive(host: str, port: int, path: str, headers: dict[str, str] | None = None, *, processes: int = 2,
          threads: int = 2, warmup: float = 1.0, duration: float = 5.0, expect: int = 200) -> LoadResult:
    """``processes`` x ``threads`` clients hammer ``path`` for ``duration`` s after ``warmup`` s; an
    answer other than ``expect`` counts as an error."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.time() + 0.3
    procs = [context.Process(target=_threads, args=(host, port, path, headers or {}, threads, warmup, duration,
                                                    start_at, expect, queue))
             for _ in range(processes)]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=warmup + duration + 120) for _ in procs]
    for proc in procs:
        proc.join()
    latencies = [lat for _, _, lats in results for lat in lats]
    return LoadResult(requests=sum(r[0] for r in results), errors=sum(r[1] for r in results),
                      seconds=duration, latencies_ms=latencies)


def fetch(host: str, port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
