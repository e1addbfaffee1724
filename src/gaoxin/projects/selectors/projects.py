"""Reading the project library with data scope.

Besides the owner department (visible_to), department staff READ the projects escorted by an active task
force their department is a member of, and the projects with an issue their department must handle.
Writing stays with the owner department (editable_by).
"""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from gaoxin.core.permissions import Role

from ..models import Project, ProjectIssue, TaskForce


def _shared_with_department(user) -> Q:
    """Projects other departments share with a staff user's department (task force member, issue owner)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active \
            or user.role != Role.DEPARTMENT_STAFF or not user.department_id:
        return Q(pk__in=[])
    forces = TaskForce.objects.filter(zone_id=user.zone_id, is_active=True,
                                      member_departments=user.department_id).values("pk")
    issues = ProjectIssue.objects.filter(zone_id=user.zone_id,
                                         responsible_department_id=user.department_id).values("project_id")
    return Q(zone_id=user.zone_id) & (Q(task_force__in=forces) | Q(pk__in=issues))


def projects_visible(user) -> QuerySet[Project]:
    """Every project `user` may read, unfiltered and unordered."""
    own = Project.objects.visible_to(user).values("pk")
    return Project.objects.filter(Q(pk__in=own) | _shared_with_department(user))


def projects_for_user(*, user, filters: dict | None = None) -> QuerySet[Project]:
    """The projects a user may read, optionally narrowed by ProjectFilterSet parameters.

    An invalid `ids` list gives no rows rather than all of them: a drill-down must never over-report.
    """
    from ..filters import ProjectFilterSet

    qs = projects_visible(user).select_related("department", "enterprise", "task_force")
    if filters:
        filterset = ProjectFilterSet(filters, queryset=qs)
        if "ids" in filterset.errors:
            return qs.none()
        qs = filterset.qs
    return qs


def project_get_for_user(*, user, pk: int) -> Project | None:
    return projects_visible(user).select_related("department", "enterprise", "task_force").filter(pk=pk).first()


def project_editable(user, project: Project) -> bool:
    return Project.objects.editable_by(user).filter(pk=project.pk).exists()


def projects_total(qs: QuerySet[Project]) -> dict:
    """The list's total row: count and Σ total investment (万元)."""
    row = qs.order_by().aggregate(count=Count("pk"), total=Sum("total_investment_wan"))
    return {"count": row["count"], "total_investment_wan": row["total"] or Decimal("0")}


def project_by_code(*, zone, code: str) -> Project | None:
    return Project.objects.filter(zone=zone, code=code).first()


def project_signing(*, user, project: Project):
    """(the project's signing or None, whether the user may open the signing's page)."""
    from gaoxin.investment.models import Signing

    signing = Signing.objects.filter(project=project).first()
    visible = signing is not None and user.role != Role.ENTERPRISE \
        and Signing.objects.visible_to(user).filter(pk=signing.pk).exists()
    return signing, visible


def project_parcels(*, project: Project) -> QuerySet:
    from ..models import ProjectParcel

    return ProjectParcel.objects.filter(project=project).select_related("parcel", "parcel__holder")


def parcel_codes(*, zone) -> list[str]:
    """The zone's parcel codes, offered when linking a parcel (any department's parcel may be built on)."""
    from gaoxin.land.models import Parcel

    return list(Parcel.objects.filter(zone=zone).order_by("code").values_list("code", flat=True))


def parcel_in_zone(*, zone, code: str):
    from gaoxin.land.models import Parcel

    return Parcel.objects.filter(zone=zone, code=code).first()


def project_company_choices(*, user) -> QuerySet:
    """Any enterprise of the user's zone may be a project company, whichever department keeps it."""
    from gaoxin.enterprises.models import Enterprise

    return Enterprise.objects.filter(zone_id=user.zone_id).only("id", "name", "uscc").order_by("name", "id")


def task_force_choices(*, user) -> QuerySet[TaskForce]:
    if user.role == Role.ENTERPRISE:
        return TaskForce.objects.none()
    return TaskForce.objects.filter(zone_id=user.zone_id).order_by("name", "id")


def enterprise_visible(*, user, enterprise) -> bool:
    if enterprise is None:
        return False
    from gaoxin.enterprises.models import Enterprise

    return Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists()
