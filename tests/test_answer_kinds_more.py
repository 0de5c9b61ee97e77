"""More kinds of failure seen on documents the bot had not been tuned on, each on a document written here.

The loan scheme below names itself by a short name it defines ("以下简称助企贷") and a term ("风险池资金"),
opens with a statement of purpose, sets a limit in an article's first sentence of a few words, and lets two
supports combine in the sentence after one of them. The plan has parts whose headings are two phrases with no
stop ("（一）夯实网络底座，建设算力设施"). The Q&A page has numbered questions, each heading its answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.terms import defined_terms
from tests.conftest import engine_on

LOANS = """嘉兴市南湖区中小企业助企贷业务管理办法

第一条 为规范本区中小企业助企贷（以下简称助企贷）业务，缓解中小企业融资难题，结合本区实际，特制定本办法。

第二条 本办法所称“风险池资金”是指由区财政出资设立、用于补偿合作银行助企贷不良贷款本金损失的资金。

第三条 助企贷信用贷款额度上限为800万元；抵押贷款额度上限为2000万元。

第四条 助企贷贷款期限最长不超过两年。贷款原则上不展期，确有特殊情况的，经区联席会议同意后可延期一次，最长不超过六个月。

第五条 申请助企贷的企业应当同时符合下列条件：
（一）在南湖区登记注册并依法纳税；
（二）纳入区助企贷企业名单；
（三）近两年无不良信用记录。

第六条 对当年度首次纳入规模以上工业企业统计的企业，给予3万元奖励。本条款与本办法第七条可叠加支持。

第七条 对当年度营业收入首次超过5000万元的企业，给予5万元奖励。

第八条 同一企业同一事项同时符合本办法与区内其他政策的，按就高不重复原则执行。

第十条 风险池资金由区财政局按年度拨付至风险池资金专户，风险池资金年度结余滚存使用。

第十一条 代偿申请审核通过后，风险池资金于次月10日前拨付合作银行。

第十二条 风险池资金于每年1月15日前完成上年度拨付清算。

第九条 本办法自印发之日起施行，有效期三年，由南湖区经济和信息化局负责解释。
"""

PLAN = """嘉兴市南湖区算力产业发展行动方案

一、总体目标
到2027年，全区算力规模达到5000P。

二、重点任务
（一）夯实网络底座，建设算力设施
新建智算中心2个，改造数据中心机房500个标准机架。
（二）培育应用场景，赋能制造企业
遴选算力应用示范项目20个。
（三）壮大产业生态，引育骨干企业
引进算力服务企业10家。

三、重点品类
（一）智算服务器。推动国产芯片服务器规模应用，培育整机企业。
（二）液冷设备。支持冷板式、浸没式液冷产品研发。
（三）算力网络设备。鼓励企业研发高速交换机和光模块。

四、保障措施
加强统筹协调，落实资金保障。对新建算力中心占地面积在100亩以上的，给予企业200元/亩奖励。
经认定的算力骨干企业，依法按照百分之十五的税率征收企业所得税。
"""

FAQ = """南湖区人才落户常见问题解答

1.人才落户需要具备哪些基本条件？
答：需要具备以下基本条件：（一）在南湖区就业创业；（二）年龄在40周岁以下；（三）缴纳社会保险满1年。

2.人才落户什么时候可以申报？
答：2026年人才落户申报时间为2026年3月1日至2026年3月31日。

3.人才落户的随迁人员如何申报？
答：人才落户申请人在申报时应当一并填报随迁配偶和子女，人才落户后不能再增加随迁人员。

案例：申请人在南湖区注册个体工商户后自行注销，还能按人才落户吗？
答：不能。注销后未再就业创业的，不再具备申请资格。

4.落户后能申请人才公寓吗？
答：可以，人才公寓租期最长为三年。
"""


TALENT = """南湖区人才发展若干措施

一、人才引进
（一）博士后资助
12.博士后设站资助。对新设博士后工作站的单位，给予最高50万元设站资助。每招收1名博士后，给予5万元招录奖励。
13.优秀青年培养资助。对选派优秀青年到境外知名高校联合培养博士、毕业后回本区工作的人才，给予最高60万元资助。

二、人才安居
对新引进的博士研究生，给予每月3000元租房补贴。
"""


@pytest.fixture(scope="module")
def engine(built_home: Path, tmp_path_factory: pytest.TempPathFactory):
    texts = {"nanhu_zhuqidai_banfa.txt": LOANS, "nanhu_suanli_fangan.txt": PLAN, "nanhu_luohu_wenda.txt": FAQ, "nanhu_rencai.txt": TALENT}
    return engine_on(built_home, tmp_path_factory, "kinds_more", texts)


def _sources(a: dict) -> set[str]:
    return {Path(c["source"]).name for c in a["citations"]}


def test_a_documents_own_short_names_and_terms_are_read() -> None:
    assert defined_terms(LOANS) == ["助企贷", "风险池资金"]
    assert defined_terms("设立先导示范区（以下简称“示范区”）") == ["示范区"]


def test_a_short_name_the_document_defines_is_one_word_of_the_question(engine) -> None:
    """jieba alone cuts "助企贷借到的钱" into 助企 / 贷借: the document's short name must stay whole."""
    a = engine.analyzer.run("南湖助企贷借到的钱有期限吗？", {})
    assert "助企贷" in a.topic, a.topic
    ans = engine.answer("南湖助企贷抵押贷款最多能贷多少？", "m1").to_json()
    assert ans["found"] and "2000万元" in ans["answer"], ans["answer"]


