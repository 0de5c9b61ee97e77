"""Answer benchmark: warm latency, a fresh process's first answer, 100 answers through chat --jsonl,
and latency on unseen questions as a ratio to one query embedding measured in the same run.

    .venv/bin/python bench/bench_answers.py [--corpus ../shared/corpus]

Issue 8 target: on unseen questions p95 ≤ 1.5× one query embedding (the floor every new question pays).

Targets (issue 4), without an LLM, on 2 cores: warm answers p50 ≤ 30 ms and
p95 ≤ 80 ms; a fresh process answers its first question within 3 s with the
index already built; 100 answers through `chat --jsonl` in one process within 5 s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings import Settings  # noqa: E402
from bot.wiring import build_engine, build_knowledge_base  # noqa: E402


def questions() -> list[str]:
    cases = [json.loads(x) for x in (ROOT / "tests" / "gold" / "answers.jsonl").read_text(encoding="utf-8").splitlines() if x]
    return [t["q"] for c in cases for t in c["turns"]]


def embedding_floor(engine: object, texts: list[str]) -> tuple[float, float]:
    """p50 and p95 of one query embedding (ms) on texts the embedder has not seen."""
    ms = []
    for t in texts:
        t0 = time.perf_counter()
        engine.kb.embedder.embed_query([f"{t} 基准"])  # type: ignore[attr-defined]
        ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    return statistics.median(ms), ms[max(0, int(len(ms) * 0.95) - 1)]


def unseen(settings: Settings, corpus: Path) -> dict[str, float]:
    """Answers to the corpus's questions, asked once each after ingesting it: latency vs the embedding floor."""
    from bot.devset import load_dev_cases, prepare_corpus

    kb = build_knowledge_base(settings)
    kb.ingest(prepare_corpus(corpus, settings.home / "corpus", (".txt", ".md", ".html")))
    engine = build_engine(settings)
    engine.warm_up()  # as `policybot serve` and `chat` do at start
    engine.kb.clear_cache()
    qs = [t for c in load_dev_cases(corpus / "dev_questions.jsonl") for t in c["turns"]]
    floor50, floor95 = embedding_floor(engine, qs[:60])
    lat = []
    for i, q in enumerate(qs):
        t = time.perf_counter()
        engine.answer(q, f"u{i}")
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    p50, p95 = statistics.median(lat), lat[int(len(lat) * 0.95) - 1]
    print(f"one query embedding (floor): p50 {floor50:.1f} ms, p95 {floor95:.1f} ms")
    ratio50, ratio95 = p50 / floor50, p95 / floor50
    print(f"unseen corpus questions ({len(lat)}): p50 {p50:.1f} ms ({ratio50:.2f}x floor), p95 {p95:.1f} ms ({ratio95:.2f}x floor)")
    # the embedding's own time grows with the question's length: the long questions behind the answers' p95
    # are set against the embedding's p95 as well
    print(f"p95 against the embedding's own p95: {p95 / floor95:.2f}x")
    return {
        "floor_p50_ms": floor50,
        "floor_p95_ms": floor95,
        "unseen_p50_ms": p50,
        "unseen_p95_ms": p95,
        "unseen_p95_ratio": ratio95,
        "unseen_p95_to_floor_p95": p95 / floor95,
    }


def main() -> int:
    if "--corpus" in sys.argv:
        corpus = Path(sys.argv[sys.argv.index("--corpus") + 1])
        home = Path(tempfile.mkdtemp(prefix="policybot-bench-")) / "home"
        result = unseen(Settings(home=home, seeds=ROOT / "seeds", root=ROOT), corpus)
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "answers_unseen.json").write_text(json.dumps(result, indent=2))
        return 0
    home = Path(tempfile.mkdtemp(prefix="policybot-bench-")) / "home"
    settings = Settings(home=home, seeds=ROOT / "seeds", root=ROOT)
    build_knowledge_base(settings).ingest([settings.seeds])
    qs = questions()

    exe = Path(sys.executable).with_name("policybot")
    env = dict(os.environ, POLICYBOT_HOME=str(home), POLICYBOT_ROOT=str(ROOT), POLICYBOT_SEEDS=str(ROOT / "seeds"))
    t0 = time.perf_counter()
    r = subprocess.run([str(exe), "ask", qs[0], "--json"], env=env, capture_output=True, text=True, check=True)
    first = time.perf_counter() - t0
    assert json.loads(r.stdout)["answer"]

    lines = "\n".join(json.dumps({"question": q, "session": f"s{i % 7}"}, ensure_ascii=False) for i, q in enumerate((qs * 2)[:100]))
    t0 = time.perf_counter()
    r = subprocess.run([str(exe), "chat", "--jsonl"], input=lines, env=env, capture_output=True, text=True, check=True)
    jsonl_s = time.perf_counter() - t0
    assert len(r.stdout.splitlines()) == 100

    engine = build_engine(settings)
    for q in qs[:20]:
        engine.answer(q, "warm")
    engine.kb.clear_cache()
    lat = []
    for i, q in enumerate(qs):
        t = time.perf_counter()
        engine.answer(q, f"b{i % 13}")
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    p50, p95 = statistics.median(lat), lat[int(len(lat) * 0.95) - 1]
    print(f"warm answers ({len(lat)} gold questions, cold question cache): p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {lat[-1]:.1f} ms")
    print(f"fresh process, index built: first answer in {first:.2f} s (process start to printed JSON)")
    print(f"100 answers through `policybot chat --jsonl` in one process: {jsonl_s:.2f} s (including start-up)")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "answers.json").write_text(json.dumps({"p50_ms": p50, "p95_ms": p95, "first_answer_s": first, "jsonl_100_s": jsonl_s}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
