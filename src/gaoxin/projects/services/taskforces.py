"""Writes to the task forces (护航专班): create, update, and which projects each one escorts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Department, User
from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record, snapshot
from gaoxin.core.permissions import Role
from gaoxin.core.services import audited_update, require_write

from ..models import Project, TaskForce
from .projects import project_update

FIELDS = ("name", "leader", "leader_title", "duties", "established_on", "is_active")
LEADER_ROLES = (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF)
MEMBER_ROLES = (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF)


def _check_people(task_force: TaskForce, leader, departments, members) -> None:
    errors = {}
    if leader is not None and (leader.zone_id != task_force.zone_id or leader.role not in LEADER_ROLES):
        errors["leader"] = _("组长须为本园区的园区领导或部门工作人员。")
    foreign = [d.name for d in departments if d.zone_id != task_force.zone_id]
    if foreign:
        errors["member_departments"] = _("成员单位不属于本园区：%(names)s") % {"names": "、".join(foreign)}
    strangers = [str(u) for u in members if u.zone_id != task_force.zone_id or u.role not in MEMBER_ROLES]
    if strangers:
        errors["members"] = _("成员须为本园区的园区领导或部门工作人员：%(names)s") % {"names": "、".join(strangers)}
    if errors:
        raise ValidationError(errors)


def _m2m_note(label: str, before: set, after: set, names: dict) -> str:
    added, removed = sorted(after - before), sorted(before - after)
    parts = []
    if added:
        parts.append(_("增加%(label)s：%(names)s") % {"label": label, "names": "、".join(names[i] for i in added)})
    if removed:
        parts.append(_("移除%(label)s：%(names)s") % {"label": label, "names": "、".join(names[i] for i in removed)})
    return "；".join(parts)


def _save_m2m(task_force: TaskForce, departments, members, *, before_depts: set, before_members: set) -> str:
    """Set the member lists and describe the change (snapshot() covers concrete fields only)."""
    dept_ids = {d.pk for d in departments}
    member_ids = {u.pk for u in members}
    task_force.member_departments.set(dept_ids)
    task_force.members.set(member_ids)
    dept_names = {d.pk: d.name for d in Department.objects.filter(pk__in=dept_ids | before_depts)}
    user_names = {u.pk: str(u) for u in User.objects.filter(pk__in=member_ids | before_members)}
    notes = [_m2m_note(_("成员单位"), before_depts, dept_ids, dept_names),
             _m2m_note(_("成员"), before_members, member_ids, user_names)]
    return "；".join(n for n in notes if n)


def _message(message: str, note: str) -> str:
    return "；".join(p for p in (message, note) if p)[:200]


@transaction.atomic
def task_force_create(*, user, data: dict, message: str = "", zone=None, department=None) -> TaskForce:
    """A new task force led by the user's department (`user=None`: a trusted caller naming zone and department).

    `data`: name, leader, leader_title, member_departments, members, duties, established_on, is_active.
    """
    if user is not None:
        require_write(user=user, model=TaskForce)
        zone, department = user.zone, user.department
    task_force = TaskForce(zone=zone, department=department,
                           **{k: v for k, v in data.items() if k in FIELDS})
    departments = list(data.get("member_departments") or [])
    members = list(data.get("members") or [])
    _check_people(task_force, task_force.leader, departments, members)
    task_force.full_clean()
    task_force.save()
    note = _save_m2m(task_force, departments, members, before_depts=set(), before_members=set())
    change_record(obj=task_force, action=ChangeAction.CREATE, message=_message(message, note))
    return task_force


@transaction.atomic
def task_force_update(*, user, task_force: TaskForce, data: dict, message: str = "") -> TaskForce:
    if user is not None:
        require_write(user=user, model=TaskForce, obj=task_force)
    current = TaskForce.objects.select_for_update().get(pk=task_force.pk)
    before = snapshot(current)
    before_depts = set(current.member_departments.values_list("pk", flat=True))
    before_members = set(current.members.values_list("pk", flat=True))
    for field, value in data.items():
        if field in FIELDS:
            setattr(current, field, value)
    departments = list(data["member_departments"]) if "member_departments" in data \
        else list(Department.objects.filter(pk__in=before_depts))
    members = list(data["members"]) if "members" in data else list(User.objects.filter(pk__in=before_members))
    _check_people(current, current.leader, departments, members)
    current.full_clean()
    changed = snapshot(current) != before
    if changed:
        current.save()
    note = _save_m2m(current, departments, members, before_depts=before_depts, before_members=before_members)
    if changed or note:
        change_record(obj=current, action=ChangeAction.UPDATE, before=before, message=_message(message, note))
    return current


def _set_task_force(*, user, project: Project, task_force: TaskForce | None, message: str) -> Project:
    if user is not None:
        return project_update(user=user, project=project, data={"task_force": task_force},
                              expected_version=None, message=message)
    # A trusted caller (demo, CLI) has no department; the same audited save, and the version still moves.
    current = Project.objects.select_for_update().get(pk=project.pk)
    updated = audited_update(current, {"task_force": task_force}, message=message)
    Project.objects.filter(pk=updated.pk).update(version=F("version") + 1)
    updated.refresh_from_db()
    return updated


@transaction.atomic
def task_force_assign_project(*, user, task_force: TaskForce, project: Project, message: str = "") -> Project:
    """The task force escorts the project from now on (a project has at most one). The project's
    department decides, so the change goes through project_update and shows in the project's history."""
    if task_force.zone_id != project.zone_id:
        raise ValidationError(_("专班与项目不属于同一园区。"))
    if not task_force.is_active:
        raise ValidationError(_("专班“%(name)s”已停止运行，不能再指派项目。") % {"name": task_force.name})
    if project.task_force_id == task_force.pk:
        raise ValidationError(_("项目 %(code)s 已由该专班护航。") % {"code": project.code})
    note = _("指派护航专班：%(name)s") % {"name": task_force.name}
    return _set_task_force(user=user, project=project, task_force=task_force, message=_message(message, note))


@transaction.atomic
def task_force_unassign_project(*, user, task_force: TaskForce, project: Project, message: str = "") -> Project:
    if project.task_force_id != task_force.pk:
        raise ValidationError(_("项目 %(code)s 不由该专班护航。") % {"code": project.code})
    note = _("解除护航专班：%(name)s") % {"name": task_force.name}
    return _set_task_force(user=user, project=project, task_force=None, message=_message(message, note))

