"""Every write of investment attraction: leads and their follow-ups, signings (签约即入库), funds in place."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record_many, snapshot
from gaoxin.core.bulk import insert_instances
from gaoxin.core.services import (
    UpsertResult,
    audited_create,
    audited_delete,
    audited_update,
    require_register_write,
    require_write,
)
from gaoxin.projects.models import Project, ProjectType
from gaoxin.projects.selectors.settings import project_settings_for
from gaoxin.projects.services.projects import project_create

from .models import OPEN_LEAD_STAGES, FundTranche, Lead, LeadFollowUp, LeadStage, Signing

# Fields a user may set; zone, department and stage come from who acts and from the stage services.
LEAD_FIELDS = (
    "name", "investor", "investor_region", "channel", "source", "industry", "expected_investment_wan", "content",
    "contact", "owner", "received_on",
)
FOLLOW_UP_FIELDS = ("date", "method", "content", "next_step")
SIGNING_FIELDS = ("date", "contract_investment_wan", "channel", "industry", "investor")
FUND_FIELDS = ("date", "amount_wan", "note")
# What a signing that creates its project passes on to project_create.
NEW_PROJECT_FIELDS = ("code", "name", "total_investment_wan", "industry", "enterprise")


def _pick(data: dict, fields: tuple[str, ...]) -> dict:
    return {k: v for k, v in data.items() if k in fields}


def _check_industry(zone, industry: str, *, field: str = "industry", current: str = "") -> None:
    """An industry direction must be one of the zone's; a value kept unchanged from before stays allowed."""
    if not industry or industry == current:
        return
    directions = project_settings_for(zone).directions
    if industry not in directions:
        raise ValidationError({field: _("“%(value)s”不是本园区的产业方向，应为：%(choices)s。") % {
            "value": industry, "choices": "、".join(directions)}})


def _check_not_future(day, *, field: str, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天（%(today)s）。") % {
            "label": label, "today": timezone.localdate().isoformat()}})


# Leads -------------------------------------------------------------------------------------------------

def _check_owner(zone_id, owner) -> None:
    if owner is not None and owner.zone_id != zone_id:
        raise ValidationError({"owner": _("负责人须为本园区的用户。")})


@transaction.atomic
def lead_create(*, user, data: dict, message: str = "") -> Lead:
    require_write(user=user, model=Lead)
    fields = _pick(data, LEAD_FIELDS)
    _check_owner(user.zone_id, fields.get("owner"))
    _check_industry(user.zone_id, fields.get("industry", ""))
    _check_not_future(fields.get("received_on"), field="received_on", label=_("获取日期"))
    lead = Lead(zone_id=user.zone_id, department_id=user.department_id, stage=LeadStage.LEAD, **fields)
    return audited_create(lead, message=message)


@transaction.atomic
def lead_update(*, user, lead: Lead, data: dict, message: str = "") -> Lead:
    require_write(user=user, model=Lead, obj=lead)
    fields = _pick(data, LEAD_FIELDS)
    if "owner" in fields:
        _check_owner(lead.zone_id, fields["owner"])
    if "industry" in fields:
        _check_industry(lead.zone_id, fields["industry"], current=lead.industry)
    if "received_on" in fields and fields["received_on"] != lead.received_on:
        _check_not_future(fields["received_on"], field="received_on", label=_("获取日期"))
    return audited_update(lead, fields, message=message)


@transaction.atomic
def lead_advance(*, user, lead: Lead, message: str = "") -> Lead:
    """线索 → 洽谈."""
    require_write(user=user, model=Lead, obj=lead)
    if lead.stage != LeadStage.LEAD:
        raise ValidationError(_("只有处于“线索”阶段的线索可以推进到洽谈（当前：%(stage)s）。") % {
            "stage": lead.get_stage_display()})
    return audited_update(lead, {"stage": LeadStage.NEGOTIATING}, message=message)


@transaction.atomic
def lead_drop(*, user, lead: Lead, reason: str, message: str = "") -> Lead:
    require_write(user=user, model=Lead, obj=lead)
    if lead.stage not in OPEN_LEAD_STAGES:
        raise ValidationError(_("只有跟进中的线索可以终止（当前：%(stage)s）。") % {"stage": lead.get_stage_display()})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"drop_reason": _("终止线索须填写原因。")})
    return audited_update(lead, {"stage": LeadStage.DROPPED, "drop_reason": reason}, message=message)


