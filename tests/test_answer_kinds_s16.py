"""Kinds of failure seen on local regulations, each on a text written here.

The regulation defines its terms in the way such texts do ("本条例所称…，是指…", an item "（二）…，是指…",
"…的管理为一线管理"), while other articles use the same terms without saying what they are. Its lists
run on in the sentences and paragraphs after an article's first sentence. A second regulation, named
by the usual short form of its title ("电商条例" for 电子商务条例), is compared with the first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.planners import _spelled_out
from bot.planners.clauses import _asks_meaning
from tests.conftest import engine_on

TOURISM = """宁海县旅游促进条例

2020年12月25日宁海县人民代表大会常务委员会第三十次会议修订

第一条 为了促进本县旅游业发展，根据有关法律、法规，结合本县实际，制定本条例。

第二条 本条例所称旅游经营者，是指旅行社、旅游景区、旅游饭店、旅游车船公司和旅游购物场所等从事旅游经营活动的单位和个人。

本条例所称民宿，包括利用村民自有住宅、集体用房开办的，为旅游者提供住宿和餐饮服务的经营场所。

第三条 旅游经营者应当遵循诚实信用原则，不得发布虚假旅游信息。

第四条 旅游经营者应当建立安全责任制，配备必要的安全管理人员。

第五条 县人民政府应当设立旅游发展专项资金，列入年度财政预算。\
专项资金重点用于旅游规划编制、旅游公益设施建设、旅游宣传促销和旅游项目贷款贴息。

第六条 民宿经营者应当在显著位置公示收费标准。

第七条 下列用语的含义：
（一）旅游景区，是指具有参观游览、休闲度假功能的区域；
（二）旅游服务单位，是指为旅游者提供导游、交通、票务等专业服务的单位。

第八条 景区内海关监管区域与境外之间的管理为一线管理，海关监管区域与境内区外之间的管理为二线管理。

第八条之一 下列景区场所禁止吸烟：
（一）售票处、检票口；
（二）游客中心、游客集散场所。

第九条 合作银行可为旅游企业提供最高500万元信用贷款，贷款期限不超过两年。

第十条 县文化和旅游部门是本县旅游业的主管部门，负责旅游业的统筹协调和监督管理。

第十一条 违反本条例第六条规定的，由县旅游主管部门责令改正；拒不改正的，处五百元以上二千元以下的罚款。

第十二条 本条例自2021年5月1日起施行。
"""

BAMBOO = """景宁畲族自治县促进竹产业发展条例

第一条 为了促进本县竹产业发展，制定本条例。

第二条 本条例自2019年8月1日起施行。
"""

GUIDE = """宁海县2021年度民宿扶持资金申报指南

一、申报时间
2021年集中受理申请时间为6月1日-6月30日。

二、扶持标准
对新开业的星级民宿，给予一次性奖励5万元。
"""

COMMERCE = """宁海县电子商务条例

第一条 为了促进本县电子商务发展，制定本条例。

第二条 电子商务经营者应当公示营业执照信息。

