"""Forms of the task-force, journal, issue and settings pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.pages import ChangeMessageMixin

from .models import IssueCategory, IssueStatus, JournalKind, ProjectSettings

DATE = {"type": "date"}


def _date_widget():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class ProjectSettingsForm(ChangeMessageMixin, forms.ModelForm):
    """The directions are edited one per line; an empty box means the shipped default list."""

    directions_text = forms.CharField(
        label=_("产业方向"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("每行一个；留空则使用系统默认的产业方向。线索、签约和项目的产业方向从中选择。"))

    class Meta:
        model = ProjectSettings
        fields = ["yellow_behind_pp", "red_behind_pp", "red_not_started_months", "issue_due_soon_days"]

    field_order = ["yellow_behind_pp", "red_behind_pp", "red_not_started_months", "issue_due_soon_days",
                   "directions_text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["directions_text"] = "\n".join(self.instance.industry_directions or [])

    def clean_directions_text(self):
        lines = [line.strip() for line in self.cleaned_data["directions_text"].splitlines()]
        names = [line for line in lines if line]
        seen, duplicates = set(), []
        for name in names:
            if name in seen:
                duplicates.append(name)
            seen.add(name)
            if len(name) > 50:
                raise forms.ValidationError(_("产业方向“%(name)s”超过 50 个字。") % {"name": name})
        if duplicates:
            raise forms.ValidationError(_("产业方向重复：%(names)s") % {"names": "、".join(duplicates)})
        return names

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["industry_directions"] = self.cleaned_data["directions_text"]
        return data


class TaskForceForm(ChangeMessageMixin, forms.Form):
    name = forms.CharField(label=_("专班名称"), max_length=100)
    leader = forms.ModelChoiceField(label=_("组长"), queryset=None, required=False)
    leader_title = forms.CharField(label=_("组长职务"), max_length=100, required=False,
                                   help_text=_("如：管委会副主任"))
    member_departments = forms.ModelMultipleChoiceField(label=_("成员单位"), queryset=None, required=False,
                                                        widget=forms.CheckboxSelectMultiple)
    members = forms.ModelMultipleChoiceField(label=_("成员"), queryset=None, required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 8}),
                                             help_text=_("按住 Ctrl 可多选。"))
    duties = forms.CharField(label=_("工作职责"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    established_on = forms.DateField(label=_("成立日期"), required=False, widget=_date_widget())
    is_active = forms.BooleanField(label=_("运行中"), required=False, initial=True)

    def __init__(self, *args, people, departments, task_force=None, **kwargs):
        if task_force is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "name": task_force.name, "leader": task_force.leader_id, "leader_title": task_force.leader_title,
                "member_departments": list(task_force.member_departments.values_list("pk", flat=True)),
                "members": list(task_force.members.values_list("pk", flat=True)),
                "duties": task_force.duties, "established_on": task_force.established_on,
                "is_active": task_force.is_active,
            }
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = people
        self.fields["leader"].label_from_instance = _person_label
        self.fields["members"].queryset = people
        self.fields["members"].label_from_instance = _person_label
        self.fields["member_departments"].queryset = departments


def _person_label(user) -> str:
    where = user.department.name if user.department_id else user.get_role_display()
    return f"{user}（{where}）"


class AssignProjectForm(forms.Form):
    project = forms.ModelChoiceField(label=_("指派项目"), queryset=None)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class JournalForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=_date_widget())
    kind = forms.ChoiceField(label=_("类型"), choices=JournalKind.choices, initial=JournalKind.PROGRESS)
    content = forms.CharField(label=_("内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate

    def clean_content(self):
        content = self.cleaned_data["content"].strip()
        if not content:
            raise forms.ValidationError(_("请填写日志内容。"))
        return content


class IssueForm(ChangeMessageMixin, forms.Form):
    description = forms.CharField(label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=_("类别"), choices=IssueCategory.choices, initial=IssueCategory.OTHER)
    responsible_department = forms.ModelChoiceField(label=_("责任单位"), queryset=None)
    deadline = forms.DateField(label=_("办理时限"), widget=_date_widget())
    raised_on = forms.DateField(label=_("提出日期"), required=False, widget=_date_widget(),
                                help_text=_("留空为今天。"))

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_department"].queryset = departments


class IssueTransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("改为"), choices=IssueStatus.choices)
    resolution = forms.CharField(label=_("办理结果"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    message = forms.CharField(label=_("说明"), required=False, max_length=200)


class IssueEscalateForm(forms.Form):
    note = forms.CharField(label=_("提请协调说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


LIGHT_CHOICES = [("red", _("红灯（已逾期）")), ("yellow", _("黄灯（临期）")), ("green", _("绿灯"))]


class IssueFilterForm(forms.Form):
    """The issue list's filters; an invalid value is reported and ignored, never an error page."""

    q = forms.CharField(label=_("搜索"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *IssueStatus.choices])
    light = forms.ChoiceField(label=_("预警"), required=False, choices=[("", _("全部")), *LIGHT_CHOICES])
    responsible_department = forms.ModelChoiceField(label=_("责任单位"), queryset=None, required=False,
                                                    empty_label=_("全部"))
    project = forms.IntegerField(label=_("项目"), required=False, widget=forms.HiddenInput, min_value=1)
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)
    escalated = forms.BooleanField(label=_("仅已提请协调"), required=False)
    mine = forms.BooleanField(label=_("本部门待办"), required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_department"].queryset = departments
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")

    def values(self) -> dict:
        """The valid filters only."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
