"""Evaluation data pages: a year's completeness table and one enterprise's figures, with the edit form.

Leaders and department staff only (enterprise users and administrators get 403). A row outside the
reader's scope is a 404; see selectors/completeness.py for what department staff see.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import PER_PAGE, business_page, form_page, found
from gaoxin.core.permissions import Role, can_write
from gaoxin.enterprises.models import Enterprise
from gaoxin.land.selectors import enterprise_land_area

from ..forms import EvaluationDataForm
from ..models import EvaluationData
from ..selectors import completeness as selectors
from ..selectors.data import SOURCE_SLUGS, exempt_reason, land_as_of, source_fields
from ..services import data as services
from ..services.data import MAX_YEAR, MIN_YEAR

data_page = business_page(enterprise_users=False)

# (sort key, header, numeric); None = not sortable
COLUMNS = [
    ("uscc", gettext_lazy("统一社会信用代码"), False),
    ("name", gettext_lazy("企业名称"), False),
    ("size", gettext_lazy("规模"), False),
    ("sources", gettext_lazy("数据来源"), False),
    ("land_mu", gettext_lazy("评价用地（亩）"), True),
    (None, gettext_lazy("评价组"), False),
    ("missing", gettext_lazy("缺失指标"), False),
    ("exempt", gettext_lazy("不参评原因"), False),
    (None, gettext_lazy("维护部门"), False),
]
SHOW = [("incomplete", gettext_lazy("仅数据不全")), ("complete", gettext_lazy("仅数据齐全")),
        ("exempt", gettext_lazy("仅不参评")), ("nodata", gettext_lazy("尚无任何数据"))]


class FrameRows:
    """A Polars frame as the paginator's sequence: only the shown page becomes Python dicts."""

    def __init__(self, frame):
        self.frame = frame

    def __len__(self):
        return self.frame.height

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, _step = index.indices(self.frame.height)
            return self.frame.slice(start, max(stop - start, 0)).to_dicts()
        return self.frame.row(index, named=True)


def _sorting(request, default: str = "uscc"):
    """(key, descending, header cells) like core.pages.sort_and_head, for rows that are not a queryset."""
    raw = request.GET.get("sort", default)
    key = raw.lstrip("-")
    if key not in selectors.SORTS:
        raw, key = default, default
    descending = raw.startswith("-")
    params = request.GET.copy()
    params.pop("page", None)
    head = []
    for column, label, num in COLUMNS:
        entry = {"label": label, "num": num, "url": None, "state": None}
        if column:
            params["sort"] = f"-{column}" if column == key and not descending else column
            entry["url"] = "?" + params.urlencode()
            entry["state"] = ("desc" if descending else "asc") if column == key else None
        head.append(entry)
    return key, descending, head


def _year(request, zone) -> tuple[int, str | None]:
    raw = request.GET.get("year", "").strip()
    if raw:
        if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
            return int(raw), None
        year = selectors.default_year(zone=zone, today=timezone.localdate())
        return year, _("评价年度“%(raw)s”无效，应为 %(min)s 到 %(max)s 之间的年份；已显示 %(year)s 年度。") % {
            "raw": raw, "min": MIN_YEAR, "max": MAX_YEAR, "year": year}
    return selectors.default_year(zone=zone, today=timezone.localdate()), None


def _sources_view(row: dict) -> list[dict]:
    return [{"source": source, "slug": slug, "state": row[f"src_{slug}"], "at": row[f"at_{slug}"] or ""}
            for source, slug in SOURCE_SLUGS.items()]


