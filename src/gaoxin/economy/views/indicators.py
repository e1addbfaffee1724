"""The indicator catalog, an indicator's figures (year × month, revisions, city figures, target, or for
computed indicators the statistics month by month), the record/revise form, catalog add/edit, targets.

Scope: economic figures are the zone's; its leaders and all its department staff read them (city-level
leaders: every zone they may read); enterprise users and administrators get 403; an indicator of a zone
the user may not read is a 404. Writes are department staff of the zone: the catalog by any department,
figures and targets into their own department.
"""

from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import business_page, form_page, found
from gaoxin.core.permissions import Role

from ..forms import KIND_HELP, PERIOD, IndicatorForm, ObservationForm, TargetsForm
from ..models import MAX_YEAR, MIN_YEAR, Indicator, IndicatorKind, Region
from ..selectors import indicators as selectors
from ..services import catalog as catalog_services
from ..services.observations import observation_record as record_service
from ..services.targets import target_save


def value_text(value) -> str:
    """A stored figure as entered: no column padding, no exponent (120.5000 → 120.5, 5E+2 → 500)."""
    if value is None:
        return "—"
    return format(Decimal(value).normalize(), "f")


def growth_text(value) -> str:
    """A growth rate with at least one decimal, as statistics offices publish it (12 → 12.0, 8.25 → 8.25)."""
    if value is None:
        return "—"
    number = Decimal(value).normalize()
    if number.as_tuple().exponent > -1:
        number = number.quantize(Decimal("0.1"))
    return format(number, "f")


def computed_text(value, unit: str) -> str:
    """A computed figure for the table: rates to one decimal and amounts to two (half up), counts whole."""
    if value is None:
        return "—"
    places = {"%": Decimal("0.1"), "万元": Decimal("0.01"), "亿元": Decimal("0.01")}.get(unit)
    if places is not None:
        value = Decimal(value).quantize(places, rounding=ROUND_HALF_UP)
        return format(value, "f") if unit == "%" else value_text(value)
    return value_text(value)


def _dress(obs):
    """Display strings on an observation for the templates (no template filter library needed)."""
    if obs is not None:
        obs.value_text = value_text(obs.value)
        obs.growth_text = growth_text(obs.growth_pct)
    return obs


def _int(text, default=None, *, low=None, high=None):
    try:
        number = int(text)
    except (TypeError, ValueError):
        return default
    if (low is not None and number < low) or (high is not None and number > high):
        return default
    return number


def _zone(request):
    """The zone the page shows (?zone=CODE for leaders who may read several), or 404."""
    return found(selectors.zone_for_user(request.user, request.GET.get("zone") or None))


def _zone_switch(request, zone) -> list:
    zones = selectors.readable_zones(request.user)
    return zones if len(zones) > 1 else []


def _can_record(user, indicator: Indicator) -> bool:
    return bool(user.role == Role.DEPARTMENT_STAFF and user.department_id and user.zone_id == indicator.zone_id
                and indicator.kind == IndicatorKind.OFFICIAL and indicator.is_active)


# --- catalog -----------------------------------------------------------------------------------------------------


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def indicator_list(request):
    user = request.user
    zone = _zone(request)
    editable = catalog_services.can_edit_catalog(user, zone)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("只有本园区的部门工作人员可以维护指标目录。"))
        if request.POST.get("action") == "install":
            created = catalog_services.indicator_catalog_install(zone=zone, user=user)
            messages.success(request, _("已安装默认指标目录：新增 %(n)s 个指标。") % {"n": created})
        return redirect("economy:indicator_list")
    rows = selectors.catalog_rows(zone, include_inactive=True)
    for row in rows:
        _dress(row.latest)
    return render(request, "economy/indicator_list.html", {
        "zone": zone,
        "zones": _zone_switch(request, zone),
        "active_rows": [r for r in rows if r.indicator.is_active],
        "inactive_rows": [r for r in rows if not r.indicator.is_active],
        "editable": editable,
        "missing_defaults": editable and _missing_defaults(zone),
        "is_staff": user.role == Role.DEPARTMENT_STAFF,
    })


