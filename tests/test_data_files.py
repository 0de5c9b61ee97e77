"""The region gazetteer, jieba dictionary and glossary are consistent, and the hierarchy works."""

from __future__ import annotations

from knowledge.query import QueryExpander
from knowledge.regions import Gazetteer
from tests.data_checks import HERE, check_glossary, check_regions, check_userdict


def test_data_files_are_consistent() -> None:
    regions = check_regions(HERE / "regions.toml")
    assert len(check_userdict(HERE / "userdict.txt", regions)) >= 300
    assert len(check_glossary(HERE / "glossary.toml")["english"]) >= 100


def test_hierarchy_and_nicknames() -> None:
    gaz = Gazetteer.default()
    assert gaz.canonical("魔都") == "上海市" and gaz.canonical("江城") == "武汉市" and gaz.canonical("鹭岛") == "厦门市"
    assert gaz.canonical("城市副中心") == "通州区" and gaz.parent("通州区") == "北京市"
    assert gaz.contains("苏州市", "昆山市") and gaz.contains("上海市", "宝山区")
    assert {"宝山区", "松江区", "徐汇区"} <= set(gaz.expand("上海市"))
    assert gaz.names_in("沪上和京城的政策", question=True)[:1] == ["上海市"]
    assert gaz.names_in("北京时间") == ["北京市"]  # a place name, read as one
    assert "京" not in [n for _, _, n in gaz.find_all("南京")]


def test_query_expansion() -> None:
    ex = QueryExpander(Gazetteer.default())
    assert "上海市" in ex.expand("魔都的元宇宙目标")
    assert "元宇宙" in ex.expand("Shanghai metaverse subsidy") and "补贴" in ex.expand("Shanghai metaverse subsidy")
    assert ex.expand("上海產業規模").startswith("上海产业规模")
