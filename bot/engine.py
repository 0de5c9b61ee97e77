"""The answer core: ``AnswerEngine.answer(question, session) -> Answer``.

Every front end calls this and renders the result. The plan per intent:
numeric, comparison and list questions read the fact table first; descriptive
ones read hybrid retrieval filtered by region; both end as claims resting on
verbatim quotes, composed by ``bot.compose``. A question about a region, year
or topic the documents do not cover gets ``found: false`` and a plain statement
of what is covered.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.answer import Answer
from bot.compose import Claim, Composer, Quote
from bot.figures import figure_text, percent
from bot.router import OFF_TOPIC, Route, Router
from bot.sessions import SessionStore
from knowledge.errors import KnowledgeError
from knowledge.index import KnowledgeBase, SearchHit
from knowledge.regions import Gazetteer

log = logging.getLogger(__name__)

KIND_RANK = {"policy": 0, "report": 1, "analysis": 1, "news": 2}
SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
CATEGORY_PATTERNS = {
    "房租补贴": ("房租", "租金"),
    "购房补贴": ("购房",),
    "产业基金": ("基金",),
    "信贷融资": ("信贷", "贷款", "融资"),
    "算力补贴": ("算力",),
    "场景开放": ("揭榜",),
    "活动补贴": ("峰会", "论坛", "大赛", "活动"),
}
NOT_A_KIND = set(
    "有 的 给 对 哪些 什么 有没有 没有 是否 能否 可以 能 多少 领取 申请 拿 能拿 一次性 一年 每年 最高 最多 相关 这种 那种 其他 专项".split()
)
SPECIFIC_CATEGORIES = {"房租补贴", "购房补贴", "产业基金", "信贷融资", "算力补贴", "场景开放", "活动补贴"}
GENERIC = set("元宇宙 政策 产业 发展 相关 地方 哪些 什么 多少 目标 方面 这个 那个 一下 支持 推动 加快 打造 建设".split())


def bigrams(text: str) -> set[str]:
    s = re.sub(r"[^\w%]", "", text.lower())
    return {s[i : i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


@dataclass
class Plan:
    """What one handler produced: claims, an optional lead and tail, and whether it answers."""

    claims: list[Claim]
    found: bool = True
    lead: str = ""
    tail: str = ""
    facts: list[dict[str, Any]] | None = None
    policy: str = ""
    intent: str = ""  # overrides the routed intent in the Answer (a refusal is "out_of_scope")


class AnswerEngine:
    """Routes a question, gathers facts and passages, composes a cited answer."""

    def __init__(
        self,
        kb: KnowledgeBase,
        router: Router,
        composer: Composer,
        sessions: SessionStore,
        *,
        max_question_chars: int = 500,
        rephraser: Any = None,
    ) -> None:
        if max_question_chars < 10:
            raise ValueError(f"max_question_chars must be at least 10, not {max_question_chars}")
        self.kb = kb
        self.gaz: Gazetteer = kb.gaz
        self.router = router
        self.composer = composer
        self.sessions = sessions
        self.max_chars = max_question_chars
        self.rephraser = rephraser
        self._lock = threading.RLock()
        self._covered: set[str] | None = None
        self._docs: dict[str, dict[str, Any]] = {}
        self._years: dict[str, set[int]] = {}

    # ---------- lifecycle
    def warm_up(self) -> None:
        self.kb.warm_up()
        self.kb.facts()
        self._coverage_sets()

    def reset(self, session: str) -> None:
        self.sessions.reset(session)

    def last_answer(self, session: str) -> Answer | None:
        last = self.sessions.get(session).get("last")
        return Answer.from_json(last) if last else None

    def coverage(self, lang: str = "zh-Hans") -> str:
        """The regions and kinds of facts the knowledge base covers, in one line."""
        self._coverage_sets()
        facts = self.kb.facts()
        cities: dict[str, list[str]] = {}
        for p in facts.policies():
            region = p.get("region")
            if not region or self.gaz.level(region) == "国家":
                continue
            top = self.gaz.lineage(region)[-1]
            cities.setdefault(top, [])
            if region != top and region not in cities[top]:
                cities[top].append(region)
        names = [
            f"{top}（含{'、'.join(cities[top][:3])}等）" if cities[top] else top for top in sorted(cities, key=lambda r: -len(cities[r]))
        ]
        if lang == "en":
            return (
                "metaverse policies of "
                + ", ".join(names[:30])
                + "; industry targets, subsidies and awards, funds, talent, scenarios, technologies, issuers and dates"
            )
        return "、".join(names[:12]) + "等地的元宇宙政策；可问产业规模目标、补贴与奖励、产业基金、人才、应用场景、关键技术、发布单位和日期"

    # ---------- the core
    def answer(self, question: Any, session: str = "default") -> Answer:
        """Answer one question in a session; never raises on user input."""
        t0 = time.perf_counter()
        text, problem = self._validate(question)
        state = self.sessions.get(session) if problem is None else {}
        if problem is not None:
            lang = "en" if isinstance(question, str) and re.search(r"[A-Za-z]{3}", question[:200] or "") else "zh-Hans"
            log.error("bad input in session %s: %s", session, problem)
            return Answer(self.composer.render("bad_input", lang, reason=problem, limit=self.max_chars), False, intent="bad_input")
        route = self.router.route(text, state)
        if not route.regions and not route.followup and route.intent not in ("greeting", "statistic", "list", "compare"):
            inferred = self._infer_region(route)
            if inferred:  # "云锦园租办公室怎么补？" names a park, not a place: read it as the park's district
                route = self.router.route(f"{inferred} {text}", state)
        try:
            with self._lock:
                plan = self._plan_message(text, route, state)
        except KnowledgeError as exc:
            log.error("answer failed for %r: %s", text, exc)
            plan = Plan([], found=False, lead=self._not_found(route, "topic"))
        slots = route.slots()
        answer = self.composer.compose(
            plan.claims,
            intent=plan.intent or route.intent,
            slots=slots,
            lang=route.lang,
            found=plan.found,
            lead=plan.lead,
            tail=plan.tail,
            facts=plan.facts,
        )
        if not answer.answer:
            answer = Answer(self._not_found(route, "missing"), False, intent=route.intent, slots=slots)
        if self.rephraser is not None and answer.found:
            answer = self.rephraser.rephrase(answer)
        self.sessions.put(session, self._state(route, plan, answer, state))
        log.info("answered %s in %.1f ms (intent %s, found %s)", session, (time.perf_counter() - t0) * 1000, route.intent, answer.found)
        return answer

    def _validate(self, question: Any) -> tuple[str, str | None]:
        if not isinstance(question, str):
            return "", "unreadable"
        text = "".join(c for c in question if unicodedata.category(c)[0] != "C" or c in "\n\t")
        text = text.strip()
        if not text:
            return "", "empty"
        if len(text) > self.max_chars:
            return "", "long"
        if not re.search(r"[\w\u4e00-\u9fff]", text) or not re.search(r"[A-Za-z0-9\u3400-\u9fff]", text):
            return "", "unreadable"
        return text, None

    def _state(self, route: Route, plan: Plan, answer: Answer, old: dict[str, Any]) -> dict[str, Any]:
        if route.intent in ("greeting",) or answer.intent == "bad_input":
            return old
        base = route.intent
        if route.intent == "compare":
            base = old.get("base_intent", "target")
        return {
            "intent": route.intent,
            "base_intent": base if base != "compare" else "target",
            "regions": route.regions or old.get("regions", []),
            "year": route.year,
            "category": route.category,
            "metric": route.metric,
            "policy": plan.policy or old.get("policy", ""),
            "last": answer.to_json(),
        }

    # ---------- planning
    def _plan_message(self, text: str, route: Route, state: dict[str, Any]) -> Plan:
        """One plan per clause of a compound question ("要建几个园区？集聚多少企业"), joined."""
        clauses = self.router.clauses(text)
        if len(clauses) < 2 or route.intent in ("greeting", "out_of_scope", "compare", "list"):
            return self._plan(route)
        plans = []
        for clause in clauses:
            sub = self.router.route(clause, {"intent": route.intent, "regions": route.regions, "year": route.year})
            if not sub.regions:
                sub.regions = route.regions
            if sub.year is None:
                sub.year = route.year
            plans.append(self._plan(sub))
        claims: list[Claim] = []
        for p in plans:
            claims.extend(c for c in p.claims if all(c.text != x.text for x in claims))
        found = any(p.found and p.claims for p in plans)
        if not found:
            return plans[0]
        return Plan(claims[:6], found=True, facts=[f for p in plans for f in (p.facts or [])], policy=plans[0].policy)

    def _plan(self, route: Route) -> Plan:
        if route.intent == "greeting":
            return Plan([], found=False, lead=self.composer.render("greeting", route.lang))
        if route.intent == "out_of_scope" or not route.topical:
            return Plan([], found=False, lead=self._not_found(route, "topic"), intent="out_of_scope")
        for region in route.regions:
            if not self._is_covered(region):
                lead = self._not_found(route, "region", region=self._place(region, route.lang))
                return Plan([], found=False, lead=lead, intent="out_of_scope")
        if (
            route.year
            and route.region
            and route.intent not in ("policy_info", "list", "statistic")
            and self.gaz.level(route.region) != "国家"
            and not self._year_known(route.region, route.year)
        ):
            return Plan(
                [], found=False, lead=self._not_found(route, "year", region=self._place(route.region, route.lang)), intent="out_of_scope"
            )
        handler = getattr(self, f"_plan_{route.intent}", self._plan_overview)
        return handler(route)

    def _plan_target(self, route: Route) -> Plan:
        facts = self.kb.facts()
        rows = facts.targets(region=route.region, year=route.year) if route.region else []
        rows = [r for r in rows if r.get("evidence")]
        quantity = route.intent == "compare" or re.search(
            r"多少|几|规模|how many|how much|size|scale|target|goal|aim|bigger|higher", route.question, re.I
        )
        if not quantity and not route.followup:
            exact = [r for r in rows if r.get("region") == route.region]
            if not exact:
                return self._plan_extract(route, numbers=True, sentences=2)
            exact.sort(
                key=lambda r: (0 if "规模" in (r.get("metric") or "") else 1 if r.get("unit") == "家" else 2, -(r.get("value") or 0))
            )
            return Plan([self._target_claim(r, route) for r in exact[:4]], facts=exact[:4], policy=exact[0].get("policy", ""))
        scored = self._rank(rows, route, ("metric",))
        exact = [(s, r) for s, r in scored if r.get("region") == route.region and s > 3]
        scored = exact or scored
        if not scored or scored[0][0] < 2:
            return self._plan_extract(route, numbers=True)
        best = self._pick(scored, several=not route.metric or len(route.metric) <= 2)
        claims = [self._target_claim(r, route) for r in best]
        return Plan(claims, facts=best, policy=best[0].get("policy", ""))

    def _plan_measure(self, route: Route) -> Plan:
        facts = self.kb.facts()
        if not route.region:
            return self._plan_extract(route, numbers=True)
        missing = self._unmentioned(route)
        if missing:
            return Plan([], found=False, lead=self._not_found(route.__class__(**{**route.__dict__, "metric": missing}), "missing"))
        rows = [r for r in facts.measures(region=route.region) if r.get("evidence")]
        if route.category in SPECIFIC_CATEGORIES:
            rows = [r for r in rows if r.get("category") == route.category]
        scored = self._rank(rows, route, ("metric", "category", "beneficiary"))
        if route.category:
            scored = sorted(((s + (3 if r.get("category") == route.category else 0), r) for s, r in scored), key=lambda x: -x[0])
        if scored and not any(figure_text(r) for _, r in scored[:3]):
            # measures without an amount (设立产业基金, 信贷支持): quote the best ones and the best passage
            qb = bigrams(route.metric or route.question)
            useful = [(s + len(qb & bigrams(r["evidence"][0]["quote"])), r) for s, r in scored if len(r["evidence"][0]["quote"]) >= 15]
            useful.sort(key=lambda x: -x[0])
            claims = [self._measure_claim(r, route) for _, r in useful[:2]]
            extract = self._plan_extract(route, numbers=False, sentences=2)
            seen = {q.quote for c in claims for q in c.quotes}
            claims += [c for c in extract.claims if not any(q.quote in x or x in q.quote for q in c.quotes for x in seen)][:1]
            if claims and (useful or self._overlap(route, extract) >= 2):
                return Plan(claims, facts=[r for _, r in useful[:2]], policy=(useful[0][1] if useful else {}).get("policy", ""))
        if not scored or not any(figure_text(r) for _, r in scored[:3]):
            require = list(CATEGORY_PATTERNS.get(route.category or "", ())) or None
            plan = self._plan_extract(route, numbers=True, sentences=2, require=require)
            words = CATEGORY_PATTERNS.get(route.category or "", ()) or (("人才",) if route.category == "人才" else ())
            named = any(w in q.quote for c in plan.claims for q in c.quotes for w in words)
            strong = plan.claims and (require or named or self._overlap(route, plan) >= 2)
            if strong:
                return plan
            parent = self.gaz.parent(route.region)
            if parent and self.gaz.level(route.region) == "区县":
                return self._city_fallback(route, parent)
            return Plan([], found=False, lead=self._not_found(route, "missing"))
        with_figure = [(s + 2, r) for s, r in scored if figure_text(r)] + [(s, r) for s, r in scored if not figure_text(r)]
        with_figure.sort(key=lambda x: -x[0])
        top = with_figure[0][0]
        best = [r for s, r in with_figure if s >= top * (0.85 if top >= 10 else 0.6)][:3]
        claims = [self._measure_claim(r, route) for r in best]
        qb = bigrams(route.metric or route.question)
        covered = max(len(qb & bigrams(r["evidence"][0]["quote"])) for r in best)
        extract = self._plan_extract(route, numbers=True, sentences=1)
        seen = {r["evidence"][0]["quote"] for r in best}
        if (
            extract.claims
            and self._overlap(route, extract) > covered
            and not any(q.quote in x for q in extract.claims[0].quotes for x in seen)
        ):
            claims.append(extract.claims[0])
        return Plan(claims, facts=best, policy=best[0].get("policy", ""))

    def _city_fallback(self, route: Route, city: str) -> Plan:
        what = route.category or route.metric or "相关支持措施"
        plan = self._plan_extract(route.__class__(**{**route.__dict__, "regions": [city]}), numbers=True)
        lead = self.composer.render(
            "fallback_city", route.lang, district=self._place(route.region, route.lang), city=self._place(city, route.lang), what=what
        )
        return Plan(plan.claims, found=False, lead=lead, facts=plan.facts)

    def _plan_policy_info(self, route: Route) -> Plan:
        facts = self.kb.facts()
        rows = [p for p in facts.policies(region=route.region) if p.get("evidence")] if route.region else []
        if route.policy:
            named = [p for p in rows if p.get("title") == route.policy]
            rows = named or rows
        scored = []
        qb = bigrams(route.metric or route.question)
        for p in rows:
            content = " ".join(e["quote"] for e in p.get("evidence", [])[:2])
            s = len(qb & bigrams(p.get("title", ""))) + 0.5 * len(qb & bigrams(content)) + (3 if p.get("date") else 0)
            s += 2 if not p["title"].endswith("发布的政策") else 0
            if p.get("region") == route.region:
                s += 2
            scored.append((s, p))
        scored.sort(key=lambda x: -x[0])
        asked = (
            r"谁|哪个|哪天|哪年|什么时候|时候|什么|几月|哪|发布|印发|颁布|出台|时间|日期|部门|单位|政策|出的|发的|是|的|了|呢|吗|它|这个|该"
        )
        extra = [w for w in re.split(asked, route.metric) if len(w) >= 2 and w not in GENERIC]
        specific = any(not any(w in p.get("title", "") for _, p in scored[:1]) for w in extra) and bool(extra)
        if not scored or specific:
            return self._plan_extract(route, numbers=False, date=True)
        p = scored[0][1]
        meta = self._meta_lines(p)
        if meta:
            return Plan(meta, facts=[p], policy=p["title"])
        ev = self._evidence_quote(p, prefer=r"\d{4}年\s*\d{1,2}月\s*\d{1,2}日")
        quote = ev.quote
        if "主要内容：" in quote:  # an appendix record: issuer and date are what is asked
            quote = quote[: quote.index("主要内容：")].rstrip("；;")
            ev = Quote(ev.source, ev.title, ev.section, quote, ev.span)
        if not re.search(r"\d{4}年", quote) and p.get("date"):
            # the row's evidence does not carry the date: find the sentence that announces this title
            named = self._plan_extract(route, numbers=False, date=True, require=[re.escape(p["title"][:14])], query=f"{p['title']} 发布")
            if named.claims:
                named.policy = p["title"]
                return named
            return self._plan_extract(route, numbers=False, date=True)
        claim = Claim(self.composer.render("quote", route.lang, lead="" if route.lang != "en" else "Issued", quote=quote), [ev])
        return Plan([claim], facts=[p], policy=p["title"])

    def _meta_lines(self, policy: dict[str, Any]) -> list[Claim]:
        """A policy text's own issuer and date lines ("发布单位：…", "发布日期：…"), quoted."""
        sources = {e["source"] for e in policy.get("evidence") or []}
        claims: list[Claim] = []
        for c in self.kb.chunks:
            if c.source not in sources or self._doc(c.source).get("kind") != "policy":
                continue
            for line in c.text.split("\n"):
                if re.match(r"^(?:发布|印发|发文|颁布|成文|施行)(?:单位|日期|时间|机关)[：:]\S", line.strip()):
                    quote = Quote(c.source, self._short_policy(policy["title"]) or c.source, c.section_path, line.strip(), c.span)
                    claims.append(Claim(self.composer.render("quote", "zh-Hans", lead="", quote=line.strip()), [quote]))
        return claims[:3]

    def _plan_statistic(self, route: Route) -> Plan:
        return self._plan_extract(route, numbers=True)

    def _plan_scenario(self, route: Route) -> Plan:
        return self._from_fact_quotes(route, self.kb.facts().scenarios(region=route.region), ("places", "domain"))

    def _plan_technology(self, route: Route) -> Plan:
        return self._from_fact_quotes(route, self.kb.facts().technologies(region=route.region), ("technology",))

    def _from_fact_quotes(self, route: Route, rows: list[dict[str, Any]], fields: tuple[str, ...]) -> Plan:
        """Quote the passages that name the most listed items (technologies, scenario places) and fit the question."""
        if route.region:
            exact = [r for r in rows if r.get("region") == route.region]
            rows = exact or rows
        by_quote: dict[tuple[str, str], dict[str, Any]] = {}
        for r in rows:
            for e in r.get("evidence") or []:
                entry = by_quote.setdefault((e["source"], e["quote"]), {"e": e, "items": set(), "row": r})
                for f in fields:
                    v = r.get(f)
                    entry["items"].update(v if isinstance(v, list) else [v] if v else [])
        if not by_quote:
            return self._plan_extract(route, numbers=False, sentences=2)
        qb = bigrams(route.metric or route.question)
        here = set(self.gaz.expand(route.region)) if route.region else set()

        def score(x: dict[str, Any]) -> float:
            others = [r for r in self.gaz.names_in(x["e"]["quote"]) if here and r not in here and self.gaz.level(r) != "国家"]
            items = " ".join(map(str, x["items"]))
            overlap = len(qb & bigrams(x["e"]["quote"])) + len(qb & bigrams(x["e"].get("section") or "")) + 2 * len(qb & bigrams(items))
            return 0.5 * min(len(x["items"]), 8) + 3 * overlap - 2 * len(others)

        ranked = sorted(by_quote.values(), key=lambda x: -score(x))
        claims = []
        for entry in ranked[:2]:
            e = entry["e"]
            quote = Quote(
                e["source"],
                self._short_policy(entry["row"].get("policy", "")) or self._doc(e["source"]).get("title", ""),
                e.get("section") or "",
                e["quote"],
                tuple(e.get("span") or (0, 0)),
            )
            lead = self._place(entry["row"].get("region"), route.lang)
            claims.append(Claim(self.composer.render("quote", route.lang, lead=lead, quote=e["quote"]), [quote]))
        if "places" in fields:
            extract = self._plan_extract(route, numbers=False, sentences=1)
            if extract.claims and self._overlap(route, extract) > max(len(qb & bigrams(c.quotes[0].quote)) for c in claims):
                claims = extract.claims + claims[:1]
        return Plan(claims, policy=ranked[0]["row"].get("policy", ""))

    def _plan_overview(self, route: Route) -> Plan:
        claims: list[Claim] = []
        facts_out: list[dict[str, Any]] = []
        policy = ""
        if route.region:
            info = self._plan_policy_info(route)
            if info.found and info.claims:
                claims.extend(info.claims)
                policy = info.policy
                facts_out.extend(info.facts or [])
            rows = [r for r in self.kb.facts().targets(region=route.region) if r.get("evidence") and r.get("region") == route.region]
            if policy:
                rows = [r for r in rows if r.get("policy") == policy] or rows
            rows.sort(
                key=lambda r: (
                    0 if "规模" in (r.get("metric") or "") else 1,
                    -(r.get("value") or 0) if r.get("unit") in ("家", "个", "项") else 0,
                )
            )
            for r in rows[:3]:
                claims.append(self._target_claim(r, route))
                facts_out.append(r)
            money = [m for m in self.kb.facts().measures(region=route.region) if m.get("evidence") and m.get("region") == route.region]
            money = [m for m in money if figure_text(m) and (not policy or m.get("policy") == policy)]
            money.sort(key=lambda m: -(m.get("amount") or 0))
            for m in money[: 2 if len(rows) < 2 else 1]:
                claims.append(self._measure_claim(m, route))
                facts_out.append(m)
        extract = self._plan_extract(route, numbers=False, sentences=3)
        seen = {q.quote for c in claims for q in c.quotes}
        fresh = [c for c in extract.claims if not any(q.quote in x for q in c.quotes for x in seen)]
        claims.extend(fresh[: 1 if claims else 2])
        if not claims:
            return Plan([], found=False, lead=self._not_found(route, "missing"))
        return Plan(claims[:5], facts=facts_out, policy=policy or extract.policy)

    def _plan_compare(self, route: Route) -> Plan:
        regions = route.regions
        if len(regions) < 2:
            sides = re.split(r"和|与|跟|还是|以及|、|vs|and|or", route.question, flags=re.I)
            terms = [m.group(0) for x in sides if (m := re.match(r"[\u4e00-\u9fff]{2,4}?(?=的|元宇宙|政策|发布|$)", x.strip()))]
            claims: list[Claim] = []
            for term in terms[:3]:
                part = self._plan_extract(route, numbers=True, sentences=1, require=[re.escape(term)])
                claims.extend(c for c in part.claims if all(c.text != x.text for x in claims))
            if len(claims) >= 2:
                return Plan(claims)
            return self._plan_extract(route, numbers=True, sentences=3)
        claims: list[Claim] = []
        facts_out: list[dict[str, Any]] = []
        date_q = bool(re.search(r"先|早|晚|日期|时间|发布", route.question))
        money_q = bool(re.search(r"钱|补贴|资助|奖励|资金|万元|subsid|money|grant", route.question, re.I)) or bool(route.category)
        for region in regions[:4]:
            sub = Route(**{**route.__dict__, "regions": [region]})
            if date_q:
                plan = self._plan_policy_info(Route(**{**sub.__dict__, "intent": "policy_info"}))
            elif money_q:
                plan = self._plan_measure(Route(**{**sub.__dict__, "intent": "measure"}))
                plan.claims = plan.claims[:1]
            else:
                plan = self._plan_target(sub)
                plan.claims = plan.claims[:2]
            if plan.found and plan.claims:
                claims.extend(plan.claims)
                facts_out.extend(plan.facts or [])
        if not claims:
            return Plan([], found=False, lead=self._not_found(route, "missing"))
        return Plan(claims, facts=facts_out)

    def _plan_list(self, route: Route) -> Plan:
        facts = self.kb.facts()
        q = route.question
        items: list[tuple[str, Claim, dict[str, Any] | None]] = []
        if route.region and re.search(r"哪些区|哪几个区|哪些县|districts", q):
            for p in facts.policies(region=route.region):
                if p.get("region") != route.region and p.get("evidence"):
                    items.append((p["region"], self._item_claim(p["region"], self._evidence_quote(p), route), p))
        elif route.year and re.search(r"规模|目标|target", q):
            for r in facts.targets(year=route.year):
                if "规模" in (r.get("metric") or "") and r.get("evidence"):
                    items.append((r["region"], Claim(self._target_line(r, route), [self._evidence_quote(r)]), r))
        elif re.search(r"季度|月份|\d月", q) and route.year:
            quarter = re.search(r"([一二三四1-4])季度", q)
            months = range(1, 13)
            if quarter:
                k = "一二三四".find(quarter.group(1)) + 1 or int(quarter.group(1))
                months = range(3 * k - 2, 3 * k + 1)
            for p in facts.policies():
                d = p.get("date") or ""
                if d.startswith(str(route.year)) and len(d) >= 7 and int(d[5:7]) in months and p.get("evidence"):
                    items.append((p["region"], self._item_claim(p["region"], self._evidence_quote(p), route), p))
        elif "征求意见稿" in q or "草案" in q:
            for p in facts.policies(status="征求意见稿"):
                if p.get("evidence"):
                    items.append((p["region"], self._item_claim(p["region"], self._evidence_quote(p), route), p))
        if not items:
            items = self._term_scan(route)
        seen: set[str] = set()
        claims: list[Claim] = []
        facts_out: list[dict[str, Any]] = []
        for region, claim, row in items:
            if not region or region in seen:
                continue
            seen.add(region)
            claims.append(claim)
            if row:
                facts_out.append(row)
        if not claims:
            return Plan([], found=False, lead=self._not_found(route, "missing"))
        return Plan(claims[:12], facts=facts_out)

    def _term_scan(self, route: Route) -> list[tuple[str, Claim, dict[str, Any] | None]]:
        """Regions whose passages contain the question's key term (产业基金, 揭榜挂帅, 脑机接口 …)."""
        terms = self._key_terms(route)
        if not terms:
            return []
        # the rarest term decides ("人才购房补贴": 购房补贴, not 人才)
        df = {t: sum(1 for c in self.kb.chunks if t in c.text) for t in terms}
        others = [t for t in terms if df[t]]
        terms = [t for t in sorted(terms, key=lambda t: df[t]) if df[t]][:1]
        # a four-character compound also matches with a word inside: 产业基金 ~ 产业投资基金
        patterns = [re.compile(re.escape(t[:2]) + "[^。；]{0,16}" + re.escape(t[2:]) if len(t) == 4 else re.escape(t)) for t in terms]
        out: list[tuple[float, str, Claim]] = []
        for c in self.kb.chunks:
            for sent in SENTENCE.findall(c.text):
                if not any(p.search(sent) for p in patterns):
                    continue
                named = [r for r in self.gaz.most_specific(self.gaz.names_in(sent)) if r in c.regions or len(c.regions) == 1]
                regions = named or (c.regions if len(c.regions) == 1 else [])
                for region in regions:
                    if self.gaz.level(region) == "国家":
                        continue
                    title = self._short_policy(c.policy) or self.kb.title_of(c.source)
                    quote = Quote(c.source, title, c.section_path, self._trim(sent.strip(), terms, limit=100), c.span)
                    score = sum(1 for t in others if t in sent) + sum(
                        0.5 for t in others if len(t) >= 4 and t[:2] in sent and t[2:] in sent
                    )
                    out.append((score, region, self._item_claim(region, quote, route)))
                if regions:
                    break
        out.sort(key=lambda x: -x[0])  # sentences holding more of the question's words first
        return [(region, claim, None) for _, region, claim in out]

    def _key_terms(self, route: Route) -> list[str]:
        tokens = self.kb.tokenizer.tokens(route.question)
        terms = [t for t in tokens if len(t) >= 2 and t not in GENERIC and not self.gaz.canonical(t) and not re.fullmatch(r"[\d年]+", t)]
        stop = r"哪些|哪些地方|哪里|哪个|地方|城市|地区|设立|提供|出台|用|搞|重点|方式|作为|关键技术|企业|项目|给|宇宙|发布|政策|对"
        # keep the longest terms (drop a term contained in a longer one), then drop question words
        terms = [t for t in terms if not any(t != o and t in o for o in terms)]
        terms = [t for t in terms if not re.fullmatch(stop, t)]
        synonyms = {"信贷": ["信贷"], "房租": ["房租"], "购房": ["购房"], "基金": ["产业基金", "投资基金"]}
        out: list[str] = []
        for t in sorted(set(terms), key=len, reverse=True):
            out.extend(synonyms.get(t, [t]))
        return [t for t in dict.fromkeys(out) if len(t) >= 2][:4]

    # ---------- extraction from passages
    def _plan_extract(
        self,
        route: Route,
        *,
        numbers: bool,
        sentences: int = 1,
        date: bool = False,
        require: list[str] | None = None,
        query: str | None = None,
    ) -> Plan:
        if query is None:
            query = route.question
            if route.followup and route.metric:
                query = f"{route.metric} {' '.join(route.regions)}"
        hits = self.kb.search(query, region=route.region if route.region and route.region != "中国" else None, k=8)
        if not hits and route.region:
            hits = self.kb.search(query, k=8)
        picks = self._best_sentences(route, hits, numbers=numbers, date=date, n=sentences, require=require)
        if not picks:
            return Plan([], found=False, lead=self._not_found(route, "missing"))
        claims = []
        policy = ""
        for hit, sent in picks:
            c = hit.chunk
            lead = self._lead_for(hit, route)
            title = self._short_policy(c.policy) or hit.title
            quote = Quote(c.source, title, c.section_path, sent, c.span)
            claims.append(Claim(self.composer.render("quote", route.lang, lead=lead, quote=sent), [quote]))
            policy = policy or c.policy
        return Plan(claims, policy=policy)

    def _best_sentences(
        self, route: Route, hits: list[SearchHit], *, numbers: bool, date: bool, n: int, require: list[str] | None = None
    ) -> list[tuple[SearchHit, str]]:
        """The passages' sentences that best answer the question (verbatim, trimmed to clauses)."""
        m = re.search(r"(?:多少|几)\s*(亿元|万元|家|个|项|名|人|条|所|类)", route.question)
        unit = m.group(1) if m else ""
        terms = self.kb.expander.terms(route.question)
        qb = bigrams(route.metric or route.question) | bigrams(" ".join(t for t in terms if not self.gaz.canonical(t)))
        region_names = [self.gaz.canonical(r) or r for r in route.regions]
        scored: list[tuple[float, int, SearchHit, str]] = []
        for rank, hit in enumerate(hits):
            for sent in SENTENCE.findall(hit.chunk.text):
                sent = sent.strip()
                if len(sent) < 6:
                    continue
                sb = bigrams(sent)
                s = len(qb & sb) / (1 + 0.1 * len(qb)) + 1.0 * hit.score - 0.2 * rank
                if numbers and re.search(r"\d", sent):
                    s += 1.0
                    if unit and re.search(rf"[\d一二三四五六七八九十百千]+\s*(?:多)?{unit}", sent):
                        s += 1.5
                if date and re.search(r"\d{1,2}月", sent):
                    s += 1.0
                if require and not any(re.search(r, sent) for r in require):
                    continue
                if region_names and any(r[:2] in sent for r in region_names):
                    s += 0.5
                scored.append((s, rank, hit, sent))
        scored.sort(key=lambda x: -x[0])
        out: list[tuple[SearchHit, str]] = []
        for _s, _r, hit, sent in scored:
            trimmed = self._trim(sent, list(qb))
            if any(trimmed == t for _, t in out):
                continue
            out.append((hit, trimmed))
            if len(out) >= n:
                break
        return out

    @staticmethod
    def _trim(sentence: str, terms: list[str], limit: int = 140) -> str:
        """A long sentence cut to the clauses around the best-matching clause (still verbatim)."""
        if len(sentence) <= limit:
            return sentence
        clauses = re.split(r"(?<=[，、：；])", sentence)
        best = max(range(len(clauses)), key=lambda i: sum(1 for t in terms if t in clauses[i]))
        a = b = best
        while True:
            grown = False
            if a > 0 and len("".join(clauses[a - 1 : b + 1])) <= limit:
                a -= 1
                grown = True
            if b < len(clauses) - 1 and len("".join(clauses[a : b + 2])) <= limit:
                b += 1
                grown = True
            if not grown:
                break
        return "".join(clauses[a : b + 1]).strip("，、：；")

    def _lead_for(self, hit: SearchHit, route: Route) -> str:
        c = hit.chunk
        if c.policy and not c.policy.endswith("发布的政策") and not re.search(r"\d", c.policy):
            return f"《{c.policy}》" if route.lang != "en" else f"《{c.policy}》 says"
        regions = [self._place(r, route.lang) for r in c.regions[:2] if self.gaz.level(r) != "国家"]
        if route.lang == "en":
            return ", ".join(regions) if regions else "The documents say"
        return f"据{'、'.join(regions)}的文件" if regions else ""

    # ---------- claims from fact rows
    def _target_claim(self, r: dict[str, Any], route: Route) -> Claim:
        return Claim(self._target_line(r, route), [self._evidence_quote(r)])

    def _target_line(self, r: dict[str, Any], route: Route) -> str:
        quote = self._evidence_quote(r).quote
        year = r.get("year")
        if route.lang == "en":
            year_text = f"By {year}, " if year and str(year) in quote else ""
        else:
            year_text = f"到{year}年，" if year and str(year) in quote else ""
        return self.composer.render(
            "target",
            route.lang,
            year_text=year_text,
            place=self._place(r.get("region"), route.lang),
            metric=r.get("metric", ""),
            figure=figure_text(r, self._written(r, quote)),
        )

    def _measure_claim(self, r: dict[str, Any], route: Route) -> Claim:
        ev = self._evidence_quote(r)
        if not figure_text(r):
            lead = self._place(r.get("region"), route.lang) + (
                f"（{r.get('category')}）" if route.lang != "en" else f" ({r.get('category')})"
            )
            return Claim(self.composer.render("quote", route.lang, lead=lead, quote=ev.quote), [ev])
        return Claim(
            self.composer.render(
                "measure",
                route.lang,
                place=self._place(r.get("region"), route.lang),
                beneficiary=r.get("beneficiary", ""),
                condition=(r.get("condition") or "")[:40],
                ratio=percent(r.get("ratio")),
                figure=figure_text(r, self._written(r, ev.quote)),
                metric=r.get("metric", ""),
            ),
            [ev],
        )

    def _item_claim(self, region: str, quote: Quote, route: Route) -> Claim:
        return Claim(
            self.composer.render("list_item", route.lang, place=self._place(region, route.lang), detail=f"“{quote.quote}”"), [quote]
        )

    @staticmethod
    def _written(row: dict[str, Any], quote: str) -> str:
        """How the cited quote writes the row's figure."""
        for e in row.get("evidence") or []:
            if e.get("quote") == quote and e.get("written"):
                return e["written"]
        return ""

    def _evidence_quote(self, row: dict[str, Any], prefer: str = "") -> Quote:
        """The best evidence of a fact row: an original policy text first, or one matching ``prefer``."""

        def rank(e: dict[str, Any]) -> tuple[int, int]:
            return (0 if prefer and re.search(prefer, e["quote"]) else 1, KIND_RANK.get(self._doc(e["source"]).get("kind", ""), 3))

        e = sorted(row.get("evidence") or [], key=rank)[0]
        policy = row.get("policy") or (row.get("title") if "issuer" in row else "") or ""
        title = self._short_policy(policy) or self._doc(e["source"]).get("title", e["source"])
        return Quote(e["source"], title, e.get("section") or "", e["quote"], tuple(e.get("span") or (0, 0)))

    def _unmentioned(self, route: Route) -> str:
        """The specific kind of support asked about ("装修补贴", "上市奖励") when no passage of the region mentions it."""
        inside = set(self.gaz.expand(route.region)) if route.region else set()
        texts = [c.text for c in self.kb.chunks if inside & set(c.regions)]
        if not texts:
            return ""
        self.kb.tokenizer.warm_up()
        words = [w for w in self.kb.tokenizer._jieba.lcut(route.question) if w.strip()]
        support = ("补贴", "奖励", "补助", "资助", "贴息")
        for i, w in enumerate(words):
            if not w.endswith(support):
                continue
            kind = w[:-2] if len(w) > 2 else (words[i - 1] if i else "")
            if (
                kind in NOT_A_KIND
                or len(kind) < 2
                or kind in GENERIC
                or self.gaz.canonical(kind)
                or not re.fullmatch(r"[\u4e00-\u9fff]+", kind)
            ):
                continue
            if not any(kind in t for t in texts):
                return kind + w[-2:]
        return ""

    def _overlap(self, route: Route, plan: Plan) -> int:
        qb = bigrams(route.metric or route.question)
        return max((len(qb & bigrams(q.quote)) for c in plan.claims for q in c.quotes), default=0)

    # ---------- ranking helpers
    def _rank(self, rows: list[dict[str, Any]], route: Route, fields: tuple[str, ...]) -> list[tuple[float, dict[str, Any]]]:
        qb = bigrams(route.metric) if route.metric else set()
        terms = self.kb.expander.terms(route.question)
        qb |= bigrams(" ".join(t for t in terms if not self.gaz.canonical(t)))
        out = []
        for r in rows:
            text = " ".join(str(r.get(f) or "") for f in fields)
            s = 2.0 * len(qb & bigrams(text)) + 0.5 * len(qb & bigrams(r["evidence"][0]["quote"]))
            if route.region and r.get("region") == route.region:
                s += 2
            if route.year and r.get("year") == route.year:
                s += 1
            out.append((s, r))
        out.sort(key=lambda x: -x[0])
        return out

    @staticmethod
    def _pick(scored: list[tuple[float, dict[str, Any]]], *, several: bool, limit: int = 3) -> list[dict[str, Any]]:
        top = scored[0][0]
        if not several:
            same = [r for s, r in scored if s >= top - 0.01]
            return same[:2]
        return [r for s, r in scored if s >= top * 0.6][:limit]

    def _infer_region(self, route: Route) -> str | None:
        """A question without a place but with a word only one document uses ("云锦") is about that document's place."""
        if route.intent == "out_of_scope" and re.search("|".join(map(re.escape, OFF_TOPIC)), route.question, re.I):
            return None
        words = [t for t in self.kb.tokenizer.tokens(route.question) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", t) and t not in GENERIC]
        best: tuple[int, str] | None = None
        for t in words:
            holders = [c for c in self.kb.chunks if t in c.text or t in c.policy or t in c.section_path]
            sources = {c.source for c in holders}
            if len(sources) != 1:
                continue
            doc_regions = json.loads(self._doc(next(iter(sources))).get("regions") or "[]")
            if len(doc_regions) > 2:  # a report or roundup about many places tells nothing by one word
                continue
            regions = [r for c in holders for r in c.regions]
            if not regions:
                continue
            top = max(set(regions), key=regions.count)
            if best is None or len(holders) > best[0]:
                best = (len(holders), top)
        return best[1] if best else None

    # ---------- coverage
    def _coverage_sets(self) -> None:
        if self._covered is not None:
            return
        covered: set[str] = set()
        years: dict[str, set[int]] = {}
        for c in self.kb.chunks:
            found = {int(y) for y in re.findall(r"(20\d{2})年", c.text)}
            for r in c.regions:
                for name in self.gaz.lineage(r):
                    covered.add(name)
                    years.setdefault(name, set()).update(found)
        for d in self.kb.documents():
            self._docs[d["source"]] = d
        self._covered, self._years = covered, years

    def _is_covered(self, region: str) -> bool:
        self._coverage_sets()
        return region in (self._covered or set())

    def _year_known(self, region: str, year: int) -> bool:
        self._coverage_sets()
        if year in self._years.get(region, set()):
            return True
        return any(r.get("year") == year for r in self.kb.facts().targets(region=region))

    def _doc(self, source: str) -> dict[str, Any]:
        self._coverage_sets()
        if source not in self._docs:
            self._docs.update({d["source"]: d for d in self.kb.documents()})
        return self._docs.get(source, {})

    # ---------- wording helpers
    def _place(self, region: str | None, lang: str) -> str:
        if not region:
            return ""
        if lang == "en":
            r = self.gaz.regions.get(region)
            if r:
                english = next((a for a in r.aliases if a.isascii() and a[:1].isupper() and " " not in a.strip()[:1]), "")
                return f"{english} ({region})" if english else region
        return region

    @staticmethod
    def _short_policy(title: str) -> str:
        return "" if not title or title.endswith("发布的政策") else title

    @staticmethod
    def _date_text(iso: str, quote: str, lang: str) -> str:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
        if not m:
            return ""
        y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
        text = f"{y}年{mo}月{d}日"
        compact = re.sub(r"\s", "", quote)
        if text not in compact:
            return ""
        return text

    def _not_found(self, route: Route, reason: str, region: str = "") -> str:
        what = re.sub(r"[\d.]+", "", route.category or route.metric or "")  # never echo a number nobody cited
        return self.composer.render(
            "out_of_scope",
            route.lang,
            reason=reason,
            region=region or self._place(route.region, route.lang),
            year=route.year or "",
            what=what,
            coverage=self.coverage(route.lang),
        )