def _missing_defaults(zone) -> int:
    from ..catalog import DEFAULT_INDICATORS

    have = {i.code for i in selectors.indicators_for_zone(zone, active=False)}
    return sum(1 for d in DEFAULT_INDICATORS if d.code not in have)


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def indicator_add(request):
    user = request.user
    if not catalog_services.can_edit_catalog(user):
        raise PermissionDenied(_("只有本园区的部门工作人员可以维护指标目录。"))
    form = IndicatorForm(request.POST or None, initial={"kind": IndicatorKind.OFFICIAL, "order": 100})
    return form_page(
        request, form,
        save=lambda data, message: catalog_services.indicator_create(user=user, data=data, message=message),
        template="economy/indicator_form.html",
        context={"title": _("新增指标"), "cancel_url": reverse("economy:indicator_list")},
        success_message=_("指标已添加。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int):
    user = request.user
    indicator = found(selectors.indicator_for_user(user, pk))
    if not catalog_services.can_edit_catalog(user, indicator.zone_id):
        raise PermissionDenied(_("只有本园区的部门工作人员可以维护指标目录。"))
    form = IndicatorForm(request.POST or None, instance=Indicator.objects.get(pk=indicator.pk), editing=True)
    return form_page(
        request, form,
        save=lambda data, message: catalog_services.indicator_update(
            user=user, indicator=indicator, data={k: v for k, v in data.items() if k not in ("code", "kind")},
            message=message),
        template="economy/indicator_form.html",
        context={"title": _("编辑指标：%(name)s") % {"name": indicator.name}, "object": indicator,
                 "cancel_url": indicator.get_absolute_url(), "changes": object_changes_for_object(obj=indicator)},
        success_message=_("指标已保存。"),
    )


# --- one indicator -------------------------------------------------------------------------------------------------


def _history_url(indicator, region, year, month) -> str:
    return indicator.get_absolute_url() + "?" + urlencode({"year": year, "month": month, "region": region}) + "#history"


@business_page(enterprise_users=False)
def indicator_detail(request, pk: int):
    user = request.user
    indicator = found(selectors.indicator_for_user(user, pk))
    today = timezone.localdate()
    context = {
        "object": indicator,
        "indicator": indicator,
        "kind_help": KIND_HELP.get(indicator.kind, ""),
        "can_record": _can_record(user, indicator),
        "can_edit": catalog_services.can_edit_catalog(user, indicator.zone_id),
        "changes": object_changes_for_object(obj=indicator),
    }
    if indicator.kind == IndicatorKind.COMPUTED:
        year = _int(request.GET.get("year"), today.year, low=MIN_YEAR, high=today.year)
        series = selectors.computed_series(user=user, indicator=indicator, year=year)
        target = selectors.target_for(indicator, year)
        context.update(
            year=year, years=list(range(today.year, today.year - 5, -1)),
            series=[SimpleNamespace(period=f.period, value_text=computed_text(f.value, indicator.unit),
                                    growth_text=_pp(f.growth_pct) if f.growth_pct is not None else "",
                                    url=f.url) for f in series],
            target=target, target_growth=growth_text(target.growth_pct) if target and target.growth_pct is not None
            else "", target_value=value_text(target.value) if target and target.value is not None else "",
            department_scope=user.role == Role.DEPARTMENT_STAFF,
        )
        return render(request, "economy/indicator_detail.html", context)

    matrix = selectors.observation_matrix(indicator)
    for row in matrix:
        for cell in row.cells:
            _dress(cell.current)
            _dress(cell.city)
            cell.url = _history_url(indicator, Region.ZONE, row.year, cell.month)
            cell.city_url = _history_url(indicator, Region.CITY, row.year, cell.month)
        if row.target is not None:
            row.target.growth_text = growth_text(row.target.growth_pct) if row.target.growth_pct is not None else ""
            row.target.value_text = value_text(row.target.value) if row.target.value is not None else ""
    year = _int(request.GET.get("year"), None, low=MIN_YEAR, high=MAX_YEAR)
    month = _int(request.GET.get("month"), None, low=1, high=12)
    region = request.GET.get("region") if request.GET.get("region") in Region.values else Region.ZONE
    history = []
    if year and month:
        history = [_dress(o) for o in selectors.observation_history(indicator, year, month, region)]
    context.update(
        matrix=matrix,
        months=[c.month for c in matrix[0].cells] if matrix else [],
        history=history, history_year=year, history_month=month, history_region=region,
        history_record_url=(reverse("economy:observation_record", args=[indicator.pk]) + "?" + urlencode(
            {"period": f"{year}-{month:02d}", "region": region})) if year and month else "",
        latest=_dress(selectors.latest_current(indicator)),
        latest_city=_dress(selectors.latest_current(indicator, region=Region.CITY)),
    )
    return render(request, "economy/indicator_detail.html", context)


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def observation_record(request, pk: int):
    """Record a figure, or revise one (a different figure for a period that has one becomes a new revision)."""
    user = request.user
    indicator = found(selectors.indicator_for_user(user, pk))
    if indicator.kind == IndicatorKind.COMPUTED:
        raise PermissionDenied(_("“%(name)s”由平台根据业务记录计算，不能录入。") % {"name": indicator.name})
    if not _can_record(user, indicator):
        raise PermissionDenied(_("只有本园区的部门工作人员可以录入指标数据。"))
    region = request.GET.get("region") if request.GET.get("region") in Region.values else Region.ZONE
    period = request.GET.get("period", "")
    current = None
    match = PERIOD.match(period.strip())
    if match and 1 <= int(match.group(2)) <= 12:
        period = f"{int(match.group(1))}-{int(match.group(2)):02d}"
        current = selectors.current_observation(indicator, int(match.group(1)), int(match.group(2)), region)
    else:
        period = ""
    form = ObservationForm(request.POST or None, indicator=indicator,
                           initial=ObservationForm.initial_from(current, region=region, period=period))

    def save(data, message):
        year, month = data["period"]
        obs = record_service(user=user, indicator=indicator, region=data["region"], year=year, month=month,
                             value=data["value"], growth_pct=data["growth_pct"], source=data["source"],
                             status=data["status"], note=data["note"], message=message)
        return SimpleNamespace(get_absolute_url=lambda: _history_url(indicator, obs.region, obs.year, obs.month))

    return form_page(
        request, form, save=save, template="economy/observation_form.html",
        context={"title": _("录入或修订：%(name)s") % {"name": indicator.name}, "indicator": indicator,
                 "current": _dress(current), "cancel_url": indicator.get_absolute_url()},
        success_message=_("数据已保存；与现有数据不同时作为新版次保存，原数据保留在历史中。"),
    )


# --- targets -------------------------------------------------------------------------------------------------------


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def target_list(request):
    user = request.user
    zone = _zone(request)
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year, low=MIN_YEAR, high=MAX_YEAR)
    editable = bool(user.role == Role.DEPARTMENT_STAFF and user.department_id and user.zone_id == zone.pk)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("只有本园区的部门工作人员可以设置年度目标。"))
    rows = selectors.target_rows(zone, year)
    indicators = [r["indicator"] for r in rows]
    targets = {r["indicator"].pk: r["target"] for r in rows if r["target"] is not None}
    form = TargetsForm(request.POST or None, indicators=indicators, targets=targets)
    if request.method == "POST" and form.is_valid():
        saved = _save_targets(request, form, targets, year)
        if saved is not None:
            messages.success(request, _("年度目标已保存（%(n)s 项有变化或新设）。") % {"n": saved})
            return redirect(reverse("economy:target_list") + f"?year={year}")
    for row in rows:
        target, latest = row["target"], _dress(row["latest"])
        row["target_growth"] = growth_text(target.growth_pct) if target and target.growth_pct is not None else ""
        row["target_value"] = value_text(target.value) if target and target.value is not None else ""
        row["progress"] = _progress(target, latest)
    fields = {i.pk: (g, v, n) for i, g, v, n in form.rows()}
    for row in rows:
        row["fields"] = fields[row["indicator"].pk]
    return render(request, "economy/target_list.html", {
        "zone": zone, "zones": _zone_switch(request, zone), "year": year,
        "years": list(range(today.year + 1, today.year - 5, -1)), "rows": rows, "form": form,
        "editable": editable,
    }, status=400 if request.method == "POST" else 200)


