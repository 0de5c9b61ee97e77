"""The command line: a thin layer that parses, calls the core and renders.

Domain errors become one polite line on stderr and a non-zero exit; tracebacks
go to the log only.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from bot.answer import Answer
from bot.figures import figure_text, percent
from bot.settings import Settings
from bot.wiring import build_engine, build_knowledge_base, ready_knowledge_base, tqdm_progress
from knowledge.errors import KnowledgeError

log = logging.getLogger("policybot")


def _out(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    kb = build_knowledge_base(settings)
    report = kb.ingest([Path(p) for p in args.paths], tqdm_progress)
    for source, why in report.failed:
        print(f"skipped {source}: {why}", file=sys.stderr)
    print(
        f"added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
        f"failed {len(report.failed)}; {report.chunks} chunks in {report.seconds:.1f}s"
    )
    if report.failed and not report.changed and not report.unchanged:
        return 1
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    kb = ready_knowledge_base(settings)
    if args.jsonl:
        for n, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            req = None
            try:
                req = json.loads(line)
                if not isinstance(req, dict):
                    raise ValueError("each line must be a JSON object")
                hits = kb.search(str(req.get("query", "")), region=req.get("region") or None, k=int(req.get("k", args.k)))
                _out({"query": req.get("query"), "results": [h.to_json() for h in hits]})
            except (ValueError, KnowledgeError) as exc:
                log.error("search --jsonl line %d: %s", n, exc)
                _out({"query": req.get("query") if isinstance(req, dict) else None, "results": [], "error": str(exc)})
        return 0
    if not args.query:
        if not sys.stdin.isatty():
            print("give a query, or --jsonl to read queries from stdin", file=sys.stderr)
            return 2
        print("Type a question about local metaverse policies (empty line or Ctrl-D to quit).")
        while True:
            try:
                query = input("search> ").strip()
            except EOFError:
                return 0
            if not query:
                return 0
            try:
                _print_hits(kb.search(query, region=args.region, k=args.k), args.region)
            except KnowledgeError as exc:
                print(f"sorry: {exc}")
    hits = kb.search(args.query, region=args.region, k=args.k)
    if args.json:
        _out({"query": args.query, "results": [h.to_json() for h in hits]})
        return 0
    _print_hits(hits, args.region)
    return 0


def _print_hits(hits: list, region: str | None) -> None:
    if not hits:
        print("no matching passages" + (f" in {region}" if region else ""))
    for rank, h in enumerate(hits, 1):
        c = h.chunk
        print(f"[{rank}] {h.score:.4f}  {c.source}  chars {c.span[0]}–{c.span[1]}  regions: {'、'.join(c.regions)}")
        print(f"    {h.title} > {c.section_path}" if c.section else f"    {h.title}")
        print("    " + c.text.replace("\n", "\n    "))
        print()


FACT_COLUMNS = {
    "target": ["region", "year", "metric", "figure", "policy"],
    "statistic": ["region", "year", "metric", "figure"],
    "measure": ["region", "category", "metric", "figure", "ratio", "beneficiary", "condition", "policy"],
    "scenario": ["region", "domain", "places", "policy"],
    "technology": ["region", "technology", "policy"],
    "policy": ["region", "level", "title", "issuer", "date", "period", "status"],
}


def _cell(row: dict, col: str) -> str:
    if col == "figure":
        return figure_text(row)
    v = row.get(col)
    if col == "ratio":
        return percent(v)
    if isinstance(v, list):
        return "、".join(map(str, v))
    return "" if v is None else str(v)


def cmd_facts(args: argparse.Namespace, settings: Settings) -> int:
    kb = ready_knowledge_base(settings)
    store = kb.facts()
    kinds = [args.kind] if args.kind else list(FACT_COLUMNS)
    rows = [(k, r) for k in kinds for r in store.query(k, region=args.region, year=args.year)]
    if args.json:
        for kind, r in rows:
            _out({"kind": kind, **{k: v for k, v in r.items() if k != "kind"}})
        return 0
    if args.csv:
        import csv

        cols = ["kind", *dict.fromkeys(c for k in kinds for c in FACT_COLUMNS[k]), "source", "quote", "span", "sources"]
        w = csv.writer(sys.stdout)
        w.writerow(cols)
        for kind, r in rows:
            ev = r.get("evidence") or [{}]
            extra = {
                "kind": kind,
                "source": ev[0].get("source", ""),
                "quote": ev[0].get("quote", ""),
                "span": "-".join(map(str, ev[0].get("span", []))),
                "sources": len(ev),
            }
            w.writerow([extra[c] if c in extra else (_cell(r, c) if c in FACT_COLUMNS[kind] else "") for c in cols])
        return 0
    if not rows:
        where = f" for {args.region}" if args.region else ""
        print(
            f"no facts{where}" + (f" in {args.year}" if args.year else "") + "; try `policybot facts --kind policy` to see what is covered"
        )
        return 0
    for kind in kinds:
        part = [r for k, r in rows if k == kind]
        if not part:
            continue
        print(f"== {kind} ({len(part)}) ==")
        for r in part:
            cells = [c for c in (_cell(r, col) for col in FACT_COLUMNS[kind]) if c]
            ev = r.get("evidence") or []
            src = ", ".join(sorted({e["source"].rsplit("/", 1)[-1][:3] for e in ev}))
            print(" | ".join(cells) + (f"  [{src}]" if src else ""))
        print()
    return 0


def cmd_eval_retrieval(args: argparse.Namespace, settings: Settings) -> int:
    from knowledge.evaluation import evaluate, load_gold

    kb = ready_knowledge_base(settings)
    kb.warm_up()
    scores = evaluate(kb, load_gold(Path(args.gold)), tuple(args.modes.split(",")))
    print(f"{'mode':<9} {'n':>4} {'R@1':>6} {'R@5':>6} {'MRR':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for s in scores:
        lat = sorted(s.latencies)
        p50, p95 = lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.95) - 1] * 1000
        print(f"{s.mode:<9} {s.n:>4} {s.recall1:>6.3f} {s.recall5:>6.3f} {s.mrr:>6.3f} {p50:>7.1f} {p95:>7.1f}")
    if args.misses:
        for s in scores:
            for m in s.misses:
                print(f"{s.mode} miss {m['id']} rank={m['rank']} q={m['question']} | want={m['answer']} | top={m['top']}")
    return 0


def _render_answer(answer: Answer) -> str:
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append("来源 / Sources:")
        for c in answer.citations:
            where = " · ".join(x for x in (c.title, c.section) if x)
            lines.append(f"[{c.n}] {where} · {c.source}")
            lines.append(f"    “{c.quote}”")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    engine = build_engine(settings)
    answer = engine.answer(" ".join(args.question), args.session)
    if args.json:
        _out(answer.to_json())
    else:
        print(_render_answer(answer))
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    engine = build_engine(settings)
    if args.jsonl:
        for n, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                req = json.loads(line)
                if not isinstance(req, dict):
                    raise ValueError("each line must be a JSON object")
                answer = engine.answer(req.get("question", ""), str(req.get("session") or "default"))
                _out(answer.to_json())
            except ValueError as exc:
                log.error("chat --jsonl line %d: %s", n, exc)
                _out(
                    {
                        "answer": '无法读取这一行：请每行发送一个 JSON 对象 {"question": …, "session": …}',
                        "found": False,
                        "citations": [],
                        "facts": [],
                        "intent": "bad_input",
                        "slots": {},
                        "error": str(exc),
                    }
                )
        return 0
    session = args.session
    interactive = sys.stdin.isatty()
    if interactive:
        print("PolicyBot — 问各地元宇宙产业政策（目标、补贴、场景、技术、发布单位…）。/reset 重新开始，/quit 退出。")
    while True:
        try:
            question = input("你> " if interactive else "")
        except EOFError:
            return 0
        if question.strip() in ("/quit", "/exit"):
            return 0
        if question.strip() == "/reset":
            engine.reset(session)
            print("好的，重新开始。")
            continue
        if not question.strip() and not interactive:
            continue
        print(_render_answer(engine.answer(question, session)))
        print()


def cmd_eval_corpus(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest a corpus folder as users would have it, then score its dev_questions.jsonl per kind."""
    from bot.devset import evaluate_dev, load_dev_cases, prepare_corpus
    from knowledge.index import IngestReport

    corpus = Path(args.corpus)
    suffixes = tuple("." + s.strip(". ") for s in args.formats.split(",") if s.strip())
    kb = ready_knowledge_base(settings)
    if corpus.resolve() == Path(settings.seeds).resolve():  # questions on the seeds: the index already holds them
        copies = sorted(p for p in corpus.iterdir() if p.suffix.lower() in suffixes)
        report = IngestReport()
    else:
        copies = prepare_corpus(corpus, settings.home / "corpus" / corpus.resolve().name, suffixes)
        report = kb.ingest(copies, tqdm_progress)
    for source, why in report.failed:
        print(f"not ingested: {source}: {why}", file=sys.stderr)
    names = [c.name for c in copies if str(c) not in {s for s, _ in report.failed}]
    cases = load_dev_cases(Path(args.gold) if args.gold else corpus / "dev_questions.jsonl")
    covered = [c for c in cases if c.get("oos") or all(any(s in n for n in names) for s in c.get("src", []))]
    engine = build_engine(settings)
    result = evaluate_dev(engine, covered)
    print(f"{len(covered)} of {len(cases)} questions are on ingested files ({', '.join(suffixes)})")
    print(f"{'kind':<11} {'cases':>5} {'passed':>7}")
    for kind, (n, ok) in result.by_kind().items():
        print(f"{kind:<11} {n:>5} {ok / n:>7.1%}")
    p50, p95 = result.latency()
    print(f"{'all':<11} {len(result.results):>5} {result.pass_rate:>7.1%}")
    print(f"numbers not found in their citations: {sum(len(r.uncited) for r in result.results)}")
    print(f"latency per turn: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    if args.failures:
        for r in result.results:
            if not r.passed:
                print(f"FAIL {r.case} [{r.kind}] {r.question} :: {'; '.join(r.problems)} :: {r.answer[:200]} :: {r.sources[:3]}")
    if args.out:
        Path(args.out).write_text("\n".join(json.dumps(r.__dict__, ensure_ascii=False) for r in result.results) + "\n", encoding="utf-8")
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.evaluation import evaluate, load_cases

    if args.corpus:
        return cmd_eval_corpus(args, settings)
    engine = build_engine(settings)
    gold = Path(args.gold) if args.gold else Path(__file__).resolve().parent.parent / "tests" / "gold" / "answers.jsonl"
    report = evaluate(engine, load_cases(gold))
    print(f"{'intent':<13} {'turns':>5} {'passed':>7} {'intent ok':>9}")
    for intent, (n, ok, recog) in report.by_intent().items():
        print(f"{intent:<13} {n:>5} {ok / n:>7.1%} {recog / n:>9.1%}")
    turns = report.turns
    found_turns = [t for t in turns if t.intent_expected not in ("out_of_scope", "greeting")]
    p50, p95 = report.latency()
    print(f"all           {len(turns):>5} {report.pass_rate:>7.1%}")
    print(f"citation accuracy: {sum(t.cited_ok for t in found_turns) / max(1, len(found_turns)):.1%}")
    print(f"numbers not found in their citations: {sum(len(t.uncited_numbers) for t in turns)}")
    print(f"latency: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    if args.failures:
        for t in turns:
            if not t.passed:
                print(f"FAIL {t.case} [{t.intent_expected}→{t.intent_got}] {t.question} :: {'; '.join(t.problems)} :: {t.answer[:160]}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policybot", description="Chinese local metaverse policy answers, with citations.")
    p.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="add or update documents (files or folders of .txt/.md/.html)")
    s.add_argument("paths", nargs="+")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("search", help="ranked passages for a query")
    s.add_argument("query", nargs="?")
    s.add_argument("--region", help="keep passages about this region or places inside it")
    s.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    s.add_argument("--json", action="store_true", help="one JSON object")
    s.add_argument("--jsonl", action="store_true", help='read {"query": …, "region": …} lines from stdin')
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("facts", help="the fact table: targets, measures, scenarios, technologies, policies, statistics")
    s.add_argument("--region", help="a region and the places inside it (上海 includes 宝山区)")
    s.add_argument("--kind", choices=list(FACT_COLUMNS))
    s.add_argument("--year", type=int)
    out = s.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON object per fact, with its evidence list")
    out.add_argument("--csv", action="store_true", help="CSV for a spreadsheet (first evidence quote per row)")
    s.set_defaults(func=cmd_facts)

    s = sub.add_parser("ask", help="answer one question, with sources")
    s.add_argument("question", nargs="+")
    s.add_argument("--session", default="cli", help="conversation id (follow-ups carry over)")
    s.add_argument("--json", action="store_true", help="the Answer JSON object")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("chat", help="interactive conversation; --jsonl for one JSON request per line")
    s.add_argument("--session", default="chat", help="conversation id")
    s.add_argument("--jsonl", action="store_true", help='read {"question": …, "session": …} lines, write one Answer per line')
    s.set_defaults(func=cmd_chat)

    s = sub.add_parser("eval", help="run the answer gold set: accuracy per intent, citations, uncited numbers, latency")
    s.add_argument("--gold", default=None, help="gold file (default tests/gold/answers.jsonl, or the corpus's dev_questions.jsonl)")
    s.add_argument("--failures", action="store_true", help="list failing turns")
    s.add_argument("--corpus", help="a folder of real documents with dev_questions.jsonl: ingest them, score per kind")
    s.add_argument("--formats", default="txt,md,html", help="with --corpus: file types to ingest (comma-separated)")
    s.add_argument("--out", help="with --corpus: write every result as JSON lines to this file")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("eval-retrieval", help="Recall@1, Recall@5 and MRR on the retrieval gold set")
    s.add_argument("--gold", default=str(Path(__file__).resolve().parent.parent / "tests" / "gold" / "retrieval.jsonl"))
    s.add_argument("--modes", default="bm25,dense,rrf,weighted")
    s.add_argument("--misses", action="store_true", help="list the questions answered below rank 5")
    s.set_defaults(func=cmd_eval_retrieval)

    from bot.cli_channels import register

    register(sub)  # serve (HTTP API, web page, WeChat/WeCom, Telegram webhook) and telegram (long polling)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env()
    except (ValueError, TypeError) as exc:
        print(f"bad setting: {exc}", file=sys.stderr)
        return 2
    try:
        return args.func(args, settings)
    except KnowledgeError as exc:
        log.error("%s failed: %s", args.command, exc)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader (head, less) went away
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted; the previous index is unchanged", file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected error in %s", args.command)
        print("error: something went wrong; details are in the log", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
