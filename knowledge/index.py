"""The knowledge base on disk: chunks in Chroma (dense) and SQLite (BM25, metadata).

Layout under ``home/index``: one folder per generation holding ``chroma/`` and
``kb.sqlite``, and a ``CURRENT`` file naming the live one. An ingest copies the
live generation, applies its changes to the copy and switches ``CURRENT`` with
an atomic rename at the end, so a crash or Ctrl-C mid-ingest leaves the
previous index usable. Unchanged files (same content hash, processed by the
same code) are skipped; a changed file, or any file after an upgrade of the
cleaning, chunking or fact code, replaces its old chunks.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.bm25 import BM25, Tokenizer
from knowledge.chunking import Chunk, chunk_document
from knowledge.documents import DocumentInfo, Policy, describe, find_policies, learn_regions, load_catalogue
from knowledge.errors import BadDocument, BadQuery, IndexUnavailable
from knowledge.factstore import FactStore
from knowledge.normalize import ASIDE, CleanDoc, clean, decode
from knowledge.query import QueryExpander
from knowledge.regions import Gazetteer, Region
from knowledge.terms import defined_terms

log = logging.getLogger(__name__)

# The code and data that turn a file into chunks and facts: when any of them changes, every file is processed again
# by the next ingest (a stored digest is the file's hash followed by this one).
PROCESSING_FILES = ("normalize.py", "chunking.py", "documents.py", "regions.py", "terms.py", "facts.py", "data")


# raised when the way this module stores or tokenizes a chunk changes (2: the words a short aside splits)
INDEX_FORMAT = "2"


def _processing_version() -> str:
    h = hashlib.sha256(INDEX_FORMAT.encode())
    here = Path(__file__).parent
    for name in PROCESSING_FILES:
        for f in sorted((here / name).rglob("*")) if (here / name).is_dir() else [here / name]:
            if f.is_file():
                h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


PROCESSING_VERSION = _processing_version()


def _index_tokens(tokenizer: Tokenizer, text: str) -> list[str]:
    """The keyword index's tokens of a chunk, and the words a short aside splits: "劳动（聘用）合同" is found by 劳动合同."""
    tokens = tokenizer.tokens(text)
    bare = ASIDE.sub("", text)
    if bare != text:
        have = set(tokens)
        tokens += [t for t in dict.fromkeys(tokenizer.tokens(bare)) if t not in have]
    return tokens


def file_digest(data: bytes) -> str:
    """What an ingest compares to skip an unchanged file: its content and the processing code's version."""
    return f"{hashlib.sha256(data).hexdigest()}:{PROCESSING_VERSION}"


SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text"}
COLLECTION = "policy_chunks"
RECHECK_S = 0.05  # within one question CURRENT is looked at again only after this many seconds
FACTS = "facts.sqlite"
SCHEMA_VERSION = 1


@dataclass
class SearchHit:
    """One ranked chunk with where it came from."""

    chunk: Chunk
    score: float
    title: str = ""
    bm25_rank: int | None = None
    dense_rank: int | None = None
    original: str = ""

    def to_json(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "id": c.id,
            "text": c.text,
            "source": c.source,
            "title": self.title,
            "section": c.section_path,
            "policy": c.policy,
            "regions": c.regions,
            "score": round(self.score, 6),
            "span": list(c.span),
        }


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


@dataclass
class Processed:
    """A file after cleaning, policy recognition and chunking."""

    source: str
    path: Path
    digest: str
    doc: CleanDoc
    info: DocumentInfo
    policies: list[Policy]
    chunks: list[Chunk]
    learned: list[Region] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # its own short names and defined terms ("助保贷")


