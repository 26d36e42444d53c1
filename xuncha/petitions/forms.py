"""Forms of petitions (信访举报): the public report, staff intake, follow-up and handling."""

from __future__ import annotations

from django import forms

from xuncha.rounds.forms import CategoryChoiceField

from . import identity as ident
from . import uploads
from .models import Petition
from .services import ReportData


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


ATTACH_HELP = f"可选。最多 {uploads.MAX_FILES} 个文件，每个不超过 10 MB；只接受 {uploads.ALLOWED_LABEL}。"


class ReportForm(forms.Form):
    """举报内容 (public page and staff intake share it)."""

    anonymous = forms.TypedChoiceField(
        label="反映方式", choices=[("1", "匿名反映"), ("0", "实名反映")], initial="1",
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
        help_text="匿名反映无需填写任何个人信息，选择匿名时下面填写的个人信息一律不保存；"
                  "实名反映的身份信息加密保存，严格保密。")
    name = forms.CharField(label="姓名（实名时填写）", max_length=50, required=False)
    phone = forms.CharField(label="联系电话（实名时填写）", max_length=30, required=False)
    id_number = forms.CharField(label="身份证号（可不填）", max_length=30, required=False)
    address = forms.CharField(label="联系地址（可不填）", max_length=200, required=False)
    subject_name = forms.CharField(label="被反映人或单位", max_length=100)
    subject_title = forms.CharField(label="被反映人职务", max_length=100, required=False)
    category = CategoryChoiceField(label="问题类别", queryset=None, required=False,
                                      empty_label="（不确定可不选）")
    content = forms.CharField(label="反映的主要问题", widget=forms.Textarea(attrs={"rows": 8}),
                              max_length=20000,
                              help_text="请写明时间、地点、涉及人员和事实经过，便于核实。")
    attachments = MultipleFileField(label="附件", required=False, help_text=ATTACH_HELP)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories

    def report_data(self) -> ReportData:
        d = self.cleaned_data
        return ReportData(
            subject_name=d["subject_name"], subject_title=d.get("subject_title", ""),
            content=d["content"], category=d.get("category"), anonymous=d["anonymous"],
            identity=ident.Identity(name=d.get("name", ""), phone=d.get("phone", ""),
                                    id_number=d.get("id_number", ""), address=d.get("address", "")),
            concerns_leadership=d.get("concerns_leadership", False),
        )


class IntakeForm(ReportForm):
    channel = forms.ChoiceField(label="来源方式", choices=[
        c for c in Petition.Channel.choices if c[0] != Petition.Channel.ONLINE])
    received_on = forms.DateField(label="受理日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    concerns_leadership = forms.BooleanField(
        label="反映被巡察党组织领导班子及其成员", required=False,
        help_text="此类问题不得转交被巡察党组织办理。")
    field_order = ["channel", "received_on"]


class FollowUpForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20)
    secret = forms.CharField(label="查询密码", max_length=30, widget=forms.PasswordInput)


class SupplementForm(forms.Form):
    text = forms.CharField(label="补充内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    attachments = MultipleFileField(label="附件", required=False, help_text=ATTACH_HELP)


class TextForm(forms.Form):
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)


class ClassifyForm(forms.Form):
    category = CategoryChoiceField(label="问题类别", queryset=None, required=False,
                                      empty_label="（未分类）")
    concerns_leadership = forms.BooleanField(label="反映被巡察党组织领导班子及其成员", required=False)
    status = forms.ChoiceField(label="状态", choices=Petition.Status.choices)
    handling = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               max_length=2000)
    remarks = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class ReasonForm(forms.Form):
    reason = forms.CharField(label="事由", max_length=300, min_length=4,
                             help_text="查看反映人身份将记入审计日志。")


class LinkForm(forms.Form):
    other = forms.CharField(label="关联受理编号（如 安康市XF2026-1-003，或本轮序号 3）", max_length=40)
    reason = forms.CharField(label="关联原因", max_length=100, initial="同一事项重复反映")
