"""Knowledge-base benchmark: ingest from scratch, warm search latency, resident memory.

    .venv/bin/python bench/bench_knowledge.py

Targets (issue 2): ingest of the seeds within 30 s on 2 cores; warm search p95
within 30 ms; a process serving search stays under 400 MB resident. Each gold
question is asked once per mode with the question-embedding cache cleared, so
the figures are for questions the process has not seen.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings import Settings  # noqa: E402
from bot.wiring import build_knowledge_base  # noqa: E402


def rss_mb() -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="policybot-bench-")) / "home"
    settings = Settings(home=home, seeds=ROOT / "seeds", root=ROOT)
    kb = build_knowledge_base(settings)
    t0 = time.perf_counter()
    report = kb.ingest([settings.seeds])
    ingest_s = time.perf_counter() - t0
    gold = [json.loads(x) for x in (ROOT / "tests" / "gold" / "retrieval.jsonl").read_text(encoding="utf-8").splitlines() if x]
    kb = build_knowledge_base(settings)
    t0 = time.perf_counter()
    kb.warm_up()
    warm_s = time.perf_counter() - t0
    results = {"ingest_s": round(ingest_s, 2), "chunks": report.chunks, "load_and_warm_s": round(warm_s, 2), "search": {}}
    for mode in ("bm25", "dense", "weighted", "rrf"):
        kb.clear_cache()
        lat = []
        for g in gold:
            t = time.perf_counter()
            kb.search(g["question"], region=g.get("region"), k=5, fusion=mode)
            lat.append((time.perf_counter() - t) * 1000)
        lat.sort()
        results["search"][mode] = {
            "p50_ms": round(statistics.median(lat), 1),
            "p95_ms": round(lat[int(len(lat) * 0.95) - 1], 1),
            "max_ms": round(lat[-1], 1),
        }
    rss, peak = rss_mb()
    results["rss_mb"], results["peak_rss_mb"] = round(rss, 1), round(peak, 1)
    print(f"ingest of seeds from scratch: {ingest_s:.1f} s ({report.chunks} chunks); load + warm-up {warm_s:.2f} s")
    print(f"{'mode':<9} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}   ({len(gold)} distinct questions)")
    for mode, s in results["search"].items():
        print(f"{mode:<9} {s['p50_ms']:>7} {s['p95_ms']:>7} {s['max_ms']:>7}")
    print(f"resident memory: {rss:.0f} MB now, {peak:.0f} MB peak (includes the ingest in this process)")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "knowledge.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
