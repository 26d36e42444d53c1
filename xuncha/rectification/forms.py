"""Forms of the rectification pages (Chinese labels; services do the business checks)."""

from __future__ import annotations

from django import forms

from .models import Accountability, Item, RectReport, Visit
from .plans import MeasureData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class PlanForm(forms.Form):
    """整改方案: for each problem of the feedback, measures, 责任领导, 责任人, 整改时限 and 具体问题."""

    note = forms.CharField(label="修改说明", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, problems, *args, initial_measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        initial_measures = initial_measures or {}
        for p in self.problems:
            m = initial_measures.get(p.pk)
            where = f"问题{p.number}"
            self.fields[f"measures_{p.pk}"] = forms.CharField(label=f"{where}整改措施", required=False, widget=TEXT,
                                                              initial=m.measures if m else "")
            self.fields[f"points_{p.pk}"] = forms.CharField(
                label=f"{where}具体问题（每行一个，可不填）", required=False,
                widget=forms.Textarea(attrs={"rows": 2}), initial=m.points if m else "")
            self.fields[f"leader_{p.pk}"] = forms.CharField(label=f"{where}责任领导", required=False, max_length=50,
                                                            initial=m.leader if m else "")
            self.fields[f"person_{p.pk}"] = forms.CharField(label=f"{where}责任人", required=False, max_length=50,
                                                            initial=m.person if m else "")
            self.fields[f"deadline_{p.pk}"] = forms.DateField(label=f"{where}整改时限", required=False, widget=DATE,
                                                              initial=m.deadline if m else None)

    def rows(self):
        """(problem, bound fields) for the template."""
        return [(p, [self[f"{name}_{p.pk}"] for name in ("measures", "points", "leader", "person", "deadline")])
                for p in self.problems]

    def measures(self) -> list[MeasureData]:
        d = self.cleaned_data
        return [MeasureData(problem_id=p.pk, measures=d[f"measures_{p.pk}"], points=d[f"points_{p.pk}"],
                            leader=d[f"leader_{p.pk}"], person=d[f"person_{p.pk}"], deadline=d[f"deadline_{p.pk}"])
                for p in self.problems]


class CommentForm(forms.Form):
    comments = forms.CharField(label="审核意见", max_length=5000, required=False, widget=TEXT,
                               help_text="退回或认定虚假整改时必须写明理由。")


class ProgressForm(forms.Form):
    progress = forms.CharField(label="整改进展", max_length=5000, widget=TEXT)
    amount_recovered = forms.CharField(label="累计已追缴/挽回金额（元）", max_length=30, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料", help_text="PDF、JPG、PNG、DOCX、XLSX，不超过 10 MB。")
    note = forms.CharField(label="说明", max_length=200, required=False)


class RequestForm(forms.Form):
    comments = forms.CharField(label="销号说明", max_length=5000, required=False, widget=TEXT)


class ReviewItemForm(forms.Form):
    result = forms.ChoiceField(label="整改结果", required=False,
                               choices=[(Item.Result.DONE, "整改到位"), (Item.Result.BASIC, "基本整改到位")])
    comments = forms.CharField(label="审核意见", max_length=5000, required=False, widget=TEXT,
                               help_text="退回或认定虚假整改时必须写明理由。")


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Item) -> str:
        point = obj.point or obj.problem.title
        return f"{obj.code} {point[:30]}"


class LedgerRecordForm(forms.Form):
    """A record that may name the ledger row it belongs to (对应整改事项), one of this feedback's rows."""

    item = ItemChoiceField(label="对应整改事项", required=False, queryset=Item.objects.none(),
                           empty_label="（不对应具体事项）")

    def __init__(self, *args, feedback=None, **kwargs):
        super().__init__(*args, **kwargs)
        if feedback is not None:
            self.fields["item"].queryset = (Item.objects.filter(feedback=feedback).select_related("problem")
                                            .order_by("problem__number", "point_no"))


class AccountabilityForm(LedgerRecordForm):
    name = forms.CharField(label="姓名", max_length=50)
    position = forms.CharField(label="职务", max_length=100)
    measure = forms.CharField(label="处理措施", max_length=200)
    form = forms.ChoiceField(label="四种形态", choices=Accountability.Form.choices)
    decided_on = forms.DateField(label="处理日期", widget=DATE)
    field_order = ["name", "position", "measure", "form", "decided_on", "item"]


class RuleForm(LedgerRecordForm):
    title = forms.CharField(label="制度名称", max_length=200)
    doc_no = forms.CharField(label="文号", max_length=60, required=False)
    issued_on = forms.DateField(label="印发日期", widget=DATE)
    field_order = ["title", "doc_no", "issued_on", "item"]


class ReportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="报告", choices=RectReport.Kind.choices)
    file = forms.FileField(label="文件", help_text=".docx 或 .pdf，不超过 10 MB。")


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="回访日期", widget=DATE)
    visitors = forms.CharField(label="回访人员", max_length=200)
    findings = forms.CharField(label="回访情况", max_length=5000, widget=TEXT)
    conclusion = forms.ChoiceField(label="回访结论", choices=Visit.Conclusion.choices)


class DisclosureForm(forms.Form):
    text = forms.CharField(label="整改情况公开文本", max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