@transaction.atomic
def lead_reopen(*, user, lead: Lead, stage: str = LeadStage.LEAD, message: str = "") -> Lead:
    """终止 → 线索 or 洽谈; the reason it was dropped stays readable in the change log."""
    require_write(user=user, model=Lead, obj=lead)
    if lead.stage != LeadStage.DROPPED:
        raise ValidationError(_("只有已终止的线索可以重新激活（当前：%(stage)s）。") % {"stage": lead.get_stage_display()})
    if stage not in OPEN_LEAD_STAGES:
        raise ValidationError({"stage": _("重新激活后的阶段应为“线索”或“洽谈”。")})
    return audited_update(lead, {"stage": stage, "drop_reason": ""}, message=message)


@transaction.atomic
def lead_follow_up_add(*, user, lead: Lead, data: dict, message: str = "") -> LeadFollowUp:
    """Append to the lead's 跟进记录. Entries are a journal: there is no edit or delete service."""
    require_write(user=user, model=Lead, obj=lead)
    fields = _pick(data, FOLLOW_UP_FIELDS)
    _check_not_future(fields.get("date"), field="date", label=_("跟进日期"))
    entry = LeadFollowUp(zone_id=lead.zone_id, lead=lead, author=user, **fields)
    return audited_create(entry, message=message)


# Signings ----------------------------------------------------------------------------------------------

def _new_project(*, user, data: dict, contract_wan) -> Project:
    """Create the signed project (签约即入库) for `user`'s department, with a clear error for a taken code."""
    code = (data.get("code") or "").strip()
    if not code:
        raise ValidationError({"code": _("请填写项目编号。")})
    taken = Project.objects.filter(zone_id=user.zone_id, code=code).first()
    if taken is not None:
        raise ValidationError({"code": _("本园区已有项目编号“%(code)s”（%(name)s），请换一个编号。") % {
            "code": code, "name": taken.name}})
    fields = _pick(data, NEW_PROJECT_FIELDS)
    fields["code"] = code
    if not fields.get("total_investment_wan"):
        fields["total_investment_wan"] = contract_wan
    fields["project_type"] = ProjectType.INDUSTRIAL
    return project_create(user=user, data=fields)


def _signing_for(*, user, project: Project, data: dict, lead: Lead | None, message: str) -> Signing:
    fields = _pick(data, SIGNING_FIELDS)
    _check_industry(user.zone_id, fields.get("industry", ""))
    signing = Signing(zone_id=user.zone_id, department_id=user.department_id, project=project, lead=lead, **fields)
    return audited_create(signing, message=message)


@transaction.atomic
def lead_sign(*, user, lead: Lead, data: dict, message: str = "") -> Signing:
    """Sign a lead: create its project and the signing, and mark the lead 签约 — all or nothing.

    `data`: code, name (default the lead's), total_investment_wan (default the contract investment),
    industry, enterprise (optional), date, contract_investment_wan, channel (default the lead's).
    """
    require_write(user=user, model=Lead, obj=lead)
    require_write(user=user, model=Signing)
    if lead.stage not in OPEN_LEAD_STAGES:
        raise ValidationError(_("该线索%(stage)s，不能签约。") % {"stage": lead.get_stage_display()})
    data = dict(data)
    data["name"] = (data.get("name") or "").strip() or lead.name
    data["channel"] = data.get("channel") or lead.channel
    data["investor"] = lead.investor
    if "industry" not in data:
        data["industry"] = lead.industry
    project = _new_project(user=user, data=data, contract_wan=data.get("contract_investment_wan"))
    signing = _signing_for(user=user, project=project, data=data, lead=lead, message=message)
    audited_update(lead, {"stage": LeadStage.SIGNED}, message=message)
    return signing


@transaction.atomic
def signing_create(*, user, data: dict, message: str = "") -> Signing:
    """A signing for `data["project"]` (an existing project of the zone without a signing), or for a new
    project given by `data["code"]` and `data["name"]`."""
    require_write(user=user, model=Signing)
    project = data.get("project")
    if project is not None:
        if project.zone_id != user.zone_id:
            raise ValidationError({"project": _("项目不属于本园区。")})
        if Signing.objects.filter(project=project).exists():
            raise ValidationError({"project": _("项目“%(project)s”已有签约记录，请修改原签约记录。") % {
                "project": project}})
    else:
        if not (data.get("name") or "").strip():
            raise ValidationError({"name": _("新建项目须填写项目名称。")})
        project = _new_project(user=user, data=data, contract_wan=data.get("contract_investment_wan"))
    return _signing_for(user=user, project=project, data=data, lead=None, message=message)


@transaction.atomic
def signing_update(*, user, signing: Signing, data: dict, message: str = "") -> Signing:
    require_write(user=user, model=Signing, obj=signing)
    fields = _pick(data, SIGNING_FIELDS)
    if "industry" in fields:
        _check_industry(signing.zone_id, fields["industry"], current=signing.industry)
    return audited_update(signing, fields, message=message)


