"""Forms of 数据比对: upload, run, 核实, the policy form (every field of the policy file)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from . import policies


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.xls,.csv", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    files = MultipleFileField(label="数据文件（可多选：.xlsx、.xls、.csv）")


class RunForm(forms.Form):
    as_of = forms.DateField(label="比对基准日", widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="晚于该日的记录不计入，如同在该日比对")


class ConfirmForm(forms.Form):
    title = forms.CharField(label="问题概述", max_length=200, required=False)
    description = forms.CharField(label="问题事实", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    category = forms.ModelChoiceField(label="问题类别", queryset=None, required=False)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class DismissForm(forms.Form):
    reason = forms.CharField(label="排除理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class PolicyForm(forms.Form):
    """比对策略: one field for each key of the policy file, checked again by the engine on save."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    shelter_ratio = forms.FloatField(label="结建比例（应建面积 = 地上建筑面积 × 比例）", min_value=0, max_value=1)
    min_ground_area = forms.FloatField(label="应建防空地下室的最小地上建筑面积（㎡）", min_value=0)
    exempt_uses = forms.CharField(label="不需修建防空地下室的建筑用途（每行一个）", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    area_tolerance = forms.FloatField(label="面积容差（相对，0 到 1）", min_value=0, max_value=1)
    fee_rates = forms.CharField(label="易地建设费收费标准（每行：起始日期 元/㎡）", widget=forms.Textarea(attrs={"rows": 3}))
    waiver_eligible = forms.CharField(label="可减免的建筑用途及最大减免比例（每行：用途 比例）", required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    waiver_require_basis = forms.BooleanField(label="减免须有减免依据", required=False)
    treasury_max_days = forms.IntegerField(label="收款后应入库的天数", min_value=0)
    acceptance_grace_days = forms.IntegerField(label="竣工验收备案后应完成人防验收的天数", min_value=0)
    rent_min_ratio = forms.FloatField(label="租金不低于指导租金的比例", min_value=0)
    threshold_works = forms.FloatField(label="工程类公开招标限额（元）", min_value=0.01)
    threshold_goods = forms.FloatField(label="货物类公开招标限额（元）", min_value=0.01)
    threshold_services = forms.FloatField(label="服务类公开招标限额（元）", min_value=0.01)
    tender_methods = forms.CharField(label="属于招标的采购方式（每行一个）", widget=forms.Textarea(attrs={"rows": 2}))
    split_window_days = forms.IntegerField(label="拆分采购的时间窗（天）", min_value=0)
    duplicate_window_days = forms.IntegerField(label="重复支付的时间窗（天）", min_value=0)
    subsidy_keywords = forms.CharField(label="违规发放津补贴的摘要关键词（每行一个）",
                                       widget=forms.Textarea(attrs={"rows": 3}))

    def clean_fee_rates(self):
        return policies.parse_rates(self.cleaned_data["fee_rates"])

    def clean_waiver_eligible(self):
        return policies.parse_shares(self.cleaned_data["waiver_eligible"])

    def clean_exempt_uses(self):
        return policies.parse_list(self.cleaned_data["exempt_uses"])

    def clean_tender_methods(self):
        values = policies.parse_list(self.cleaned_data["tender_methods"])
        if not values:
            raise ValidationError("至少填写一种采购方式。")
        return values

    def clean_subsidy_keywords(self):
        values = policies.parse_list(self.cleaned_data["subsidy_keywords"])
        if not values:
            raise ValidationError("至少填写一个关键词。")
        return values

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.toml = policies.from_fields(data)
            try:
                policies.validate(self.toml)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from None
        return data


class PolicyImportForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    file = forms.FileField(label="策略文件（.toml）")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > policies.MAX_TOML * 4:
            raise ValidationError("文件太大。")
        try:
            text = f.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("策略文件应为 UTF-8 编码的 TOML 文本。") from None
        policies.check_toml_syntax(text)
        policies.validate(text, f.name)
        return text
