"""Forms of problem clues (问题线索)."""

from __future__ import annotations

from django import forms

from xuncha.rounds.forms import CategoryChoiceField

from .models import Clue, Disposal
from .services import DEFAULT_DEADLINE_DAYS, ClueData

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class ClueForm(forms.Form):
    source = forms.ChoiceField(label="来源", choices=[(Clue.Source.INSPECTION, Clue.Source.INSPECTION.label),
                                                      (Clue.Source.REFERRAL, Clue.Source.REFERRAL.label)])
    person = forms.CharField(label="涉及人员或单位", max_length=100)
    position = forms.CharField(label="职务", max_length=100, required=False)
    level = forms.ChoiceField(label="职级", choices=Clue.Level.choices, initial=Clue.Level.OTHER)
    concerns_leadership = forms.BooleanField(label="涉及被巡察党组织领导班子及其成员", required=False)
    category = CategoryChoiceField(label="问题类别", queryset=None, required=False, empty_label="（未分类）")
    summary = forms.CharField(label="线索内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    evidence = forms.CharField(label="证据材料", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               max_length=20000)

    def __init__(self, *args, categories, with_source=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        if not with_source:
            del self.fields["source"]

    def clue_data(self) -> ClueData:
        d = self.cleaned_data
        return ClueData(person=d["person"], summary=d["summary"], position=d.get("position", ""),
                        level=d["level"], category=d.get("category"), evidence=d.get("evidence", ""),
                        concerns_leadership=d.get("concerns_leadership", False))


class DisposeForm(forms.Form):
    kind = forms.ChoiceField(label="处置方式", choices=Disposal.Kind.choices)
    receiver = forms.ModelChoiceField(label="移交单位", queryset=None, required=False,
                                      empty_label="（留存备查、了结不选）")
    decided_on = forms.DateField(label="处置（移交）日期", widget=DATE)
    letter_no = forms.CharField(label="移交函编号", max_length=60, required=False)
    deadline_days = forms.IntegerField(label="办理时限（工作日）", min_value=1, max_value=365,
                                       initial=DEFAULT_DEADLINE_DAYS)
    reason = forms.CharField(label="处置意见", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             max_length=5000)

    def __init__(self, *args, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = receivers


class ReceiptForm(forms.Form):
    receipt_no = forms.CharField(label="回执编号", max_length=60)
    received_on = forms.DateField(label="签收日期", widget=DATE)
    received_by = forms.CharField(label="签收人", max_length=50, required=False)


class HandlingForm(forms.Form):
    method = forms.ChoiceField(label="处置方式", choices=Disposal.Method.choices)
    method_on = forms.DateField(label="采取措施日期", widget=DATE)
    result = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             max_length=5000)
    concluded_on = forms.DateField(label="办结日期（办结时填写）", widget=DATE, required=False)
    form = forms.ChoiceField(label="四种形态（办结时选择）",
                             choices=[("", "（尚未办结）")] + list(Disposal.Form.choices), required=False)
