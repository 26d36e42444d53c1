from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from xuncha.core.actions import apply_form, run_service


class DateForm(forms.Form):
    replied_on = forms.DateField(label="回复日期")


def make_request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def texts(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_invalid_form_names_the_field_and_does_not_call_the_service():
    request, calls = make_request(), []
    assert not apply_form(request, DateForm({"replied_on": "昨天"}), calls.append, success="好")
    assert calls == []
    (level, text), = texts(request)
    assert level == "error" and text.startswith("回复日期")


def test_service_refusal_becomes_an_error_message():
    request = make_request()

    def refuse(data):
        raise ValidationError(["期限已过", "请先签收"])

    assert not apply_form(request, DateForm({"replied_on": "2026-11-24"}), refuse, success="好")
    assert texts(request) == [("error", "期限已过；请先签收")]


def test_success_passes_cleaned_data():
    request, seen = make_request(), []
    assert apply_form(request, DateForm({"replied_on": "2026-11-24"}), seen.append, success="已登记")
    assert str(seen[0]["replied_on"]) == "2026-11-24"
    assert texts(request) == [("success", "已登记")]
    assert run_service(request, lambda: None, success="完成")
