"""Same-matter detection (同一事项重复反映), tuned on cases like the one missed before: subjects that
differ by one word (市人防办 / 市人防办副主任), full and short unit names, texts told in other words;
and pairs that must stay apart (same unit other matter, same wording other person)."""

from __future__ import annotations

import pytest

from xuncha.petitions import matching
from xuncha.petitions.models import Link

SAME = [
    # the case the issue found: subjects differ by the post 副主任
    ("市人防办", "反映市人防办副主任张某在人防工程审批中多次收受开发商财物，为开发商违规减免易地建设费。",
     "市人防办副主任", "举报市人防办副主任张某在人防工程审批过程中多次收受开发商财物，违规为开发商减免易地建设费。"),
    ("市人防办某副主任", "来信反映该副主任在人防工程审批中收受开发商财物，为其减免易地建设费。",
     "市人防办某主任", "电话反映该副主任在人防工程审批中收受开发商财物，为其减免易地建设费，情况属实。"),
    ("王某", "王某利用分管人防工程验收的职务便利，收受某房地产公司购物卡5000元。",
     "王某副主任", "反映王某利用职务便利，在人防工程验收中收受某房地产公司购物卡5000元。"),
    ("汉阴县人民防空办公室", "人防办将国有人防工程以每年1万元的低价出租给私人经营停车场，租金未入账。",
     "汉阴县人防办", "汉阴县人防办把国有人防工程低价出租给私人经营停车场，每年只收1万元，租金未入账。"),
    ("县人防办王某", "反映县人防办王某在2025年人防工程竣工验收中收受开发商红包两万元，并违规通过验收。",
     "县人防办 王某", "反映县人防办王某在2025年人防工程竣工验收中收受开发商红包约2万元，并违规通过验收。请核实。"),
    ("县住建局", "某小区项目应建防空地下室而未建，也未缴纳易地建设费，住建局照样发放施工许可证。",
     "县住房和城乡建设局", "群众反映某小区项目应建防空地下室未建，易地建设费也没缴，县住建局仍然发了施工许可证。"),
]
DIFFERENT = [
    # the same unit, another matter
    ("市人防办", "反映市人防办副主任张某在人防工程审批中多次收受开发商财物。",
     "市人防办", "反映市人防办工作人员上班时间在办公室打牌赌博，影响恶劣。"),
    # the same wording, another person in another unit
    ("县住建局李某", "反映李某在人防工程审批中收受开发商红包两万元。",
     "县人防办王某", "反映王某在人防工程审批中收受开发商红包两万元。"),
    # the same person, another matter
    ("市人防办副主任张某", "张某在人防工程审批中收受开发商财物，为开发商违规减免易地建设费。",
     "市人防办副主任张某", "张某长期违规占用两套办公用房，并公车私用接送子女上学。"),
    # director and deputy, different matters
    ("市人防办主任", "主任违规决定将人防工程出租给其亲属经营。",
     "市人防办副主任", "副主任违规报销个人旅游费用三万元。"),
    ("县财政局李某", "反映李某上班时间打牌。", "县人防办王某", "反映王某上班时间打牌。"),
]


@pytest.mark.parametrize("subject_a,content_a,subject_b,content_b", SAME)
def test_same_matter_found(subject_a, content_a, subject_b, content_b):
    assert matching.same_matter(subject_a, content_a, subject_b, content_b) is not None
    assert matching.same_matter(subject_b, content_b, subject_a, content_a) is not None


@pytest.mark.parametrize("subject_a,content_a,subject_b,content_b", DIFFERENT)
def test_other_matters_stay_apart(subject_a, content_a, subject_b, content_b):
    assert matching.same_matter(subject_a, content_a, subject_b, content_b) is None
    assert matching.same_matter(subject_b, content_b, subject_a, content_a) is None


@pytest.mark.django_db
def test_intake_links_the_case_that_was_missed(county_round, make_petition):
    (sa, ca, sb, cb) = SAME[0]
    a = make_petition(county_round, subject=sa, content=ca)
    b = make_petition(county_round, subject=sb, content=cb)
    other = make_petition(county_round, subject=DIFFERENT[0][2], content=DIFFERENT[0][3])
    assert Link.objects.filter(petition=b, other=a).exists() and Link.objects.filter(petition=a, other=b).exists()
    assert not Link.objects.filter(petition=other).exists()
