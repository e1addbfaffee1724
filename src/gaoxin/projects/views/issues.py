"""Journal and issue-list (问题清单) pages: thin adapters over selectors.issues and services.issues."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gaoxin.core.pages import (
    Column,
    add_service_errors,
    business_page,
    form_page,
    found,
    paginate,
    sort_and_head,
)
from gaoxin.core.permissions import Role

from ..forms_issues import IssueEscalateForm, IssueFilterForm, IssueForm, IssueTransitionForm, JournalForm
from ..models import UNRESOLVED_ISSUE_STATUSES, IssueStatus
from ..selectors import issues as selectors
from ..selectors.settings import warning_rules
from ..selectors.taskforces import department_choices
from ..services import issues as services

COLUMNS = [
    Column("light", gettext_lazy("预警")),
    Column("project", gettext_lazy("项目"), "project__code"),
    Column("description", gettext_lazy("问题描述")),
    Column("category", gettext_lazy("类别"), "category"),
    Column("responsible_department", gettext_lazy("责任单位"), "responsible_department__code"),
    Column("deadline", gettext_lazy("办理时限"), "deadline"),
    Column("days", gettext_lazy("剩余/逾期")),
    Column("status", gettext_lazy("状态"), "status"),
    Column("raised_on", gettext_lazy("提出日期"), "raised_on"),
]


def journal_context(user, project, form=None) -> dict:
    """What the journal part of the project page needs (shared with the HTMX answer)."""
    return {
        "object": project,
        "journal": selectors.journal_of_projects([project.pk]),
        "journal_form": form if form is not None else JournalForm(),
        "can_contribute": services.can_contribute(user, project),
    }


@business_page(enterprise_users=False)
@require_POST
def journal_add(request, pk: int):
    user = request.user
    project = found(selectors.readable_project(user=user, pk=pk))
    if not services.can_contribute(user, project):
        raise PermissionDenied(_("只有项目主管部门或其护航专班成员可以记录项目日志。"))
    form = JournalForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            services.journal_add(user=user, project=project, **form.cleaned_data)
            saved = True
        except ValidationError as exc:
            add_service_errors(form, exc)
    if request.htmx:
        return render(request, "projects/includes/issue_journal_section.html",
                      journal_context(user, project, None if saved else form))
    if saved:
        messages.success(request, _("日志已记录。"))
    else:
        messages.error(request, _("日志未记录：%(errors)s") % {
            "errors": "；".join(f"{form.fields[f].label if f in form.fields else ''}{' '.join(e)}"
                               for f, e in form.errors.items())})
    return redirect(project.get_absolute_url() + "#journal")


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def issue_add(request, pk: int):
    user = request.user
    project = found(selectors.readable_project(user=user, pk=pk))
    if not services.can_contribute(user, project):
        raise PermissionDenied(_("只有项目主管部门或其护航专班成员可以提出项目问题。"))
    form = IssueForm(request.POST or None, departments=department_choices(zone=project.zone_id))
    return form_page(
        request, form,
        save=lambda data, message: services.issue_create(user=user, project=project, data=data, message=message),
        template="projects/issue_form.html",
        context={"title": _("提出问题：%(project)s") % {"project": project}, "project": project,
                 "cancel_url": project.get_absolute_url()},
        success_message=_("问题已提出。"),
    )


@business_page(enterprise_users=False)
def issue_list(request):
    user = request.user
    departments = department_choices(zone=user.zone_id)
    # Staff land on their department's to-do list; "全部" is one click away.
    data = request.GET
    form = IssueFilterForm(data, departments=departments)
    if user.role == Role.DEPARTMENT_STAFF and not any(name in data for name in form.fields):
        data = data.copy()  # paging and sorting keep the default view
        data["mine"] = "on"
        form = IssueFilterForm(data, departments=departments)
    as_of = timezone.localdate()
    rules = warning_rules(user.zone_id)
    qs = selectors.issues_for_user(user=user, filters=form.values(), as_of=as_of, rules=rules)
    qs, head = sort_and_head(request, qs, COLUMNS, default="deadline")
    page = paginate(request, qs)
    return render(request, "projects/issue_list.html", {
        "page_obj": page,
        "rows": selectors.with_lights(page.object_list, as_of=as_of, rules=rules),
        "head": head,
        "filter_form": form,
        "mine": bool(form.values().get("mine")),
        "is_staff": user.role == Role.DEPARTMENT_STAFF,
    })


TRANSITION_LABELS = {
    IssueStatus.IN_PROGRESS: gettext_lazy("开始办理"),
    IssueStatus.RESOLVED: gettext_lazy("办结（已解决）"),
    IssueStatus.CLOSED: gettext_lazy("销号"),
}


@business_page(enterprise_users=False)
def issue_detail(request, pk: int):
    user = request.user
    issue = found(selectors.issue_get_for_user(user=user, pk=pk))
    rules = warning_rules(issue.zone_id)
    as_of = timezone.localdate()
    moves = services.allowed_transitions(user, issue)
    buttons = [{"to": to, "label": _("重新办理") if issue.status == IssueStatus.RESOLVED
                and to == IssueStatus.IN_PROGRESS else TRANSITION_LABELS[to],
                "needs_resolution": to == IssueStatus.RESOLVED,
                "needs_reason": issue.status == IssueStatus.RESOLVED and to == IssueStatus.IN_PROGRESS}
               for to in moves]
    can_escalate = (issue.status in UNRESOLVED_ISSUE_STATUSES and issue.escalated_at is None
                    and (services.is_project_department(user, issue.project) or services.is_responsible(user, issue)))
    return render(request, "projects/issue_detail.html", {
        "object": issue,
        "row": selectors.IssueRow(issue, selectors.issue_signal(issue, as_of=as_of, rules=rules)),
        "buttons": buttons,
        "escalate_form": IssueEscalateForm() if can_escalate else None,
        "timeline": selectors.issue_timeline(issue),
    })


@business_page(enterprise_users=False)
@require_POST
def issue_transition(request, pk: int):
    user = request.user
    issue = found(selectors.issue_get_for_user(user=user, pk=pk))
    form = IssueTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要改为的状态。"))
        return redirect(issue.get_absolute_url())
    try:
        done = services.issue_transition(user=user, issue=issue, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("问题已改为“%(status)s”。") % {"status": done.get_status_display()})
    return redirect(issue.get_absolute_url())


@business_page(enterprise_users=False)
@require_POST
def issue_escalate(request, pk: int):
    user = request.user
    issue = found(selectors.issue_get_for_user(user=user, pk=pk))
    form = IssueEscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写提请协调的说明。"))
        return redirect(issue.get_absolute_url())
    try:
        services.issue_escalate(user=user, issue=issue, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已提请领导协调。"))
    return redirect(issue.get_absolute_url())
