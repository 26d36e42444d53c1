"""Test data for the dashboard: three 2027 rounds (the city's 联动巡察 and two county rounds under it)
with problems, clues and 函询 given as plain lists, so each test computes the expected figures from
these lists itself — never from the queries under test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

# problems: (round key, category code or None, amount, to recover, withdrawn)
PROBLEMS = [
    ("hy", "RF9-1-1", "1000", "500", False),
    ("hy", "RF9-1", "0", "0", False),
    ("hy", "RF9-3-2", "2000", "2000", False),
    ("hy", "RF9-1-1", "99999", "99999", True),     # withdrawn: not a problem any more
    ("hy", None, "10", "0", False),
    ("sq", "RF9-3-2", "300", "0", False),
    ("city", "RF9-1-2", "5000", "0", False),
]
# clues: (round key, disposal kind or None, form or "", concluded, deadline days from today)
CLUES = [
    ("hy", None, "", False, None),
    ("hy", "discipline", "2", True, -10),
    ("hy", "discipline", "", False, -1),           # transferred, past its deadline: overdue
    ("hy", "discipline", "", False, 0),            # deadline today: not overdue yet
    ("hy", "keep", "", False, None),
    ("sq", "organization", "0", True, -5),
    ("city", "party_org", "1", True, -3),
]
# 函询: (round key, due days from today, replied)
INQUIRIES = [("hy", -2, False), ("hy", -2, True), ("sq", 3, False)]
STAGES = {"city": "preparation", "hy": "onsite", "sq": "feedback"}
# 疑点: (round key, 核实状态)
SUSPICIONS = [("hy", "open"), ("hy", "open"), ("hy", "confirmed"), ("hy", "dismissed"), ("hy", "dismissed"),
              ("hy", "dismissed"), ("sq", "dismissed"), ("city", "confirmed")]
# 整改台账: (round key, result, status, deadline days from today, recovered, red cards, red card open)
RECT = [
    ("hy", "done", "closed", -5, "100", 0, False),
    ("hy", "basic", "closed", -5, "50", 0, False),
    ("hy", "", "in_progress", -1, "0", 0, False),          # past its 整改时限: overdue
    ("hy", "", "in_progress", 10, "0", 1, True),           # open red card: overdue
    ("sq", "not_done", "closed", -3, "0", 0, False),        # 已销号: never overdue
]
# 追责问责: (round key, 四种形态)
ACCOUNTABLE = [("hy", "1"), ("hy", "2"), ("sq", "4")]
YEAR = 2027


@dataclass
class Data:
    rounds: dict
    today: object

    def q(self, **extra) -> str:
        from urllib.parse import urlencode

        return urlencode({"year": YEAR, **extra})


@pytest.fixture
def data(demo):
    from xuncha.clues.models import Clue, Disposal
    from xuncha.findings.models import Problem
    from xuncha.orgs.models import Jurisdiction
    from xuncha.rounds import linkage, services
    from xuncha.rounds.models import Category, Inquiry, Round, Taxonomy

    today = timezone.localdate()
    rf9 = Taxonomy.objects.get(code="RF-9")
    xcb = demo["xcb"]
    city = services.create_round(xcb, jurisdiction=xcb.organization.jurisdiction, kind=Round.Kind.LINKED,
                                 year=YEAR, number=1, title="安康市2027年易地建设费专项巡察", taxonomy=rf9)
    hy, sq = linkage.create_county_rounds(xcb, city, Jurisdiction.objects.filter(name__in=["汉阴县", "石泉县"])
                                          .order_by("code"))
    rounds = {"city": city, "hy": hy, "sq": sq}
    for key, stage in STAGES.items():
        Round.objects.filter(pk=rounds[key].pk).update(stage=stage)
    cats = {c.code: c for c in Category.objects.filter(taxonomy=rf9)}
    for n, (key, code, amount, recover, withdrawn) in enumerate(PROBLEMS, start=1):
        Problem.objects.create(round=rounds[key], number=n, source=Problem.Source.MANUAL, title=f"问题{n}",
                               category=cats[code] if code else None, amount=Decimal(amount),
                               amount_to_recover=Decimal(recover),
                               status=Problem.Status.WITHDRAWN if withdrawn else Problem.Status.CONFIRMED)
    for n, (key, kind, form, concluded, days) in enumerate(CLUES, start=1):
        clue = Clue.objects.create(round=rounds[key], number=n, source=Clue.Source.INSPECTION, person=f"人员{n}",
                                   summary="线索内容")
        if kind:
            Disposal.objects.create(clue=clue, kind=kind, decided_on=today - timedelta(days=20), form=form,
                                    deadline=today + timedelta(days=days) if days is not None else None,
                                    concluded_on=today - timedelta(days=1) if concluded else None)
    for key, days, replied in INQUIRIES:
        Inquiry.objects.create(round=rounds[key], recipient=Inquiry.Recipient.AUDIT, subject="审计情况",
                               sent_on=today - timedelta(days=10), due_on=today + timedelta(days=days),
                               replied_on=today if replied else None)
    _crosscheck_and_rectification(demo, rounds, today)
    return Data(rounds=rounds, today=today)


def _crosscheck_and_rectification(demo, rounds, today):
    from xuncha.crosscheck.models import CheckRun, Suspicion
    from xuncha.findings.models import Problem
    from xuncha.orgs.models import Organization
    from xuncha.rectification.models import Accountability, Item
    from xuncha.reports.models import Feedback

    runs = {}
    for n, (key, status) in enumerate(SUSPICIONS, start=1):
        if key not in runs:
            runs[key] = CheckRun.objects.create(round=rounds[key], number=1, status=CheckRun.Status.SUCCEEDED,
                                                as_of=today, policy_label="默认", policy_toml="", policy_sha256="0" * 64,
                                                engine_version="test")
        Suspicion.objects.create(run=runs[key], round=rounds[key], finding_no=n, rule="R05", title="重复付款",
                                 category="RF-CZ", summary="疑点描述", primary_record=f"记录{n}", key=f"R05:{n}",
                                 fingerprint=f"{n:064d}", status=status)
    feedbacks = {}
    for key in {k for k, *_ in RECT} | {k for k, _f in ACCOUNTABLE}:
        unit = Organization.objects.get(jurisdiction=rounds[key].jurisdiction, name__endswith="人民防空办公室")
        feedbacks[key] = Feedback.objects.create(round=rounds[key], unit=unit, signed_at=timezone.now())
    for n, (key, result, status, days, recovered, cards, card_open) in enumerate(RECT, start=1):
        Item.objects.create(feedback=feedbacks[key], problem=Problem.objects.filter(round=rounds[key]).first(),
                            point_no=n, point=f"具体问题{n}", measures="整改措施", leader="某领导", person="某人",
                            deadline=today + timedelta(days=days), status=status, result=result,
                            amount_recovered=Decimal(recovered), red_cards=cards, red_card_open=card_open)
    for n, (key, form) in enumerate(ACCOUNTABLE, start=1):
        Accountability.objects.create(feedback=feedbacks[key], name=f"干部{n}", position="科长", measure="诫勉谈话",
                                      form=form, decided_on=today)
