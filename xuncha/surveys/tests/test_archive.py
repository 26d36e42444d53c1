"""归档: a questionnaire still collecting blocks the archive; the results go into the archive package."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from xuncha.rectification.tests.conftest import finish_rectification
from xuncha.reports import services as reports
from xuncha.reports.archive import build_into
from xuncha.reports.tests.conftest import add_problems, fresh, issue_all, to_feedback
from xuncha.surveys import collect, services
from xuncha.surveys.models import Survey

from .conftest import build, first_options, request_from


def test_open_survey_blocks_the_archive_and_results_are_archived(demo, onsite):
    u = demo
    survey = build(u, onsite, "RF-ZX")
    _, codes = services.issue_codes(u["zuzhang"], survey, 1)
    collect.submit_online(request_from(), codes[0], first_options(survey))
    add_problems(onsite)
    r = to_feedback(u, onsite)
    issue_all(u, r)
    f = r.feedbacks.get()
    reports.mark_read(u["rfb_head"], f)
    reports.sign_feedback(u["rfb_head"], fresh(f), confirmed=True)
    reports.start_rectification(u["xcb"], fresh(r))
    finish_rectification(fresh(r))
    with pytest.raises(ValidationError, match="仍在收集"):
        reports.archive(u["xcb"], fresh(r))
    services.set_status(u["zuzhang"], survey, Survey.Status.CLOSED)
    finish_rectification(fresh(r))          # rectification blocks the archive too (xuncha/rectification)
    reports.archive(u["xcb"], fresh(r))
    buf = io.BytesIO()
    build_into(fresh(r), buf)
    names = zipfile.ZipFile(io.BytesIO(buf.getvalue())).namelist()
    ours = [n for n in names if n.startswith("06-问卷测评/")]
    assert [n.split("-", 2)[-1] for n in ours] == ["人防宣传知晓率调查结果.xlsx", "人防宣传知晓率调查结果摘要.docx"]
    manifest = zipfile.ZipFile(io.BytesIO(buf.getvalue())).read("manifest-sha256.txt").decode()
    assert all(n in manifest for n in ours)
