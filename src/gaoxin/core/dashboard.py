"""The home dashboard: figures composed from the scoped selectors, each with the list URL behind it.

Business roles get tiles and charts within their data scope; the three administrator roles
(三权分立) read no business records and get their own tools instead.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.selectors import departments_for_admin, login_events_for_user, users_for_admin
from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.selectors import audit_trail_for_user
from gaoxin.core.models import CalendarYear
from gaoxin.core.permissions import BUSINESS_ROLES, Role
from gaoxin.core.units import m2_to_mu
from gaoxin.enterprises.models import EnterpriseSize
from gaoxin.enterprises.selectors import (
    enterprise_counts_by_area,
    enterprise_counts_by_section,
    enterprises_for_user,
)
from gaoxin.land.models import ParcelStatus
from gaoxin.land.selectors import parcel_area_by_status

# enterprise_counts_by_area labels a blank 片区 with this text; the list filter cannot select blanks.
_BLANK_AREA_LABELS = {"", "未填写"}
_UNKNOWN_SECTION = "?"


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    unit: str
    url: str
    sub: str = ""


def _url(name: str, **params) -> str:
    base = reverse(name)
    return f"{base}?{urlencode(params)}" if params else base


def _count(n: int) -> str:
    return f"{n:,}"


def _decimal(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def _count_row(name: str, count: int, url: str | None) -> dict:
    """One bar or slice: a url of None means the list page has no filter that selects these records."""
    return {"name": name, "count": count, "count_text": _count(count), "url": url}


def business_dashboard(*, user) -> dict:
    """Tiles, chart rows and the chart payload for a zone leader, department staff or enterprise user."""
    sections = enterprise_counts_by_section(user=user)
    areas = enterprise_counts_by_area(user=user)
    statuses = parcel_area_by_status(user=user)
    above_count = enterprises_for_user(user=user, filters={"size": EnterpriseSize.ABOVE}).count()

    enterprise_total = sum(r["count"] for r in sections)
    parcel_total = sum(r["count"] for r in statuses)
    area_total = sum((r["area_m2"] for r in statuses), Decimal(0))
    by_status = {r["status"]: r for r in statuses}
    supplied_m2 = by_status[ParcelStatus.SUPPLIED]["area_m2"]
    idle_m2 = by_status[ParcelStatus.IDLE]["area_m2"]

    def area_tile(label: str, area_m2: Decimal, url: str, note: str = "") -> Tile:
        sub = f"{_decimal(area_m2)} m²" + (f" · {note}" if note else "")
        return Tile(label, _decimal(m2_to_mu(area_m2)), _("亩"), url, sub)

    share = (
        f"{(Decimal(above_count) * 100 / enterprise_total).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%" if enterprise_total else "—"
    )
    tiles = [
        Tile(_("企业总数"), _count(enterprise_total), _("家"), _url("enterprises:list")),
        Tile(_("其中规上企业"), _count(above_count), _("家"), _url("enterprises:list", size=EnterpriseSize.ABOVE),
             _("占企业总数 %(share)s") % {"share": share}),
        Tile(_("地块总数"), _count(parcel_total), _("宗"), _url("land:parcel_list")),
        area_tile(_("土地总面积"), area_total, _url("land:parcel_list")),
        area_tile(_("已供地面积"), supplied_m2, _url("land:parcel_list", status=ParcelStatus.SUPPLIED),
                  _("状态为“已供”")),
        area_tile(_("闲置地面积"), idle_m2, _url("land:parcel_list", status=ParcelStatus.IDLE),
                  _("状态为“闲置”")),
    ]

    industry_rows = [
        _count_row(_("行业代码无法识别"), r["count"], None)
        if r["code"] == _UNKNOWN_SECTION
        else _count_row(f"{r['code']} {r['name']}", r["count"], _url("enterprises:list", industry=r["code"]))
        for r in sections
    ]
    area_rows = [
        _count_row(_("未填写"), r["count"], None)
        if r["area"] in _BLANK_AREA_LABELS
        else _count_row(r["area"], r["count"], _url("enterprises:list", area=r["area"]))
        for r in areas
    ]
    land_rows = [
        {
            "name": r["label"],
            "count": r["count"],
            "area_mu": m2_to_mu(r["area_m2"]),
            "url": _url("land:parcel_list", status=r["status"]),
            "text": {"count": _count(r["count"]), "area_mu": _decimal(m2_to_mu(r["area_m2"])),
                     "area_m2": _decimal(r["area_m2"])},
        }
        for r in statuses
    ]

    chart_data = {
        "industry": {
            "series": _("企业数（家）"),
            "items": [{"name": r["name"], "value": r["count"], "url": r["url"]} for r in industry_rows],
        },
        "area": {
            "series": _("企业数（家）"),
            "items": [{"name": r["name"], "value": r["count"], "url": r["url"]} for r in area_rows],
        },
        "land": {
            "area_series": _("面积（亩）"),
            "count_series": _("地块数（宗）"),
            "items": [
                {"name": r["name"], "area_mu": str(r["area_mu"]), "count": r["count"], "url": r["url"]}
                for r in land_rows
            ],
        },
    }
    return {
        "tiles": tiles,
        "industry_rows": industry_rows,
        "area_rows": area_rows,
        "land_rows": land_rows,
        "land_total": {"count": parcel_total, "text": {"count": _count(parcel_total),
                                                       "area_mu": _decimal(m2_to_mu(area_total)),
                                                       "area_m2": _decimal(area_total)}},
        "chart_data": chart_data,
    }


def _local_midnight() -> dt.datetime:
    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


def admin_dashboard(*, user) -> dict:
    """The tools of an administrator role, with the few counts that tell them where to look."""
    if user.role == Role.SYSTEM_ADMIN:
        user_counts = users_for_admin(user=user).aggregate(
            total=Count("id"), active=Count("id", filter=Q(is_active=True))
        )
        return {
            "kind": "system",
            "user_total": user_counts["total"],
            "user_active": user_counts["active"],
            "departments": list(departments_for_admin(user=user).annotate(user_count=Count("users"))),
            "calendar_years": list(CalendarYear.objects.values_list("year", flat=True)),
        }
    if user.role == Role.SECURITY_ADMIN:
        since = timezone.now() - dt.timedelta(hours=24)
        failed = login_events_for_user(user=user, filters={"kind": SecurityEventKind.LOGIN_FAILED})
        return {
            "kind": "security",
            "failed_logins_24h": failed.filter(time__gte=since).count(),
            "failed_logins_url": _url("accounts:login_events", kind=SecurityEventKind.LOGIN_FAILED),
            "locked_users": users_for_admin(user=user, filters={"state": "locked"}).count(),
            "locked_users_url": _url("accounts:user_list", state="locked"),
        }
    if user.role == Role.AUDIT_ADMIN:
        changes, events = audit_trail_for_user(user=user)
        midnight = _local_midnight()
        event_counts = events.filter(time__gte=midnight).aggregate(
            total=Count("id"), failed=Count("id", filter=Q(kind=SecurityEventKind.LOGIN_FAILED))
        )
        return {
            "kind": "audit",
            "changes_today": changes.filter(time__gte=midnight).count(),
            "events_today": event_counts["total"],
            "failed_logins_today": event_counts["failed"],
        }
    return {"kind": "none"}


def is_business_user(user) -> bool:
    return user.role in BUSINESS_ROLES
