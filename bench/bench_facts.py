"""Fact-table benchmark: build time for the seeds and warm query latency per query type.

    .venv/bin/python bench/bench_facts.py [--repeat 200]

Targets (issue 3): building the fact table for the seeds within 10 s; any
query within 5 ms warm. The build is timed from the raw files (clean, find
policies, chunk, extract, write SQLite) and, separately, from processed
documents (extract and write only). Each query is run once to warm up, then
``--repeat`` times; p50, p95 and max are reported.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.documents import load_catalogue  # noqa: E402
from knowledge.factstore import FactStore  # noqa: E402
from knowledge.index import Processor  # noqa: E402
from knowledge.regions import Gazetteer  # noqa: E402

BUILD_TARGET_S = 10.0
QUERY_TARGET_MS = 5.0


def pad(text: str, width: int) -> str:
    """Left-align text in a terminal column, counting wide (CJK) characters twice."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - shown)


def queries(store: FactStore) -> dict[str, Callable[[], Any]]:
    """One representative call per query type the answer engine uses."""
    return {
        "targets(region=上海)": lambda: store.targets("上海"),
        "targets(上海市, 2025, 产业规模)": lambda: store.targets("上海市", 2025, "产业规模"),
        "targets() all": lambda: store.targets(),
        "measures(黄埔区)": lambda: store.measures("黄埔区"),
        "measures(category=产业基金)": lambda: store.measures(category="产业基金"),
        "scenarios(通州区)": lambda: store.scenarios("通州区"),
        "scenarios() all": lambda: store.scenarios(),
        "technologies(上海)": lambda: store.technologies("上海"),
        "technologies() all": lambda: store.technologies(),
        "policies(武汉)": lambda: store.policies("武汉"),
        "statistics()": lambda: store.statistics(),
        "compare(产业规模, 4 regions)": lambda: store.compare("产业规模", ["上海", "南京", "无锡", "北京"]),
        "regions_with(产业基金)": lambda: store.regions_with("产业基金"),
        "targets(unknown region)": lambda: store.targets("'; DROP TABLE targets;--"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="timed runs per query (default 200)")
    args = parser.parse_args()

    gaz = Gazetteer.default()
    processor = Processor(gaz, load_catalogue(ROOT / "knowledge" / "data" / "catalogue.toml"), 20_000_000)
    files = sorted((ROOT / "seeds").glob("*.txt"))
    path = Path(tempfile.mkdtemp(prefix="policybot-facts-")) / "facts.sqlite"

    t0 = time.perf_counter()
    docs = [processor.process(f, f"seeds/{f.name}", f.read_bytes()) for f in files]
    t_process = time.perf_counter() - t0
    store = FactStore(path, gaz)
    t1 = time.perf_counter()
    report = store.rebuild(docs)
    t_facts = time.perf_counter() - t1
    total = t_process + t_facts

    print(f"fact table for {len(files)} seeds: {total:.2f} s total (target < {BUILD_TARGET_S:.0f} s)")
    print(f"  clean + policies + chunks {t_process:.2f} s; extract + merge + write {t_facts:.2f} s")
    print("  rows: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))
    print()
    print(f"{pad('query', 36)} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    worst = 0.0
    for name, call in queries(store).items():
        rows = call()
        lat = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            call()
            lat.append((time.perf_counter() - t) * 1000)
        lat.sort()
        p95 = lat[max(0, int(len(lat) * 0.95) - 1)]
        worst = max(worst, p95)
        print(f"{pad(name, 36)} {len(rows):>5} {statistics.median(lat):>8.2f} {p95:>8.2f} {lat[-1]:>8.2f}")
    print()
    ok = total < BUILD_TARGET_S and worst < QUERY_TARGET_MS
    verdict = "OK" if worst < QUERY_TARGET_MS else "SLOW"
    print(f"build {'OK' if total < BUILD_TARGET_S else 'SLOW'}; worst query p95 {worst:.2f} ms ({verdict})")
    store.close()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