@transaction.atomic
def signing_delete(*, user, signing: Signing, message: str = "") -> None:
    """The project stays in the library; a lead that was signed goes back to 洽谈."""
    require_write(user=user, model=Signing, obj=signing)
    lead = signing.lead
    audited_delete(signing, message=message)
    if lead is not None and lead.stage == LeadStage.SIGNED:
        audited_update(lead, {"stage": LeadStage.NEGOTIATING}, message=message)


# Funds in place ----------------------------------------------------------------------------------------

def _check_tranche(*, user, project: Project, day, exclude_pk=None) -> None:
    if project is None:
        raise ValidationError({"project": _("请选择项目。")})
    if project.zone_id != user.zone_id or not Project.objects.visible_to(user).filter(pk=project.pk).exists():
        raise ValidationError({"project": _("项目不存在，或不在您的数据范围内。")})
    _check_not_future(day, field="date", label=_("到位日期"))
    if day is not None:
        clash = FundTranche.objects.filter(project=project, date=day).exclude(pk=exclude_pk).first()
        if clash is not None:
            raise ValidationError({"date": _("项目 %(code)s 在 %(date)s 已有一笔到位资金（%(amount)s 万元）；同一项目每天只记一笔，"
                                             "请修改原记录。") % {"code": project.code, "date": day.isoformat(),
                                                                "amount": clash.amount_wan}})


@transaction.atomic
def fund_create(*, user, data: dict, message: str = "") -> FundTranche:
    require_write(user=user, model=FundTranche)
    project = data.get("project")
    _check_tranche(user=user, project=project, day=data.get("date"))
    tranche = FundTranche(zone_id=user.zone_id, department_id=user.department_id, project=project,
                          **_pick(data, FUND_FIELDS))
    return audited_create(tranche, message=message)


@transaction.atomic
def fund_update(*, user, tranche: FundTranche, data: dict, message: str = "") -> FundTranche:
    require_write(user=user, model=FundTranche, obj=tranche)
    fields = _pick(data, FUND_FIELDS)
    if "date" in fields and fields["date"] != tranche.date:
        _check_tranche(user=user, project=tranche.project, day=fields["date"], exclude_pk=tranche.pk)
    return audited_update(tranche, fields, message=message)


@transaction.atomic
def fund_delete(*, user, tranche: FundTranche, message: str = "") -> None:
    require_write(user=user, model=FundTranche, obj=tranche)
    audited_delete(tranche, message=message)


# Bulk (imports, the demo builder) ----------------------------------------------------------------------

def _duplicates(keys: list) -> list:
    seen, dupes = set(), []
    for key in keys:
        if key in seen and key not in dupes:
            dupes.append(key)
        seen.add(key)
    return dupes


def _bulk_write(model, *, to_create: list, to_update: list, fields: tuple[str, ...], changes: list, message: str,
                refetch) -> None:
    """Insert and update validated rows, then write one audit row each (created rows need their ids first)."""
    insert_instances(to_create)
    if to_update:
        model.objects.bulk_update(to_update, fields=[*fields, "updated_at"], batch_size=1000)
    if to_create:
        refetch(to_create)
    change_record_many([(o, ChangeAction.CREATE, None) for o in to_create] + changes, message=message)


def _apply(obj, data: dict, now, to_update: list, changes: list) -> None:
    before = snapshot(obj)
    for k, v in data.items():
        setattr(obj, k, v)
    if snapshot(obj) != before:
        obj.updated_at = now  # bulk writes skip auto_now
        to_update.append(obj)
        changes.append((obj, ChangeAction.UPDATE, before))


