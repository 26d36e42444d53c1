"""Fixtures: an on-site city round (from the reports fixtures) with questionnaires built from the shipped templates."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from xuncha.reports.tests.conftest import make_round
from xuncha.surveys import services
from xuncha.surveys.models import Survey


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def onsite(demo):
    return make_round(demo)


def restore_builtin() -> None:
    """Transactional tests before this one may have flushed what the data migrations loaded."""
    import importlib

    from django.apps import apps

    from xuncha.surveys import builtin
    from xuncha.surveys.models import Question

    importlib.import_module("xuncha.rounds.migrations.0003_builtin_taxonomies").load(apps, None)
    builtin.load(Survey, Question)


def template(code: str) -> Survey:
    return Survey.objects.get(code=code, builtin=True, round__isnull=True)


def build(u, r, code: str, *, open_: bool = True) -> Survey:
    survey, _ = services.create_from_template(u["zuzhang"], r, template(code))
    if open_:
        survey = services.set_status(u["zuzhang"], survey, Survey.Status.OPEN)
    return Survey.objects.get(pk=survey.pk)


def request_from(ip: str = "10.1.2.3"):
    return RequestFactory().post("/surveys/a/", REMOTE_ADDR=ip)


def first_options(survey: Survey, pick=0) -> dict:
    """An answer choosing option ``pick`` of every choice question (text questions left out)."""
    return {q.pk: ([pick] if q.kind != "text" else [], "") for q in survey.questions.all() if q.kind != "text"}
