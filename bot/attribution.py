"""Verification of attribution: the place and policy a claim is shown under are those of its cited passage.

Two checks on a plan, before it is composed:

- a passage a report retells ("比如，上海市发布的…") is cited from the policy's own document when that
  document holds the same words, so the title, place and date shown are the policy's own;
- a claim whose quoted policy is titled for another place than the one asked is dropped (a 武汉 measure is no
  answer to a question about 上海); a policy of a place above or inside the one asked holds there.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from bot.compose import Quote
from bot.planners import DocumentCatalog, Plan
from knowledge.index import KnowledgeBase

log = logging.getLogger(__name__)
TITLE_NOTE = re.compile(r"[（(][^）)]*[）)]$")  # "（2022—2025年）" after a title


class Attribution:
    """Attribution checks on a plan: own text first, then the place asked."""

    def __init__(self, kb: KnowledgeBase, catalog: DocumentCatalog) -> None:
        self.kb = kb
        self.catalog = catalog

    def run(self, plan: Plan, regions: list[str]) -> Plan:
        """The plan with retold passages cited from their own documents and claims of other places dropped;
        ``found`` is False when every claim was dropped."""
        if not plan.claims:
            return plan
        return self._in_place(self._own_text(plan), regions)

    def _own_text(self, plan: Plan) -> Plan:
        claims = []
        for claim in plan.claims:
            quotes = [self._from_own_document(q) for q in claim.quotes]
            claims.append(replace(claim, quotes=quotes) if quotes != claim.quotes else claim)
        return replace(plan, claims=claims)

    def _from_own_document(self, q: Quote) -> Quote:
        doc = self.catalog.get(q.source)
        title = TITLE_NOTE.sub("", q.title or "")
        if doc is None or not title or len(q.quote) < 8 or (doc.title or "").startswith(title):
            return q  # no policy named, or the passage is already the policy's own text
        for chunk in self.kb.containing(q.quote):  # the keyword index's postings, no scan of every document
            other = self.catalog.get(chunk.source)
            if chunk.source != q.source and other is not None and (other.title or "").startswith(title):
                return Quote(chunk.source, q.title, chunk.section_path, q.quote, tuple(chunk.span))
        return q

    def _places(self, q: Quote) -> list[str]:
        """The places a quote's policy is of: those its title names, else those its document is placed at
        ("创业担保贷款常见问题" on a 广州 site is 广州's)."""
        named = self.kb.gaz.names_in(q.title or "")
        if named:
            return named
        doc = self.catalog.get(q.source)
        return list(doc.regions) if doc is not None and len(doc.regions) == 1 else []

    def _in_place(self, plan: Plan, regions: list[str]) -> Plan:
        gaz = self.kb.gaz
        asked = [r for r in regions if gaz.level(r) not in ("国家", "")]
        if not asked or not plan.found:
            return plan
        kept = []
        for claim in plan.claims:
            places = [p for q in claim.quotes for p in self._places(q) if gaz.level(p) not in ("国家", "")]
            if places and not any(gaz.contains(p, r) or gaz.contains(r, p) for p in places for r in asked):
                log.info("dropped a claim under %s for a question about %s", places, asked)
                continue
            kept.append(claim)
        if len(kept) == len(plan.claims):
            return plan
        return replace(plan, claims=kept, found=bool(kept))