def source_name(path: Path, root: Path | None) -> str:
    """A document's source id: its path relative to ``root`` when inside it, else absolute."""
    path = path.resolve()
    if root is not None:
        with contextlib.suppress(ValueError):
            return path.relative_to(root.resolve()).as_posix()
    return path.as_posix()


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders; report missing paths and unsupported files."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for p in paths:
        if not p.exists():
            problems.append((str(p), "no such file or folder"))
        elif p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith("."))
            if not found:
                problems.append((str(p), "the folder holds no .txt, .md or .html files"))
            files.extend(found)
        elif p.suffix.lower() not in SUFFIXES:
            problems.append((str(p), f"unsupported file type {p.suffix or '(none)'}: use .txt, .md or .html"))
        else:
            files.append(p)
    return files, problems


class Processor:
    """Clean, recognise policies and chunk one file (no storage)."""

    def __init__(self, gazetteer: Gazetteer, catalogue: dict[str, dict[str, str]], max_bytes: int) -> None:
        self.gaz = gazetteer
        self.catalogue = catalogue
        self.max_bytes = max_bytes

    def read(self, path: Path) -> bytes:
        size = path.stat().st_size
        if size > self.max_bytes:
            raise BadDocument(f"the file is {size / 1e6:.1f} MB; the limit is {self.max_bytes / 1e6:.0f} MB")
        return path.read_bytes()

    def process(self, path: Path, source: str, data: bytes) -> Processed:
        text = decode(data)
        doc = clean(text)
        if len(doc.text.strip()) < 10:
            raise BadDocument("no readable text left after cleaning")
        learned = self.gaz.add(learn_regions(doc, self.gaz))
        policies = find_policies(doc, self.gaz)
        info = describe(source, doc, policies, self.gaz, self.catalogue.get(path.name, {}))
        chunks = chunk_document(source, doc, info, policies, self.gaz)
        if not chunks:
            raise BadDocument("no text to index after cleaning")
        terms = defined_terms(doc.text)
        return Processed(source, path, file_digest(data), doc, info, policies, chunks, learned, terms)


