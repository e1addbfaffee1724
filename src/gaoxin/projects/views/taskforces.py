"""Task force (护航专班) pages: list, detail (projects with lights, open issues, journal), add/edit."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import business_page, can_edit, form_page, found, require_edit
from gaoxin.core.permissions import can_write

from .. import engine
from ..forms_issues import AssignProjectForm, TaskForceForm
from ..models import UNRESOLVED_ISSUE_STATUSES, Project, TaskForce
from ..selectors import issues as issue_selectors
from ..selectors import taskforces as selectors
from ..selectors import warnings as warning_selectors
from ..selectors.settings import warning_rules
from ..services import taskforces as services


@business_page(enterprise_users=False)
def task_force_list(request):
    user = request.user
    task_forces = list(selectors.task_forces_for_user(user=user).order_by("-is_active", "name"))
    lights = warning_selectors.project_warnings(
        user=user, projects=Project.objects.filter(task_force__in=[tf.pk for tf in task_forces]))
    red = Counter(w.project.task_force_id for w in lights if w.light == engine.Light.RED)
    return render(request, "projects/task_force_list.html", {
        "rows": [(tf, red.get(tf.pk, 0)) for tf in task_forces],
        "can_add": can_write(user, TaskForce),
    })


def _assignable(user, task_force):
    """Projects the user may hand to this task force: their department's, not already escorted by it."""
    return (Project.objects.editable_by(user).filter(zone=task_force.zone_id)
            .exclude(task_force=task_force).order_by("code"))


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def task_force_detail(request, pk: int):
    user = request.user
    task_force = found(selectors.task_force_get_for_user(user=user, pk=pk))
    assign_form = AssignProjectForm(None, projects=_assignable(user, task_force))
    if request.method == "POST":
        response = _assign_or_unassign(request, task_force)
        if response is not None:
            return response
        assign_form = AssignProjectForm(request.POST, projects=_assignable(user, task_force))
        assign_form.is_valid()
    as_of = timezone.localdate()
    rules = warning_rules(task_force.zone_id)
    escorted = Project.objects.filter(task_force=task_force)
    lights = warning_selectors.project_warnings(user=user, projects=escorted, as_of=as_of)
    visible_ids = [w.project.pk for w in lights]
    open_issues = issue_selectors.issues_for_user(user=user).filter(
        project__task_force=task_force, status__in=UNRESOLVED_ISSUE_STATUSES).order_by("deadline", "pk")
    editable_ids = set(Project.objects.editable_by(user).filter(pk__in=visible_ids).values_list("pk", flat=True))
    return render(request, "projects/task_force_detail.html", {
        "object": task_force,
        "member_departments": task_force.member_departments.order_by("code"),
        "members": task_force.members.select_related("department").order_by("username"),
        "warnings": lights,
        "editable_ids": editable_ids,
        "hidden_count": escorted.count() - len(lights),
        "open_issues": issue_selectors.with_lights(open_issues, as_of=as_of, rules=rules),
        "journal": issue_selectors.journal_of_projects(visible_ids, limit=50),
        "assign_form": assign_form if task_force.is_active and (
            assign_form.is_bound or assign_form.fields["project"].queryset.exists()) else None,
        "can_edit": can_edit(user, task_force),
        "changes": object_changes_for_object(obj=task_force),
    }, status=400 if request.method == "POST" else 200)


def _assign_or_unassign(request, task_force):
    """POST action=assign (project from the form) or action=unassign (project=pk); None = show the form's errors."""
    user = request.user
    action = request.POST.get("action")
    if action not in ("assign", "unassign"):
        messages.error(request, _("未知的操作。"))
        return redirect(task_force.get_absolute_url())
    if action == "assign":
        form = AssignProjectForm(request.POST, projects=_assignable(user, task_force))
        if not form.is_valid():
            return None
        project = form.cleaned_data["project"]
    else:
        raw = request.POST.get("project", "")
        project = Project.objects.filter(task_force=task_force, pk=int(raw)).first() if raw.isdigit() else None
        if project is None or not can_edit(user, project):
            raise PermissionDenied(_("只有项目主管部门可以解除该项目的护航专班。"))
    try:
        if action == "assign":
            services.task_force_assign_project(user=user, task_force=task_force, project=project)
            messages.success(request, _("已将项目 %(code)s 指派给本专班。") % {"code": project.code})
        else:
            services.task_force_unassign_project(user=user, task_force=task_force, project=project)
            messages.success(request, _("已解除项目 %(code)s 的护航。") % {"code": project.code})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(task_force.get_absolute_url())


def _form(request, user, task_force=None):
    return TaskForceForm(request.POST or None, people=selectors.leader_choices(zone=user.zone_id),
                         departments=selectors.department_choices(zone=user.zone_id), task_force=task_force)


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def task_force_add(request):
    user = request.user
    if not can_write(user, TaskForce):
        raise PermissionDenied(_("只有部门工作人员可以新增专班。"))
    return form_page(
        request, _form(request, user),
        save=lambda data, message: services.task_force_create(user=user, data=data, message=message),
        template="projects/task_force_form.html",
        context={"title": _("新增专班"), "cancel_url": reverse("projects:task_force_list")},
        success_message=_("专班已新增。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def task_force_edit(request, pk: int):
    user = request.user
    task_force = found(selectors.task_force_get_for_user(user=user, pk=pk))
    require_edit(user, task_force)
    return form_page(
        request, _form(request, user, task_force),
        save=lambda data, message: services.task_force_update(
            user=user, task_force=task_force, data=data, message=message),
        template="projects/task_force_form.html",
        context={"title": _("修改专班：%(name)s") % {"name": task_force.name}, "object": task_force,
                 "cancel_url": task_force.get_absolute_url(), "changes": object_changes_for_object(obj=task_force)},
        success_message=_("专班已保存。"),
    )
