"""Kinds of failure seen on regulations, social-insurance pages and province-wide lists, each on a text written here.

The province's employment regulation sets age tiers, lists what an agency must not do under one opening, sets
a fine for a list of acts, and its own validity after a rating's. The city page is a saved government page
whose date shows only in a labelled field above its text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.fit import Figure, fit, own_figures
from knowledge.normalize import clean
from tests.conftest import engine_on

PROVINCE = """福建省就业服务促进条例

第一条 为了促进就业，保障劳动者权益，制定本条例。

第二条 职业中介机构不得有下列行为：
（一）向求职者收取押金；
（二）扣押劳动者的居民身份证；
（三）提供虚假就业信息；
（四）为无合法证照的用人单位提供职业中介服务。

第三条 有下列情形之一的，由人力资源社会保障部门责令改正，并处一万元以上五万元以下罚款：
（一）职业中介机构向求职者收取押金的；
（二）职业中介机构扣押劳动者居民身份证的。

第四条 年满60周岁不满65周岁的老年人乘坐市内公共汽车，享受半价优惠。65周岁以上的老年人乘坐市内公共汽车免费。

第五条 星级评定结果有效期三年。

第六条 职工与两个以上用人单位存在劳动关系的，由职工受到伤害时工作的单位承担工伤保险责任。

第七条 本条例自2024年1月1日起施行，有效期5年。
"""

PAGE = """<!DOCTYPE html><html><head><title>创业担保贷款问答_宁德市人民政府</title></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></div>
<div class="info"><span>发表时间：</span>
<span>
      2025-11-18 17:37</span>
<span>信息来源：市人社局</span></div>
<div class="article">
<h1>宁德市创业担保贷款问答</h1>
<p>一、创业担保贷款最高可以申请多少额度？</p>
<p>答：符合申请条件的个人创业担保贷款额度最高30万元；小微企业创业担保贷款最高300万元。贷款额度由经办银行根据实际情况合理确定。</p>
<p>二、创业担保贷款每次最长可以申请多长时间？</p>
<p>答：个人创业担保贷款每次期限最长不超过3年，小微企业创业担保贷款每次期限最长不超过2年。贷款到期后可按规定申请续贷。</p>
</div>
<div class="footer">主办单位：宁德市人民政府办公室</div>
</body></html>
"""


@pytest.fixture(scope="module")
def engine(built_home: Path, tmp_path_factory: pytest.TempPathFactory):
    texts = {"fujian_jiuye_fuwu_tiaoli.txt": PROVINCE, "ningde_chuangye_daikuan_wenda.html": PAGE}
    return engine_on(built_home, tmp_path_factory, "kinds_s13", texts)


def test_the_asker_own_figures_fit_a_tier() -> None:
    age = own_figures("那我奶奶今年78岁呢？")
    assert age == (Figure("age", 78.0),)
    assert fit("65周岁以上的老年人乘坐市内公共汽车免费", age) == 1
    assert fit("年满60周岁不满65周岁的老年人乘坐市内公共汽车，享受半价优惠", age) == -1
    assert fit("本条例自2024年1月1日起施行", age) == 0  # a date is no bound on an age
    sales = own_figures("我们去年营收3亿，能拿哪一档？")
    assert fit("营业收入2亿元以上5亿元以下的，奖励20万元", sales) == 1
    assert fit("营业收入首次超过5亿元的，奖励30万元", sales) == -1
    assert own_figures("2025年的补贴是多少") == ()  # a year is not the asker's own figure


def test_a_follow_up_with_the_askers_age_gets_the_tier_that_holds_it(engine) -> None:
    engine.answer("福建老人坐公交有优惠吗？我爸62岁。", "s1")
    a = engine.answer("那我奶奶今年78岁呢？", "s1").to_json()
    assert a["found"] and "免费" in a["answer"], a["answer"]
    assert "半价" not in a["answer"], a["answer"]


def test_a_list_is_quoted_whole_under_its_opening_in_order(engine) -> None:
    a = engine.answer("福建职业中介机构有哪些行为是不允许的？", "s2").to_json()
    assert a["found"], a["answer"]
    text = a["answer"]
    items = ["收取押金", "扣押劳动者的居民身份证", "提供虚假就业信息", "无合法证照"]
    assert all(x in text for x in items), text
    assert [text.find(x) for x in items] == sorted(text.find(x) for x in items), text  # in the text's order
    assert text.count("福建省就业服务促进条例") == 1, text  # the title once, the items quoted under it


def test_a_fine_asked_is_a_sum_and_its_opening_comes_with_its_items(engine) -> None:
    a = engine.answer("福建的中介向求职的人收押金，罚款是多少？", "s3").to_json()
    assert a["found"] and "一万元以上五万元以下罚款" in a["answer"], a["answer"]
    assert "向求职者收取押金的" in a["answer"], a["answer"]


def test_the_documents_own_validity_is_told_before_a_ratings(engine) -> None:
    a = engine.answer("福建就业服务促进条例有效期多久？", "s4").to_json()
    assert a["found"] and "有效期5年" in a["answer"], a["answer"]
    assert "三年" not in a["answer"], a["answer"]


def test_everyday_words_are_read_as_the_statute_writes_them(engine) -> None:
    """员工/打工/两家公司 against 职工/用人单位/劳动关系."""
    a = engine.answer("在福建一个员工同时在两家公司打工，出了工伤该哪家负责？", "s5").to_json()
    assert a["found"] and "受到伤害时工作的单位" in a["answer"], a["answer"]


def test_a_city_with_no_document_of_its_own_gets_its_provinces_rule_and_is_told_so(engine) -> None:
    a = engine.answer("我奶奶在泉州，78岁坐公交免费吗？", "s6").to_json()
    assert a["found"] and "免费" in a["answer"], a["answer"]
    assert "泉州市没有单独收录的政策文件" in a["answer"] and "福建省" in a["answer"], a["answer"]
    cited = {Path(c["source"]).name for c in a["citations"]}
    assert cited == {"fujian_jiuye_fuwu_tiaoli.txt"}, cited


def test_a_refusal_names_only_words_no_passage_of_the_place_holds(engine) -> None:
    a = engine.answer("福建工伤职工的心理辅导费补贴多少？", "s7").to_json()
    assert not a["found"], a["answer"]
    said = a["answer"].split("。")[0]
    assert "心理" in said, said  # what no passage says is named
    assert "工伤" not in said and "职工" not in said, said  # what the regulation is about is not


def test_a_web_pages_dated_field_is_kept_and_quotable(engine) -> None:
    doc = clean(PAGE)
    assert re.search(r"发表时间：\s*2025-11-18 17:37", doc.text), doc.text
    assert "首页" not in doc.text and "主办单位" not in doc.text, doc.text
    a = engine.answer("宁德那篇创业担保贷款问答是什么时候发的？", "s8").to_json()
    assert a["found"] and "2025-11-18" in a["answer"], a["answer"]


def test_where_to_go_is_no_list_of_places(engine) -> None:
    """ "要到哪里申请" asks where to go, not which places have a policy: the page answers, no list of cities."""
    a = engine.answer("宁德小微企业创业担保贷款最长能贷几年？", "s9").to_json()
    assert a["found"] and "不超过2年" in a["answer"], a["answer"]
    route = engine.analyzer.router.route("宁德创业担保贷款要到哪里申请？", {})
    assert route.intent != "list", route