class KnowledgeBase:
    """Hybrid search over the policy chunks, and the ingest that builds them."""

    def __init__(
        self,
        home: Path,
        embedder: Any,
        *,
        root: Path | None = None,
        gazetteer: Gazetteer | None = None,
        tokenizer: Tokenizer | None = None,
        expander: QueryExpander | None = None,
        catalogue: Path | None = None,
        fusion: str = "weighted",
        max_bytes: int = 20_000_000,
        candidates: int = 40,
    ) -> None:
        if fusion not in ("rrf", "weighted", "bm25", "dense"):
            raise ValueError(f"fusion must be rrf, weighted, bm25 or dense, not {fusion!r}")
        self.home = Path(home)
        self.dir = self.home / "index"
        self.embedder = embedder
        self.root = root
        self.gaz = (gazetteer or Gazetteer.default()).copy()  # extended with places learned from the documents
        self.tokenizer = tokenizer or Tokenizer()
        self.expander = expander or QueryExpander(self.gaz)
        # the glossary's everyday words ("失业金", "高企") are words, not the pieces jieba cuts them into
        self.tokenizer.add_words(w for w in self.expander.synonyms if re.fullmatch(r"[\u4e00-\u9fff]{2,8}", w))
        self.fusion = fusion
        self.candidates = candidates
        self.processor = Processor(self.gaz, load_catalogue(catalogue), max_bytes)
        self._loaded: str | None = None
        self._checked = 0.0  # when CURRENT was last looked at (time.monotonic)
        self._chunks: list[Chunk] = []
        self._titles: dict[str, str] = {}
        self._bm25: BM25 | None = None
        self._collection: Any = None
        self._client: Any = None
        self._originals: dict[str, str] = {}
        self._qcache: dict[str, Any] = {}  # question -> embedding; groups repeat questions
        self._dense_cache: dict[tuple[Any, ...], dict[int, float]] = {}  # (text, n, place, generation) → scores
        self._matrix: Any = None  # the chunks' vectors, one row a chunk, unit length: dense search is one product
        self._under: dict[str, Any] = {}  # place → rows of the chunks about it or a place inside it (as Chroma's r: flags)
        self._facts: FactStore | None = None
        self._facts_gen = ""

    # ---------- generations ----------
    def current(self) -> Path | None:
        marker = self.dir / "CURRENT"
        if not marker.exists():
            return None
        gen = self.dir / marker.read_text().strip()
        return gen if (gen / "kb.sqlite").exists() else None

    def exists(self) -> bool:
        return self.current() is not None

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / ".lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _switch(self, gen: Path) -> None:
        tmp = self.dir / f"CURRENT.{os.getpid()}"
        tmp.write_text(gen.name)
        os.replace(tmp, self.dir / "CURRENT")
        for old in self.dir.iterdir():
            if old.is_dir() and old.name.startswith("gen-") and old != gen:
                shutil.rmtree(old, ignore_errors=True)

    # ---------- ingest ----------
    def ingest(self, paths: Iterable[Path], progress: Callable[[Iterable[Any], int, str], Iterable[Any]] | None = None) -> IngestReport:
        """Add or update files and folders; all or nothing per run."""
        t0 = time.perf_counter()
        report = IngestReport()
        files, problems = collect_files(paths)
        report.failed.extend(problems)
        with self._lock():
            live = self.current()
            known = _known_hashes(live / "kb.sqlite") if live else {}
            if live:
                self._learned_regions(live)
            todo: list[Processed] = []
            for path in files:
                source = source_name(path, self.root)
                try:
                    data = self.processor.read(path)
                    if known.get(source) == file_digest(data):
                        report.unchanged.append(source)
                        continue
                    todo.append(self.processor.process(path, source, data))
                except (BadDocument, OSError) as exc:
                    report.failed.append((source, str(exc)))
                    log.error("ingest skipped %s: %s", source, exc)
            if not todo:
                report.seconds = time.perf_counter() - t0
                return report
            gen = self.dir / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{int(time.time() * 1000) % 1000:03d}"
            work = gen.with_name(gen.name + ".tmp")
            if live:
                shutil.copytree(live, work)
            else:
                work.mkdir(parents=True)
            try:
                self._write(work, todo, known, report, progress)
                os.replace(work, gen)
            except BaseException:
                shutil.rmtree(work, ignore_errors=True)
                raise
            self._switch(gen)
            self._loaded = None
        report.seconds = time.perf_counter() - t0
        return report

    def _write(self, work: Path, todo: list[Processed], known: dict[str, str], report: IngestReport, progress: Any) -> None:
        import chromadb

        client = chromadb.PersistentClient(path=str(work / "chroma"), settings=chromadb.Settings(anonymized_telemetry=False))
        coll = client.get_or_create_collection(COLLECTION, embedding_function=self.embedder, configuration={"hnsw": {"space": "cosine"}})
        db = sqlite3.connect(work / "kb.sqlite")
        try:
            _schema(db)
            for p in todo:
                if p.source in known:
                    coll.delete(where={"source": p.source})
                    db.execute("DELETE FROM chunks WHERE source = ?", (p.source,))
                    db.execute("DELETE FROM policies WHERE source = ?", (p.source,))
                    db.execute("DELETE FROM terms WHERE source = ?", (p.source,))
                    report.updated.append(p.source)
                else:
                    report.added.append(p.source)
            all_chunks = [(p, c) for p in todo for c in p.chunks]
            batch = 16
            steps = range(0, len(all_chunks), batch)
            for i in progress(steps, len(steps), "embedding") if progress else steps:
                part = all_chunks[i : i + batch]
                texts = [c.dense_text() for _, c in part]
                coll.add(
                    ids=[c.id for _, c in part],
                    documents=[c.text for _, c in part],
                    embeddings=self.embedder(texts),
                    metadatas=[_chroma_meta(c, self.gaz) for _, c in part],
                )
            for p in todo:
                _store_document(db, p, self.tokenizer)
            with FactStore(work / FACTS, self.gaz) as facts:
                facts.add(todo)
            report.chunks = len(all_chunks)
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('embedder', ?)", (json.dumps(self._embedder_id()),))
            db.commit()
        finally:
            db.close()
            with contextlib.suppress(Exception):
                client._system.stop()  # release file handles before the rename

    def _embedder_id(self) -> dict[str, Any]:
        return {"name": self.embedder.name(), "config": self.embedder.get_config()}

    def ensure(self, seeds: Path, progress: Any = None) -> IngestReport | None:
        """Build the index from ``seeds`` if there is none yet."""
        if self.exists():
            return None
        return self.ingest([seeds], progress)

    # ---------- loading ----------
    def load(self, recheck: bool = False) -> None:
        """Load the live generation if it is not the one in memory; ``recheck`` looks at CURRENT whatever the time
        (each question does: an ingest by another process shows at once)."""
        now = time.monotonic()
        if not recheck and self._loaded is not None and now - self._checked < RECHECK_S:
            return  # the many look-ups of one question share one look at CURRENT
        self._checked = now
        live = self.current()
        if live is None:
            raise IndexUnavailable("no index yet: run `policybot ingest seeds/` first")
        if self._loaded == live.name:
            return
        import chromadb
        import numpy as np

        db = sqlite3.connect(f"file:{live / 'kb.sqlite'}?mode=ro", uri=True)
        try:
            rows = db.execute(
                "SELECT id, source, text, start, end_, span_start, span_end, section, policy, regions, ordinal, tokens"
                " FROM chunks ORDER BY source, ordinal"
            ).fetchall()
            docs = db.execute("SELECT source, title, path, regions FROM documents").fetchall()
        finally:
            db.close()
        self._learned_regions(live)
        self._chunks = [Chunk(r[0], r[1], r[2], r[3], r[4], (r[5], r[6]), json.loads(r[7]), r[8], json.loads(r[9]), r[10]) for r in rows]
        self._titles = {d[0]: d[1] for d in docs}
        self._paths = {d[0]: d[2] for d in docs}
        self._bm25 = BM25([json.loads(r[11]) for r in rows])
        self._max_idf = max(self._bm25.idf.values(), default=1.0)
        self._client = chromadb.PersistentClient(path=str(live / "chroma"), settings=chromadb.Settings(anonymized_telemetry=False))
        self._collection = self._client.get_collection(COLLECTION, embedding_function=self.embedder)
        self._by_id = {c.id: i for i, c in enumerate(self._chunks)}
        self._in_region: dict[str, set[int]] = {}  # place → its chunks: a region filter is a look-up, not a scan
        self._by_source: dict[str, list[Chunk]] = {}  # document → its chunks in order
        placed_in = {d[0]: json.loads(d[3] or "[]") for d in docs}
        placed_in = {src: set(rs) for src, rs in placed_in.items() if len(rs) <= 2}  # a report on many places is placed nowhere
        self._placed: dict[str, set[int]] = {}  # place → the chunks of the documents placed there
        under: dict[str, list[int]] = {}  # place → rows of the chunks about it or a place inside it, in order
        lineage: dict[str, list[str]] = {}
        for i, c in enumerate(self._chunks):
            for r in c.regions:
                self._in_region.setdefault(r, set()).add(i)
                if r not in lineage:
                    lineage[r] = self.gaz.lineage(r)
                for name in lineage[r]:
                    rows = under.setdefault(name, [])
                    if not rows or rows[-1] != i:
                        rows.append(i)
            for r in placed_in.get(c.source, ()):
                self._placed.setdefault(r, set()).add(i)
            self._by_source.setdefault(c.source, []).append(c)
        self._matrix = self._vectors()
        self._under = {name: np.asarray(rows, dtype=np.int64) for name, rows in under.items()}
        self._loaded = live.name

    def _vectors(self) -> Any:
        """Every chunk's vector from the Chroma collection, in chunk order and of unit length.

        An exact search over a few thousand rows is one matrix product (well under a millisecond), cheaper than the
        filtered approximate query, and its ranking never depends on how the graph was built.
        """
        import numpy as np

        if not self._chunks:
            return None
        got = self._collection.get(include=["embeddings"])
        dim = len(got["embeddings"][0]) if len(got["ids"]) else 0
        matrix = np.zeros((len(self._chunks), dim), dtype=np.float32)
        for cid, vec in zip(got["ids"], got["embeddings"], strict=True):
            if cid in self._by_id:
                matrix[self._by_id[cid]] = vec
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms > 0, norms, 1.0)

    def _learned_regions(self, gen: Path) -> None:
        """Teach this knowledge base's gazetteer the places its documents named, and its tokenizer the words
        they define for themselves."""
        db = sqlite3.connect(f"file:{gen / 'kb.sqlite'}?mode=ro", uri=True)
        try:
            rows = db.execute("SELECT name, level, parent, aliases FROM regions").fetchall()
            try:
                words = [w for (w,) in db.execute("SELECT DISTINCT word FROM terms ORDER BY word")]
            except sqlite3.OperationalError:  # a generation built before documents' terms were kept
                words = []
        except sqlite3.OperationalError:
            rows, words = [], []
        finally:
            db.close()
        self.gaz.add([Region(n, lv, parent, tuple(json.loads(a))) for n, lv, parent, a in rows])
        self.tokenizer.add_words(words)

    def idf(self, term: str) -> float:
        """A term's rarity in the index (BM25 idf); a term no chunk holds counts half the rarest.

        Half: a word no document uses is as often a colloquial filler ("现行", "到底") as a missing topic.
        """
        self.load()
        if not self._bm25:
            return 1.0
        idf = self._bm25.idf.get(term.lower())
        if idf is None:
            idf = self._max_idf / 2
        return idf

    def rare(self, term: str) -> bool:
        """Whether no chunk, or hardly any (the rarest words' idf), holds ``term``."""
        idf = self.idf_or_none(term)
        return idf is None or idf >= 0.9 * self._max_idf

    def idf_or_none(self, term: str) -> float | None:
        """A word's idf in the index, or None when no document uses it."""
        self.load()
        return self._bm25.idf.get(term.lower()) if self._bm25 else None

    def warm_up(self) -> None:
        self.load()
        self.tokenizer.warm_up()
        self.tokenizer.noun("预热")  # the dictionary's word classes, read once
        self.embedder.embed_query(["预热"])

    def facts(self) -> FactStore:
        """The fact table of the live generation (rebuilt from the files if missing or stale)."""
        live = self.current()
        if live is None:
            raise IndexUnavailable("no index yet: run `policybot ingest seeds/` first")
        if self._facts is not None and self._facts_gen == live.name:
            return self._facts
        path = live / FACTS
        if not path.exists() or _stale(path, self.gaz):
            self._rebuild_facts(live)
        if self._facts is not None:
            self._facts.close()
        self._facts, self._facts_gen = FactStore(path, self.gaz), live.name
        return self._facts

    def _rebuild_facts(self, live: Path) -> None:
        """Re-read every document of a generation and write its fact table atomically."""
        with self._lock():
            docs: list[Processed] = []
            for row in self.documents():
                path = Path(row["path"])
                try:
                    docs.append(self.processor.process(path, row["source"], self.processor.read(path)))
                except (OSError, BadDocument) as exc:
                    log.error("fact table: cannot re-read %s: %s", row["source"], exc)
            tmp = live / f"{FACTS}.{os.getpid()}.tmp"
            with FactStore(tmp, self.gaz) as facts:
                facts.rebuild(docs)
            os.replace(tmp, live / FACTS)

    def clear_cache(self) -> None:
        """Forget cached question embeddings and look-ups (benchmarks measure cold questions)."""
        self._qcache.clear()
        self._dense_cache.clear()

    @property
    def chunks(self) -> list[Chunk]:
        self.load()
        return self._chunks

    def chunks_of(self, source: str) -> list[Chunk]:
        """One document's chunks in reading order (a look-up)."""
        self.load()
        return self._by_source.get(source, [])

    def placed_above(self, region: str) -> str | None:
        """The nearest place above ``region`` (below the country) that a document is placed at.

        A province's own policy holds in each of its cities: "汕头的就业补贴" is answered by a 广东省
        document when no document is about 汕头 itself.
        """
        self.load()
        name = self.gaz.canonical(region)
        if not name:
            return None
        for r in self.gaz.ancestors(name):
            if self.gaz.level(r) != "国家" and self._placed.get(r, set()) & self._in_region.get(r, set()):
                return r
        return None

    def containing(self, term: str) -> list[Chunk]:
        """Chunks whose text holds ``term`` verbatim, found through the keyword index's postings.

        The rarest of the term's own tokens names the candidates (jieba's search mode indexes the
        words inside a longer word too); the verbatim test then keeps the true ones. No scan of
        every chunk: the work is the length of one posting list.
        """
        self.load()
        if not self._bm25 or not term:
            return []
        tokens = [t for t in self.tokenizer.tokens(term) if t in self._bm25.postings]
        if not tokens:
            return []
        rarest = min(tokens, key=lambda t: len(self._bm25.postings[t]))
        return [self._chunks[i] for i in self._bm25.postings[rarest] if term in self._chunks[i].text]

    def title_of(self, source: str) -> str:
        self.load()
        return self._titles.get(source, source)

    def original_text(self, chunk: Chunk) -> str:
        """The chunk's characters in the original file (decoded)."""
        if chunk.source not in self._originals:
            path = Path(self._paths.get(chunk.source, chunk.source))
            if not path.is_absolute() and self.root is not None:
                path = self.root / path
            try:
                self._originals[chunk.source] = decode(path.read_bytes())
            except (OSError, BadDocument):
                self._originals[chunk.source] = ""
        return self._originals[chunk.source][chunk.span[0] : chunk.span[1]]

    # ---------- search ----------
    def search(
        self,
        query: str,
        *,
        region: str | None = None,
        k: int = 5,
        fusion: str | None = None,
        dense_text: str | None = None,
        inherit: bool = False,
    ) -> list[SearchHit]:
        """Hybrid search; ``region`` keeps chunks about that region or places inside it.

        ``inherit`` also keeps the chunks about the places above it (a city's policy holds in
        its districts: "松江" finds the 上海市 measures), the country's excepted.

        ``fusion`` overrides the configured ranking for this call (rrf, weighted, bm25, dense).
        ``dense_text`` is embedded instead of ``query`` (one clause of a compound question is
        matched by words alone and shares the whole question's embedding: one embedding a message).
        """
        how = fusion or self.fusion
        if not isinstance(query, str) or not query.strip():
            raise BadQuery("the query is empty")
        if len(query) > 2000:
            raise BadQuery("the query is longer than 2000 characters")
        if not 1 <= k <= 100:
            raise BadQuery("k must be between 1 and 100")
        self.load()
        allowed: set[int] | None = None
        if region:
            name = self.gaz.canonical(region)
            if name is None:
                raise BadQuery(f"unknown region {region!r}")
            allowed = set().union(*(self._in_region.get(r, ()) for r in self.gaz.expand(name)))
            above = [r for r in self.gaz.ancestors(name) if self.gaz.level(r) != "国家"] if inherit else []
            for r in above:  # the documents of the places above: their own policies, not reports naming them
                allowed |= self._placed.get(r, set()) & self._in_region.get(r, set())
            if not allowed:
                return []
        text = self.expander.expand(query)
        ranks: list[list[int]] = []
        scores: list[dict[int, float]] = []
        n = self.candidates
        if how != "dense":
            tokens = self.tokenizer.tokens(text)
            s = self._bm25.scores(tokens) if self._bm25 else {}
            if allowed is not None:
                s = {i: v for i, v in s.items() if i in allowed}
            ranks.append(sorted(s, key=lambda i: -s[i])[:n])
            scores.append(s)
        if how != "bm25":
            dense_region = (above[-1] if above else name) if region else None  # the filter, then the allowed set
            s = self._dense(self.expander.dense_query(dense_text or query), n, dense_region)
            if allowed is not None:
                s = {i: v for i, v in s.items() if i in allowed}
            ranks.append(sorted(s, key=lambda i: -s[i])[:n])
            scores.append(s)
        fused = _fuse(ranks, scores, how)
        hits: list[SearchHit] = []
        for i in sorted(fused, key=lambda i: -fused[i])[:k]:
            c = self._chunks[i]
            hits.append(
                SearchHit(
                    c,
                    fused[i],
                    self._titles.get(c.source, c.source),
                    bm25_rank=_rank_of(ranks[0], i) if how != "dense" else None,
                    dense_rank=_rank_of(ranks[-1], i) if how != "bm25" else None,
                )
            )
        return hits

    def _query_vector(self, text: str) -> Any:
        vec = self._qcache.get(text)
        if vec is None:
            vec = self.embedder.embed_query([text])[0]
            if len(self._qcache) >= 2048:
                self._qcache.pop(next(iter(self._qcache)))
            self._qcache[text] = vec
        return vec

    def _dense(self, text: str, n: int, region: str | None) -> dict[int, float]:
        key = (text, n, region, self._loaded)  # the clauses of one message share one look-up
        out = self._dense_cache.get(key)
        if out is not None:
            return dict(out)
        import numpy as np

        out = {}
        if self._matrix is not None:
            vec = np.asarray(self._query_vector(text), dtype=np.float32)
            vec = vec / (float(np.linalg.norm(vec)) or 1.0)
            rows = self._under.get(region, np.zeros(0, dtype=np.int64)) if region else np.arange(len(self._chunks))
            if len(rows):
                sims = self._matrix[rows] @ vec
                top = np.argsort(-sims, kind="stable")[:n]  # ties in row order: the same ranking every run
                out = {int(rows[j]): float(sims[j]) for j in top}
        if len(self._dense_cache) >= 256:
            self._dense_cache.pop(next(iter(self._dense_cache)))
        self._dense_cache[key] = out
        return dict(out)

    def vectorstore(self) -> Any:
        """The dense store as a LangChain ``Chroma`` vector store (langchain-chroma)."""
        from langchain_chroma import Chroma

        from knowledge.embeddings import LangChainEmbeddings

        self.load()
        return Chroma(client=self._client, collection_name=COLLECTION, embedding_function=LangChainEmbeddings(self.embedder))

    @property
    def generation(self) -> str | None:
        """The name of the generation loaded in memory (changes when an ingest switches CURRENT)."""
        return self._loaded

    def documents(self, columns: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """Document rows (all columns, or only ``columns``: the clean text is large)."""
        live = self.current()
        if live is None:
            return []
        if any(not c.isidentifier() for c in columns):
            raise BadQuery(f"bad column list {columns!r}")
        db = sqlite3.connect(f"file:{live / 'kb.sqlite'}?mode=ro", uri=True)
        db.row_factory = sqlite3.Row
        try:
            cols = ", ".join(columns) if columns else "*"
            return [dict(r) for r in db.execute(f"SELECT {cols} FROM documents ORDER BY source")]
        finally:
            db.close()

    def database_path(self) -> Path:
        live = self.current()
        if live is None:
            raise IndexUnavailable("no index yet")
        return live / "kb.sqlite"


def _rank_of(order: list[int], i: int) -> int | None:
    try:
        return order.index(i) + 1
    except ValueError:
        return None


def _fuse(ranks: list[list[int]], scores: list[dict[int, float]], how: str, k: int = 60) -> dict[int, float]:
    out: dict[int, float] = {}
    if how in ("bm25", "dense") or len(ranks) == 1:
        s = scores[0]
        return {i: s[i] for i in ranks[0]}
    if how == "rrf":
        for order in ranks:
            for r, i in enumerate(order):
                out[i] = out.get(i, 0.0) + 1.0 / (k + r + 1)
        return out
    # weighted: min-max normalised scores, BM25 and dense weighted equally
    for order, s in zip(ranks, scores, strict=True):
        if not order:
            continue
        vals = [s[i] for i in order]
        lo, hi = min(vals), max(vals)
        for i in order:
            out[i] = out.get(i, 0.0) + (s[i] - lo) / (hi - lo or 1.0) * 0.5
    return out


def _chroma_meta(c: Chunk, gaz: Gazetteer) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "source": c.source,
        "section": c.section_path,
        "policy": c.policy,
        "regions": "、".join(c.regions),
        "span_start": c.span[0],
        "span_end": c.span[1],
    }
    for r in c.regions:
        for name in gaz.lineage(r):
            meta[f"r:{name}"] = True
    return meta


