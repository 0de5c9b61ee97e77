"""Chunks follow the documents' structure and are small enough to quote."""

from __future__ import annotations

from knowledge.index import KnowledgeBase


def _chunks(kb: KnowledgeBase, source_prefix: str) -> list:
    return [c for c in kb.chunks if c.source.startswith(f"seeds/{source_prefix}")]


def test_section_paths_follow_headings(kb: KnowledgeBase) -> None:
    wuhan = [c for c in _chunks(kb, "002") if "按照项目总投资30%的比例给予最高200万元资金支持" in c.text]
    assert len(wuhan) == 1
    path = wuhan[0].section
    assert path[0] == "第三章 重点政策精读"
    assert path[1].startswith("四、武汉发布《武汉市元宇宙产业创新发展实施方案")
    assert path[2] == "（三）资金保障与支持"
    assert wuhan[0].policy.startswith("武汉市元宇宙产业创新发展实施方案")
    assert wuhan[0].regions == ["武汉市"]


def test_numbered_tasks_keep_their_heading(kb: KnowledgeBase) -> None:
    c = next(c for c in _chunks(kb, "004") if "新申请元宇宙相关专利170项以上" in c.text)
    assert c.section[-1] == "（十四）完善“元空间”治理规则"
    assert c.regions == ["浙江省"]


def test_news_roundup_one_region_per_chunk(kb: KnowledgeBase) -> None:
    c = next(c for c in _chunks(kb, "003") if "元宇宙及关联产业规模超过1350亿元" in c.text)
    assert c.section == ["南京"]
    assert "南京市" in c.regions
    assert c.policy == "南京市加快发展元宇宙产业行动计划（2023-2025年）"


def test_appendix_one_policy_per_chunk(kb: KnowledgeBase) -> None:
    rows = [c for c in _chunks(kb, "002") if c.text.startswith("发布单位：")]
    assert len(rows) >= 30
    wuhan = next(c for c in rows if "武汉市经济和信息化局" in c.text)
    assert wuhan.policy.startswith("武汉市元宇宙产业创新发展实施方案"), "matched to the titled policy of the same issuer and date"
    baoshan = next(c for c in rows if "上海市宝山区" in c.text)
    assert baoshan.regions == ["宝山区"]


def test_chunk_sizes_and_ids(kb: KnowledgeBase) -> None:
    sizes = [len(c.text) for c in kb.chunks]
    assert max(sizes) <= 500
    assert sum(1 for s in sizes if 60 <= s <= 500) / len(sizes) >= 0.85
    ids = [c.id for c in kb.chunks]
    assert len(ids) == len(set(ids))


def test_chunk_spans_point_into_the_original(kb: KnowledgeBase) -> None:
    for c in kb.chunks:
        original = kb.original_text(c)
        assert original, c.id
        digits = [d for d in "0123456789" if d in c.text]
        assert all(d in original for d in digits), c.id


def test_a_numbered_measure_is_text_not_a_heading() -> None:
    from knowledge.chunking import chunk_document, heading_level
    from knowledge.documents import describe, find_policies
    from knowledge.normalize import clean
    from knowledge.regions import Gazetteer

    assert heading_level("一、财政支持") == 2 and heading_level("（一）增强粮食综合生产能力。") == 3
    assert heading_level("一、新建高标准农田300万亩，每亩补助1500元。") == 0
    assert heading_level("（二）对企业给予最高100万元奖励。") == 0
    text = "某县扶持措施\n一、财政支持\n一、新建高标准农田300万亩，每亩补助1500元。\n二、对在主板上市企业，给予企业500万元奖励。\n"
    gaz = Gazetteer.default()
    doc = clean(text)
    chunks = chunk_document("t.txt", doc, describe("t.txt", doc, [], gaz, {}), find_policies(doc, gaz), gaz)
    joined = "\n".join(c.text for c in chunks)
    assert "每亩补助1500元" in joined and "给予企业500万元奖励" in joined, joined  # both measures are indexed text


def test_article_numbers_with_extraction_spaces_are_read_whole() -> None:
    from knowledge.normalize import clean

    doc = clean("第 1 5 条 鼓励企业挂牌上市。对在主板上市企业，给予 企业300万元奖励。\n第 2 条 附则。")
    assert doc.text.startswith("第15条") and "\n第2条" in doc.text, doc.text
    i = doc.text.index("第15条")
    assert doc.original_text(i, i + 4).replace(" ", "") == "第15条"


def test_an_attached_text_keeps_its_own_title() -> None:
    """A notice with two attached rules: each passage is labelled with the rule it stands in."""
    from knowledge.chunking import chunk_document
    from knowledge.documents import describe, find_policies
    from knowledge.normalize import clean
    from knowledge.regions import Gazetteer

    text = (
        "某区人才住房保障办法实施细则\n附件1\n某区人才购房补贴的实施细则（试行）\n一、补助标准\n"
        "博士研究生给予购房补贴50万元。\n附件2\n某区人才租赁 补贴的实施细则（试行）\n一、补助标准\n"
        "博士研究生给予租赁补贴2500元/月。\n"
    )
    gaz = Gazetteer.default()
    doc = clean(text)
    chunks = chunk_document("t.txt", doc, describe("t.txt", doc, [], gaz, {}), find_policies(doc, gaz), gaz)
    buy = next(c for c in chunks if "50万元" in c.text)
    rent = next(c for c in chunks if "2500元/月" in c.text)
    assert buy.policy == "某区人才购房补贴的实施细则（试行）", buy.policy
    assert rent.policy == "某区人才租赁补贴的实施细则（试行）", rent.policy
    assert rent.section[0] == "附件2"