第三条 本条例自2023年3月1日起施行。
"""


@pytest.fixture(scope="module")
def engine(built_home: Path, tmp_path_factory: pytest.TempPathFactory):
    texts = {
        "ninghai_lvyou_tiaoli.md": TOURISM,
        "ninghai_dianshang_tiaoli.md": COMMERCE,
        "jingning_zhu_tiaoli.md": BAMBOO,
        "ninghai_minsu_zhinan_2021.txt": GUIDE,
    }
    return engine_on(built_home, tmp_path_factory, "kinds_s16", texts)


def test_which_question_asks_what_a_term_means() -> None:
    assert _asks_meaning("宁海旅游条例里的旅游经营者都包括哪些？", "旅游经营者")
    assert _asks_meaning("宁海说的民宿具体指什么？", "民宿")
    assert _asks_meaning("什么叫一线管理？", "一线管理")
    assert not _asks_meaning("旅游经营者应当遵守哪些规定？", "旅游经营者")
    assert not _asks_meaning("6大应用落地方向都有哪些？", "方向")  # the end of a longer word


def test_a_term_the_regulation_defines_is_answered_by_its_definition(engine) -> None:
    a = engine.answer("宁海旅游条例里的旅游经营者都包括哪些？", "d1").to_json()
    assert a["found"] and "旅行社、旅游景区、旅游饭店" in a["answer"], a["answer"]
    assert "本条例所称旅游经营者" in a["citations"][0]["quote"], a["citations"]
    assert "诚实信用" not in a["answer"], a["answer"]  # an article that only uses the term is no answer


def test_the_definition_of_the_term_asked_not_of_its_neighbour(engine) -> None:
    a = engine.answer("宁海旅游条例里说的旅游服务单位是指什么？", "d2").to_json()
    assert a["found"] and "导游、交通、票务" in a["answer"], a["answer"]
    assert "参观游览" not in a["answer"], a["answer"]
    b = engine.answer("宁海旅游条例里的民宿具体包括哪些？", "d3").to_json()
    assert b["found"] and "村民自有住宅" in b["answer"], b["answer"]


def test_a_term_named_last_is_defined_by_what_comes_before_it(engine) -> None:
    a = engine.answer("宁海旅游条例里讲的二线管理指什么？", "d4").to_json()
    assert a["found"] and "境内区外之间" in a["answer"], a["answer"]


def test_a_list_that_goes_on_after_the_first_sentence_is_quoted_whole(engine) -> None:
    a = engine.answer("宁海的旅游发展专项资金主要用在哪些地方？", "l1").to_json()
    assert a["found"] and "旅游项目贷款贴息" in a["answer"], a["answer"]


def test_a_short_form_of_a_title_word_names_the_document() -> None:
    assert _spelled_out("电子商务条例", "宁海电商条例什么时候施行") == "宁海电子商务条例什么时候施行"
    assert _spelled_out("旅游促进条例", "宁海电商条例") == "宁海电商条例"  # no word of this title


def test_two_regulations_compared_by_their_short_names_are_both_answered(engine) -> None:
    a = engine.answer("宁海电商条例和宁海旅游条例，哪个先施行？各自是哪天？", "c1").to_json()
    assert a["found"], a["answer"]
    assert "2023年3月1日" in a["answer"] and "2021年5月1日" in a["answer"], a["answer"]


def test_english_asks_for_a_start_date_and_a_department_in_charge(engine) -> None:
    a = engine.answer("From which date does the Ninghai tourism regulation apply?", "e1").to_json()
    assert a["found"] and "2021" in a["answer"], a["answer"]
    b = engine.answer("Which government department is in charge of tourism in Ninghai?", "e2").to_json()
    assert b["found"] and "县文化和旅游部门" in b["answer"], b["answer"]


def test_a_revised_regulation_asked_when_it_took_effect_gets_its_date_of_effect(engine) -> None:
    a = engine.answer("宁海旅游条例修订后是哪天开始施行的？", "v1").to_json()
    assert a["found"] and "2021年5月1日" in a["answer"], a["answer"]


def test_a_loans_term_is_not_the_documents_validity(engine) -> None:
    a = engine.answer("宁海旅游企业能从合作银行拿到多大额度的信用贷款？期限多长？", "t1").to_json()
    assert a["found"] and "500万元" in a["answer"] and "两年" in a["answer"], a["answer"]


def test_a_fine_for_breaking_a_duty_is_read_from_the_article_that_cites_it(engine) -> None:
    a = engine.answer("宁海民宿不在显著位置公示收费标准，拒不改正会罚多少？", "p1").to_json()
    assert a["found"] and "五百元以上二千元以下" in a["answer"], a["answer"]
    assert "违反本条例第六条" in a["citations"][0]["quote"], a["citations"]


def test_a_countys_short_name_before_a_title_is_read_as_the_place(kb) -> None:
    assert "景宁畲族自治县" in kb.gaz.names_in("宁海电商条例和景宁竹产业条例，哪部施行得早？", question=True)
    assert kb.gaz.names_in("产业和政策", question=True) == []  # not 和政县 inside other words


def test_two_regulations_of_two_places_compared_by_short_names(engine) -> None:
    a = engine.answer("宁海电商条例和景宁竹产业条例，哪部施行得早？", "c2").to_json()
    assert a["found"] and "2023年3月1日" in a["answer"] and "2019年8月1日" in a["answer"], a["answer"]


def test_a_place_name_is_not_read_inside_a_hyphened_english_word(kb) -> None:
    assert kb.gaz.names_in("I drive for a ride-hailing platform in Guangzhou", question=True) == ["广州市"]
    assert "广州市" in kb.gaz.names_in("a Guangzhou-based firm", question=True)


def test_which_sites_of_one_places_rule_are_not_a_list_of_its_districts(engine) -> None:
    a = engine.answer("宁海景区里哪些地方不准抽烟？", "w1").to_json()
    assert a["found"] and "售票处" in a["answer"] and "游客中心" in a["answer"], a["answer"]


def test_a_sum_in_dollars_is_held_only_by_bounds_in_dollars() -> None:
    from bot.fit import fit, own_figures

    mine = own_figures("我们是外资企业，实缴注册资本2500万美元")
    assert fit("实缴注册资本2000万美元(含)至1亿美元的，奖励1000万元", mine) == 1  # the low bound has a unit of its own
    assert fit("实缴注册资本1000万美元(含)至2000万美元的，奖励600万元", mine) == -1
    assert fit("实缴注册资本500万（含）至5000万元的，奖励300万元", mine) == 0  # yuan: another kind of sum
    assert fit("实缴注册资本5000万元（含）至1亿元的，奖励600万元", own_figures("我们实缴8000万元")) == 1


def test_a_date_asked_of_another_year_than_the_documents_is_not_stated(engine) -> None:
    a = engine.answer("宁海民宿扶持资金2025年度什么时候开始申报？", "y1").to_json()
    assert not a["found"], a["answer"]
    b = engine.answer("宁海民宿扶持资金2021年什么时候受理申请？", "y2").to_json()
    assert b["found"] and "6月1日" in b["answer"], b["answer"]
    c = engine.answer("我家民宿是2019年5月开业的，民宿扶持资金什么时候受理申请？", "y3").to_json()
    assert c["found"] and "6月1日" in c["answer"], c["answer"]  # the asker's own date is no year asked


def test_a_pages_tag_before_its_title_is_dropped_whole() -> None:
    from knowledge.documents import clean_title

    assert clean_title(" 【关注】学历型人才引进入户申报指南") == "学历型人才引进入户申报指南"  # not "关注】学历型…"
    assert clean_title("【政策解读】宁海县民宿扶持办法") == "宁海县民宿扶持办法"