class _Rollback(Exception):
    """Raised inside the targets transaction when a row fails: nothing of the page is half-written."""


def _save_targets(request, form, targets, year) -> int | None:
    """Save every changed row in one transaction; None (and errors on the form) when any row fails."""
    message = form.cleaned_data.get("message", "")
    saved = 0
    try:
        with transaction.atomic():
            failed = False
            for indicator, entry in form.entries():
                existing = targets.get(indicator.pk)
                if entry["growth_pct"] is None and entry["value"] is None:
                    if existing is not None:
                        form.add_error(f"g_{indicator.pk}", _("已设定的目标不能清空：请填写目标增速或目标值。"))
                        failed = True
                    continue
                if existing is not None and (existing.growth_pct, existing.value, existing.note) == (
                        entry["growth_pct"], entry["value"], entry["note"]):
                    continue
                try:
                    target_save(user=request.user, indicator=indicator, year=year, message=message, **entry)
                except ValidationError as exc:
                    form.add_error(f"g_{indicator.pk}", exc.messages)
                    failed = True
                else:
                    saved += 1
            if failed:
                raise _Rollback
    except _Rollback:
        return None
    return saved


def _pp(value: Decimal) -> str:
    """Percentage points to one decimal, half up (the display edge)."""
    return format(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "f")


def _progress(target, latest) -> str:
    """What the page says about progress: the latest cumulative growth against the target growth."""
    if target is None or latest is None:
        return ""
    parts = [_("截至%(month)s月") % {"month": latest.month}]
    if latest.growth_pct is not None:
        parts.append(_("累计增长 %(g)s%%") % {"g": latest.growth_text})
        if target.growth_pct is not None:
            diff = latest.growth_pct - target.growth_pct
            parts.append(_("高于目标 %(d)s 个百分点") % {"d": _pp(diff)} if diff > 0 else
                         _("低于目标 %(d)s 个百分点") % {"d": _pp(-diff)} if diff < 0 else _("与目标持平"))
    if latest.value is not None and target.value:
        parts.append(_("累计值完成目标的 %(p)s%%") % {
            "p": _pp(latest.value * 100 / target.value)})
    return "，".join(parts)
