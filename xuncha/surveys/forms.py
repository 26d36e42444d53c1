"""Forms: the answer form (phone page), the paper-entry form (keyboard only) and the editing forms."""

from __future__ import annotations

import re

from django import forms

from .models import Question, Survey

MAX_TEXT = 2000


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One field per question: radio buttons, check boxes, or a text box; the respondent group first."""

    def __init__(self, survey: Survey, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(questions)
        if survey.groups:
            self.fields["group"] = forms.ChoiceField(
                label="您的身份", choices=[(g, g) for g in survey.groups], widget=forms.RadioSelect,
                error_messages={"required": "请选择您的身份。"})
        for n, q in enumerate(self.questions, start=1):
            label = f"{n}. {q.text}"
            missing = {"required": f"第{n}题为必答题，请作答。"}
            choices = [(str(i), o) for i, o in enumerate(q.options)]
            if q.kind == Question.Kind.MULTIPLE:
                f = forms.MultipleChoiceField(label=label, choices=choices, required=q.required,
                                              widget=forms.CheckboxSelectMultiple, error_messages=missing)
            elif q.kind == Question.Kind.TEXT:
                f = forms.CharField(label=label, required=q.required, max_length=MAX_TEXT, error_messages=missing,
                                    widget=forms.Textarea(attrs={"rows": 3}))
            else:
                f = forms.ChoiceField(label=label, choices=choices, required=q.required, widget=forms.RadioSelect,
                                      error_messages=missing)
            self.fields[field_name(q)] = f

    def answers(self) -> dict[int, tuple[list[int], str]]:
        """{question id: (chosen option numbers, text)} of the questions answered."""
        result = {}
        for q in self.questions:
            value = self.cleaned_data.get(field_name(q))
            if q.kind == Question.Kind.TEXT:
                text = (value or "").replace("\x00", "").strip()
                if text:
                    result[q.pk] = ([], text)
            elif q.kind == Question.Kind.MULTIPLE:
                if value:
                    result[q.pk] = (sorted(int(v) for v in value), "")
            elif value not in (None, ""):
                result[q.pk] = ([int(value)], "")
        return result

    @property
    def group(self) -> str:
        return self.cleaned_data.get("group", "") if self.survey.groups else ""


NUMBERS = re.compile(r"\d+")


class PaperForm(forms.Form):
    """录入纸质问卷: one text box per question, option numbers typed from the keyboard (1 = first option).

    Multiple choice: several numbers, separated or not (“1 3”, “13” when there are fewer than 10
    options). Text questions take the text. Errors name the question and what was typed.
    """

    token = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, survey: Survey, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(questions)
        if survey.groups:
            hint = "  ".join(f"{i}={g}" for i, g in enumerate(survey.groups, start=1))
            self.fields["group"] = forms.CharField(label="调查对象类别", required=False, max_length=5,
                                                   help_text=hint, widget=forms.TextInput(attrs={
                                                       "inputmode": "numeric", "autocomplete": "off"}))
        for n, q in enumerate(self.questions, start=1):
            if q.kind == Question.Kind.TEXT:
                widget = forms.TextInput(attrs={"autocomplete": "off"})
                help_text = "文字（可空）" if not q.required else "文字"
                max_length = MAX_TEXT
            else:
                widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "short"})
                help_text = "  ".join(f"{i}={o}" for i, o in enumerate(q.options, start=1))
                max_length = 60
            self.fields[field_name(q)] = forms.CharField(label=f"{n}. {q.text}", required=False, help_text=help_text,
                                                         max_length=max_length, widget=widget)
        first = next(iter(f for name, f in self.fields.items() if name != "token"), None)
        if first is not None:
            first.widget.attrs["autofocus"] = True

    def _numbers(self, raw: str, count: int) -> list[int] | None:
        raw = raw.strip()
        if not raw:
            return []
        if count < 10 and raw.isdigit():
            parts = list(raw)
        else:
            parts = NUMBERS.findall(raw)
            if "".join(parts) != re.sub(r"[\s,，、.;；]+", "", raw):
                return None
        try:
            return [int(p) for p in parts]
        except ValueError:
            return None

    def clean(self):
        data = super().clean()
        self.parsed: dict[int, tuple[list[int], str]] = {}
        if self.survey.groups:
            raw = (data.get("group") or "").strip()
            if raw:
                if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= len(self.survey.groups):
                    self.add_error("group", f"调查对象类别填了“{raw}”，应为 1 至 {len(self.survey.groups)}。")
                else:
                    self.parsed_group = self.survey.groups[int(raw) - 1]
            self.parsed_group = getattr(self, "parsed_group", "")
        else:
            self.parsed_group = ""
        for n, q in enumerate(self.questions, start=1):
            name = field_name(q)
            raw = (data.get(name) or "").replace("\x00", "").strip()
            if not raw:
                if q.required:
                    self.add_error(name, f"第{n}题为必答题，未填写。（表上空着的，请按实际填写；确实未答的题不能算作答卷。）")
                continue
            if q.kind == Question.Kind.TEXT:
                self.parsed[q.pk] = ([], raw)
                continue
            numbers = self._numbers(raw, len(q.options))
            if numbers is None or not numbers or any(not 1 <= x <= len(q.options) for x in numbers):
                self.add_error(name, f"第{n}题填了“{raw}”，应为 1 至 {len(q.options)} 的选项序号。")
                continue
            if q.kind != Question.Kind.MULTIPLE and len(numbers) != 1:
                self.add_error(name, f"第{n}题是{q.get_kind_display()}题，只能填一个序号，填了“{raw}”。")
                continue
            self.parsed[q.pk] = (sorted({x - 1 for x in numbers}), "")
        return data


class TemplateForm(forms.ModelForm):
    groups_text = forms.CharField(label="调查对象类别", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="每行一个，如：班子成员、中层干部、一般干部、群众；不分类别就留空")

    class Meta:
        model = Survey
        fields = ["title", "kind", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups_text"].initial = "\n".join(self.instance.groups or [])

    def clean(self):
        data = super().clean()
        self.instance.groups = [g.strip() for g in (data.get("groups_text") or "").splitlines() if g.strip()]
        return data


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label="选项", required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一个选项；行首加 * 的选项计入知晓率/满意度/好评率（如 *知道）。文字题不填")

    class Meta:
        model = Question
        fields = ["text", "kind", "required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import options_text

        if self.instance.pk:
            self.fields["options_text"].initial = options_text(self.instance)

    def clean(self):
        from .services import parse_options

        data = super().clean()
        self.instance.options, self.instance.positive = parse_options(data.get("options_text") or "")
        return data


class CodesForm(forms.Form):
    count = forms.IntegerField(label="打印个数", min_value=1, max_value=500, initial=40)


class PaperIssuedForm(forms.Form):
    count = forms.IntegerField(label="发放纸质问卷份数", min_value=0, max_value=100000)


class LogForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
