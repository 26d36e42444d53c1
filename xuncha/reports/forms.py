from django import forms

from .content import EVALUATION_ITEMS
from .models import Rating

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RATING_CHOICES = [("", "（待评定）"), *Rating.choices]


class VersionUploadForm(forms.Form):
    file = forms.FileField(label="巡察报告文件", help_text="在 Word 中修改后的 .docx（或定稿 PDF），不超过 10 MB。")
    note = forms.CharField(label="修改说明", max_length=300, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    comments = forms.CharField(label="审核意见", max_length=5000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="退回时必须写明需要修改的地方；同意时可不填。")


class DecisionForm(forms.Form):
    meeting_date = forms.DateField(label="书记专题会议日期", widget=DATE)
    minute_no = forms.CharField(label="会议纪要编号", max_length=60)
    comments = forms.CharField(label="审议意见", max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(forms.Form):
    """巡察总体评价表 and the report's 意见建议."""

    overall_rating = forms.ChoiceField(label="总体评价等次", choices=RATING_CHOICES, required=False)
    overall_comment = forms.CharField(label="总体评价", max_length=2000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    suggestions = forms.CharField(label="意见建议", max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="每行一条；不填则按发现问题的类别生成。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in EVALUATION_ITEMS:
            self.fields[f"item_{code}"] = forms.ChoiceField(label=label, choices=RATING_CHOICES, required=False)
        order = [f"item_{code}" for code, _ in EVALUATION_ITEMS] + ["overall_rating", "overall_comment",
                                                                     "suggestions"]
        self.order_fields(order)

    @classmethod
    def for_report(cls, report):
        initial = {f"item_{k}": v for k, v in (report.evaluation or {}).items()}
        initial.update(overall_rating=report.overall_rating, overall_comment=report.overall_comment,
                       suggestions=report.suggestions)
        return cls(initial=initial)

    def evaluation(self) -> dict:
        return {code: self.cleaned_data.get(f"item_{code}", "") for code, _ in EVALUATION_ITEMS}


class SignForm(forms.Form):
    confirmed = forms.BooleanField(label="本人已阅读反馈意见全文，同意签收，并作为整改第一责任人组织整改", required=False)