def test_a_limit_in_a_few_words_is_a_rule_not_an_article_title(engine) -> None:
    a = engine.answer("南湖助企贷贷款期限最长多久？", "m2").to_json()
    assert a["found"] and "最长不超过两年" in a["answer"], a["answer"]


def test_whether_two_supports_combine_is_answered_by_the_sentence_that_says_it(engine) -> None:
    engine.answer("南湖区企业首次纳入规上统计有奖励吗？", "m3")
    a = engine.answer("那如果当年营收也首次过了5000万，两项能叠加吗？", "m3").to_json()
    assert a["found"] and "可叠加支持" in a["answer"], a["answer"]


def test_a_statement_of_purpose_answers_no_question_of_eligibility(engine) -> None:
    a = engine.answer("我们公司在南湖区注册纳税，能享受助企贷吗？", "m4").to_json()
    assert a["found"] and "纳入区助企贷企业名单" in a["answer"], a["answer"]
    assert "特制定本办法" not in a["answer"], a["answer"]


def test_the_parts_of_a_named_heading_are_its_subheadings(engine) -> None:
    a = engine.answer("南湖算力行动方案的重点任务有哪几块？", "m5").to_json()
    for head in ("夯实网络底座", "培育应用场景", "壮大产业生态"):
        assert head in a["answer"], a["answer"]


def test_an_official_answer_is_read_with_its_question(engine) -> None:
    """The answer "需要具备以下基本条件：…" names neither 人才 nor 落户 nor 申报; its question does. Another answer
    names them all ("随迁人员如何申报")."""
    engine.answer("南湖人才落户什么时候申报？", "m6")
    a = engine.answer("要什么条件？", "m6").to_json()
    assert a["found"] and "40周岁以下" in a["answer"], a["answer"]
    assert _sources(a) == {"nanhu_luohu_wenda.txt"}, a["citations"]


def test_a_follow_up_asks_its_own_words_of_the_topic_carried(engine) -> None:
    engine.answer("南湖人才落户后能申请人才公寓吗？", "m7")
    a = engine.answer("最长能租多久？", "m7").to_json()
    assert a["found"] and "三年" in a["answer"], a["answer"]


def test_a_validity_is_read_from_its_start_and_who_answers_for_the_text_is_asked_apart(engine) -> None:
    a = engine.answer("南湖助企贷管理办法有效期多久？谁负责解释？", "m8").to_json()
    assert a["found"] and "自印发之日起施行，有效期三年" in a["answer"], a["answer"]
    assert "第九条有效期" not in a["answer"], a["answer"]  # said of the document, not "《…》第九条有效期三年"
    assert "南湖区经济和信息化局" in a["answer"], a["answer"]


def test_a_paragraph_under_its_own_run_in_heading_keeps_to_it(engine) -> None:
    """ "13.优秀青年培养资助。对…" opens with its own heading inside the section "（二）博士后资助": a question on it
    is not answered with every item of that section."""
    a = engine.answer("南湖那个送青年出国联合培养博士的资助，有什么要求？", "m9").to_json()
    assert a["found"] and "60万元" in a["answer"], a["answer"]
    assert "设站资助" not in a["answer"], a["answer"]


def test_a_rate_per_unit_asked_is_no_kind_of_support_missing(engine) -> None:
    """ "每亩奖励多少" asks the rate the text writes "200元/亩": not a support named 每亩 that no text names."""
    a = engine.answer("在南湖新建算力中心150亩，每亩奖励多少？", "m10").to_json()
    assert a["found"] and "200元/亩" in a["answer"], a["answer"]


def test_a_figure_stated_of_the_measure_asked_answers(engine) -> None:
    """ "按多少税率" is answered by "按照百分之十五的税率": a figure of the measure, though no support is given."""
    a = engine.answer("南湖算力骨干企业企业所得税按多少税率征收？", "m11").to_json()
    assert a["found"] and "百分之十五" in a["answer"], a["answer"]


def test_the_parts_of_a_named_heading_may_be_run_in_headings(engine) -> None:
    """Under "三、重点品类" each part opens its paragraph ("（二）液冷设备。支持…"): they are the list asked."""
    a = engine.answer("南湖算力方案的重点品类有哪些？", "m12").to_json()
    for part in ("智算服务器", "液冷设备", "算力网络设备"):
        assert part in a["answer"], a["answer"]


def test_a_quoted_term_is_answered_by_the_clause_that_defines_it(engine) -> None:
    """ "“风险池资金”是干啥用的": the clause "所称“风险池资金”是指…" answers, not one that names it more often."""
    a = engine.answer("南湖助企贷里的“风险池资金”是干啥用的？", "m13").to_json()
    assert a["found"] and "补偿合作银行" in a["answer"], a["answer"]


def test_a_case_the_text_asks_is_quoted_with_its_answer(engine) -> None:
    """ "案例：…还能按人才落户吗？" is no answer by itself: the sentences after it are."""
    a = engine.answer("我在南湖注册的个体户自己注销了，还能按人才落户吗？", "m14").to_json()
    assert a["found"] and "不再具备申请资格" in a["answer"], a["answer"]


def test_a_date_relative_to_the_applicants_own_is_a_date(engine) -> None:
    """ "次月10日前" names no year or month of its own; it is still the date asked."""
    a = engine.answer("南湖助企贷代偿审核通过后，风险池资金什么时候拨付？", "m15").to_json()
    assert a["found"] and "次月10日前" in a["answer"], a["answer"]
