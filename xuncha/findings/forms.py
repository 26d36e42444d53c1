"""Forms of the problem list (问题清单)."""

from __future__ import annotations

from django import forms

from xuncha.clues.models import Clue
from xuncha.files.services import DOCUMENT_KINDS, MAX_SIZE, kinds_label
from xuncha.petitions.forms import MultipleFileField
from xuncha.rounds.forms import CategoryChoiceField

from .models import Problem
from .onsite import DEFAULT_DAYS, MAX_DAYS

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MAX_FILES = 10
FILES_HELP = f"每个文件不超过 {MAX_SIZE // (1024 * 1024)} MB，只接受 {kinds_label(DOCUMENT_KINDS)}；一次最多 {MAX_FILES} 个。"
#: how a problem entered by hand was found (data comparison comes through the 疑点 pages)
MANUAL_FOUND_BY = [c for c in Problem.FoundBy.choices if c[0] != Problem.FoundBy.DATA]
MONEY = {"min_value": 0, "max_digits": 16, "decimal_places": 2}


class ProblemForm(forms.Form):
    found_by = forms.ChoiceField(label="发现方式", choices=MANUAL_FOUND_BY, initial=Problem.FoundBy.TALK)
    category = CategoryChoiceField(label="问题类别", queryset=None, required=False, empty_label="（未分类）")
    title = forms.CharField(label="问题概述", max_length=200)
    description = forms.CharField(label="问题事实", widget=forms.Textarea(attrs={"rows": 6}), required=False,
                                  max_length=20000)
    responsible_unit = forms.ModelChoiceField(label="责任单位", queryset=None, required=False,
                                              empty_label="（未指定）")
    responsible_person = forms.CharField(label="责任人", max_length=100, required=False,
                                         help_text="姓名及职务，如“王某（工程科科长）”")
    severity = forms.ChoiceField(label="严重程度", choices=Problem.Severity.choices, initial=Problem.Severity.GENERAL)
    amount = forms.DecimalField(label="涉及金额（元）", initial=0, **MONEY)
    amount_to_recover = forms.DecimalField(label="应追缴/挽回金额（元）", initial=0, **MONEY)
    concerns_head = forms.BooleanField(label="涉及主要负责人本人", required=False,
                                       help_text="双反馈：此类问题单独向主要负责人通报")
    concerns_leadership = forms.BooleanField(label="涉及领导班子成员", required=False)
    evidence_files = MultipleFileField(label="证据材料", required=False, help_text=FILES_HELP)

    def __init__(self, *args, round_, with_files=True, found_by=True, **kwargs):
        super().__init__(*args, **kwargs)
        from xuncha.petitions.selectors import categories

        self.fields["category"].queryset = categories(round_)
        self.fields["responsible_unit"].queryset = round_.targets.order_by("name")
        if not with_files:
            del self.fields["evidence_files"]
        if not found_by:
            del self.fields["found_by"]

    def clean_evidence_files(self):
        files = self.cleaned_data.get("evidence_files") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"一次最多上传 {MAX_FILES} 个文件。")
        return files


class EvidenceForm(forms.Form):
    files = MultipleFileField(label="证据材料", help_text=FILES_HELP)

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if not files:
            raise forms.ValidationError("请选择要上传的证据文件。")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"一次最多上传 {MAX_FILES} 个文件。")
        return files


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤销理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ToClueForm(forms.Form):
    person = forms.CharField(label="涉及人员或单位", max_length=100)
    position = forms.CharField(label="职务", max_length=100, required=False)
    level = forms.ChoiceField(label="职级", choices=Clue.Level.choices, initial=Clue.Level.OTHER)
    concerns_leadership = forms.BooleanField(label="涉及被巡察党组织领导班子及其成员", required=False)


class ProposeForm(forms.Form):
    proposal = forms.CharField(label="适用边巡边改的理由", widget=forms.Textarea(attrs={"rows": 3}),
                               max_length=5000, help_text="问题事实清楚、能够立行立改的，经领导小组同意后边巡边改")


class ConsentForm(forms.Form):
    consent_by = forms.CharField(label="同意人（领导小组成员姓名及职务）", max_length=100)
    consent_on = forms.DateField(label="同意日期", widget=DATE)
    consent_document = forms.CharField(label="同意依据（批示、会议纪要或文件编号）", max_length=100)
    consent_file = forms.FileField(label="同意文件扫描件", required=False, help_text="可选。" + FILES_HELP)


class IssueForm(forms.Form):
    requirement = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    deadline_days = forms.IntegerField(label="整改期限（工作日）", min_value=1, max_value=MAX_DAYS,
                                       initial=DEFAULT_DAYS)
