"""Publicity (公示) and objections (异议): publish a version for a window, file and decide objections, finalize.

The year's cycle: a computed version is published for a window of calendar days; while the window is open
the enterprise files objections with evidence; the officer rejects one with a reason, or accepts it after
correcting the data, which re-runs the year into a new version that keeps the window; once the window is
over and nothing is pending, the version is finalized and the year is locked (services.runs refuses
re-runs and class overrides of a year with a final version).
"""

import datetime as dt
import os
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.permissions import Role
from gaoxin.core.services import audited_create, audited_update, require_write
from gaoxin.core.uploads import EvidenceRules, evidence_problems

from ..models import (
    EvaluationResult,
    EvaluationRun,
    Objection,
    ObjectionEvidence,
    ObjectionStatus,
    RunStatus,
)
from ..selectors.appeals import finalize_problems, objection_window_problem, today
from . import runs as run_services

DAYS_MIN, DAYS_MAX, DAYS_DEFAULT = 3, 30, 7
EVIDENCE_MAX_FILES = 5
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "ofd", "doc", "docx", "xls", "xlsx")
TEXT_MAX_CHARS = 5000
NAME_MAX_CHARS = 200  # ObjectionEvidence.original_name


def publicity_end(start: dt.date, days: int) -> dt.date:
    """The last day of a window of `days` calendar days that starts on `start` (both days included)."""
    return start + dt.timedelta(days=days - 1)


def _locked_run(run: EvaluationRun) -> EvaluationRun:
    """The run re-read under a row lock: filing, deciding and finalizing of one version are serialised."""
    return EvaluationRun.objects.select_for_update().get(pk=run.pk)


def _is_newest(run: EvaluationRun) -> bool:
    return not EvaluationRun.objects.filter(zone_id=run.zone_id, year=run.year, version__gt=run.version).exists()


@transaction.atomic
def evaluation_run_publish(*, user, run: EvaluationRun, start: dt.date | None = None, days: int = DAYS_DEFAULT,
                           message: str = "") -> EvaluationRun:
    """Publish the newest computed version for `days` calendar days from `start` (default today).

    A person publishes from today on; `user=None` is a trusted system caller (the demo builder recording a
    past year's cycle) and may name an earlier start.
    """
    if user is not None:
        require_write(user=user, model=EvaluationRun, obj=run)
    run = _locked_run(run)
    if run.status != RunStatus.COMPUTED:
        raise ValidationError(_("该版本状态为“%(status)s”，只有“已计算”的版本可以发布公示。") % {
            "status": run.get_status_display()})
    if not _is_newest(run):
        raise ValidationError(_("只能公示该年度最新的版本：第 %(version)s 版已被更新的版本替代。") % {
            "version": run.version})
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"days": _("公示天数须为整数。")}) from None
    if not DAYS_MIN <= days <= DAYS_MAX:
        raise ValidationError({"days": _("公示天数须在 %(min)s 至 %(max)s 天之间（自然日）。") % {
            "min": DAYS_MIN, "max": DAYS_MAX}})
    start = start or today()
    if user is not None and start < today():
        raise ValidationError({"start": _("公示开始日期不能早于今天（%(today)s）。") % {"today": today().isoformat()}})
    end = publicity_end(start, days)
    window = _("公示期 %(start)s 至 %(end)s，共 %(days)s 天。") % {
        "start": start.isoformat(), "end": end.isoformat(), "days": days}
    return audited_update(run, {"status": RunStatus.PUBLICITY, "publicity_start": start, "publicity_end": end},
                          message=" ".join(m for m in (message, window) if m))


def _file_problems(files: list) -> list[str]:
    # the limits are read at call time, so a test may lower one
    rules = EvidenceRules(EVIDENCE_MAX_FILES, EVIDENCE_MAX_BYTES, EVIDENCE_EXTENSIONS, NAME_MAX_CHARS)
    return evidence_problems(files, rules, already=0)


def objection_file(*, user, result: EvaluationResult, text: str, files=(), message: str = "") -> Objection:
    """The enterprise objects to its published result, with optional evidence files (stored under MEDIA_ROOT).

    Files are written before the transaction commits; if anything fails afterwards they are removed again,
    so a refused objection leaves neither rows nor files behind.
    """
    if (user is None or not user.is_authenticated or user.role != Role.ENTERPRISE
            or not EvaluationResult.objects.visible_to(user).filter(pk=result.pk).exists()):
        raise PermissionDenied(_("只有该企业的企业用户可以对本企业的评价结果提出异议。"))
    files = list(files or [])
    saved: list[str] = []
    try:
        with transaction.atomic():
            return _file(user=user, result=result, text=text, files=files, message=message, saved=saved)
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


