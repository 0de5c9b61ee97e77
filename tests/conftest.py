"""Shared fixtures: one index built from the real seeds per test session.

Tests that change the index work on a copy of it, so each starts from the same
state without paying for a rebuild.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from bot.wiring import build_knowledge_base
from knowledge.index import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
GOLD = Path(__file__).resolve().parent / "gold"


def make_settings(home: Path) -> Settings:
    return Settings(home=home, seeds=SEEDS, root=ROOT)


def engine_on(built_home: Path, tmp_path_factory: pytest.TempPathFactory, name: str, texts: dict[str, str]) -> Any:
    """An engine on the seeds plus documents written here (file name → text), ingested as a user would."""
    from bot.wiring import build_engine

    home = tmp_path_factory.mktemp(name) / "home"
    shutil.copytree(built_home, home)
    docs = home / "docs"
    docs.mkdir()
    for file, text in texts.items():
        (docs / file).write_text(text, encoding="utf-8")
    report = build_knowledge_base(make_settings(home)).ingest(sorted(docs.iterdir()))
    assert not report.failed
    return build_engine(make_settings(home))


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("built") / "home"
    kb = build_knowledge_base(make_settings(home))
    report = kb.ingest([SEEDS])
    assert len(report.added) == 5 and not report.failed
    return home


@pytest.fixture(scope="session")
def kb(built_home: Path) -> KnowledgeBase:
    kb = build_knowledge_base(make_settings(built_home))
    kb.warm_up()
    return kb


@pytest.fixture
def fresh_home(built_home: Path, tmp_path: Path) -> Path:
    """A private copy of the built index, free to change."""
    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    return home


def run_cli(args: list[str], home: Path, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real console script in a subprocess."""
    env = dict(os.environ, POLICYBOT_HOME=str(home), POLICYBOT_ROOT=str(ROOT), POLICYBOT_SEEDS=str(SEEDS))
    exe = Path(sys.executable).with_name("policybot")
    return subprocess.run([str(exe), *args], input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def engine_home(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the built index for the answer engine, so its conversations stay out of built_home."""
    home = tmp_path_factory.mktemp("engine") / "home"
    shutil.copytree(built_home, home)
    return home


@pytest.fixture(scope="session")
def engine(engine_home: Path):  # -> bot.engine.AnswerEngine
    """The real answer core, built and warmed once per test session."""
    from bot.wiring import build_engine

    return build_engine(make_settings(engine_home))
