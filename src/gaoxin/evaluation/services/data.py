"""Every write to the evaluation data: the agencies' files (bulk, one source at a time) and the officer's edits.

A row is one enterprise's figures for one year. Each agency's file sets only its own fields (an empty
cell means "not reported" and stores null) and stamps `sources[<agency>]` with when and from which
file; the other agencies' fields are left as they are, so the five files can arrive in any order.

Land area: the 自然资源 file's 核定用地面积 also becomes the evaluation land area (`land_mu_override`,
reason NATURAL_RESOURCES_REASON) — unless an officer has set an override with a reason of their own,
which always wins: the officer's decision is the later, deliberate one. A later 自然资源 file with an
empty 核定用地面积 withdraws the override it had set (the register applies again), never an officer's.

A year whose run is final (已定稿) is locked: its data can no longer change.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record_many, snapshot
from gaoxin.core.bulk import insert_instances
from gaoxin.core.services import (
    UpsertResult,
    audited_create,
    audited_update,
    require_register_write,
    require_write,
)
from gaoxin.enterprises.models import Enterprise

from ..models import DATA_FIELDS, DataSource, EvaluationData, EvaluationRun, RunStatus
from ..selectors.data import source_fields

# Stored with an override the 自然资源 file set: data compared by the import, so never translated.
NATURAL_RESOURCES_REASON = "自然资源部门核定"
OFFICER_FIELDS = ("major_accident", "land_mu_override", "land_mu_reason", "exempt_reason")
EDITABLE_FIELDS = (*DATA_FIELDS, *OFFICER_FIELDS)
MIN_YEAR, MAX_YEAR = 2000, 2100
CHUNK = 900  # ids per IN (...) query
LISTED = 20  # how many enterprises a refusal names


def year_problem(year) -> str | None:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        return _("评价年度应为 %(min)s 到 %(max)s 之间的 4 位年份。") % {"min": MIN_YEAR, "max": MAX_YEAR}
    return None


def _require_open(*, zone_id: int, years) -> None:
    final = sorted(set(EvaluationRun.objects.filter(zone_id=zone_id, year__in=list(years), status=RunStatus.FINAL)
                       .values_list("year", flat=True)))
    if final:
        raise ValidationError(_("%(years)s 年度的评价结果已定稿，评价数据已锁定，不能再修改。") % {
            "years": "、".join(str(y) for y in final)})


def apply_verified_land(record: EvaluationData, verified) -> None:
    """The 自然资源 file's verified area as the evaluation land area, unless an officer's override stands."""
    officer = record.land_mu_override is not None and record.land_mu_reason != NATURAL_RESOURCES_REASON
    if officer:
        return
    if verified is None:
        record.land_mu_override, record.land_mu_reason = None, ""
    else:
        record.land_mu_override, record.land_mu_reason = verified, NATURAL_RESOURCES_REASON


def _chunks(values: list):
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _enterprises(*, zone, rows: list[dict]) -> dict:
    """The zone's enterprises the rows name (by `enterprise_id`, or by `uscc` where no id is given), by id;
    rows naming a USCC get their `enterprise_id` filled in. Unknown ones refuse the batch."""
    ids = sorted({r["enterprise_id"] for r in rows if r.get("enterprise_id") is not None})
    codes = sorted({r["uscc"] for r in rows if r.get("enterprise_id") is None and r.get("uscc")})
    found: dict[int, Enterprise] = {}
    by_code: dict[str, Enterprise] = {}
    qs = Enterprise.objects.filter(zone=zone)
    for chunk in _chunks(ids):
        found.update((e.pk, e) for e in qs.filter(pk__in=chunk))
    for chunk in _chunks(codes):
        for e in qs.filter(uscc__in=chunk):
            found[e.pk] = by_code[e.uscc] = e
    unknown = []
    for row in rows:
        if row.get("enterprise_id") is None:
            enterprise = by_code.get(row.get("uscc") or "")
            if enterprise is None:
                unknown.append(str(row.get("uscc") or "—"))
                continue
            row["enterprise_id"] = enterprise.pk
        elif row["enterprise_id"] not in found:
            unknown.append(f"#{row['enterprise_id']}")
    if unknown:
        raise ValidationError(_("以下企业未在本园区登记，请先登记或导入这些企业：%(codes)s") % {
            "codes": "、".join(sorted(set(unknown))[:LISTED])})
    return found


def _problems(record: EvaluationData) -> list[str]:
    """The row's own rules (field limits and clean()), without a query: relations are checked by the caller."""
    try:
        record.clean_fields(exclude=["zone", "department", "enterprise"])
        record.clean()
    except ValidationError as exc:
        label = _("%(name)s（%(uscc)s，%(year)s 年度）") % {
            "name": record.enterprise.name, "uscc": record.enterprise.uscc, "year": record.year}
        return [f"{label}：{message}" for message in exc.messages]
    return []


