"""The answer core: ``AnswerEngine.answer(question, session) -> Answer``.

Every front end calls this and renders the result. One pipeline, wired in ``bot.wiring``:

    analysis (``bot.analysis``: one frozen Analysis — places, answer type, topic, own figures)
    → refusals that need no search (greeting, off-topic, a place no document covers)
    → planners in order (``bot.planners``: fact table first where it fits, then clauses)
    → attribution (``bot.attribution``: a retold passage cited from its own policy, claims of other places dropped)
    → composition with verification (``bot.compose``: every number in a cited quote)
    → a calibrated refusal when no planner answers.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import tomllib
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.analysis import BOTH_VERSIONS, DOCUMENT_TYPES, Analysis, Analyzer, document_years
from bot.answer import Answer
from bot.attribution import Attribution
from bot.compose import Claim, Composer
from bot.coverage import Coverage, place_name
from bot.planners import Plan, Planner
from bot.planners.clauses import ENUMERATED
from bot.sessions import SessionStore
from bot.vocab import load_words
from knowledge.errors import KnowledgeError
from knowledge.index import KnowledgeBase

PARTS = re.compile(r"[，,；;]?\s*(?:和|与|跟|以及|还有|同)(?=[\u4e00-\u9fffA-Za-z0-9“])|[；;]")  # "A…，和B…"
FOLLOW_UPS = tomllib.loads((Path(__file__).parent / "data" / "follow_ups.toml").read_text(encoding="utf-8"))
BACK_TO_DOCUMENT = re.compile(FOLLOW_UPS["back_to_document"], re.I)  # "这个政策什么时候到期？"
SAME_AGAIN = re.compile(FOLLOW_UPS["same_again"], re.I)  # "那北京的条例呢？"
EACH = re.compile("|".join(map(re.escape, sorted(load_words(Path(__file__).parent / "data" / "compare_words.txt")))), re.I)
DOCUMENT_FACTS = DOCUMENT_TYPES - {"version"}  # facts a document states once ("文号和印发日期" asks two)
log = logging.getLogger(__name__)


class AnswerEngine:
    """Analyses a question, lets the planners answer it, composes a cited answer."""

    def __init__(
        self,
        kb: KnowledgeBase,
        analyzer: Analyzer,
        planners: list[Planner],
        composer: Composer,
        sessions: SessionStore,
        coverage: Coverage,
        *,
        max_question_chars: int = 500,
        rephraser: Any = None,
        catalog: Any = None,
        attribution: Attribution | None = None,
    ) -> None:
        if max_question_chars < 10:
            raise ValueError(f"max_question_chars must be at least 10, not {max_question_chars}")
        if not planners:
            raise ValueError("the engine needs at least one planner")
        self.kb = kb
        self.analyzer = analyzer
        self.planners = planners
        self.composer = composer
        self.sessions = sessions
        self.covered = coverage
        self.max_chars = max_question_chars
        self.rephraser = rephraser
        self.catalog = catalog  # the documents a question names by title (``DocumentCatalog``), for comparisons
        self.attribution = attribution  # verification: each claim under its own passage's policy and place
        self._lock = threading.RLock()

    # ---------- lifecycle
    def warm_up(self) -> None:
        self.kb.warm_up()
        self.kb.facts()
        self.covered.line()
        self.composer.warm_up()
        self.analyzer.warm_up()

    def reset(self, session: str) -> None:
        self.sessions.reset(session)

    def last_answer(self, session: str) -> Answer | None:
        last = self.sessions.get(session).get("last")
        return Answer.from_json(last) if last else None

    def coverage(self, lang: str = "zh-Hans") -> str:
        """The places and kinds of answers the knowledge base covers, in one line."""
        return self.covered.line(lang)

    # ---------- the core
    def answer(self, question: Any, session: str = "default") -> Answer:
        """Answer one question in a session; never raises on user input."""
        t0 = time.perf_counter()
        text, problem = self._validate(question)
        if problem is not None:
            lang = "en" if isinstance(question, str) and re.search(r"[A-Za-z]{3}", question[:200] or "") else "zh-Hans"
            log.error("bad input in session %s: %s", session, problem)
            return Answer(self.composer.render("bad_input", lang, reason=problem, limit=self.max_chars), False, intent="bad_input")
        state = self.sessions.get(session)
        try:
            with self._lock:
                self.kb.load(recheck=True)  # one look at CURRENT per question: an ingest by another process shows at once
                a = self.analyzer.run(text, state)
                if a.route.followup and self._names_another_document(a, state):
                    a = self.analyzer.run(text, {})  # a new subject, not more of the last one
                if state.get("source"):
                    a = replace(a, extra={**a.extra, "source": state["source"]})
                a = self._follow_document(a, state)
                plan = self._plan_message(text, a, state)
                if self.attribution is not None:
                    plan = self.attribution.run(plan, a.route.regions)
                    if not plan.found and not plan.claims and not plan.lead:  # every claim was of another place
                        plan = replace(plan, lead=self._refusal(a, "missing"))
        except KnowledgeError as exc:
            log.error("answer failed for %r: %s", text, exc)
            a = self.analyzer.run(text, {})
            plan = Plan([], found=False, lead=self._refusal(a, "topic"))
        except Exception:  # a defect must not reach the user as a traceback; it is logged whole
            log.exception("answer pipeline failed for %r", text)
            a = self.analyzer.run(text, {})
            plan = Plan([], found=False, lead=self._refusal(a, "missing"))
        slots = {**a.route.slots(), "answer_type": a.kind}
        answer = self.composer.compose(
            plan.claims,
            intent=plan.intent or a.route.intent,
            slots=slots,
            lang=a.lang,
            found=plan.found,
            lead=plan.lead,
            tail=plan.tail,
            facts=plan.facts,
        )
        if not answer.answer or (plan.claims and not answer.citations):
            answer = Answer(self._refusal(a, "missing"), False, intent=a.route.intent, slots=slots)
        if self.rephraser is not None and answer.found:
            answer = self.rephraser.rephrase(answer)
        self.sessions.put(session, self._state(a, plan, answer, state))
        log.info("answered %s in %.1f ms (type %s, found %s)", session, (time.perf_counter() - t0) * 1000, a.kind, answer.found)
        return answer

    def _validate(self, question: Any) -> tuple[str, str | None]:
        if not isinstance(question, str):
            return "", "unreadable"
        text = "".join(c for c in question if unicodedata.category(c)[0] != "C" or c in "\n\t").strip()
        if not text:
            return "", "empty"
        if len(text) > self.max_chars:
            return "", "long"
        if not re.search(r"[\w\u4e00-\u9fff]", text) or not re.search(r"[A-Za-z0-9\u3400-\u9fff]", text):
            return "", "unreadable"
        return text, None

    def _state(self, a: Analysis, plan: Plan, answer: Answer, old: dict[str, Any]) -> dict[str, Any]:
        route = a.route
        if route.intent == "greeting" or answer.intent == "bad_input":
            return old
        base = route.intent if route.intent != "compare" else old.get("base_intent", "target")
        return {
            "intent": route.intent,
            "base_intent": base if base != "compare" else "target",
            "regions": route.regions or old.get("regions", []),
            "year": route.year,
            "category": route.category,
            "metric": route.metric,
            "policy": plan.policy or old.get("policy", ""),
            "topic_text": a.topic_text if (a.topic or not old.get("topic_text")) else old["topic_text"],
            "answer_type": a.kind,
            "source": plan.source or (old.get("source", "") if not route.regions else ""),
            "last": answer.to_json(),
        }

    # ---------- planning
    def _names_another_document(self, a: Analysis, state: dict[str, Any]) -> bool:
        """A question taken for a follow-up whose own words are the name of another document's subject
        ("郑洛新" of 《郑洛新国家自主创新示范区条例》), found in no title of the previous answer's places."""
        if self.catalog is None or not state.get("regions"):
            return False
        words = [w for w in a.topic if len(w) >= 3]
        if not words:
            return False
        docs = self.catalog.all()
        before = {d.source for d in docs if set(d.regions) & set(state["regions"])} | {state.get("source", "")}
        titled = [d for d in docs if d.title and any(w in d.title for w in words)]
        return bool(titled) and all(d.source not in before for d in titled)

    def _follow_document(self, a: Analysis, state: dict[str, Any]) -> Analysis:
        """A follow-up about a document: the one just answered ("这个政策什么时候到期？"),
        or the one it names, with the last kind of answer ("那北京…条例呢？")."""
        if not state or self.catalog is None:
            return a
        q = a.route.question
        named = self.catalog.named_in(q)
        prev = self.analyzer.by_name.get(state.get("answer_type", ""))
        if named and a.kind == "overview" and prev is not None and prev.name != "overview" and SAME_AGAIN.search(q.strip()):
            return replace(a, answer_type=prev, extra={**a.extra, "only": named[0]})
        own_place = self.kb.gaz.names_in(q, question=True)
        if a.kind in DOCUMENT_TYPES and not named and not own_place and state.get("source") and BACK_TO_DOCUMENT.search(q):
            return replace(a, topic=(), topic_text="", carried=False, extra={**a.extra, "document": state["source"]})
        return a

    def _plan_message(self, text: str, a: Analysis, state: dict[str, Any]) -> Plan:
        """Compound questions ("最多能租几年？续租要提前多久？") get one plan per clause, joined."""
        clauses = self.analyzer.router.clauses(text)
        facts_asked = [t for t in self.analyzer.types if t.name in DOCUMENT_FACTS and t.ask.search(text)]
        if len(clauses) < 2 and len(facts_asked) >= 2 and a.kind in DOCUMENT_FACTS:
            # "文号和印发日期是啥": two facts of one document in one clause, each answered
            return self._joined([self._plan(replace(a, answer_type=t)) for t in facts_asked])
        if len(clauses) < 2 or a.route.intent in ("greeting", "out_of_scope", "compare") or a.kind == "tier":
            # "发票金额刚好25万，算哪一档，能领多少？": the tier of the asker's figures, one question, not two
            return self._plan(a)
        if EACH.search(text) and len(self._documents_named(a)) >= 2:
            # "A办法和B办法，哪个先出台？分别是什么日期？": one question of each document, not two questions
            return self._plan(a)
        if len(document_years(text)) >= 2 or BOTH_VERSIONS.search(text):
            # "2020年的规定是多少，2026年新通知又是多少", "新版什么时候施行，老版呢": one question, two versions
            return self._plan(a)
        plans = []
        earlier: list[str] = []  # the documents an earlier part named
        for clause in clauses:
            sub = self.analyzer.run(clause, {**state, "regions": a.route.regions or state.get("regions", [])})
            sub = replace(sub, extra={**sub.extra, "dense_text": text})  # one embedding a message: the whole question's
            named = self._documents_named(sub)
            if named:
                earlier = named
            elif len(earlier) == 1 and not sub.extra.get("document"):
                # "5号通知什么时候施行？有效期多长？": the second part asks of the document the first names
                sub = replace(sub, extra={**sub.extra, "document": earlier[0]})
            if not sub.route.regions and a.route.regions:
                sub = replace(sub, route=replace(sub.route, regions=a.route.regions))
            if not sub.topic and a.topic:
                sub = replace(sub, topic=a.topic, topic_text=a.topic_text, carried=True)
            plans.append(self._plan(sub))
        return self._joined(plans)

    @staticmethod
    def _joined(plans: list[Plan]) -> Plan:
        """The plans of a question's parts as one: the claims of those that answer, in order, once each."""
        answered = [p for p in plans if p.found and p.claims]
        if not answered:
            return plans[0]
        claims: list[Claim] = []
        for p in answered:
            for c in p.claims:
                if any(c.text in x.text for x in claims):
                    continue
                # "…自2024年3月4日起施行" is said again, and more, by "…自2024年3月4日起施行，有效期5年": the longer stays
                said = [i for i, x in enumerate(claims) if x.text in c.text]
                if said:
                    claims[said[0]] = c
                    claims = [x for i, x in enumerate(claims) if i not in said[1:]]
                else:
                    claims.append(c)
        tail = "；".join(dict.fromkeys(p.tail for p in answered if p.tail))  # "以上出自旧版…" is kept with its clause
        facts = [f for p in answered for f in (p.facts or [])]
        return Plan(claims[:6], tail=tail, facts=facts, policy=answered[0].policy, source=answered[0].source)

    def _plan(self, a: Analysis) -> Plan:
        route = a.route
        if route.intent == "greeting":
            return Plan([], found=False, lead=self.composer.render("greeting", a.lang))
        if route.intent == "out_of_scope" or not route.topical:
            return Plan([], found=False, lead=self._refusal(a, "topic"), intent="out_of_scope")
        unknown = self.covered.unknown_zones(route.question)
        if unknown:
            return Plan([], found=False, lead=self._refusal(a, "region", unknown[0]), intent="out_of_scope")
        search_region = route.region
        inherited: tuple[str, str] | None = None
        if search_region and search_region == self.kb.gaz.canonical("全国"):
            search_region = None  # the whole country ("全国"): every domestic passage, placed or not, speaks of it
        for region in route.regions:
            if not self.covered.covers(region):
                if self.covered.mentioned(region) and region == route.region:
                    search_region = None  # named in a text but no document is placed there: search them all
                    continue
                above = self.kb.placed_above(region) if a.kind != "target" else None
                if above:  # its province's own policy holds there (a province's target is not the city's): inherited
                    inherited = inherited or (region, above)
                    continue
                return Plan([], found=False, lead=self._refusal(a, "region", region), intent="out_of_scope")
        if (
            route.year
            and route.region
            and a.kind == "target"
            and self.kb.gaz.level(route.region) != "国家"
            and not self.covered.year_known(route.region, route.year)
        ):
            return Plan([], found=False, lead=self._refusal(a, "year", route.region), intent="out_of_scope")
        if route.intent == "compare" or EACH.search(route.question):
            subs = self._each(a, self._documents_named(a))
            if len(subs) >= 2:
                return self._compare(a, subs)
        if inherited:  # a province's passage answers for its city only when it says what is asked (a sum, a date…)
            a = replace(a, extra={**a.extra, "inherited": True})
        plan = self._run_planners(a, search_region)
        if plan is not None and plan.found and plan.claims and inherited and not plan.lead:
            gaz = self.kb.gaz
            here, above = (place_name(gaz, r, a.lang) for r in inherited)
            plan = replace(plan, lead=self.composer.render("inherited", a.lang, region=here, above=above))
        return plan or Plan([], found=False, lead=self._refusal(a, "missing"))

    def _run_planners(self, a: Analysis, region: str | None) -> Plan | None:
        for planner in self.planners:
            if planner.accepts(a):
                plan = planner.run(a, region)
                if plan is not None:
                    return plan
        return None

    def _documents_named(self, a: Analysis) -> list[str]:
        """The documents a question names by title, one per policy (two versions of one policy are not two)."""
        if self.catalog is None:
            return []
        out: list[str] = []
        for src in self.catalog.named_in(a.route.question):
            if not any(v.source in out for v in self.catalog.versions(src)):
                out.append(src)
        return out

    def _pieces(self, question: str) -> list[str]:
        """The parts of a question that asks about two things, each with the question's shared ending.

        "A的奖励，和B的开办经费，各是多少？" → ["A的奖励 各是多少？", "B的开办经费 各是多少？"]; empty when
        the question has one part.
        """
        parts = [p for p in PARTS.split(question) if p.strip()]
        if len(parts) < 2:
            return []
        last = re.split(r"[，,]", parts[-1])
        tail = last[-1] if len(last) > 1 else ""  # the shared question after the last comma ("…，分别是多少？")
        if tail:
            parts[-1] = "，".join(last[:-1])
        return [f"{p} {tail}".strip() for p in parts]

    def _sub(self, a: Analysis, text: str) -> Analysis:
        sub = self.analyzer.run(text, {"regions": a.route.regions})
        sub = replace(sub, extra={**sub.extra, "dense_text": a.route.question})  # one embedding a message
        return replace(sub, answer_type=a.answer_type) if sub.kind == "overview" else sub

    def _each(self, a: Analysis, documents: list[str]) -> list[tuple[Analysis, str | None]]:
        """The questions a comparison is answered by, one per document, place or part it names."""
        intent = a.route.intent if a.route.intent != "compare" else "overview"
        out: list[tuple[Analysis, str | None]] = []
        pieces = [self._sub(a, p) for p in self._pieces(a.route.question)]
        named = [self._documents_named(p) for p in pieces]
        if len(a.route.regions) >= 2:  # each place, from the document the question names there if it names one
            # each place with its own words when each part of the question names one place ("A的X和B的Y，哪个大")
            own = {r: [p for p in pieces if r in p.route.regions] for r in a.route.regions}
            # "新乡高新区和上海在支持企业上市这块，做法有啥区别": a part with only the shared ending's words has none
            shared = set.intersection(*(set(p.topic) for p in pieces)) if pieces else set()
            by_part = all(len(v) == 1 and len(v[0].route.regions) == 1 and set(v[0].topic) - shared for v in own.values())
            for r in a.route.regions[:4]:
                base = own[r][0] if by_part else a
                sub = replace(base, route=replace(base.route, regions=[r], intent=intent))
                here = [d for d in documents if self._placed_in(d, r)]
                out.append((replace(sub, extra={**sub.extra, "only": here[0]}) if len(here) == 1 else sub, r))
        elif len(documents) >= 2:
            mine = {d[0]: p for p, d in zip(pieces, named, strict=True) if len(d) == 1}  # each document its own words, when it has them
            for doc in documents[:4]:
                sub = mine.get(doc, a) if len(mine) == len(documents) else a
                out.append((replace(sub, route=replace(sub.route, intent=intent), extra={**sub.extra, "only": doc}), None))
        elif (
            len(pieces) >= 2
            and all(p.topic for p in pieces)
            and not (a.route.year and documents and self.catalog.versions(documents[0]))
            and len(document_years(a.route.question)) < 2
        ):
            # two things asked ("A的奖励，和B的开办经费，各是多少？"), not two versions of one policy ("2010版和2024版",
            # "2020年的规定是多少，2026年新通知又是多少")
            for p, d in zip(pieces[:4], named[:4], strict=True):
                sub = replace(p, route=replace(p.route, intent=intent if p.route.intent == "compare" else p.route.intent))
                if len(d) == 1:
                    sub = replace(sub, extra={**sub.extra, "only": d[0]})
                region = sub.route.region if sub.route.region and self.covered.covers(sub.route.region) else None
                out.append((sub, None if len(d) == 1 else region))
        return out

    def _placed_in(self, source: str, region: str) -> bool:
        doc = self.catalog.get(source) if self.catalog is not None else None
        gaz = self.kb.gaz
        return bool(doc) and any(r == region or gaz.contains(region, r) for r in doc.regions)

    def _compare(self, a: Analysis, subs: list[tuple[Analysis, str | None]]) -> Plan:
        """Each document, place or part of the question answered on its own, side by side."""
        claims: list[Claim] = []
        facts: list[dict[str, Any]] = []
        unsaid: list[str] = []
        for sub, region in subs:
            plan = self._run_planners(sub, region)
            if plan is None or not plan.found:
                # a side that does not say what is asked is named, not left out ("《A》没有写明有效期")
                doc = self.catalog.get(sub.extra.get("only", "")) if self.catalog is not None else None
                place = place_name(self.kb.gaz, region, sub.lang) if region else ""
                if doc is not None or place:
                    # what a document states once (a date, a period) is named; anything else is "this"
                    named = sub.kind in DOCUMENT_TYPES or sub.kind in ("date", "definition")
                    what = sub.answer_type.what[1 if sub.lang == "en" else 0] if named else ("this" if sub.lang == "en" else "这一内容")
                    title = doc.title if doc is not None else ""
                    unsaid.append(self.composer.render("not_stated", sub.lang, title=title, place=place, what=what, hint=False))
            if plan and plan.found and plan.claims:
                quoted = {q.quote for c in claims for q in c.quotes}  # a passage about several places is shown once
                # two claims a side; a list's opening ("…下列行为：") brings its items along
                first = plan.claims[0].quotes[0].quote.rstrip() if plan.claims[0].quotes else ""
                take = 1 + ENUMERATED if first.endswith(("：", ":")) else 2
                claims.extend(c for c in plan.claims[:take] if not {q.quote for q in c.quotes} <= quoted)
                facts.extend(plan.facts or [])
        if not claims:
            return Plan([], found=False, lead=self._refusal(a, "missing"))
        return Plan(claims, facts=facts, tail="".join(unsaid))

    def _refusal(self, a: Analysis, reason: str, region: str = "") -> str:
        profile = a.extra.get("profile", ())  # "没有提到租房补贴", not the asker's own "大专、毕业"
        words = sorted((t for t in a.topic if t not in profile), key=lambda t: a.topic_text.find(t) if t in a.topic_text else 99)
        words = [t for t in words if not any(t != o and t in o for o in words)]  # "人才公寓", not also "人才"
        # only whole words are named: not a fragment the tokenizer left ("社局" of 人社局, "那篇") nor a verb ("提到")
        tok = self.kb.tokenizer
        words = [t for t in words if a.route.lang == "en" or (tok.known(t) and tok.noun(t) is not False)]
        if reason == "missing":  # never "没有提到工伤" of a 工伤保险条例: only words no passage of the place holds
            place = region or a.route.region
            if self.catalog is not None:
                words = [t for t in words if not any(self.catalog.passage_about(c, place) for c in self.kb.containing(t))]
        words = words[:3]
        what = re.sub(r"[\d.]+", "", "、".join(words) or a.route.category or "")[:30]  # never echo a number nobody cited
        return self.composer.render(
            "out_of_scope",
            a.lang,
            reason=reason,
            region=place_name(self.kb.gaz, region or a.route.region, a.lang),
            year=a.route.year or "",
            what=what,
            coverage=self.covered.line(a.lang),
        )
