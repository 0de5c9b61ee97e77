"""Ingest: new documents join without a rebuild; bad input leaves the index untouched."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.wiring import build_knowledge_base
from tests.conftest import DATA, ROOT, make_settings, run_cli


def _current(home: Path) -> str:
    return (home / "index" / "CURRENT").read_text()


def test_new_policy_text_is_found_without_rebuilding(fresh_home: Path) -> None:
    kb = build_knowledge_base(make_settings(fresh_home))
    before = {c.id for c in kb.chunks}
    report = kb.ingest([DATA / "park_policy.txt"])
    assert [s for s in report.added] == ["tests/data/park_policy.txt"] and not report.updated
    after = {c.id for c in kb.chunks}
    assert before < after, "seed chunks are kept as they were; only the new file's chunks are added"
    hits = kb.search("云锦产业园房租补贴每年最高多少", k=3)
    assert hits[0].chunk.source == "tests/data/park_policy.txt"
    art = next(c for c in kb.chunks if c.source == "tests/data/park_policy.txt" and c.text.startswith("第六条"))
    assert art.section[0].startswith("第二章") or art.section[0].startswith("第三章")
    assert "余杭区" in art.regions
    # ingesting again changes nothing
    again = kb.ingest([DATA / "park_policy.txt"])
    assert again.unchanged == ["tests/data/park_policy.txt"] and not again.changed


def test_an_upgrade_of_the_cleaning_code_processes_unchanged_files_again(fresh_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import knowledge.index

    kb = build_knowledge_base(make_settings(fresh_home))
    kb.ingest([DATA / "park_policy.txt"])
    assert kb.ingest([DATA / "park_policy.txt"]).unchanged == ["tests/data/park_policy.txt"]
    # the same file after an upgrade of normalize.py / chunking.py / the place data: its chunks are made again
    monkeypatch.setattr(knowledge.index, "PROCESSING_VERSION", "another-version")
    again = kb.ingest([DATA / "park_policy.txt"])
    assert again.updated == ["tests/data/park_policy.txt"] and not again.unchanged
    assert kb.ingest([DATA / "park_policy.txt"]).unchanged == ["tests/data/park_policy.txt"]


@pytest.mark.parametrize("name", ["park_policy_gbk.txt", "park_policy_crlf.txt"])
def test_gbk_and_crlf_copies_read_the_same(fresh_home: Path, name: str) -> None:
    kb = build_knowledge_base(make_settings(fresh_home))
    kb.ingest([DATA / "park_policy.txt", DATA / name])
    texts = {}
    for source in ("tests/data/park_policy.txt", f"tests/data/{name}"):
        texts[source] = [c.text for c in kb.chunks if c.source == source]
    a, b = texts.values()
    assert a == b and len(a) >= 10
    hit = kb.search("云锦元宇宙产业园 研发费用补助", k=5)
    assert {h.chunk.source for h in hit} >= {"tests/data/park_policy.txt", f"tests/data/{name}"}


def test_changed_file_replaces_its_chunks(fresh_home: Path, tmp_path: Path) -> None:
    doc = tmp_path / "policy.txt"
    shutil.copy(DATA / "regulation.txt", doc)
    settings = make_settings(fresh_home)
    kb = build_knowledge_base(settings)
    kb.ingest([doc])
    old = {c.id for c in kb.chunks if c.source.endswith("policy.txt")}
    doc.write_text(doc.read_text(encoding="utf-8") + "\n第十一条 对入选的元宇宙示范项目给予一次性奖励88万元。\n", encoding="utf-8")
    report = kb.ingest([doc])
    assert len(report.updated) == 1
    new = [c for c in kb.chunks if c.source.endswith("policy.txt")]
    assert any("88万元" in c.text for c in new)
    assert len({c.id for c in new} & old) >= 1 and len(new) == len({c.id for c in new})
    assert sum(1 for c in kb.chunks if c.source.endswith("policy.txt") and "第十一条" in c.text) == 1


def _bad_files(tmp: Path) -> dict[str, Path]:
    files = {
        "empty": tmp / "empty.txt",
        "binary": tmp / "binary.txt",
        "undecodable": tmp / "undecodable.txt",
        "huge": tmp / "huge.txt",
        "wrongtype": tmp / "report.pdf",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 64)
    files["undecodable"].write_bytes(bytes(range(0x80, 0x100)) * 32)
    with open(files["huge"], "wb") as fh:
        line = ("第一条 为支持元宇宙产业发展，制定本办法。" * 20 + "\n").encode()
        for _ in range(50_000_000 // len(line) + 1):
            fh.write(line)
    files["wrongtype"].write_bytes(b"%PDF-1.4 not really")
    return files


@pytest.mark.parametrize("kind", ["empty", "binary", "undecodable", "huge", "wrongtype", "missing"])
def test_bad_input_is_refused_and_index_untouched(fresh_home: Path, tmp_path: Path, kind: str) -> None:
    files = _bad_files(tmp_path)
    path = files.get(kind, tmp_path / "no-such-file.txt")
    before = _current(fresh_home)
    r = run_cli(["ingest", str(path)], fresh_home)
    assert r.returncode != 0
    message = [ln for ln in r.stderr.splitlines() if ln.startswith("skipped")]
    assert len(message) == 1 and "Traceback" not in r.stderr
    assert _current(fresh_home) == before
    r2 = run_cli(["search", "上海“元宇宙”相关产业规模达到多少", "-k", "3", "--json"], fresh_home)
    assert r2.returncode == 0 and "3500" in r2.stdout


def test_one_bad_file_does_not_stop_the_good_ones(fresh_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    r = run_cli(["ingest", str(bad), str(DATA / "news_roundup.txt")], fresh_home)
    assert r.returncode == 0, r.stderr
    assert "added 1" in r.stdout and "failed 1" in r.stdout


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_ingest_keeps_the_previous_index(fresh_home: Path, tmp_path: Path, sig: int) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(6):  # enough work to interrupt in the middle
        shutil.copy(DATA / "park_policy.txt", docs / f"p{i}.txt")
        with open(docs / f"p{i}.txt", "a", encoding="utf-8") as fh:
            fh.write(f"\n第十九条 本版本编号{i}。\n")
    before = _current(fresh_home)
    env = dict(os.environ, POLICYBOT_HOME=str(fresh_home), POLICYBOT_ROOT=str(ROOT))
    exe = Path(sys.executable).with_name("policybot")
    proc = subprocess.Popen([str(exe), "ingest", str(docs)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not list((fresh_home / "index").glob("*.tmp")):
        time.sleep(0.01)
    assert list((fresh_home / "index").glob("*.tmp")), "the ingest started writing its copy"
    time.sleep(0.3)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    if sig == signal.SIGINT:
        assert "previous index is unchanged" in err and "Traceback" not in err
        assert not list((fresh_home / "index").glob("*.tmp")), "the partial copy is removed"
    assert _current(fresh_home) == before
    kb = build_knowledge_base(make_settings(fresh_home))
    assert kb.search("揭榜挂帅", k=1)
    assert not any(c.source.startswith(str(docs)) for c in kb.chunks)
    # the next ingest works and cleans up what a killed run left behind
    report = kb.ingest([docs / "p0.txt"])
    assert report.added and not list((fresh_home / "index").glob("*.tmp"))
