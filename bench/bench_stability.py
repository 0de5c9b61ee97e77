"""Stability: the same questions on two fresh builds of the same documents get the same answers.

    .venv/bin/python bench/bench_stability.py [--corpus ../shared/corpus]

Builds two indexes from scratch (seeds, plus the corpus's text files when given), asks every gold
question (tests/gold/answers.jsonl, and the corpus's dev_questions.jsonl) on each, and counts the
answers whose JSON differs. Issue 8 asks for none.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.devset import load_dev_cases, prepare_corpus  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.wiring import build_engine, build_knowledge_base  # noqa: E402


def questions(corpus: Path | None) -> list[list[str]]:
    gold = [json.loads(x) for x in (ROOT / "tests" / "gold" / "answers.jsonl").read_text(encoding="utf-8").splitlines() if x]
    out = [[t["q"] for t in c["turns"]] for c in gold]
    if corpus:
        out += [c["turns"] for c in load_dev_cases(corpus / "dev_questions.jsonl")]
    return out


def answers(corpus: Path | None, cases: list[list[str]]) -> list[str]:
    home = Path(tempfile.mkdtemp(prefix="policybot-stab-")) / "home"
    settings = Settings(home=home, seeds=ROOT / "seeds", root=ROOT)
    kb = build_knowledge_base(settings)
    kb.ingest([settings.seeds])
    if corpus:
        kb.ingest(prepare_corpus(corpus, home / "corpus", (".txt", ".md", ".html")))
    engine = build_engine(settings)
    out = []
    for i, turns in enumerate(cases):
        for q in turns:
            a = engine.answer(q, f"st{i}").to_json()
        for c in a["citations"]:  # each build copies the corpus under its own temporary home: the file is what counts
            c["source"] = Path(c["source"]).name
        out.append(json.dumps({k: a[k] for k in ("answer", "found", "citations")}, ensure_ascii=False, sort_keys=True))
    return out


def main() -> int:
    corpus = Path(sys.argv[sys.argv.index("--corpus") + 1]) if "--corpus" in sys.argv else None
    cases = questions(corpus)
    first, second = answers(corpus, cases), answers(corpus, cases)
    differ = [cases[i][-1] for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
    print(f"{len(cases)} conversations on two fresh builds: {len(differ)} answers differ")
    for q in differ[:20]:
        print("  differs:", q)
    return 0


if __name__ == "__main__":
    sys.exit(main())
