"""The public report page and follow-up: anonymous reports, receipts, replies, bad input, flooding."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.petitions import services
from xuncha.petitions.models import Attachment, Message, Petition
from xuncha.rounds.models import Round

pytestmark = pytest.mark.django_db


def report(client, round_, *, files=(), ip="10.0.0.1", **overrides):
    data = {"anonymous": "1", "subject_name": "市人防办某科长", "subject_title": "科长",
            "content": "反映某科长在人防工程验收中收受红包。", **overrides}
    if files:
        data["attachments"] = list(files)
    return client.post(reverse("petitions:public_report", args=[round_.pk]), data, REMOTE_ADDR=ip)


def receipt_of(client):
    page = client.get(reverse("petitions:public_receipt")).content.decode()
    code = re.search(r'id="receipt-code">([A-Z0-9]+)<', page).group(1)
    secret = re.search(r'id="receipt-secret">([A-Z0-9-]+)<', page).group(1)
    return code, secret


def test_public_entry_lists_onsite_rounds(city_round, demo):
    page = Client().get("/public/").content.decode()
    assert reverse("petitions:public_rounds") in page
    assert city_round.title in page
    listing = Client().get(reverse("petitions:public_rounds")).content.decode()
    assert reverse("petitions:public_report", args=[city_round.pk]) in listing
    regular = Round.objects.get(title__contains="第二轮常规巡察")   # still in preparation
    assert reverse("petitions:public_report", args=[regular.pk]) not in listing
    page = Client().get(reverse("petitions:public_report", args=[regular.pk])).content.decode()
    assert "尚未开始受理举报" in page and 'name="content"' not in page


def test_anonymous_report_receipt_reply_and_supplement(city_round, files, client_as):
    c = Client()
    response = report(c, city_round, files=[files.png(), files.pdf()])
    assert response.status_code == 302
    code, secret = receipt_of(c)
    assert c.get(reverse("petitions:public_receipt")).status_code == 302   # shown once only
    p = Petition.objects.get(receipt_code=code)
    assert p.anonymous and p.identity_token == "" and p.channel == Petition.Channel.ONLINE
    assert p.serial == "安康市XF2026-1-004"      # after the three demo petitions, gapless
    assert secret not in p.secret_hash and p.secret_hash.count("$") >= 2
    assert p.attachments.count() == 2
    stored = [a.stored_name for a in p.attachments.all()]
    assert all(re.fullmatch(r"[0-9a-f]{40}\.(png|pdf)", s) for s in stored)
    # staff reply and an internal note
    zuyuan = client_as("zuyuan")
    zuyuan.post(reverse("petitions:reply", args=[p.pk]), {"text": "已收到，正在核实。"})
    zuyuan.post(reverse("petitions:triage", args=[p.pk]), {"text": "内部研判：线索较具体"})
    # wrong secret: nothing shown
    other = Client()
    bad = other.post(reverse("petitions:public_follow"), {"code": code, "secret": "AAAA-BBBB-CCCC"})
    assert "查询码或查询密码不正确" in bad.content.decode()
    assert other.get(reverse("petitions:public_follow_view")).status_code == 302
    # right secret
    ok = other.post(reverse("petitions:public_follow"), {"code": code.lower(), "secret": secret})
    assert ok.status_code == 302
    page = other.get(reverse("petitions:public_follow_view")).content.decode()
    assert "已收到，正在核实。" in page
    assert "内部研判" not in page
    other.post(reverse("petitions:public_follow_view"), {"text": "补充：红包金额约两千元。",
                                                          "attachments": [files.docx()]})
    assert p.messages.filter(kind=Message.Kind.SUPPLEMENT, text__contains="两千元").exists()
    assert p.attachments.filter(kind="docx").count() == 1


def test_named_report_is_encrypted(city_round):
    c = Client()
    report(c, city_round, anonymous="0", name="宋佳怡", phone="15012345678")
    code, _ = receipt_of(c)
    p = Petition.objects.get(receipt_code=code)
    assert not p.anonymous and "宋佳怡" not in p.identity_token and p.phone_digest


@pytest.mark.parametrize("bad", ["oversized", "disguised", "html_as_png", "too_many"])
def test_rejected_attachments_store_nothing(city_round, files, tmp_path, settings, bad):
    settings.MEDIA_ROOT = tmp_path
    before = Petition.objects.count(), Attachment.objects.count()
    if bad == "oversized":
        from django.core.files.uploadedfile import SimpleUploadedFile
        big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1))
        chosen = [big]
    elif bad == "disguised":
        chosen = [files.exe_as_pdf()]
    elif bad == "html_as_png":
        chosen = [files.html_as_png()]
    else:
        chosen = [files.png(f"p{i}.png") for i in range(6)]
    response = report(Client(), city_round, files=chosen)
    assert response.status_code == 200
    text = response.content.decode()
    assert any(m in text for m in ("超过 10 MB", "文件类型不允许", "最多上传 5 个附件"))
    assert (Petition.objects.count(), Attachment.objects.count()) == before
    assert not (tmp_path / "petitions").exists() or not any((tmp_path / "petitions").iterdir())


def test_html_in_text_is_escaped(city_round, client_as):
    c = Client()
    report(c, city_round, subject_name="<b>某局</b>", content="<script>alert('x')</script>正文")
    code, secret = receipt_of(c)
    p = Petition.objects.get(receipt_code=code)
    assert p.content.startswith("<script>")       # stored as typed, never executed
    page = client_as("zuyuan").get(reverse("petitions:detail", args=[p.pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>某局</b>" not in page
    follow = Client()
    follow.post(reverse("petitions:public_follow"), {"code": code, "secret": secret})
    assert "<script>alert" not in follow.get(reverse("petitions:public_follow_view")).content.decode()


def test_flood_from_one_address_is_limited(city_round):
    c = Client()
    for _ in range(5):
        assert report(c, city_round, ip="10.9.9.9").status_code == 302
    before = Petition.objects.count()
    response = report(c, city_round, ip="10.9.9.9")
    assert response.status_code == 429
    assert "太频繁" in response.content.decode()
    assert Petition.objects.count() == before
    assert report(c, city_round, ip="10.9.9.8").status_code == 302      # another address is fine
    from xuncha.audit.models import AuditEntry
    assert not AuditEntry.objects.filter(ip__startswith="10.9.9").exists()   # reporters' addresses not kept
    from xuncha.petitions.tests.test_identity import _all_text_in_database
    assert "10.9.9.9" not in _all_text_in_database()


def test_follow_up_guessing_is_limited(city_round):
    c = Client()
    for _ in range(10):
        c.post(reverse("petitions:public_follow"), {"code": "JBAAAAAAAAAA", "secret": "x"},
               REMOTE_ADDR="10.1.1.1")
    response = c.post(reverse("petitions:public_follow"), {"code": "JBAAAAAAAAAA", "secret": "x"},
                      REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429


def test_service_refuses_round_not_onsite(demo):
    from django.core.exceptions import ValidationError
    regular = Round.objects.get(title__contains="第二轮常规巡察")
    with pytest.raises(ValidationError):
        services.submit_public(regular, services.ReportData(subject_name="某人", content="内容"))
    assert not Petition.objects.filter(round=regular).exists()


def test_attachment_served_only_through_checked_view(city_round, files, client_as, settings):
    from pathlib import Path
    c = Client()
    report(c, city_round, files=[files.pdf("证据.pdf")])
    code, _ = receipt_of(c)
    a = Petition.objects.get(receipt_code=code).attachments.get()
    path = Path(settings.MEDIA_ROOT) / "petitions" / a.stored_name
    assert path.exists() and not str(path).startswith(str(settings.STATIC_ROOT))
    response = client_as("zuyuan").get(reverse("petitions:attachment", args=[a.petition_id, a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    assert client_as("rfb").get(reverse("petitions:attachment", args=[a.petition_id, a.pk])).status_code == 404
    assert Client().get(f"/static/{a.stored_name}").status_code == 404


def test_anonymous_choice_discards_typed_identity(city_round):
    c = Client()
    report(c, city_round, anonymous="1", name="不该保存的名字", phone="13111112222")
    code, _ = receipt_of(c)
    p = Petition.objects.get(receipt_code=code)
    assert p.anonymous and p.identity_token == "" and p.phone_digest == ""
