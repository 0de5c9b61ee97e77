"""The policy fact table: typed facts with verbatim evidence in one SQLite file.

Layout (sqlite-utils, created and migrated in code, ``meta.schema_version``):

- ``sources``      one row per ingested document: digest, title, kind and the
                   JSON of what ``knowledge.facts.analyse`` read from it
- ``regions``      every region a fact names, with its lineage ("|宝山区|上海市|")
- ``policies``     title, issuer, region, level 省/市/区县, date, period, status, kind
- ``targets``      policy, region, year, metric, value, unit, qualifier, low, high
- ``measures``     policy, region, category, ratio, cap, unit, beneficiary, condition
- ``statistics``   report-level figures ("32项", "约53%")
- ``scenarios``    region, domain, named places
- ``technologies`` region, technology
- ``evidence``     fact kind and id, source, quote, cleaned and original spans

Adding or removing a source replaces its extraction and re-merges all sources,
so a fact stated by two documents stays one fact with two pieces of evidence
and a changed file never leaves stale facts behind. Every query is
parameterised; bad input gives an empty result or ``BadQuery``.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from knowledge.errors import BadQuery, IndexUnavailable
from knowledge.facts import (
    CATEGORIES,
    EXTRACTOR_VERSION,
    Extraction,
    Fact,
    analyse,
    category_of,
    merge,
    merge_policies,
    similar,
)
from knowledge.regions import Gazetteer

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from knowledge.index import Processed

SCHEMA_VERSION = 1
KINDS = ("target", "measure", "statistic", "scenario", "technology", "policy")
TABLE = {
    "target": "targets",
    "measure": "measures",
    "statistic": "statistics",
    "scenario": "scenarios",
    "technology": "technologies",
    "policy": "policies",
}
MAX_TEXT = 60
YEARS = (1990, 2100)
COMMON = {"policy": str, "region": str, "level": str, "lineage": str}
FIGURE = {"metric": str, "value": float, "unit": str, "qualifier": str, "low": float, "high": float, "amount": float, "base_unit": str}


def _v1(db: Database) -> None:
    """Schema version 1."""
    db["sources"].create(
        {"source": str, "digest": str, "title": str, "kind": str, "payload": str, "updated": float}, pk="source", if_not_exists=True
    )
    db["regions"].create({"name": str, "level": str, "parent": str, "lineage": str, "local": int}, pk="name", if_not_exists=True)
    db["policies"].create(
        {
            "id": int,
            "key": str,
            "title": str,
            "issuer": str,
            "region": str,
            "level": str,
            "lineage": str,
            "date": str,
            "period": str,
            "status": str,
            "kind": str,
            "original": int,
        },
        pk="id",
        if_not_exists=True,
    )
    db["targets"].create({"id": int, **COMMON, "year": int, **FIGURE}, pk="id", if_not_exists=True)
    db["statistics"].create({"id": int, **COMMON, "year": int, **FIGURE}, pk="id", if_not_exists=True)
    db["measures"].create(
        {"id": int, **COMMON, "category": str, **FIGURE, "ratio": float, "cap": float, "beneficiary": str, "condition": str},
        pk="id",
        if_not_exists=True,
    )
    db["scenarios"].create({"id": int, **COMMON, "domain": str, "places": str}, pk="id", if_not_exists=True)
    db["technologies"].create({"id": int, **COMMON, "technology": str}, pk="id", if_not_exists=True)
    db["evidence"].create(
        {
            "id": int,
            "fact_kind": str,
            "fact_id": int,
            "source": str,
            "quote": str,
            "clean_start": int,
            "clean_end": int,
            "span_start": int,
            "span_end": int,
            "written": str,
            "section": str,
        },
        pk="id",
        if_not_exists=True,
    )
    for table, columns in (
        ("policies", ["region"]),
        ("policies", ["key"]),
        ("targets", ["region"]),
        ("targets", ["year"]),
        ("statistics", ["region"]),
        ("measures", ["region"]),
        ("measures", ["category"]),
        ("scenarios", ["region"]),
        ("scenarios", ["domain"]),
        ("technologies", ["region"]),
        ("technologies", ["technology"]),
        ("evidence", ["fact_kind", "fact_id"]),
        ("evidence", ["source"]),
    ):
        db[table].create_index(columns, if_not_exists=True)


MIGRATIONS: dict[int, Callable[[Database], None]] = {1: _v1}


@dataclass
class BuildReport:
    """What a build or update did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _num(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _lineage(names: list[str]) -> str:
    return "|" + "|".join(names) + "|" if names else ""


class FactStore:
    """The fact tables in one SQLite file: build from processed documents, query with evidence."""

    def __init__(self, path: Path | str, gazetteer: Gazetteer | None = None) -> None:
        self.path = Path(path)
        self.gaz = gazetteer or Gazetteer.default()
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = Database(sqlite3.connect(str(self.path), check_same_thread=False))
            self._migrate()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise IndexUnavailable(f"the fact table {self.path} cannot be opened: {exc}") from exc
        self._local: dict[str, str] | None = None
        self._evidence_cache: dict[str, dict[int, list[tuple[Any, ...]]]] = {}
        self._data_version = -1

    # ---------- schema
    def _migrate(self) -> None:
        with self._lock, self.db.atomic():
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            current = int(row[0]) if row else 0
            if current > SCHEMA_VERSION:
                raise IndexUnavailable(f"the fact table has schema v{current}; this program reads up to v{SCHEMA_VERSION}")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version](self.db)
                self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(version),))

    @property
    def schema_version(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    @property
    def needs_rebuild(self) -> bool:
        """True when a stored extraction comes from another extractor version (re-run ``rebuild``)."""
        for (payload,) in self.db.execute("SELECT payload FROM sources").fetchall():
            try:
                if json.loads(payload).get("version") != EXTRACTOR_VERSION:
                    return True
            except ValueError:
                return True
        return False

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> FactStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------- building
    def rebuild(self, docs: Iterable[Processed], gaz: Gazetteer | None = None) -> BuildReport:
        """Replace everything with the facts of ``docs``."""
        t0 = time.perf_counter()
        docs = list(docs)
        extractions = [analyse(d, gaz or self.gaz) for d in docs]
        digests = {d.source: d.digest for d in docs}
        with self._lock, self.db.atomic():
            self.db.execute("DELETE FROM sources")
            report = BuildReport()
            for ex in extractions:
                self._put_source(ex, digests.get(ex.source, ""))
                report.added.append(ex.source)
            self._refresh(report)
        report.seconds = time.perf_counter() - t0
        return report

    def add(self, docs: Iterable[Processed], gaz: Gazetteer | None = None) -> BuildReport:
        """Add or replace documents by source; unchanged digests are skipped."""
        t0 = time.perf_counter()
        report = BuildReport()
        known = self.sources()
        todo: list[tuple[Extraction, str]] = []
        for d in docs:
            if known.get(d.source) == d.digest and d.digest:
                report.unchanged.append(d.source)
                continue
            todo.append((analyse(d, gaz or self.gaz), d.digest))
            (report.updated if d.source in known else report.added).append(d.source)
        if todo:
            with self._lock, self.db.atomic():
                for ex, digest in todo:
                    self._put_source(ex, digest)
                self._refresh(report)
        report.seconds = time.perf_counter() - t0
        return report

    def remove(self, sources: Iterable[str]) -> BuildReport:
        """Drop the facts of these sources (their evidence; facts only they state)."""
        report = BuildReport()
        with self._lock, self.db.atomic():
            for s in sources:
                if self.db.execute("DELETE FROM sources WHERE source = ?", (s,)).rowcount:
                    report.removed.append(s)
            if report.removed:
                self._refresh(report)
        return report

    def sources(self) -> dict[str, str]:
        """Ingested sources and their content digests."""
        with self._lock:
            return {r[0]: r[1] or "" for r in self.db.execute("SELECT source, digest FROM sources").fetchall()}

    def _put_source(self, ex: Extraction, digest: str) -> None:
        self.db["sources"].insert(
            {
                "source": ex.source,
                "digest": digest,
                "title": ex.title,
                "kind": ex.kind,
                "payload": json.dumps(ex.to_json(), ensure_ascii=False),
                "updated": time.time(),
            },
            replace=True,
        )

    def _refresh(self, report: BuildReport) -> None:
        """Re-merge every stored extraction into the typed tables."""
        extractions: list[Extraction] = []
        for source, payload in self.db.execute("SELECT source, payload FROM sources ORDER BY source").fetchall():
            try:
                extractions.append(Extraction.from_json(json.loads(payload)))
            except (ValueError, TypeError, KeyError) as exc:  # written by another extractor version
                log.warning("fact extraction of %s is unreadable (%s); rebuild the fact table", source, exc)
        facts = merge(f for ex in extractions for f in ex.facts)
        policies = merge_policies(p for ex in extractions for p in ex.policies)
        local: dict[str, str] = {}
        for ex in extractions:
            local.update(ex.local_regions)
        for table in ("evidence", "targets", "statistics", "measures", "scenarios", "technologies", "policies", "regions"):
            self.db.execute(f"DELETE FROM {table}")  # fixed table names, no user input
        rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLE.values()}
        evidence: list[dict[str, Any]] = []
        regions: dict[str, dict[str, Any]] = {}
        next_id = {t: 1 for t in TABLE.values()}
        for f in facts:
            table = TABLE[f.kind]
            fid = next_id[table]
            next_id[table] += 1
            rows[table].append({"id": fid, **self._fact_row(f)})
            evidence.extend(self._evidence_rows(f.kind, fid, f.evidence))
            self._note_region(regions, f.region, f.level, f.lineage, local)
        for p in policies:
            fid = next_id["policies"]
            next_id["policies"] += 1
            rows["policies"].append(
                {
                    "id": fid,
                    "key": re.sub(r"\s", "", p.title),
                    "title": p.title,
                    "issuer": p.issuer,
                    "region": p.region,
                    "level": p.level,
                    "lineage": _lineage(p.lineage),
                    "date": p.date,
                    "period": p.period,
                    "status": p.status,
                    "kind": p.kind,
                    "original": int(p.original),
                }
            )
            evidence.extend(self._evidence_rows("policy", fid, p.evidence))
            self._note_region(regions, p.region, p.level, p.lineage, local)
        for table, items in rows.items():
            if items:
                self.db[table].insert_all(items, batch_size=500)
        if evidence:
            self.db["evidence"].insert_all(evidence, batch_size=500)
        if regions:
            self.db["regions"].insert_all(regions.values(), batch_size=500, replace=True)
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('extractor_version', ?)", (EXTRACTOR_VERSION,))
        self._local = None
        self._evidence_cache.clear()
        report.counts = {k: len(v) for k, v in rows.items()} | {"evidence": len(evidence)}

    @staticmethod
    def _note_region(regions: dict[str, dict[str, Any]], name: str | None, level: str, lineage: list[str], local: dict[str, str]) -> None:
        if name and name not in regions:
            regions[name] = {
                "name": name,
                "level": level,
                "parent": lineage[1] if len(lineage) > 1 else "",
                "lineage": _lineage(lineage),
                "local": int(name in local),
            }

    @staticmethod
    def _fact_row(f: Fact) -> dict[str, Any]:
        row: dict[str, Any] = {"policy": f.policy, "region": f.region, "level": f.level, "lineage": _lineage(f.lineage)}
        amount, base = f.normalised()
        figure = {
            "metric": f.metric,
            "value": f.value,
            "unit": f.unit,
            "qualifier": f.qualifier,
            "low": f.low,
            "high": f.high,
            "amount": amount,
            "base_unit": base,
        }
        if f.kind in ("target", "statistic"):
            row |= {"year": f.year, **figure}
        elif f.kind == "measure":
            row |= {
                "category": f.category,
                **figure,
                "ratio": f.ratio,
                "cap": f.cap,
                "beneficiary": f.beneficiary,
                "condition": f.condition,
            }
        elif f.kind == "scenario":
            row |= {"domain": f.domain, "places": json.dumps(f.places, ensure_ascii=False)}
        else:
            row |= {"technology": f.technology}
        return row

    @staticmethod
    def _evidence_rows(kind: str, fid: int, evidence: Iterable[Any]) -> list[dict[str, Any]]:
        return [
            {
                "fact_kind": kind,
                "fact_id": fid,
                "source": e.source,
                "quote": e.quote,
                "clean_start": e.start,
                "clean_end": e.end,
                "span_start": e.span[0],
                "span_end": e.span[1],
                "written": e.written,
                "section": e.section,
            }
            for e in evidence
        ]

    # ---------- input checks
    @staticmethod
    def _text(value: Any, name: str, limit: int = MAX_TEXT) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise BadQuery(f"{name} must be text, not {type(value).__name__}")
        value = value.strip()
        if len(value) > limit:
            raise BadQuery(f"{name} is longer than {limit} characters")
        return value or None

    @staticmethod
    def _year(value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, str) and re.fullmatch(r"\s*\d{1,4}\s*", value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadQuery("year must be a whole number such as 2025")
        if not YEARS[0] <= value <= YEARS[1]:
            raise BadQuery(f"year must be between {YEARS[0]} and {YEARS[1]}, not {value}")
        return value

    def resolve_region(self, name: Any) -> str | None:
        """Canonical region name (gazetteer or a local place some document named), or None."""
        text = self._text(name, "region")
        if text is None:
            return None
        canonical = self.gaz.canonical(text)
        if canonical:
            return canonical
        with self._lock:
            self._fresh()
            if self._local is None:
                self._local = {r[0]: r[0] for r in self.db.execute("SELECT name FROM regions WHERE local = 1")}
            return self._local.get(text)

    def _where_region(self, region: Any, include_subregions: bool, clauses: list[str], params: list[Any]) -> bool:
        """Add a region filter; False when the region is unknown (the result is empty)."""
        if region is None:
            return True
        name = self.resolve_region(region)
        if name is None:
            return False
        if include_subregions:
            clauses.append("instr(lineage, ?) > 0")
            params.append(f"|{name}|")
        else:
            clauses.append("region = ?")
            params.append(name)
        return True

    # ---------- queries
    def _select(self, table: str, kind: str, clauses: list[str], params: list[Any], order: str) -> list[dict[str, Any]]:
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        sql = f"SELECT * FROM {table}{where} ORDER BY {order}"  # table/order are constants
        with self._lock:
            cur = self.db.execute(sql, params)
            names = [d[0] for d in cur.description]
            keep = [(i, n) for i, n in enumerate(names) if n not in ("lineage", "key")]
            rows = [{n: _num(r[i]) for i, n in keep} for r in cur.fetchall()]
            return self._with_evidence(kind, rows)

    def _fresh(self) -> None:
        """Drop caches when another connection changed the file (``PRAGMA data_version``)."""
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._evidence_cache.clear()
            self._local = None
            self._data_version = version

    def _evidence_of(self, kind: str) -> dict[int, list[tuple[Any, ...]]]:
        """All evidence of one kind by fact id, read once and kept until the file changes."""
        self._fresh()
        cached = self._evidence_cache.get(kind)
        if cached is None:
            cached = {}
            sql = (
                "SELECT fact_id, source, quote, clean_start, clean_end, span_start, span_end, written, section"
                " FROM evidence WHERE fact_kind = ? ORDER BY id"
            )
            for row in self.db.execute(sql, (kind,)).fetchall():
                cached.setdefault(row[0], []).append(row[1:])
            self._evidence_cache[kind] = cached
        return cached

    def _with_evidence(self, kind: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not rows:
            return rows
        evidence = self._evidence_of(kind)
        for r in rows:
            r["evidence"] = [
                {"source": e[0], "quote": e[1], "clean_span": [e[2], e[3]], "span": [e[4], e[5]], "written": e[6], "section": e[7]}
                for e in evidence.get(r["id"], ())
            ]
            if "places" in r:
                r["places"] = json.loads(r["places"] or "[]")
            if "original" in r:
                r["original"] = bool(r["original"])
                r["policy_kind"] = r.pop("kind")  # 行动计划 / 办法 …; "kind" names the row type
            r["kind"] = kind
        return rows

    def targets(
        self, region: str | None = None, year: int | None = None, metric: str | None = None, include_subregions: bool = True
    ) -> list[dict[str, Any]]:
        """Targets, optionally by region (and places inside it), year and metric words."""
        return self._figures("targets", "target", region, year, metric, include_subregions)

    def statistics(self, region: str | None = None, year: int | None = None, metric: str | None = None) -> list[dict[str, Any]]:
        """Report-level figures; region 中国 means the national figures (no region)."""
        name = self.resolve_region(region) if region is not None else None
        if region is not None and name == "中国":
            rows = self._figures("statistics", "statistic", None, year, metric, True)
            return [r for r in rows if r["region"] in (None, "中国")]
        return self._figures("statistics", "statistic", region, year, metric, True)

    def _figures(self, table: str, kind: str, region: Any, year: Any, metric: Any, include_subregions: bool) -> list[dict[str, Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        y = self._year(year)
        words = self._text(metric, "metric")
        if not self._where_region(region, include_subregions, clauses, params):
            return []
        if y is not None:
            clauses.append("year = ?")
            params.append(y)
        rows = self._select(table, kind, clauses, params, "region, year, id")
        if words:
            rows = [r for r in rows if _metric_match(words, r.get("metric") or "")]
        return rows

    def measures(self, region: str | None = None, category: str | None = None, include_subregions: bool = True) -> list[dict[str, Any]]:
        """Support measures by region and category (资金补贴, 购房补贴, 产业基金 …)."""
        clauses: list[str] = []
        params: list[Any] = []
        cat = self._category(category)
        if category is not None and cat is None:
            return []
        if not self._where_region(region, include_subregions, clauses, params):
            return []
        if cat:
            clauses.append("category = ?")
            params.append(cat)
        return self._select("measures", "measure", clauses, params, "region, category, amount DESC, id")

    def _category(self, category: Any) -> str | None:
        text = self._text(category, "category")
        if text is None:
            return None
        if text in CATEGORIES:
            return text
        guess = category_of(text)
        if guess and (guess != "资金补贴" or text in ("补贴", "补助", "资助", "资金", "资金支持")):
            return guess
        return None

    def scenarios(self, region: str | None = None, domain: str | None = None, include_subregions: bool = True) -> list[dict[str, Any]]:
        """Application scenarios (domain and named places) by region."""
        clauses: list[str] = []
        params: list[Any] = []
        d = self._text(domain, "domain")
        if not self._where_region(region, include_subregions, clauses, params):
            return []
        if d:
            clauses.append("domain = ?")
            params.append(d)
        return self._select("scenarios", "scenario", clauses, params, "region, domain, id")

    def technologies(
        self, region: str | None = None, technology: str | None = None, include_subregions: bool = True
    ) -> list[dict[str, Any]]:
        """Key technologies by region."""
        clauses: list[str] = []
        params: list[Any] = []
        t = self._text(technology, "technology")
        if not self._where_region(region, include_subregions, clauses, params):
            return []
        if t:
            clauses.append("technology = ?")
            params.append(t)
        return self._select("technologies", "technology", clauses, params, "region, technology, id")

    def policies(self, region: str | None = None, status: str | None = None, include_subregions: bool = True) -> list[dict[str, Any]]:
        """Policies (title, issuer, level, date, period, status) by region."""
        clauses: list[str] = []
        params: list[Any] = []
        st = self._text(status, "status")
        if not self._where_region(region, include_subregions, clauses, params):
            return []
        if st:
            clauses.append("status = ?")
            params.append(st)
        return self._select("policies", "policy", clauses, params, "region, date, id")

    def compare(self, metric: str, regions: Iterable[str], year: int | None = None) -> list[dict[str, Any]]:
        """The targets on ``metric`` of each region, in the order given (best match first)."""
        words = self._text(metric, "metric")
        if words is None:
            raise BadQuery("compare needs a metric, such as 产业规模")
        if isinstance(regions, str):
            regions = [regions]
        names = list(regions)
        if len(names) > 20:
            raise BadQuery("compare at most 20 regions at once")
        self._year(year)
        out = []
        for r in names:
            name = self.resolve_region(r)
            if name is None:
                out.append({"region": r, "known": False, "level": "", "targets": []})
                continue
            rows = self.targets(name, year, words, include_subregions=False) or self.targets(name, year, words)
            rows.sort(key=lambda x: (-similar(words, x.get("metric") or ""), -(x.get("year") or 0)))
            out.append({"region": name, "known": True, "level": self.gaz.level(name) or "区县", "targets": rows})
        return out

    def regions_with(self, category: str) -> list[dict[str, Any]]:
        """Regions that have a measure of this category, each with its measures."""
        cat = self._category(category)
        if cat is None:
            return []
        rows = self.measures(category=cat)
        grouped: dict[str, dict[str, Any]] = {}
        for r in rows:
            g = grouped.setdefault(r["region"], {"region": r["region"], "level": r["level"], "measures": []})
            g["measures"].append(r)
        return sorted(grouped.values(), key=lambda g: (-len(g["measures"]), g["region"]))

    def query(self, kind: str, region: str | None = None, year: int | None = None) -> list[dict[str, Any]]:
        """Rows of one kind (target, measure, statistic, scenario, technology, policy), for listings."""
        if kind not in KINDS:
            raise BadQuery(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        if kind == "target":
            return self.targets(region, year)
        if kind == "statistic":
            return self.statistics(region, year)
        self._year(year)
        if kind == "measure":
            return self.measures(region)
        if kind == "scenario":
            return self.scenarios(region)
        if kind == "technology":
            return self.technologies(region)
        return self.policies(region)

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self._lock:
            rows = {k: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for k, t in TABLE.items()}
            return rows | {"evidence": self.db.execute("SELECT count(*) FROM evidence").fetchone()[0]}


def _metric_match(words: str, metric: str) -> bool:
    w = re.sub(r"[^\w%]", "", words)
    m = re.sub(r"[^\w%]", "", metric)
    return bool(w) and bool(m) and (w in m or similar(w, m) >= 0.5)


__all__ = ["SCHEMA_VERSION", "BuildReport", "FactStore"]