def _amount(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def signings_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Create or update signings by 项目编号 for `department`; an unknown code creates its project
    (签约即入库: in `department`, 产业项目, total investment = contract investment). All or nothing.

    rows: {"code", "name", "date", "contract_investment_wan", "channel", "industry"}. A project of another
    department may be signed (the signing is this department's), but a signing kept by another department
    refuses the batch. Counts are of signings; created projects are audited too.
    """
    require_register_write(user=user, model=Signing, zone=zone, department=department)
    codes = [r["code"] for r in rows]
    dupes = _duplicates(codes)
    if dupes:
        raise ValidationError(_("以下项目编号重复出现，每个项目只能有一条签约记录：%(codes)s") % {"codes": "、".join(dupes[:20])})
    now = timezone.now()
    with transaction.atomic():
        projects = {p.code: p for p in Project.objects.filter(zone=zone, code__in=codes)}
        signings = {s.project.code: s for s in
                    Signing.objects.filter(zone=zone, project__code__in=codes).select_related("project")}
        foreign = sorted(code for code, s in signings.items() if s.department_id != department.pk)
        if foreign:
            raise ValidationError(_("以下项目的签约记录由其他部门维护，本部门不能通过导入修改：%(codes)s") % {
                "codes": "、".join(foreign[:20])})
        new_projects = []
        for row in rows:
            if row["code"] in projects:
                continue
            project = Project(zone=zone, department=department, code=row["code"], name=row["name"],
                              project_type=ProjectType.INDUSTRIAL, industry=row.get("industry") or "",
                              total_investment_wan=_amount(row["contract_investment_wan"]),
                              created_at=now, updated_at=now)
            project.full_clean(exclude=["zone", "department"], validate_unique=False, validate_constraints=False)
            new_projects.append(project)
            projects[row["code"]] = project

        def project_ids(created):
            ids = dict(Project.objects.filter(zone=zone, code__in=[p.code for p in created]).values_list("code", "id"))
            for p in created:
                p.pk = ids[p.code]

        _bulk_write(Project, to_create=new_projects, to_update=[], fields=(), changes=[], message=message,
                    refetch=project_ids)

        to_create, to_update, changes = [], [], []
        for row in rows:
            data = {"date": row["date"], "contract_investment_wan": _amount(row["contract_investment_wan"]),
                    "channel": row["channel"], "industry": row.get("industry") or ""}
            current = signings.get(row["code"])
            if current is None:
                signing = Signing(zone=zone, department=department, project=projects[row["code"]], created_at=now,
                                  updated_at=now, **data)
                signing.full_clean(exclude=["zone", "department", "project", "lead"], validate_unique=False, validate_constraints=False)
                to_create.append(signing)
            else:
                _apply(current, data, now, to_update, changes)

        def signing_ids(created):
            ids = dict(Signing.objects.filter(project_id__in=[s.project_id for s in created])
                       .values_list("project_id", "id"))
            for s in created:
                s.pk = ids[s.project_id]

        _bulk_write(Signing, to_create=to_create, to_update=to_update,
                    fields=("date", "contract_investment_wan", "channel", "industry"), changes=changes,
                    message=message, refetch=signing_ids)
    return UpsertResult(created=len(to_create), updated=len(to_update),
                        unchanged=len(rows) - len(to_create) - len(to_update))


def funds_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Create or update fund tranches by (项目编号, 到位日期) for `department`; all or nothing.

    rows: {"code", "date", "amount_wan"[, "note"]}. An unknown 项目编号 refuses the batch, and so does a
    tranche kept by another department.
    """
    require_register_write(user=user, model=FundTranche, zone=zone, department=department)
    keys = [(r["code"], r["date"]) for r in rows]
    dupes = _duplicates(keys)
    if dupes:
        raise ValidationError(_("以下项目编号和到位日期重复出现：%(keys)s") % {
            "keys": "、".join(f"{c} {d.isoformat()}" for c, d in dupes[:20])})
    codes = sorted({code for code, _day in keys})
    now = timezone.now()
    with transaction.atomic():
        projects = {p.code: p for p in Project.objects.filter(zone=zone, code__in=codes)}
        unknown = [code for code in codes if code not in projects]
        if unknown:
            raise ValidationError(_("本园区没有以下项目编号的项目；请先导入项目或签约：%(codes)s") % {
                "codes": "、".join(unknown[:20])})
        existing = {(t.project.code, t.date): t for t in
                    FundTranche.objects.filter(zone=zone, project__code__in=codes).select_related("project")}
        wanted = set(keys)
        foreign = sorted({code for (code, day), t in existing.items()
                          if (code, day) in wanted and t.department_id != department.pk})
        if foreign:
            raise ValidationError(_("以下项目的到位资金记录由其他部门维护，本部门不能通过导入修改：%(codes)s") % {
                "codes": "、".join(foreign[:20])})
        to_create, to_update, changes = [], [], []
        for row in rows:
            data = {"amount_wan": _amount(row["amount_wan"])}
            if "note" in row:
                data["note"] = row["note"] or ""
            current = existing.get((row["code"], row["date"]))
            if current is None:
                tranche = FundTranche(zone=zone, department=department, project=projects[row["code"]],
                                      date=row["date"], created_at=now, updated_at=now, **data)
                tranche.full_clean(exclude=["zone", "department", "project"], validate_unique=False, validate_constraints=False)
                to_create.append(tranche)
            else:
                _apply(current, data, now, to_update, changes)

        def tranche_ids(created):
            ids = {(p, d): pk for p, d, pk in FundTranche.objects.filter(
                project_id__in={t.project_id for t in created}).values_list("project_id", "date", "id")}
            for t in created:
                t.pk = ids[(t.project_id, t.date)]

        _bulk_write(FundTranche, to_create=to_create, to_update=to_update, fields=("amount_wan", "note"),
                    changes=changes, message=message, refetch=tranche_ids)
    return UpsertResult(created=len(to_create), updated=len(to_update),
                        unchanged=len(rows) - len(to_create) - len(to_update))
