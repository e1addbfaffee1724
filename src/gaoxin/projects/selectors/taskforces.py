"""Reads of the task forces (护航专班), and the extra read access that membership grants."""

from django.db.models import Count, Q, QuerySet

from gaoxin.accounts.models import Department, User
from gaoxin.core.permissions import Role

from ..models import UNRESOLVED_ISSUE_STATUSES, Project, TaskForce


def _person(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.role in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF) and user.zone_id)


def readable_projects(user) -> QuerySet[Project]:
    """The projects `user` may read: the projects-core selector when present (it adds task-force member
    departments and issue-responsible departments to visible_to); the same rule here otherwise."""
    try:
        from .projects import projects_for_user
    except ImportError:
        projects_for_user = None
    if projects_for_user is not None:
        return projects_for_user(user=user)
    scope = Q(pk__in=Project.objects.visible_to(user).values("pk"))
    if _person(user) and user.role == Role.DEPARTMENT_STAFF:
        scope |= Q(zone=user.zone_id, task_force__is_active=True, task_force__member_departments=user.department_id)
        scope |= Q(zone=user.zone_id, issues__responsible_department=user.department_id)
    return Project.objects.filter(pk__in=Project.objects.filter(scope).values("pk"))


def task_force_scope(user) -> Q:
    """visible_to plus the task forces the user's department belongs to, or that name the user."""
    if not _person(user):
        return Q(pk__in=TaskForce.objects.visible_to(user).values("pk"))
    q = Q(pk__in=TaskForce.objects.visible_to(user).values("pk"))
    mine = Q(leader=user.pk) | Q(members=user.pk)
    if user.department_id:
        mine |= Q(member_departments=user.department_id)
    return q | (Q(zone=user.zone_id) & mine)


def task_forces_for_user(*, user, active: bool | None = None) -> QuerySet[TaskForce]:
    """The task forces `user` may read, with how many projects each escorts and their open issues."""
    ids = TaskForce.objects.filter(task_force_scope(user)).values("pk")
    qs = (TaskForce.objects.filter(pk__in=ids).select_related("leader", "department")
          .annotate(project_count=Count("projects", distinct=True),
                    open_issue_count=Count("projects__issues", distinct=True,
                                           filter=Q(projects__issues__status__in=UNRESOLVED_ISSUE_STATUSES))))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def task_force_get_for_user(*, user, pk: int) -> TaskForce | None:
    return task_forces_for_user(user=user).filter(pk=pk).first()


def task_forces_of_member(*, user) -> QuerySet[TaskForce]:
    """The active task forces the user works in: leads (department), member department, leader or member."""
    if not _person(user):
        return TaskForce.objects.none()
    mine = Q(leader=user.pk) | Q(members=user.pk)
    if user.department_id:
        mine |= Q(department=user.department_id) | Q(member_departments=user.department_id)
    ids = TaskForce.objects.filter(mine, zone=user.zone_id, is_active=True).values("pk")
    return TaskForce.objects.filter(pk__in=ids).select_related("leader", "department")


def leader_choices(*, zone) -> QuerySet[User]:
    return (User.objects.filter(zone=zone, is_active=True, role__in=(Role.ZONE_LEADER, Role.DEPARTMENT_STAFF))
            .select_related("department").order_by("role", "department__code", "username"))


def department_choices(*, zone) -> QuerySet[Department]:
    return Department.objects.filter(zone=zone).order_by("code")