def _schema(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE IF NOT EXISTS documents (
            source TEXT PRIMARY KEY, path TEXT, hash TEXT, title TEXT, kind TEXT, issuer TEXT, date TEXT,
            regions TEXT, origin TEXT, clean_text TEXT, offsets TEXT, ingested_at TEXT);
        CREATE TABLE IF NOT EXISTS chunks (
            id TEXT PRIMARY KEY, source TEXT, ordinal INTEGER, text TEXT, start INTEGER, end_ INTEGER,
            span_start INTEGER, span_end INTEGER, section TEXT, policy TEXT, regions TEXT, tokens TEXT);
        CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
        CREATE TABLE IF NOT EXISTS regions (name TEXT PRIMARY KEY, level TEXT, parent TEXT, aliases TEXT, source TEXT);
        CREATE TABLE IF NOT EXISTS terms (word TEXT, source TEXT, PRIMARY KEY (word, source));
        CREATE TABLE IF NOT EXISTS policies (
            source TEXT, title TEXT, issuer TEXT, date TEXT, region TEXT, status TEXT, period TEXT,
            start INTEGER, end_ INTEGER, evidence TEXT, records TEXT);
        """
    )
    db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),))


def _store_document(db: sqlite3.Connection, p: Processed, tokenizer: Tokenizer) -> None:
    t = p.doc.tracked
    tokenizer.add_words(p.terms)  # "助保贷" stays one token in its passages and in questions
    db.executemany("INSERT OR IGNORE INTO terms VALUES (?,?)", [(w, p.source) for w in p.terms])
    db.execute(
        "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,datetime('now'))",
        (
            p.source,
            str(p.path.resolve()),
            p.digest,
            p.info.title,
            p.info.kind,
            p.info.issuer,
            p.info.date,
            json.dumps(p.info.regions, ensure_ascii=False),
            p.info.origin,
            p.doc.text,
            json.dumps([t.starts, t.ends]),
        ),
    )
    db.executemany(
        "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                c.id,
                c.source,
                c.ordinal,
                c.text,
                c.start,
                c.end,
                c.span[0],
                c.span[1],
                json.dumps(c.section, ensure_ascii=False),
                c.policy,
                json.dumps(c.regions, ensure_ascii=False),
                json.dumps(_index_tokens(tokenizer, c.index_text(p.info.title)), ensure_ascii=False),
            )
            for c in p.chunks
        ],
    )
    db.executemany(
        "INSERT OR IGNORE INTO regions VALUES (?,?,?,?,?)",
        [(r.name, r.level, r.parent, json.dumps(list(r.aliases), ensure_ascii=False), p.source) for r in p.learned],
    )
    db.executemany(
        "INSERT INTO policies VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (p.source, x.title, x.issuer, x.date, x.region, x.status, x.period, x.start, x.end, x.evidence, json.dumps(x.records))
            for x in p.policies
        ],
    )


def _stale(path: Path, gaz: Gazetteer) -> bool:
    try:
        with FactStore(path, gaz) as facts:
            return facts.needs_rebuild
    except IndexUnavailable:
        return True


def _known_hashes(db_path: Path) -> dict[str, str]:
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT source, hash FROM documents").fetchall())
    finally:
        db.close()