def evaluation_data_upsert(*, zone, department, rows: list[dict], user, message: str = "", source: str,
                           filename: str = "") -> UpsertResult:
    """Merge one agency's figures into the year rows of `department`, one audit row per record; all or nothing.

    `rows` are dicts with `year`, `enterprise_id` (or `uscc`, resolved in the zone) and any of the source's
    fields; keys that are not the source's fields are ignored, a field absent from a row is left alone and
    None stores "not reported". A row whose figures do not change is left untouched (its earlier delivery
    stamp stays). `user` is the importing staff member (checked against zone and department); None only
    for trusted system callers (the CLI, the demo). A record kept by another department refuses the batch.
    """
    require_register_write(user=user, model=EvaluationData, zone=zone, department=department)
    if source not in DataSource.values:
        raise ValueError(f"unknown evaluation data source {source!r}")
    if not rows:
        return UpsertResult(created=0, updated=0, unchanged=0)
    fields = source_fields(source)
    rows = [dict(r) for r in rows]
    enterprises = _enterprises(zone=zone, rows=rows)

    problems, keys, seen = [], [], set()
    for row in rows:
        key = (row["enterprise_id"], row.get("year"))
        problem = year_problem(key[1])
        enterprise = enterprises[key[0]]
        if problem:
            problems.append(f"{enterprise.name}（{enterprise.uscc}）：{problem}")
        elif key in seen:
            problems.append(_("%(name)s（%(uscc)s）的 %(year)s 年度数据出现了两次。") % {
                "name": enterprise.name, "uscc": enterprise.uscc, "year": key[1]})
        seen.add(key)
        keys.append(key)
    if problems:
        raise ValidationError(problems[:LISTED])
    years = sorted({year for _e, year in keys})
    _require_open(zone_id=zone.pk, years=years)

    existing: dict[tuple[int, int], EvaluationData] = {}
    qs = EvaluationData.objects.filter(zone=zone, year__in=years).select_related("enterprise")
    for chunk in _chunks(sorted({e for e, _y in keys})):
        existing.update(((o.enterprise_id, o.year), o) for o in qs.filter(enterprise_id__in=chunk))
    foreign = sorted({f"{o.enterprise.uscc}（{o.year}）" for k, o in existing.items()
                      if k in seen and o.department_id != department.pk})
    if foreign:
        raise ValidationError(_("以下企业的评价数据由其他部门维护，本部门不能通过导入修改：%(codes)s") % {
            "codes": "、".join(foreign[:LISTED])})

    now = timezone.now()
    stamp = {"at": timezone.localtime(now).isoformat(timespec="seconds"), "file": filename}
    verifies_land = source == DataSource.NATURAL_RESOURCES
    to_create, to_update, changes = [], [], []
    for row, key in zip(rows, keys, strict=True):
        data = {f: row[f] for f in fields if f in row}
        current = existing.get(key)
        if current is None:
            record = EvaluationData(zone=zone, department=department, enterprise=enterprises[key[0]], year=key[1],
                                    sources={source: stamp}, created_at=now, updated_at=now, **data)
            if verifies_land and "land_mu_verified" in data:
                apply_verified_land(record, data["land_mu_verified"])
            problems += _problems(record)
            to_create.append(record)
            continue
        before = snapshot(current)
        for name, value in data.items():
            setattr(current, name, value)
        if verifies_land and "land_mu_verified" in data:
            apply_verified_land(current, data["land_mu_verified"])
        if snapshot(current) == before and source in current.sources:
            continue
        current.sources = {**current.sources, source: stamp}
        current.updated_at = now  # bulk writes skip auto_now
        problems += _problems(current)
        to_update.append(current)
        changes.append((current, ChangeAction.UPDATE, before))
    if problems:
        raise ValidationError(problems[:LISTED])

    written = [*fields, "sources", "updated_at"]
    if verifies_land:
        written += ["land_mu_override", "land_mu_reason"]
    with transaction.atomic():
        insert_instances(to_create)
        if to_update:
            EvaluationData.objects.bulk_update(to_update, fields=written, batch_size=1000)
        if to_create:
            ids = {}
            created = EvaluationData.objects.filter(zone=zone, year__in=years)
            for chunk in _chunks(sorted({r.enterprise_id for r in to_create})):
                ids.update(((e, y), pk) for e, y, pk in
                           created.filter(enterprise_id__in=chunk).values_list("enterprise_id", "year", "id"))
            for record in to_create:
                record.pk = ids[(record.enterprise_id, record.year)]
        change_record_many([(r, ChangeAction.CREATE, None) for r in to_create] + changes, message=message)
    return UpsertResult(created=len(to_create), updated=len(to_update),
                        unchanged=len(rows) - len(to_create) - len(to_update))


def _edit_values(data: dict) -> dict:
    values = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    for name in ("land_mu_reason", "exempt_reason"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "land_mu_override" in values and values["land_mu_override"] is None:
        values["land_mu_reason"] = ""  # a reason without an override would explain nothing
    return values


@transaction.atomic
def evaluation_data_save(*, user, enterprise, year: int, data: dict, message: str = "") -> EvaluationData:
    """The officer's edit of one enterprise's year: figures, 重大安全事故, land area override (with its
    reason, see EvaluationData.clean) and 不参评 reason. Creates the row, kept by the user's department,
    when the year has none; an existing row may be changed by staff of the department that keeps it.
    """
    require_write(user=user, model=EvaluationData)
    if enterprise.zone_id != user.zone_id:
        raise PermissionDenied(_("只能维护本人所在园区企业的评价数据。"))
    problem = year_problem(year)
    if problem:
        raise ValidationError({"year": problem})
    _require_open(zone_id=enterprise.zone_id, years=[year])
    values = _edit_values(data)
    record = (EvaluationData.objects.select_for_update()
              .filter(zone_id=enterprise.zone_id, year=year, enterprise=enterprise).first())
    if record is None:
        if all(v in (None, "") for v in values.values()):
            raise ValidationError(_("没有填写任何数据，无需保存。"))
        record = EvaluationData(zone_id=user.zone_id, department_id=user.department_id, enterprise=enterprise,
                                year=year, **values)
        return audited_create(record, message=message)
    require_write(user=user, model=EvaluationData, obj=record)
    return audited_update(record, values, message=message)
