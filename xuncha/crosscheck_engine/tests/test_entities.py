"""Entity resolution: credit codes, names, places, phases, typos, and what must stay apart."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from xuncha.crosscheck_engine import entities
from xuncha.crosscheck_engine.companies import MATCH_PLACE, resolve_names
from xuncha.crosscheck_engine.entities import (
    company_basis,
    company_name,
    project_name,
    resolve_companies,
    resolve_projects,
    valid_uscc,
)

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.digits, min_size=8, max_size=8),
       st.text(alphabet=ALPHABET + "IOSVZ", min_size=9, max_size=10))
def test_fast_credit_code_check_agrees_with_python_stdnum(head, tail):
    body = (head + tail)[:17]
    for last in ALPHABET[:5] + uscc.calc_check_digit(body) if len(body) == 17 and all(
            c in ALPHABET for c in body[8:]) else ALPHABET[:5]:
        code = (body + last)[:18]
        assert valid_uscc(code) == entities.valid_uscc_reference(code)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="甲乙丙丁ab", min_size=1, max_size=7), max_size=12, unique=True))
def test_few_similar_pairs_are_the_pairs_of_the_deletion_neighbourhoods(strings):
    """The builder's few project cores are paired one pair at a time (lengths and Indel distance), and the
    pairs are those of the deletion-neighbourhood blocking."""
    from xuncha.crosscheck_engine.companies import few_similar_pairs, similar_pairs

    assert few_similar_pairs(strings) == similar_pairs(strings)
    assert few_similar_pairs(strings, 2) == similar_pairs(strings, 2)


def test_credit_code_examples():
    good = "91110000600037341L"
    assert valid_uscc(good)
    assert not valid_uscc("91110000600037341K")  # wrong check character
    assert not valid_uscc("9111000060003734")
    assert not valid_uscc(None)


def test_company_names_are_normalised():
    a = company_name("（礼县）兴盛建筑有限责任公司")
    b = company_name("礼县 兴盛建筑有限公司")
    c = company_name("兴盛建筑有限公司")
    assert a.core == b.core == c.core == "兴盛建筑"
    assert a.div == b.div == {"621226"} and c.div == frozenset()
    assert company_name("ＡＢＣ建设（集团）有限公司").core == "ABC建设(集团)"
    assert company_name("甘肃省礼县兴盛建筑有限公司").div == {"621226"}
    assert company_name("新华书店有限公司").div == frozenset()  # not every first word is a place
    # a full stop or comma typed after a name in a ledger is not part of it
    assert company_name("礼县兴盛建筑有限公司。") == company_name("礼县兴盛建筑有限公司")
    assert project_name("锦绣花园（一期）.") == project_name("锦绣花园（一期）")


def test_buildings_after_a_project_name_are_part_of_it_but_floors_are_not_buildings():
    for name in ("锦绣花园1#楼", "锦绣花园1#、2#楼", "锦绣花园（1#-5#楼）", "锦绣花园3号楼及地下室", "锦绣花园A栋",
                 "锦绣花园B1栋", "锦绣花园2幢", "锦绣花园1#-3#楼建设项目", "锦绣花园三号楼"):
        assert project_name(name) == ("锦绣花园", "", frozenset()), name
    assert project_name("锦绣花园二期3#、5#住宅楼及地下车库")[:2] == ("锦绣花园", "P2")
    assert project_name("锦绣花园-一期")[:2] == project_name("锦绣花园·一期")[:2] == ("锦绣花园", "P1")
    for name in ("新华三楼", "锦绣花园1楼", "锦绣花园综合楼", "1号楼", "望江楼"):  # a floor; no number; nothing left
        assert project_name(name).core == name, name


def test_namesakes_of_two_counties_stay_apart_and_a_bare_name_is_not_guessed():
    ids = resolve_companies([("礼县城市建设投资有限公司", None), ("西和县城市建设投资有限公司", None),
                             ("城市建设投资有限公司", None), ("礼县城市建设投资有限责任公司", None)])
    assert ids[("礼县城市建设投资有限公司", None)] != ids[("西和县城市建设投资有限公司", None)]
    assert ids[("城市建设投资有限公司", None)] not in {ids[("礼县城市建设投资有限公司", None)],
                                                    ids[("西和县城市建设投资有限公司", None)]}
    assert ids[("礼县城市建设投资有限公司", None)] == ids[("礼县城市建设投资有限责任公司", None)]


def test_a_bare_name_joins_the_single_prefixed_company():
    ids = resolve_companies([("礼县兴盛建筑有限公司", None), ("兴盛建筑有限公司", None),
                             ("甘肃兴盛建筑有限公司", None)])
    assert len(set(ids.values())) == 1


def test_a_bare_name_with_a_code_joins_the_prefixed_company_its_code_places():
    # the code is also written beside 礼县…建实 (a typo): the code's company is of 礼县, but the bare
    # spelling is still bare, and joins the 礼县 company of its core written without the code (bench split)
    code = "91621226PWL00DC7" + "3"
    code = code[:17] + uscc.calc_check_digit(code[:17])
    mentions = [("礼县发柏星航建工有限公司", None), ("发柏星航建工有限公司", None), ("发柏星航建工有限责任公司", code),
                ("礼县发柏星航建实有限公司", code)]
    ids = resolve_companies(mentions, [20, 13, 1, 1])
    assert len(set(ids.values())) == 1
    basis = {m: r for m, r in resolve_names([(n, c or "", k) for (n, c), k in zip(mentions, [20, 13, 1, 1],
                                                                                    strict=True)]).match.items()}
    assert basis[("发柏星航建工有限公司", "")] == MATCH_PLACE  # the county left out, not the same spelling
    assert basis[("礼县发柏星航建工有限公司", "")] == MATCH_PLACE


def test_a_bare_twin_name_with_a_code_is_the_twin_of_the_county_its_code_is_written_with():
    # 大竹县 and 康县 each have a 邦嘉禾岭; the code is written beside the bare name and beside 康县邦嘉业岭 (a
    # typo): the code's company is of 康县, so it is 康县's 邦嘉禾岭 (the code itself was registered in 大竹县)
    code = "91511724R0CPD54DA"
    code += uscc.calc_check_digit(code)
    ids = resolve_companies([("康县邦嘉禾岭物业管理有限公司", None), ("大竹县邦嘉禾岭物业管理有限公司", None),
                             ("邦嘉禾岭物业管理有限公司", code), ("康县邦嘉业岭物业管理有限责任公司", code),
                             ("邦嘉禾岭物业管理有限公司", None)], [20, 20, 1, 1, 5])
    assert ids[("邦嘉禾岭物业管理有限公司", code)] == ids[("康县邦嘉禾岭物业管理有限公司", None)]
    assert ids[("邦嘉禾岭物业管理有限公司", code)] != ids[("大竹县邦嘉禾岭物业管理有限公司", None)]
    # the bare name without code still fits both
    assert ids[("邦嘉禾岭物业管理有限公司", None)] not in {ids[("康县邦嘉禾岭物业管理有限公司", None)],
                                                       ids[("大竹县邦嘉禾岭物业管理有限公司", None)]}


def test_credit_code_decides_and_a_mistyped_code_is_ignored():
    real = "91621226MA71234560"
    real = real[:17] + uscc.calc_check_digit(real[:17])
    typo = real[:17] + ("1" if real[17] != "1" else "2")
    ids = resolve_companies([
        ("恒达建设有限公司", real),
        ("恒达建设集团", real),  # another spelling, same valid code
        ("宏远置业有限公司", typo),  # another company, code one character off: not 恒达
        ("恒达建设有限责任公司", typo),  # 恒达 with a mistyped code: its name still matches
    ])
    assert ids[("恒达建设有限公司", real)] == ids[("恒达建设集团", real)]
    assert ids[("宏远置业有限公司", typo)] != ids[("恒达建设有限公司", real)]
    assert ids[("恒达建设有限责任公司", typo)] == ids[("恒达建设有限公司", real)]


def test_two_valid_codes_are_never_joined_even_with_one_name():
    a = "91621226MA7100000" + uscc.calc_check_digit("91621226MA7100000")
    b = "91621225MA7100000" + uscc.calc_check_digit("91621225MA7100000")
    ids = resolve_companies([("城投公司", a), ("城投公司", b), ("城投公司", None)])
    assert ids[("城投公司", a)] != ids[("城投公司", b)]


def test_typos_join_only_behind_the_block_and_with_evidence():
    names = [("兴盛建筑工程有限公司", None), ("兴盛建筑工成有限公司", None), ("兴盛建筑有限公司", None)]
    ids = resolve_companies(names, [5, 1, 3])  # a one-row spelling beside a company of five rows
    assert ids[("兴盛建筑工程有限公司", None)] == ids[("兴盛建筑工成有限公司", None)]
    assert ids[("兴盛建筑有限公司", None)] != ids[("兴盛建筑工程有限公司", None)]
    ids = resolve_companies(names, [2, 1, 3])  # nothing tells which is the typo: both stay
    assert ids[("兴盛建筑工程有限公司", None)] != ids[("兴盛建筑工成有限公司", None)]
    basis = company_basis("兴盛建筑工程有限公司", None, "兴盛建筑工成有限公司", None)
    assert basis.startswith("名称模糊匹配") and "相似度" in basis
    assert entities.similar_pairs(["兴盛建筑工程", "兴盛建筑工成", "完全不同的名字"]) == [
        ("兴盛建筑工成", "兴盛建筑工程")]


def test_project_phases_are_a_separate_key():
    a, b = project_name("礼县锦绣花园（二期）建设项目"), project_name("锦绣花园2期")
    assert (a.core, a.phase) == (b.core, b.phase) == ("锦绣花园", "P2")
    assert a.div == {"621226"}
    assert project_name("锦绣花园一期").phase == "P1"
    assert project_name("锦绣花园A区").phase == "A"
    assert project_name("锦绣花园3号地块").phase == "D3"
    assert project_name("锦绣花园二标段工程").phase == "S2"
    assert project_name("锦绣花园项目").core == project_name("锦绣花园").core == "锦绣花园"


def test_projects_match_within_builder_and_phase():
    ids = resolve_projects([
        ("锦绣花园一期", "C1"), ("锦绣花园（一期）项目", "C1"), ("锦绣花园二期", "C1"),
        ("锦绣花园一期", "C2"),  # another builder's project of the same name
        ("阳光小区", "C1"), ("阳光小区一期", "C1"),  # only one phase: a bare name joins it
        ("东湖家园", "C1"), ("东湖家圆", "C1"),  # typo
        ("西山广场", None), ("西山广场", "C3"),  # completion without builder
    ])
    assert ids[("锦绣花园一期", "C1")] == ids[("锦绣花园（一期）项目", "C1")]
    assert ids[("锦绣花园一期", "C1")] != ids[("锦绣花园二期", "C1")]
    assert ids[("锦绣花园一期", "C1")] != ids[("锦绣花园一期", "C2")]
    assert ids[("阳光小区", "C1")] == ids[("阳光小区一期", "C1")]
    assert ids[("东湖家园", "C1")] == ids[("东湖家圆", "C1")]
    assert ids[("西山广场", None)] == ids[("西山广场", "C3")]


def test_a_bare_project_name_with_two_phases_is_not_guessed():
    ids = resolve_projects([("锦绣花园", "C1"), ("锦绣花园一期", "C1"), ("锦绣花园二期", "C1")])
    assert ids[("锦绣花园", "C1")] not in {ids[("锦绣花园一期", "C1")], ids[("锦绣花园二期", "C1")]}


def test_permit_number_links_join_differently_named_projects():
    ids = resolve_projects([("一号楼", "C1"), ("锦绣花园", "C1")], [(("一号楼", "C1"), ("锦绣花园", "C1"))])
    assert ids[("一号楼", "C1")] == ids[("锦绣花园", "C1")]


def test_a_typo_one_edit_from_two_companies_joins_neither():
    names = [("祥大恒松置业股份有限公司", None), ("润大恒松实业有限公司", None), ("徽县润大恒松实业有限公司", None),
             ("祥大恒松实业股份有限公司", None)]  # one edit from the first's core and from the second's
    ids = resolve_companies(names, [5, 3, 4, 1])
    assert ids[("祥大恒松实业股份有限公司", None)] not in {ids[("祥大恒松置业股份有限公司", None)],
                                                      ids[("润大恒松实业有限公司", None)]}
    assert ids[("润大恒松实业有限公司", None)] == ids[("徽县润大恒松实业有限公司", None)]
    assert ids[("润大恒松实业有限公司", None)] != ids[("祥大恒松置业股份有限公司", None)]
    # equally close to two companies: joins neither
    ids = resolve_companies([("甲乙丙戊建设有限公司", None), ("甲乙丙丁建材有限公司", None),
                             ("甲乙丙丁建设有限公司", None)], [4, 4, 1])
    assert len(set(ids.values())) == 3
    # two different typos of one company both join it
    ids = resolve_companies([("兴盛建筑工程有限公司", None), ("兴盛建筑工成有限公司", None),
                             ("兴盛建筑功程有限公司", None)], [9, 1, 1])
    assert len(set(ids.values())) == 1
    # a difference in the first two characters (the 字号) is another company, however rare
    ids = resolve_companies([("龙绣实业有限公司", None), ("泰绣实业有限公司", None)], [40, 1])
    assert len(set(ids.values())) == 2


def test_one_builders_same_named_projects_in_two_counties_stay_apart():
    ids = resolve_projects([("礼县锦绣花园", "C1"), ("西和县锦绣花园", "C1"), ("锦绣花园", "C1"),
                            ("礼县锦绣花园项目", "C1"), ("阳光小区", "C1"), ("礼县阳光小区", "C1")])
    assert ids[("礼县锦绣花园", "C1")] == ids[("礼县锦绣花园项目", "C1")]
    assert len({ids[("礼县锦绣花园", "C1")], ids[("西和县锦绣花园", "C1")], ids[("锦绣花园", "C1")]}) == 3
    assert ids[("阳光小区", "C1")] == ids[("礼县阳光小区", "C1")]


def test_a_project_mention_is_not_joined_by_guess():
    # without builder, a name that two builders' projects bear: joins neither
    ids = resolve_projects([("西山广场", None), ("西山广场", "C3"), ("西山广场", "C4")])
    assert len(set(ids.values())) == 3
    # a typo joins within one phase only
    ids = resolve_projects([("东湖家园一期", "C1"), ("东湖家圆二期", "C1"), ("东湖家圆一期", "C1")])
    assert ids[("东湖家园一期", "C1")] == ids[("东湖家圆一期", "C1")] != ids[("东湖家圆二期", "C1")]
