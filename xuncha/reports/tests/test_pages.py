"""Every new page and action, tried by every role along a round's life (what the allowed roles get too)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xuncha.rectification.tests.conftest import finish_rectification
from xuncha.reports.models import Feedback, Report, ReportVersion, Review
from xuncha.rounds.models import Round

from .conftest import add_problems, docx_upload, fresh, make_round

ALL = ["admin", "xcb", "leader", "zuzhang", "fuzuzhang", "zuyuan", "lianluo", "zuyuan2", "rfb", "rfb_head",
       "hy_rfb_head", "jiwei", "sq_xcb"]
STAFF = ["admin", "xcb", "leader", "zuzhang", "fuzuzhang", "zuyuan", "lianluo"]   # team + office/leadership
TEAM = ["zuzhang", "fuzuzhang", "zuyuan", "lianluo"]
OFFICE = ["admin", "xcb"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Walk:
    def __init__(self, client_as, round_):
        self.c = {who: client_as(who) for who in ALL}
        self.r = round_

    def url(self, name, *args):
        return reverse(name, args=[self.r.pk, *args])

    def refused(self, url, data_factory=dict, allowed=(), *, method="post"):
        """Every role not in ``allowed`` gets 403 (sees, may not act) or 404 (may not see)."""
        statuses = {}
        for who in ALL:
            if who in allowed:
                continue
            client = self.c[who]
            resp = client.post(url, data_factory()) if method == "post" else client.get(url)
            statuses[who] = resp.status_code
            assert resp.status_code in (403, 404), (who, url, resp.status_code)
        return statuses

    def post(self, who, url, data=None):
        resp = self.c[who].post(url, data or {}, follow=True)
        assert resp.status_code == 200, (who, url)
        return resp.content.decode()

    def get(self, who, url):
        return self.c[who].get(url)

    def home(self, who) -> str:
        return self.c[who].get("/").content.decode()


def status_of(r):
    return Report.objects.get(round=r).status


def test_report_pages_and_actions_by_every_role(demo, client_as):
    r = make_round(demo)
    add_problems(r)
    w = Walk(client_as, r)
    report_url = w.url("reports:report")

    # the report page: team and office/leadership scope; the unit, discipline, other teams never
    for who in ALL:
        resp = w.get(who, report_url)
        if who in STAFF:
            assert resp.status_code == 200 and "报告版本" in resp.content.decode(), who
        else:
            assert resp.status_code == 404, who
    body = w.get("zuyuan", report_url).content.decode()
    assert "上传新版本" in body and "报送最新版本" not in body            # a member drafts, the 组长 submits
    assert "报送最新版本" in w.get("fuzuzhang", report_url).content.decode()
    assert "上传新版本" not in w.get("xcb", report_url).content.decode()

    # generated documents: the same readers, as .docx
    for kind in ("draft", "evaluation", "summary"):
        url = w.url("reports:report_document", kind)
        for who in ALL:
            resp = w.get(who, url)
            if who in STAFF:
                assert resp.status_code == 200 and resp["Content-Type"] == DOCX, (who, kind)
            else:
                assert resp.status_code == 404, (who, kind)

    # drafting: every team member may add a version; nobody else
    w.refused(w.url("reports:save_draft"), allowed=TEAM)
    w.refused(w.url("reports:upload"), lambda: {"file": docx_upload()}, allowed=TEAM)
    assert not ReportVersion.objects.exists()
    w.post("zuyuan", w.url("reports:save_draft"))
    body = w.post("lianluo", w.url("reports:upload"), {"file": docx_upload(), "note": "联络员修改"})
    assert "已上传巡察报告新版本" in body and "第2稿" in body
    bad = w.post("zuyuan", w.url("reports:upload"), {"file": SimpleUploadedFile("病毒.exe", b"MZ\x90\x00not a doc")})
    assert "类型不允许" in bad and ReportVersion.objects.count() == 2
    w.refused(w.url("reports:evaluation"), lambda: {"overall_rating": "good"}, allowed=TEAM)
    w.post("zuyuan", w.url("reports:evaluation"), {"item_leadership": "fair", "overall_rating": "fair_good",
                                                   "suggestions": "建章立制"})
    assert Report.objects.get(round=r).overall_rating == "fair_good"
    for who in ALL:
        resp = w.get(who, w.url("reports:version", 2))
        assert resp.status_code == (200 if who in STAFF else 404), who

    # 报送: 组长 / 副组长 only
    w.refused(w.url("reports:submit"), allowed=["zuzhang", "fuzuzhang"])
    assert status_of(r) == Report.Status.DRAFT
    body = w.post("fuzuzhang", w.url("reports:submit"), {"note": "请审核"})
    assert "已报送巡察报告" in body and fresh(r).stage == Round.Stage.REPORTING
    assert "审核巡察报告" in w.home("xcb") and "审核巡察报告" not in w.home("leader")     # 待我办理

    # 巡察办 returns with comments; the team sees them and its 组长's panel says so
    w.refused(w.url("reports:return"), lambda: {"comments": "不应允许的退回"}, allowed=OFFICE)   # leader too:
    # at the office's step the leading group may not return it
    assert status_of(r) == Report.Status.OFFICE_REVIEW
    body = w.post("xcb", w.url("reports:return"), {"comments": ""})
    assert "请填写退回意见" in body and status_of(r) == Report.Status.OFFICE_REVIEW
    w.post("xcb", w.url("reports:return"), {"comments": "问题事实不够具体，请补充金额依据"})
    assert status_of(r) == Report.Status.RETURNED
    assert "问题事实不够具体" in w.get("zuzhang", report_url).content.decode()
    assert "巡察报告被退回" in w.home("zuzhang")
    body = w.post("zuzhang", w.url("reports:submit"))
    assert "尚未上传修改后的新版本" in body
    w.post("zuzhang", w.url("reports:upload"), {"file": docx_upload(text="第三稿"), "note": "按意见修改"})
    w.post("zuzhang", w.url("reports:submit"))

    # 巡察办 approves (admin is an office user of the city too)
    w.refused(w.url("reports:office_approve"), allowed=OFFICE)
    w.post("admin", w.url("reports:office_approve"), {"comments": "同意报领导小组"})
    assert status_of(r) == Report.Status.LEADERSHIP_REVIEW
    assert "审批巡察报告" in w.home("leader")
    assert "审批同意，报书记专题会议" in w.get("leader", report_url).content.decode()

    # 领导小组 approves
    w.refused(w.url("reports:approve"), allowed=["leader"])
    w.post("leader", w.url("reports:approve"))
    assert status_of(r) == Report.Status.MEETING
    assert "登记书记专题会议审议结果" in w.home("xcb")

    # 巡察办 records the 书记专题会议 decision
    today = timezone.localdate().isoformat()
    w.refused(w.url("reports:decision"), lambda: {"meeting_date": today, "minute_no": "x"}, allowed=OFFICE)
    body = w.post("xcb", w.url("reports:decision"), {"meeting_date": today, "minute_no": ""})
    assert "会议纪要编号" in body and status_of(r) == Report.Status.MEETING
    w.post("xcb", w.url("reports:decision"), {"meeting_date": today, "minute_no": "市委书记专题会议纪要〔2027〕5号"})
    assert status_of(r) == Report.Status.APPROVED
    body = w.get("leader", report_url).content.decode()
    assert "市委书记专题会议纪要〔2027〕5号" in body and "退回修改" in body     # the review trail
    assert list(Review.objects.filter(round=r).values_list("outcome", flat=True)) == [
        "approved", "submitted", "returned", "submitted", "approved", "approved", "decided"]


def signed_round(demo, client_as):
    """A round walked through the report pages to 反馈, for the feedback pages."""
    from .conftest import to_feedback

    r = make_round(demo, number=3)
    add_problems(r)
    return to_feedback(demo, r)


def test_feedback_pages_and_actions_by_every_role(demo, client_as):
    r = signed_round(demo, client_as)
    w = Walk(client_as, r)
    f = Feedback.objects.get(round=r)
    page = reverse("reports:feedback", args=[f.pk])
    detail = reverse("rounds:detail", args=[r.pk])

    def feedback_statuses():
        return {who: w.get(who, page).status_code for who in ALL}

    # before anything: staff only; the unit sees nothing yet
    assert feedback_statuses() == {who: 200 if who in STAFF else 404 for who in ALL}
    assert "向安康市人民防空办公室主要负责人通报巡察情况" in w.home("xcb")

    w.refused(reverse("reports:issue", args=[f.pk]), allowed=OFFICE)
    body = w.post("xcb", reverse("reports:issue", args=[f.pk]))
    assert "请先向主要负责人通报" in body
    w.refused(reverse("reports:brief", args=[f.pk]), allowed=OFFICE)
    w.post("xcb", reverse("reports:brief", args=[f.pk]))
    # briefed: the head reads his note; the liaison does not
    assert feedback_statuses() == {who: 200 if who in STAFF + ["rfb_head"] else 404 for who in ALL}
    head_page = w.get("rfb_head", page).content.decode()
    assert "涉及你本人的问题" in head_page and "主任违规干预人防工程审批" in head_page
    assert 'id="sign"' not in head_page and "反馈意见（.docx）" not in head_page    # not issued yet
    note_url = reverse("reports:feedback_file", args=[f.pk, "head-note"])
    assert w.get("rfb_head", note_url).status_code == 200

    w.post("admin", reverse("reports:issue", args=[f.pk]))
    assert w.get("rfb", page).status_code == 200 and fresh(f).read_at is None     # the liaison's read is not his
    assert feedback_statuses() == {who: 200 if who in STAFF + ["rfb", "rfb_head"] else 404 for who in ALL}
    liaison = w.get("rfb", page).content.decode()
    assert "易地建设费随意减免" in liaison and "主任违规干预人防工程审批" not in liaison
    assert "涉及你本人的问题" not in liaison and 'id="sign"' not in liaison
    assert w.get("rfb", note_url).status_code == 403                  # the head's note is his alone
    assert w.get("rfb", reverse("reports:feedback_file", args=[f.pk, "document"])).status_code == 200
    assert "阅读并签收巡察反馈意见" in w.home("rfb_head") and "阅读并签收" not in w.home("rfb")
    unit_detail = w.get("rfb", detail).content.decode()
    assert "反馈与签收" in unit_detail and "巡察报告、评价表与审核" not in unit_detail
    for who in ALL:                                       # 反馈意见 list: the unit's own, staff their rounds'
        resp = w.get(who, reverse("reports:feedback_list"))
        if who == "jiwei":
            assert resp.status_code == 403
            continue
        assert resp.status_code == 200, who
        listed = f'href="{page}"' in resp.content.decode()
        assert listed == (who in STAFF + ["rfb", "rfb_head"]), who

    # 签收: the head only, after he opened it
    w.refused(reverse("reports:sign", args=[f.pk]), lambda: {"confirmed": "on"}, allowed=["rfb_head"])
    assert fresh(f).signed_at is None and fresh(f).read_at is not None          # he opened it above
    head_page = w.get("rfb_head", page).content.decode()
    assert 'id="sign"' in head_page and "主要负责人阅读" in head_page
    body = w.post("rfb_head", reverse("reports:sign", args=[f.pk]), {})
    assert "请确认本人已阅读" in body and fresh(f).signed_at is None
    body = w.post("rfb_head", reverse("reports:sign", args=[f.pk]), {"confirmed": "on"})
    f = fresh(f)
    assert "已签收巡察反馈意见" in body and f.signed_by.username == "rfb_head"
    assert f.plan_due.strftime("%Y年%-m月%-d日") in body and "剩" in body
    for who in ALL:
        resp = w.get(who, reverse("reports:feedback_file", args=[f.pk, "receipt"]))
        assert resp.status_code == (200 if who in STAFF + ["rfb", "rfb_head"] else 404), who
    assert "整改落实情况报告" in w.home("rfb") and "整改方案报送" in w.home("rfb_head")
    assert "转入整改阶段" in w.home("xcb")

    # 整改, 归档 and the archive package
    w.refused(reverse("reports:transition", args=[r.pk, "start_rectification"]), allowed=OFFICE)
    w.post("xcb", reverse("reports:transition", args=[r.pk, "start_rectification"]))
    assert fresh(r).stage == Round.Stage.RECTIFICATION
    zip_url = reverse("reports:archive", args=[r.pk])
    assert w.get("xcb", zip_url).status_code == 403                     # not before 归档
    w.refused(reverse("reports:transition", args=[r.pk, "archive"]), allowed=OFFICE)
    assert "整改方案尚未经巡察办审核通过" in w.post("xcb", reverse("reports:transition", args=[r.pk, "archive"]))
    finish_rectification(fresh(r))
    w.post("xcb", reverse("reports:transition", args=[r.pk, "archive"]))
    assert fresh(r).stage == Round.Stage.ARCHIVED
    for who in ALL:
        resp = w.get(who, zip_url)
        if who in OFFICE:
            assert resp.status_code == 200 and resp["Content-Type"] == "application/zip", who
        else:
            assert resp.status_code in (403, 404), who
    timeline = w.get("xcb", reverse("rounds:timeline", args=[r.pk])).content.decode()
    assert timeline.count("已完成") == 5 and f.plan_due.strftime("%Y-%m-%d") in timeline
    # a frozen round offers no action any more
    assert "本轮巡察已归档" in w.post("rfb_head", reverse("reports:sign", args=[f.pk]), {"confirmed": "on"})


@pytest.mark.parametrize("bad", ["start_nothing", "approve_plan"])
def test_unknown_transition_is_404(demo, client_as, bad):
    r = make_round(demo, number=4)
    assert client_as("xcb").post(reverse("reports:transition", args=[r.pk, bad])).status_code == 404
