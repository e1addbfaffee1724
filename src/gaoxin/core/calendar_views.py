"""The working-day calendar pages: the system administrator enters the years the package lacks."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .calendar import calendar_coverage, calendar_year_delete, calendar_year_rows, calendar_year_save
from .forms import CalendarYearForm
from .models import CalendarYear
from .permissions import Role
from .workcal import PACKAGE_YEARS, package_definition


def system_admin_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.SYSTEM_ADMIN:
            raise PermissionDenied(_("只有系统管理员可以维护工作日历。"))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _to_list(request):
    url = reverse("core:calendar_list")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@system_admin_required
def calendar_list(request):
    context = {"rows": calendar_year_rows(), **calendar_coverage(timezone.localdate())}
    return render(request, "core/calendar_list.html", context)


@system_admin_required
def calendar_edit(request, year: int | None = None):
    """Add a year (no `year`) or edit one; POST action=delete removes the definition."""
    row = get_object_or_404(CalendarYear, year=year) if year is not None else None
    if request.method == "POST" and row is not None and request.POST.get("action") == "delete":
        try:
            calendar_year_delete(user=request.user, year=row.year)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("已删除 %(year)s 年的工作日历。") % {"year": row.year})
        return _to_list(request)

    template, initial = None, {}
    requested = request.GET.get("year", "")
    if row is None and request.method == "GET" and requested.isdigit():
        # ?year=2026 prefills the package's arrangement, so correcting a known year starts from it.
        initial["year"] = int(requested)
        template = package_definition(int(requested))

    form = CalendarYearForm(request.POST or None, instance=row, template=template, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = calendar_year_save(
                user=request.user,
                year=row.year if row else data["year"],
                holidays=data["holidays"],
                workdays=data["workdays"],
                source=data["source"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已保存 %(year)s 年的工作日历。") % {"year": saved.year})
            return _to_list(request)
    return render(request, "core/calendar_form.html", {"form": form, "row": row, "package_years": PACKAGE_YEARS})
