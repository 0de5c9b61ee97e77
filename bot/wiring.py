"""All the wiring in one place: settings in, ready components out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.analysis import Analyzer
from bot.attribution import Attribution
from bot.clauses import ClauseFinder, ClauseScorer
from bot.compose import Composer
from bot.coverage import Coverage, load_zones
from bot.engine import AnswerEngine
from bot.lexicon import Lexicon
from bot.planners import DocumentCatalog, Planner
from bot.planners.clauses import ClausePlanner
from bot.planners.facts import FactPlanner
from bot.router import Router
from bot.sessions import SessionStore
from bot.settings import Settings
from knowledge.embeddings import make_embedder
from knowledge.index import KnowledgeBase


def tqdm_progress(items: Iterable[Any], total: int, label: str) -> Iterable[Any]:
    """A progress bar on stderr for long work (hidden when stderr is not a terminal)."""
    from tqdm import tqdm

    return tqdm(items, total=total, desc=label, unit="batch", leave=False, disable=None)


def build_knowledge_base(settings: Settings) -> KnowledgeBase:
    return KnowledgeBase(
        settings.home,
        make_embedder(settings.embedder),
        root=settings.root,
        catalogue=settings.catalogue,
        fusion=settings.fusion,
        max_bytes=settings.max_file_mb * 1_000_000,
    )


def ready_knowledge_base(settings: Settings) -> KnowledgeBase:
    """The knowledge base, built from the seeds first if there is none yet."""
    kb = build_knowledge_base(settings)
    kb.ensure(settings.seeds, tqdm_progress)
    return kb


def build_catalog(kb: KnowledgeBase) -> DocumentCatalog:
    return DocumentCatalog(kb, abbreviations=load_zones()[2])


def build_planners(kb: KnowledgeBase, composer: Composer, coverage: Coverage, catalog: DocumentCatalog | None = None) -> list[Planner]:
    """The planners, in the order the engine asks them: the fact table where it fits, then clauses."""
    catalog = catalog or build_catalog(kb)
    return [
        FactPlanner(kb, composer, coverage),
        ClausePlanner(ClauseFinder(kb, catalog), ClauseScorer(kb, catalog), catalog, composer, coverage_line=coverage.line),
    ]


def build_engine(settings: Settings, *, warm: bool = True) -> AnswerEngine:
    """The answer core, wired: knowledge base (built from the seeds if needed), analysis, planners, composer, sessions."""
    kb = ready_knowledge_base(settings)
    rephraser = None
    if settings.llm_base_url:
        from bot.llm import Rephraser

        rephraser = Rephraser(settings.llm_base_url, settings.llm_api_key, settings.llm_model, settings.llm_timeout_s)
    composer = Composer(settings.prompts)
    coverage = Coverage(kb)
    catalog = build_catalog(kb)
    engine = AnswerEngine(
        kb,
        Analyzer(Router(kb.gaz, kb.expander), kb.tokenizer, lexicon=Lexicon(kb.idf_or_none)),
        build_planners(kb, composer, coverage, catalog),
        composer,
        SessionStore(settings.home / "sessions.sqlite", settings.session_ttl_hours * 3600),
        coverage,
        max_question_chars=settings.max_question_chars,
        rephraser=rephraser,
        catalog=catalog,
        attribution=Attribution(kb, catalog),
    )
    if warm:
        engine.warm_up()
    return engine
