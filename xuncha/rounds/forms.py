from django import forms

from xuncha.orgs.models import Organization, User
from xuncha.policy.rounds import linkable_parents, taxonomy_policy, team_candidates

from .models import Category, Inquiry, Round, Taxonomy, TeamMembership, WorkLog

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def grouped_categories(categories) -> list:
    """问题类别 as (大类, [its categories]) groups in the taxonomy's own order, as the taxonomy page
    shows them: each 大类 heads its group and is itself the first choice ("属本类，未细分");
    a 大类 without sub-categories is a plain choice. Deeper levels are indented under their 大类."""
    cats = sorted(categories, key=lambda c: (c.order, c.code))
    ids = {c.pk for c in cats}
    children: dict[int, list] = {}
    for c in cats:
        if c.parent_id in ids:
            children.setdefault(c.parent_id, []).append(c)

    def below(cat, depth):
        for child in children.get(cat.pk, []):
            yield child, depth
            yield from below(child, depth + 1)

    groups = []
    for top in (c for c in cats if c.parent_id not in ids):
        members = list(below(top, 0))
        if not members:
            groups.append((top.pk, top.name))
            continue
        options = [(top.pk, f"{top.name}（属本类，未细分）")]
        options += [(c.pk, "　" * depth + c.name) for c, depth in members]
        groups.append((top.name, options))
    return groups


class CategoryChoiceField(forms.ModelChoiceField):
    """问题类别 drop-down grouped under each 大类 (``<optgroup>``); validates against the queryset."""

    def _get_choices(self):
        if self.queryset is None:
            return []
        head = [("", self.empty_label)] if self.empty_label is not None else []
        return head + grouped_categories(self.queryset)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class PlanForm(forms.ModelForm):
    """工作方案."""

    class Meta:
        model = Round
        fields = ["title", "kind", "parent", "year", "number", "taxonomy", "planned_start", "planned_end",
                  "planned_report", "planned_feedback", "focus", "basis", "tasks", "requirements",
                  "plan_doc_no", "plan_recipients", "meeting_at", "meeting_place", "meeting_attendees"]
        widgets = {"meeting_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                   "meeting_attendees": forms.Textarea(attrs={"rows": 2}),
                   "planned_start": DATE, "planned_end": DATE, "planned_report": DATE,
                   "planned_feedback": DATE, "focus": forms.Textarea(attrs={"rows": 4}),
                   "basis": forms.Textarea(attrs={"rows": 3}), "tasks": forms.Textarea(attrs={"rows": 4}),
                   "requirements": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taxonomy"].queryset = taxonomy_policy.instances(actor)
        self.fields["year"].min_value = 2000
        parents = linkable_parents(actor)
        if self.instance.parent_id:
            parents = parents | Round.objects.filter(pk=self.instance.parent_id)
        if parents.exists():
            field = self.fields["parent"]
            field.queryset = parents.distinct()
            field.empty_label = "（不关联）"
            field.help_text = "联动巡察：选择市委的联动巡察轮次，本轮即列入市委联动巡察，类型自动设为“联动巡察”。"
        else:
            del self.fields["parent"]

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "计划结束日期不能早于开始日期。")
        if data.get("parent") is not None:
            data["kind"] = Round.Kind.LINKED
        for key in ("planned_report", "planned_feedback"):
            if data.get(key) and end and data[key] < end:
                self.add_error(key, "应不早于计划结束日期。")
        return data

    def validate_unique(self):
        # jurisdiction is set by the service; it checks the (jurisdiction, year, number) uniqueness
        pass


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(label="人员", queryset=User.objects.none())
    team_role = forms.ChoiceField(label="组内职务", choices=TeamMembership.TeamRole.choices)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = team_candidates(round_).order_by("organization_id", "username")
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.username}，{u.title or u.organization}）"


class RecusalExceptionForm(forms.Form):
    user = forms.ModelChoiceField(label="干部", queryset=User.objects.none())
    reason = forms.CharField(label="例外理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                             help_text="写明为什么该干部虽有回避情形仍须参加本轮巡察（记入审计日志）。")

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = team_candidates(round_).order_by("organization_id", "username")
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"


class TargetsForm(forms.Form):
    targets = forms.ModelMultipleChoiceField(label="被巡察单位", queryset=Organization.objects.none(),
                                             widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = choices


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["ann_phone", "ann_postbox", "ann_email", "ann_letterbox_place", "ann_hours",
                  "ann_reception_place"]


class WorkLogForm(forms.ModelForm):
    class Meta:
        model = WorkLog
        fields = ["date", "work_type", "content", "people_talked", "forms_issued", "forms_returned"]
        widgets = {"date": DATE, "content": forms.Textarea(attrs={"rows": 3})}


class InquiryForm(forms.ModelForm):
    class Meta:
        model = Inquiry
        fields = ["recipient", "recipient_org", "subject", "sent_on", "due_days"]
        widgets = {"sent_on": DATE}

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_org"].queryset = Organization.objects.filter(
            jurisdiction=round_.jurisdiction).exclude(kind=Organization.Kind.UNIT).order_by("name")


class ReplyForm(forms.Form):
    replied_on = forms.DateField(label="回复日期", widget=DATE)
    reply = forms.CharField(label="回复情况", widget=forms.Textarea(attrs={"rows": 3}))


class TaxonomyForm(forms.ModelForm):
    class Meta:
        model = Taxonomy
        fields = ["code", "name", "description", "source"]


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["parent", "code", "name", "order"]

    def __init__(self, *args, taxonomy, **kwargs):
        super().__init__(*args, **kwargs)
        self.taxonomy = taxonomy
        self.instance.taxonomy = taxonomy
        qs = taxonomy.categories.filter(parent__isnull=True)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = qs
        self.fields["parent"].label = "上级类别（空为大类）"


class LinkCountiesForm(forms.Form):
    """部署联动巡察: the counties whose rounds the city office creates under its 联动巡察 round."""

    counties = forms.ModelMultipleChoiceField(label="县（区）", queryset=Organization.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counties"].queryset = choices