@data_page
@require_GET
def data_list(request):
    user = request.user
    zone = user.zone
    year, year_error = _year(request, zone)
    completeness = selectors.year_completeness(zone=zone, year=year, user=user)
    rows = selectors.filter_rows(completeness.frame, filters=request.GET)
    key, descending, head = _sorting(request)
    rows = selectors.sort_rows(rows, key=key, descending=descending)
    page = Paginator(FrameRows(rows), PER_PAGE).get_page(request.GET.get("page"))
    years = selectors.data_years(zone=zone)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    staff = user.role == Role.DEPARTMENT_STAFF and can_write(user, EvaluationData)
    return render(request, "evaluation/data_list.html", {
        "year": year,
        "year_error": year_error,
        "years": years,
        "completeness": completeness,
        "summary": completeness.summary,
        "page_obj": page,
        "rows": [(row, _sources_view(row)) for row in page.object_list],
        "head": head,
        "sources": list(SOURCE_SLUGS.items()),
        "show_choices": SHOW,
        "filters": {k: request.GET.get(k, "") for k in ("q", "missing", "show")},
        "can_import": staff,
    })


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def _figures(record: EvaluationData | None) -> list[dict]:
    """Per agency: its fields with their values, and when and from which file they came."""
    sources = (record.sources or {}) if record else {}
    result = []
    for source, slug in SOURCE_SLUGS.items():
        fields = source_fields(source)
        values = [(EvaluationData._meta.get_field(f).verbose_name, _display(getattr(record, f) if record else None))
                  for f in fields]
        delivered = sources.get(source)
        typed = record is not None and any(getattr(record, f) is not None for f in fields)
        result.append({"source": source, "slug": slug, "values": values, "delivered": delivered,
                       "manual": typed and not delivered})
    return result


@dataclass(frozen=True)
class _Next:
    """What form_page redirects to after a save (the row has no page of its own)."""

    url: str

    def get_absolute_url(self) -> str:
        return self.url


def _initial(record: EvaluationData | None) -> dict:
    if record is None:
        return {}
    return {name: getattr(record, name) for name in EvaluationDataForm.FIELDS}


@data_page
@require_http_methods(["GET", "POST"])
def data_detail(request, enterprise_pk: int, year: int):
    user = request.user
    enterprise, record = found(selectors.data_for_user(user=user, enterprise_pk=enterprise_pk, year=year))
    editable = selectors.data_editable(user=user, enterprise=enterprise, record=record)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("您可以查看但不能修改该企业的评价数据。"))

    as_of = land_as_of(year)
    url = reverse("evaluation:data_detail", args=[enterprise.pk, year])
    completeness = selectors.year_completeness(zone=enterprise.zone, year=year)
    context = {
        "enterprise": enterprise,
        "enterprise_visible": Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists(),
        "year": year,
        "record": record,
        "figures": _figures(record),
        "officer": [(EvaluationData._meta.get_field(f).verbose_name, _display(getattr(record, f) if record else None))
                    for f in ("major_accident", "exempt_reason")],
        "land": enterprise_land_area(enterprise=enterprise, as_of=as_of),
        "land_as_of": as_of,
        "exempt_reason": exempt_reason(industry_code=enterprise.industry_code,
                                       registered=enterprise.registration_date, as_of=as_of,
                                       manual=record.exempt_reason if record else ""),
        "completeness": completeness,
        "row": selectors.completeness_row(completeness, enterprise_id=enterprise.pk),
        "can_edit": editable,
        "changes": object_changes_for_object(obj=record) if record else [],
        "list_url": reverse("evaluation:data_list") + f"?year={year}",
        "title": _("%(name)s · %(year)s 年度评价数据") % {"name": enterprise.name, "year": year},
        "intro": _("金额单位万元，留空表示未报送；调整评价用地面积须说明原因。"),
    }
    if not editable:
        return render(request, "evaluation/data_detail.html", context)
    form = EvaluationDataForm(request.POST or None, initial=_initial(record))

    def save(data, message):
        services.evaluation_data_save(user=user, enterprise=enterprise, year=year, data=data, message=message)
        return _Next(url)

    return form_page(
        request, form,
        save=save,
        template="evaluation/data_detail.html",
        context={**context, "cancel_url": context["list_url"]},
        success_message=_("评价数据已保存。"),
    )

