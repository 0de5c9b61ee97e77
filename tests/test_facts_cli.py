"""The fact table through the real CLI and through ingest of a new document."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from bot.wiring import build_knowledge_base
from tests.conftest import DATA, make_settings, run_cli


def test_facts_json_rows_carry_evidence(built_home: Path) -> None:
    r = run_cli(["facts", "--region", "武汉", "--kind", "measure", "--json"], built_home)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    jie = next(x for x in rows if x["value"] == 200 and x["unit"] == "万元")
    assert jie["qualifier"] == "最高" and jie["ratio"] == 0.3 and jie["region"] == "武汉市"
    ev = jie["evidence"][0]
    assert ev["source"] == "seeds/002_66c951b4ef4e7113.txt" and "最高200万元" in ev["quote"] and len(ev["span"]) == 2


def test_facts_readable_and_csv(built_home: Path) -> None:
    r = run_cli(["facts", "--region", "上海", "--kind", "target", "--year", "2025"], built_home)
    assert r.returncode == 0 and "达到3500亿元" in r.stdout and "宝山区" in r.stdout
    r = run_cli(["facts", "--kind", "measure", "--csv"], built_home)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and {"region", "figure", "quote", "source"} <= set(rows[0])
    assert any(row["region"] == "黄埔区" and row["figure"] == "不超过2000万元" for row in rows)


def test_facts_bad_input(built_home: Path) -> None:
    r = run_cli(["facts", "--region", "'; DROP TABLE targets;--"], built_home)
    assert r.returncode == 0 and "no facts" in r.stdout
    r = run_cli(["facts", "--year", "3000"], built_home)
    assert r.returncode == 1 and "year must be between" in r.stderr and "Traceback" not in r.stderr
    r = run_cli(["facts", "--region", "火星", "--json"], built_home)
    assert r.returncode == 0 and r.stdout == ""
    r = run_cli(["facts", "--kind", "measure", "--region", "上海"], built_home)
    assert r.returncode == 0 and "Traceback" not in r.stderr


def test_ingested_policy_adds_its_facts(fresh_home: Path) -> None:
    kb = build_knowledge_base(make_settings(fresh_home))
    before = kb.facts().counts()
    kb.ingest([DATA / "park_policy.txt"])
    store = kb.facts()
    rent = [m for m in store.measures(region="余杭区") if m["category"] == "房租补贴"]
    assert rent and rent[0]["evidence"][0]["source"] == "tests/data/park_policy.txt"
    assert store.counts()["measure"] > before["measure"]
    assert any(t["value"] == 3500 for t in store.targets(region="上海市", year=2025)), "seed facts are kept"
