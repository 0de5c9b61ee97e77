"""Planners over the fact table (targets, scenario and technology lists, places with a measure).

The fact table (``knowledge.facts``) holds targets with their metric, year and figure, and
the scenarios and technologies a policy names. These planners answer from its rows, each
claim resting on the row's verbatim evidence; when the table has nothing that fits they
return ``None`` and the clause planner answers from the passages.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from bot.analysis import WHEN, WHO, Analysis
from bot.clauses import ITEM_NUMBER
from bot.compose import Claim, Composer, Quote
from bot.coverage import Coverage, place_name
from bot.figures import figure_text
from bot.planners import Plan
from bot.router import WHERE_TO_DO, Route
from knowledge.documents import untitled
from knowledge.index import KnowledgeBase

KIND_RANK = {"policy": 0, "report": 1, "analysis": 1, "news": 2}
SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
with (Path(__file__).parent.parent / "data" / "fact_lists.toml").open("rb") as _fh:
    VOCAB = tomllib.load(_fh)
GENERIC = frozenset(VOCAB["generic"])
LIST_STOP = frozenset(VOCAB["list_stop"])
ARTICLE_NAMED = re.compile(r"第[一二三四五六七八九十百零〇两\d]+条")
QUARTER = re.compile(r"(?:第?([一二三四1-4])季度|Q([1-4]))", re.I)
HALF = re.compile(r"([上下])半年")
MONTH = re.compile(r"(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])月份?")
# "哪些地方/城市/区" asks for places across documents: a list the fact table and a term scan answer
ACROSS_PLACES = re.compile(r"哪些地方|哪些城市|哪些地区|哪些省|哪里|哪几个地方|哪些区|哪几个区|which cities|which regions|where", re.I)


def bigrams(text: str) -> set[str]:
    s = re.sub(r"[^\w%]", "", text.lower())
    return {s[i : i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


# "哪些技术", "什么场景", "which technologies": a question that asks for the items themselves
# a list of technologies or scenarios asked for ("有哪些场景", "what technologies"), not "what share of GDP"
# e.g. "上海有哪些元宇宙应用场景", "重点突破什么关键技术", "技术方向有哪些", "which technologies"
ASKS_ITEMS = re.compile(
    r"(?:哪些|哪几|什么|啥|哪个|哪类)[^，,。？?；;]{0,10}(?:技术|场景|应用|领域|方向|赛道|产业)"
    r"|(?:技术|场景|应用|领域|方向|赛道)[^，,。？?；;]{0,6}(?:哪些|哪几|什么|啥|包括|有哪)"
    r"|which|what",
    re.I,
)
ASKS_WHICH = re.compile(r"哪些|哪几|什么|啥|哪个|哪里|在哪|which|what (?:\w+ )?(?:technolog|scenario|application|field|area)", re.I)


def asked_months(question: str) -> range | None:
    """The months a question's period names: a quarter, a half year or one month; None if none."""
    if m := QUARTER.search(question):
        k = int(m.group(2)) if m.group(2) else "一二三四".find(m.group(1)) + 1 or int(m.group(1))
        return range(3 * k - 2, 3 * k + 1)
    if m := HALF.search(question):
        return range(1, 7) if m.group(1) == "上" else range(7, 13)
    if m := MONTH.search(question):
        from cn2an import cn2an

        word = m.group(1)
        n = int(word) if word.isdigit() else int(cn2an(word, "normal"))
        return range(n, n + 1)
    return None


def asked_status(question: str) -> frozenset[str]:
    """The title words of the status a question asks for ("征求意见稿" → 征求意见稿, 草案), else empty."""
    q = question.lower()
    for words in VOCAB["statuses"].values():
        if any(w in q for w in words):
            return frozenset(words)
    return frozenset()


# an item's heading alone, no figure and no clause of its own: "7．虚实交互新文旅。", "（二）数字业态升级行动"
HEADING_ONLY = re.compile(ITEM_NUMBER.pattern + r"?[^\d。；，,：:]{2,14}。?$")
BODY_CHARS = 220  # a heading's line is quoted up to the sentence that passes this many characters


