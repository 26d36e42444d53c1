from django import forms

from xuncha.policy.orgs import organization_policy

from .models import Organization, RelativeEntry, Role, User


class UserForm(forms.Form):
    username = forms.RegexField(label="用户名", max_length=150, regex=r"^[A-Za-z0-9_.@-]+$",
                                error_messages={"invalid": "用户名只能包含字母、数字和 _ . @ -"})
    full_name = forms.CharField(label="姓名", max_length=50)
    organization = forms.ModelChoiceField(label="所属组织", queryset=Organization.objects.none())
    roles = forms.MultipleChoiceField(label="角色", choices=Role.choices,
                                      widget=forms.CheckboxSelectMultiple)
    title = forms.CharField(label="职务", max_length=50, required=False)
    phone = forms.CharField(label="电话", max_length=30, required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, required=False,
                               help_text="至少 8 位，不能全为数字。")

    def __init__(self, *args, actor, instance: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["organization"].queryset = organization_policy.instances(actor, "manage")
        if instance is not None:
            del self.fields["username"]
            del self.fields["password"]
        else:
            self.fields["password"].required = True

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("该用户名已被使用。")
        return username


class PasswordResetForm(forms.Form):
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput,
                                   help_text="至少 8 位，不能全为数字。")


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "jurisdiction", "party_org", "head", "liaison", "liaison_phone",
                  "staff_count", "address", "inspectable"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        from xuncha.policy.orgs import jurisdiction_policy
        self.fields["jurisdiction"].queryset = jurisdiction_policy.instances(actor)


class ProfileForm(forms.Form):
    home_unit = forms.ModelChoiceField(label="现工作单位（原单位）", queryset=Organization.objects.none(),
                                       required=False, empty_label="（巡察办在编，无原单位）")
    home_since = forms.IntegerField(label="在现单位起始年份", required=False, min_value=1950, max_value=2100)
    note = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].queryset = organization_policy.instances(actor).order_by("jurisdiction_id", "name")


class CareerForm(forms.Form):
    organization = forms.ModelChoiceField(label="曾任职单位", queryset=Organization.objects.none())
    post = forms.CharField(label="职务", max_length=50, required=False)
    start_year = forms.IntegerField(label="起始年份", min_value=1950, max_value=2100)
    end_year = forms.IntegerField(label="截止年份", min_value=1950, max_value=2100)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organization_policy.instances(actor).order_by("jurisdiction_id",
                                                                                             "name")


class RelativeForm(forms.Form):
    relation = forms.ChoiceField(label="关系", choices=RelativeEntry.Relation.choices)
    name = forms.CharField(label="姓名", max_length=50)
    organization = forms.ModelChoiceField(label="工作单位", queryset=Organization.objects.none())
    post = forms.CharField(label="职务", max_length=50, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organization_policy.instances(actor).order_by("jurisdiction_id",
                                                                                             "name")


class LeaderForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    posts = forms.CharField(label="职务", max_length=100, help_text="多个职务用顿号分开，如：主任、党组书记")
