"""Reads of publicity and objections, scoped once here.

Objections: staff of the run's department, the zone's leaders and the enterprise itself (ScopeRule on
Objection). Results for an enterprise user: only their own enterprise's, and only of versions that were
published (公示中) or finalized (已定稿) — a computed or superseded version is the officers' working
material, never shown to the enterprise.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.permissions import Role

from ..models import (
    EvaluationResult,
    EvaluationRun,
    Objection,
    ObjectionEvidence,
    ObjectionStatus,
    RunStatus,
)

# The window is counted in calendar days in the zone's time, whatever the server's clock zone is.
ZONE_TIME = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    return timezone.localdate(timezone=ZONE_TIME)


def finalize_problems(run: EvaluationRun) -> list[str]:
    """Why `run` cannot be finalized today (empty when it can); the service refuses for the same reasons."""
    if run.status != RunStatus.PUBLICITY:
        return [_("只有公示中的版本可以定稿（当前状态：%(status)s）。") % {"status": run.get_status_display()}]
    problems = []
    if today() <= run.publicity_end:
        problems.append(_("公示期至 %(end)s 截止，截止后才能定稿。") % {"end": run.publicity_end.isoformat()})
    pending = Objection.objects.filter(run=run, status=ObjectionStatus.PENDING).count()
    if pending:
        problems.append(_("尚有 %(n)s 条异议待处理，处理完毕后才能定稿。") % {"n": pending})
    return problems


def objections_for_user(*, user, filters: dict | None = None) -> QuerySet[Objection]:
    """The objections `user` may read, optionally by `status`, `year` and `run` (a run's pk)."""
    qs = Objection.objects.visible_to(user).select_related(
        "run", "result", "enterprise", "filed_by", "decided_by", "new_run")
    filters = filters or {}
    status = filters.get("status", "")
    if status in ObjectionStatus.values:
        qs = qs.filter(status=status)
    year = str(filters.get("year", "")).strip()
    if year.isdigit():
        qs = qs.filter(run__year=int(year))
    run = str(filters.get("run", "")).strip()
    if run.isdigit():
        qs = qs.filter(run_id=int(run))
    return qs


def objection_get_for_user(*, user, pk: int) -> Objection | None:
    return objections_for_user(user=user).filter(pk=pk).first()


def evidence_get_for_user(*, user, objection_pk: int, evidence_pk: int) -> ObjectionEvidence | None:
    """An evidence file, only for users who may read its objection (None otherwise: a 404, never a hint)."""
    return (ObjectionEvidence.objects
            .filter(pk=evidence_pk, objection_id=objection_pk, objection__in=objections_for_user(user=user))
            .select_related("objection").first())


def run_for_officer(*, user, pk: int) -> EvaluationRun | None:
    """A run as staff (own department) and leaders (zone) see it; enterprise users get None here."""
    if user.role == Role.ENTERPRISE:
        return None
    return EvaluationRun.objects.visible_to(user).select_related("department").filter(pk=pk).first()


def run_objections(*, user, run: EvaluationRun, status: str = "") -> QuerySet[Objection]:
    """The objections of the run's publicity: those filed against this version and the earlier versions of the
    year it replaced (an accepted objection moves along with each re-run; a rejected one stays where it was)."""
    qs = objections_for_user(user=user, filters={"status": status}).filter(
        run__zone_id=run.zone_id, run__year=run.year, run__version__lte=run.version)
    return qs.order_by("-created_at", "-pk")


@dataclass
class Publicity:
    """What the publicity page says about a run today: its window and what may be done with it."""

    run: EvaluationRun
    today: dt.date
    window_state: str  # "" (not published), "upcoming", "open", "over"
    days: int | None
    can_publish: bool
    publish_problem: str
    finalize_blockers: list[str] = field(default_factory=list)
    pending: int = 0

    @property
    def can_finalize(self) -> bool:
        return self.run.status == RunStatus.PUBLICITY and not self.finalize_blockers


def publicity(*, run: EvaluationRun) -> Publicity:
    now = today()
    state, days = "", None
    if run.publicity_start and run.publicity_end:
        days = (run.publicity_end - run.publicity_start).days + 1
        state = "upcoming" if now < run.publicity_start else "open" if now <= run.publicity_end else "over"
    newer = EvaluationRun.objects.filter(zone_id=run.zone_id, year=run.year, version__gt=run.version).first()
    problem = ""
    if run.status != RunStatus.COMPUTED:
        problem = _("该版本状态为“%(status)s”，不能再发布公示。") % {"status": run.get_status_display()}
    elif newer is not None:
        problem = _("该版本已被第 %(version)s 版替代，请公示最新版本。") % {"version": newer.version}
    pending = Objection.objects.filter(run=run, status=ObjectionStatus.PENDING).count()
    return Publicity(
        run=run, today=now, window_state=state, days=days, can_publish=not problem, publish_problem=problem,
        finalize_blockers=finalize_problems(run) if run.status == RunStatus.PUBLICITY else [], pending=pending,
    )


# --- what an enterprise user sees ------------------------------------------------------------------------

def published_results_for_enterprise(*, user) -> QuerySet[EvaluationResult]:
    """The enterprise user's own results in published or final versions, newest year first; nothing for
    anyone else (officers read results through the run pages). A publicity that starts on a later day is
    not public yet."""
    if user is None or not user.is_authenticated or user.role != Role.ENTERPRISE:
        return EvaluationResult.objects.none()
    public = Q(run__status=RunStatus.FINAL) | Q(run__status=RunStatus.PUBLICITY, run__publicity_start__lte=today())
    return (EvaluationResult.objects.visible_to(user).filter(public)
            .select_related("run").order_by("-run__year", "-run__version"))


def enterprise_may_see_result(*, user, result: EvaluationResult) -> bool:
    return published_results_for_enterprise(user=user).filter(pk=result.pk).exists()


def objection_window_problem(run: EvaluationRun) -> str | None:
    """Why objections to `run` cannot be filed today, or None while its window is open."""
    if run.status != RunStatus.PUBLICITY:
        return _("该评价结果不在公示中（状态：%(status)s），不能提出异议。") % {"status": run.get_status_display()}
    now = today()
    if now < run.publicity_start:
        return _("公示期自 %(start)s 开始，开始后才能提出异议。") % {"start": run.publicity_start.isoformat()}
    if now > run.publicity_end:
        return _("公示期已于 %(end)s 截止，不能再提出异议。") % {"end": run.publicity_end.isoformat()}
    return None


def objection_open_for(*, result: EvaluationResult) -> bool:
    """Whether the enterprise may file an objection to `result` today (window open, nothing pending)."""
    run = result.run
    if objection_window_problem(run) is not None:
        return False
    return not Objection.objects.filter(run=run, enterprise_id=result.enterprise_id,
                                        status=ObjectionStatus.PENDING).exists()