def _file(*, user, result, text, files, message, saved: list[str]) -> Objection:
    run = _locked_run(result.run)
    problem = objection_window_problem(run)
    if problem:
        raise ValidationError(problem)
    if Objection.objects.filter(run=run, enterprise_id=result.enterprise_id, status=ObjectionStatus.PENDING).exists():
        raise ValidationError(_("本企业对本次评价已有待处理的异议，请等待处理结果后再提出。"))
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = [_("请填写异议内容：说明对哪项数据或结果有异议，以及理由。")]
    elif len(text) > TEXT_MAX_CHARS:
        errors["text"] = [_("异议内容最多 %(max)s 字，当前 %(n)s 字。") % {"max": TEXT_MAX_CHARS, "n": len(text)}]
    problems = _file_problems(files)
    if problems:
        errors["files"] = problems
    if errors:
        raise ValidationError(errors)
    names = [os.path.basename(f.name) for f in files]
    evidence = _("异议材料：%(names)s。") % {"names": "、".join(names)} if names else _("未附异议材料。")
    objection = audited_create(
        Objection(zone_id=run.zone_id, run=run, result=result, enterprise_id=result.enterprise_id, text=text,
                  filed_by=user),
        message=" ".join(m for m in (message, evidence) if m),
    )
    for f, name in zip(files, names, strict=True):
        item = ObjectionEvidence(objection=objection, original_name=name, size=f.size)
        # The stored name is random: the original (often Chinese) name is kept in the row and sent on download.
        item.file.save(uuid.uuid4().hex + os.path.splitext(name)[1].lower(), f, save=False)
        saved.append(item.file.name)
        item.save()
    return objection


def _decidable(*, user, objection: Objection, reason: str) -> tuple[Objection, str]:
    require_write(user=user, model=Objection, obj=objection)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != ObjectionStatus.PENDING:
        raise ValidationError(_("该异议已处理（%(status)s），不能再次处理。") % {
            "status": objection.get_status_display()})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写处理意见：受理或驳回都须说明理由。")})
    return objection, reason


@transaction.atomic
def objection_reject(*, user, objection: Objection, reason: str, message: str = "") -> Objection:
    """Reject with a reason; the result stands as published."""
    objection, reason = _decidable(user=user, objection=objection, reason=reason)
    return audited_update(objection, {
        "status": ObjectionStatus.REJECTED, "decision": reason, "decided_by": user, "decided_at": timezone.now(),
    }, message=" ".join(m for m in (message, _("驳回异议。")) if m))


def _summary(result: EvaluationResult | None) -> str:
    if result is None:
        return _("（不在该版本中）")
    if not result.evaluated:
        return _("不参评")
    return _("%(score).4f 分，%(klass)s 档") % {"score": result.score or 0, "klass": result.final_class or "—"}


@transaction.atomic
def objection_accept(*, user, objection: Objection, reason: str, message: str = "") -> Objection:
    """Accept an objection whose data the officer has already corrected: the year is re-run into a new
    version (same publicity window, pending objections moved along) and the objection records it."""
    objection, reason = _decidable(user=user, objection=objection, reason=reason)
    before = objection.result
    new_run = run_services.evaluation_run_create(
        user=user, year=objection.run.year,
        note=_("受理%(enterprise)s的异议后重新计算") % {"enterprise": objection.enterprise.name},
        message=message,
    )
    # The re-run moved this (still pending) objection to the new version: read it again before deciding.
    objection.refresh_from_db()
    after = new_run.results.filter(enterprise_id=objection.enterprise_id).first()
    change = _("受理异议，重新计算为第 %(version)s 版：%(before)s → %(after)s。") % {
        "version": new_run.version, "before": _summary(before), "after": _summary(after)}
    return audited_update(objection, {
        "status": ObjectionStatus.ACCEPTED, "decision": reason, "decided_by": user, "decided_at": timezone.now(),
        "new_run": new_run,
    }, message=" ".join(m for m in (message, change) if m))


@transaction.atomic
def evaluation_run_finalize(*, user, run: EvaluationRun, message: str = "") -> EvaluationRun:
    """Finalize the version in publicity once its window is over and no objection is pending: the year locks.
    `user=None` is a trusted system caller (the demo builder)."""
    if user is not None:
        require_write(user=user, model=EvaluationRun, obj=run)
    run = _locked_run(run)
    problems = finalize_problems(run)
    if problems:
        raise ValidationError(problems)
    return audited_update(run, {"status": RunStatus.FINAL, "finalized_at": timezone.now()},
                          message=" ".join(m for m in (message, _("定稿，该年度评价结果锁定。")) if m))