def _cut_at_sentence(line: str, limit: int) -> str:
    """``line`` up to the end of the sentence that reaches ``limit`` characters."""
    if len(line) <= limit:
        return line
    stop = line.find("。", limit)
    return line[: stop + 1] if stop >= 0 else line


class FactPlanner:
    """Targets, scenario and technology passages, and lists of places, from the fact table."""

    name = "facts"

    def __init__(self, kb: KnowledgeBase, composer: Composer, coverage: Coverage) -> None:
        self.kb = kb
        self.gaz = kb.gaz
        self.composer = composer
        self.coverage = coverage
        self._docs: dict[str, dict[str, Any]] = {}
        self._docs_gen: str | None = None
        self.handlers = {
            "target": self._plan_target,
            "scenario": self._plan_scenario,
            "technology": self._plan_technology,
            "list": self._plan_list,
            "policy_info": self._plan_policy_info,
        }

    def accepts(self, a: Analysis) -> bool:
        if a.extra.get("only"):  # one document's answer (a comparison of documents): its clauses
            return False
        intent = a.route.intent
        if intent == "policy_info":
            return a.kind == "issued"
        if ARTICLE_NAMED.search(a.route.question):  # "第三十七条讲的啥": that article, not a list of technologies
            return False
        if intent in ("scenario", "technology"):  # "支持哪些技术研发": a list of them, whatever words ask it
            # the question word asks for the technologies or scenarios themselves, not for something of firms that
            # use them ("对新技术新业态的…企业，在监管上有啥特别安排" asks a rule, not a list of technologies)
            asks = bool(ASKS_WHICH.search(a.route.question) and ASKS_ITEMS.search(a.route.question)) or a.carried
            return a.kind in ("overview", "list", "target", "amount", "condition") and asks
        if intent == "list":
            return bool(ACROSS_PLACES.search(WHERE_TO_DO.sub("", a.route.question)))
        return False

    def run(self, a: Analysis, region: str | None) -> Plan | None:
        route = a.route
        if region != route.region:
            route = Route(**{**route.__dict__, "regions": [region] if region else []})
        plan = self.handlers[route.intent](route)
        if plan is None or not plan.found or not plan.claims:
            return None
        return plan

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
                return None
            exact.sort(
                key=lambda r: (0 if "规模" in (r.get("metric") or "") else 1 if r.get("unit") == "家" else 2, -(r.get("value") or 0))
            )
            return Plan([self._target_claim(r, route) for r in exact[:4]], facts=exact[:4], policy=exact[0].get("policy", ""))
        scored = self._rank(rows, route, ("metric",))
        exact = [(s, r) for s, r in scored if r.get("region") == route.region and s > 3]
        scored = exact or scored
        if not scored or scored[0][0] < 2:
            return None
        best = self._pick(scored, several=not route.metric or len(route.metric) <= 2)
        claims = [self._target_claim(r, route) for r in best]
        return Plan(claims, facts=best, policy=best[0].get("policy", ""))

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
            s += 2 if not untitled(p["title"]) else 0
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
            return None
        p = scored[0][1]
        meta = self._meta_lines(p)
        if meta:
            return Plan(meta, facts=[p], policy=p["title"])
        ev = self._evidence_quote(p, prefer=r"\d{4}年\s*\d{1,2}月\s*\d{1,2}日")
        quote = ev.quote
        when = WHEN.search(route.question)
        dated = re.search(r"\d{4}\s*年\s*\d{1,2}\s*月|\d{4}-\d{1,2}-\d{1,2}", quote)  # "2024年…清单" names a year, not a date
        who = WHO.search(route.question)
        issuer = p.get("issuer") or ""
        if who and not (issuer and issuer in quote):  # "谁发布的" is answered by the line naming the issuer
            return None
        if (not re.search(r"\d{4}年", quote) and p.get("date")) or (when and not dated):
            # the row's evidence does not carry the date: find the sentence that announces this title
            return None
        claim = Claim(self.composer.render("quote", route.lang, lead="" if route.lang != "en" else "Issued", quote=quote), [ev])
        return Plan([claim], facts=[p], policy=p["title"])

    def _meta_lines(self, policy: dict[str, Any]) -> list[Claim]:
        """A policy text's own issuer and date lines ("发布单位：…", "发布日期：…"), quoted."""
        sources = {e["source"] for e in policy.get("evidence") or []}
        claims: list[Claim] = []
        for c in (c for src in sorted(sources) for c in self.kb.chunks_of(src)):
            if self._doc(c.source).get("kind") != "policy":
                continue
            for line in c.text.split("\n"):
                if re.match(r"^(?:发布|印发|发文|颁布|成文|施行)(?:单位|日期|时间|机关)[：:]\S", line.strip()):
                    quote = Quote(c.source, self._short_policy(policy["title"]) or c.source, c.section_path, line.strip(), c.span)
                    claims.append(Claim(self.composer.render("quote", "zh-Hans", lead="", quote=line.strip()), [quote]))
        return claims[:3]

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
            return None
        qb = bigrams(route.metric or route.question)
        here = set(self.gaz.expand(route.region)) if route.region else set()

        def score(x: dict[str, Any]) -> float:
            others = [r for r in self.gaz.names_in(x["e"]["quote"]) if here and r not in here and self.gaz.level(r) != "国家"]
            items = " ".join(map(str, x["items"]))
            overlap = len(qb & bigrams(x["e"]["quote"])) + len(qb & bigrams(x["e"].get("section") or "")) + 2 * len(qb & bigrams(items))
            return 0.5 * min(len(x["items"]), 8) + 3 * overlap - 2 * len(others)

        ranked = sorted(by_quote.values(), key=lambda x: -score(x))
        claims = []
        shown: set[str] = set()
        for entry in ranked:
            e = entry["e"]
            text = self._with_body(e["source"], e["quote"])
            key = ITEM_NUMBER.sub("", text).strip()
            if key in shown:  # one item retold by a report and said by the policy is shown once
                continue
            shown.add(key)
            quote = Quote(
                e["source"],
                self._short_policy(entry["row"].get("policy", "")) or self._doc(e["source"]).get("title", ""),
                e.get("section") or "",
                text,
                tuple(e.get("span") or (0, 0)),
            )
            lead = self._place(entry["row"].get("region"), route.lang)
            claims.append(Claim(self.composer.render("quote", route.lang, lead=lead, quote=text), [quote]))
            if len(claims) == 2:
                break
        return Plan(claims, policy=ranked[0]["row"].get("policy", ""))

    def _with_body(self, source: str, quote: str) -> str:
        """A quote that is only an item's heading ("7．虚实交互新文旅。") with what its line goes on to say."""
        if not HEADING_ONLY.match(quote):
            return quote
        for chunk in self.kb.chunks_of(source):
            i = chunk.text.find(quote)
            if i < 0:
                continue
            end = chunk.text.find("\n", i)
            line = chunk.text[i : end if end >= 0 else len(chunk.text)].rstrip()
            if len(line) > len(quote):
                return _cut_at_sentence(line, BODY_CHARS)
        return quote

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
        elif route.year and (months := asked_months(q)):
            for p in facts.policies():  # policies issued in the months asked ("2023年第一季度发布了哪些政策")
                d = p.get("date") or ""
                if d.startswith(str(route.year)) and len(d) >= 7 and int(d[5:7]) in months and p.get("evidence"):
                    items.append((p["region"], self._item_claim(p["region"], self._evidence_quote(p), route), p))
        elif status := asked_status(q):
            for p in facts.policies():  # policies of a status ("有哪些征求意见稿")
                if p.get("status") in status and p.get("evidence"):
                    items.append((p["region"], self._item_claim(p["region"], self._evidence_quote(p), route), p))
        if not items:
            items = self._term_scan(route)
            if route.region:  # "河南哪里有信用担保机构": the places inside the one asked
                gaz = self.kb.gaz
                items = [x for x in items if x[0] and (x[0] == route.region or gaz.contains(route.region, x[0]))]
                if all(x[0] == route.region for x in items):
                    # "重庆哪些地方连室外也不能抽烟": no place inside it is named, so the places asked are sites of its
                    # rule (the clauses answer), not a list of its districts
                    items = []
        seen: set[str] = set()
        claims: list[Claim] = []
        facts_out: list[dict[str, Any]] = []
        quoted: set[str] = set()
        for region, claim, row in items:
            if not region or region in seen or {q.quote for q in claim.quotes} <= quoted:
                continue  # one passage naming several places ("郑州、洛阳、新乡…") is shown once
            seen.add(region)
            quoted.update(q.quote for q in claim.quotes)
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
        # the rarest term decides ("人才购房补贴": 购房补贴, not 人才); counts come from the keyword index
        df = {t: len(self.kb.containing(t)) for t in terms}
        others = [t for t in terms if df[t]]
        terms = [t for t in sorted(terms, key=lambda t: df[t]) if df[t]][:1]
        if not terms:
            return []
        term = terms[0]
        # a four-character compound also matches with a word inside: 产业基金 ~ 产业投资基金
        if len(term) == 4:
            pattern = re.compile(re.escape(term[:2]) + "[^。；]{0,16}" + re.escape(term[2:]))
            tails = {c.id for c in self.kb.containing(term[2:])}
            holding = [c for c in self.kb.containing(term[:2]) if c.id in tails]
        else:
            pattern = re.compile(re.escape(term))
            holding = self.kb.containing(term)
        out: list[tuple[float, str, Claim]] = []
        for c in holding:
            for sent in SENTENCE.findall(c.text):
                if not pattern.search(sent):
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
        # keep the longest terms (drop a term contained in a longer one), then drop question words
        terms = [t for t in terms if not any(t != o and t in o for o in terms)]
        terms = [t for t in terms if t not in LIST_STOP]
        out: list[str] = []
        for t in sorted(dict.fromkeys(terms), key=len, reverse=True):  # ties in question order, never hash order
            out.extend(VOCAB["key_synonyms"].get(t, [t]))
        return [t for t in dict.fromkeys(out) if len(t) >= 2][:4]

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

    def _item_claim(self, region: str, quote: Quote, route: Route) -> Claim:
        return Claim(
            self.composer.render("list_item", route.lang, place=self._place(region, route.lang), detail=f"“{quote.quote}”"), [quote]
        )

    def _evidence_quote(self, row: dict[str, Any], prefer: str = "") -> Quote:
        """The best evidence of a fact row: an original policy text first, or one matching ``prefer``."""

        def rank(e: dict[str, Any]) -> tuple[int, int]:
            return (0 if prefer and re.search(prefer, e["quote"]) else 1, KIND_RANK.get(self._doc(e["source"]).get("kind", ""), 3))

        e = sorted(row.get("evidence") or [], key=rank)[0]
        policy = row.get("policy") or (row.get("title") if "issuer" in row else "") or ""
        title = self._short_policy(policy) or self._doc(e["source"]).get("title", e["source"])
        return Quote(e["source"], title, e.get("section") or "", e["quote"], tuple(e.get("span") or (0, 0)))

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

    def _doc(self, source: str) -> dict[str, Any]:
        if self._docs_gen != self.kb.generation or not self._docs:
            self._docs = {d["source"]: d for d in self.kb.documents(("source", "title", "kind", "regions"))}
            self._docs_gen = self.kb.generation
        return self._docs.get(source, {})

    def _place(self, region: str | None, lang: str) -> str:
        return place_name(self.gaz, region, lang)

    def _not_found(self, route: Route, reason: str, region: str = "") -> str:
        what = re.sub(r"[\d.]+", "", route.category or route.metric or "")  # never echo a number nobody cited
        return self.composer.render(
            "out_of_scope",
            route.lang,
            reason=reason,
            region=region or self._place(route.region, route.lang),
            year=route.year or "",
            what=what,
            coverage=self.coverage.line(route.lang),
        )

    @staticmethod
    def _written(row: dict[str, Any], quote: str) -> str:
        """How the cited quote writes the row's figure."""
        for e in row.get("evidence") or []:
            if e.get("quote") == quote and e.get("written"):
                return e["written"]
        return ""

    @staticmethod
    def _pick(scored: list[tuple[float, dict[str, Any]]], *, several: bool, limit: int = 3) -> list[dict[str, Any]]:
        top = scored[0][0]
        if not several:
            same = [r for s, r in scored if s >= top - 0.01]
            return same[:2]
        return [r for s, r in scored if s >= top * 0.6][:limit]

    @staticmethod
    def _short_policy(title: str) -> str:
        return "" if not title or untitled(title) else title

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
