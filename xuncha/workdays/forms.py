from django import forms


class DayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="类型", choices=[("0", "放假"), ("1", "调休上班")], coerce=lambda v: v == "1")
    name = forms.CharField(label="名称", max_length=50, required=False, help_text="如：春节、国庆节")


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    source = forms.CharField(label="依据", max_length=200, required=False,
                             help_text="如：国务院办公厅关于2027年部分节假日安排的通知")


class CalcForm(forms.Form):
    start = forms.DateField(label="起算日", widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label="工作日数", min_value=-400, max_value=400, initial=10)
