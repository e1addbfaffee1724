"""Evaluation scheme pages: thin adapters over evaluation.selectors and evaluation.services.

Enterprise users and administrators get 403; a scheme outside the user's scope is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import (
    Column,
    business_page,
    can_edit,
    delete_page,
    form_page,
    found,
    paginate,
    require_edit,
    sort_and_head,
)
from gaoxin.core.permissions import can_write

from ..forms import SchemeCreateForm, SchemeEditForm
from ..models import EvaluationScheme, SchemeStatus
from ..selectors import schemes as selectors
from ..services import schemes as services

COLUMNS = [
    Column("year", gettext_lazy("评价年度"), "year", num=True),
    Column("name", gettext_lazy("方案名称"), "name"),
    Column("status", gettext_lazy("状态"), "status"),
    Column("version", gettext_lazy("版本"), "version", num=True),
    Column("based_on", gettext_lazy("来源预设"), "based_on"),
    Column("department", gettext_lazy("主管部门"), "department__name"),
    Column("updated_at", gettext_lazy("更新时间"), "updated_at"),
]

schemes_page = business_page(enterprise_users=False)


@schemes_page
def scheme_list(request):
    user = request.user
    qs = selectors.schemes_for_user(user=user, filters=request.GET)
    qs, head = sort_and_head(request, qs, COLUMNS, default="-year")
    page = paginate(request, qs)
    return render(request, "evaluation/scheme_list.html", {
        "page_obj": page,
        "rows": [(s, selectors.preset_label(s.based_on) if s.based_on else "") for s in page.object_list],
        "head": head,
        "years": selectors.scheme_years(user=user),
        "statuses": SchemeStatus.choices,
        "year": request.GET.get("year", ""),
        "status": request.GET.get("status", ""),
        "can_add": can_write(user, EvaluationScheme),
    })


@schemes_page
def scheme_detail(request, pk: int):
    user = request.user
    scheme = found(selectors.scheme_get_for_user(user=user, pk=pk))
    return render(request, "evaluation/scheme_detail.html", {
        "object": scheme,
        "outline": selectors.scheme_outline(scheme=scheme),
        "based_on_label": selectors.preset_label(scheme.based_on) if scheme.based_on else "",
        "can_edit": can_edit(user, scheme),
        "changes": object_changes_for_object(obj=scheme),
    })


@schemes_page
@require_http_methods(["GET", "POST"])
def scheme_add(request):
    user = request.user
    if not can_write(user, EvaluationScheme):
        raise PermissionDenied(_("只有部门工作人员可以新增评价方案。"))
    form = SchemeCreateForm(request.POST or None)
    return form_page(
        request, form,
        save=lambda data, message: services.evaluation_scheme_create(user=user, data=data, message=message),
        template="evaluation/scheme_form.html",
        context={"title": _("新增评价方案"), "cancel_url": reverse("evaluation:scheme_list")},
        success_message=_("评价方案已新增（草稿），可继续修改后启用。"),
    )


@schemes_page
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk: int):
    user = request.user
    scheme = found(selectors.scheme_get_for_user(user=user, pk=pk))
    require_edit(user, scheme)
    form = SchemeEditForm(request.POST or None, initial={"toml": scheme.toml})
    return form_page(
        request, form,
        save=lambda data, message: services.evaluation_scheme_update(
            user=user, scheme=scheme, data=data, message=message),
        template="evaluation/scheme_form.html",
        context={"title": _("修改评价方案：%(name)s") % {"name": scheme.name}, "object": scheme,
                 "cancel_url": scheme.get_absolute_url()},
        success_message=_("评价方案已保存。"),
    )


@schemes_page
@require_POST
def scheme_activate(request, pk: int):
    user = request.user
    scheme = found(selectors.scheme_get_for_user(user=user, pk=pk))
    require_edit(user, scheme)
    try:
        services.evaluation_scheme_activate(user=user, scheme=scheme, message=request.POST.get("message", "")[:200])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已启用：该方案是本园区 %(year)s 年度的评价方案。") % {"year": scheme.year})
    return redirect(scheme.get_absolute_url())


@schemes_page
@require_http_methods(["GET", "POST"])
def scheme_delete(request, pk: int):
    user = request.user
    scheme = found(selectors.scheme_get_for_user(user=user, pk=pk))
    require_edit(user, scheme)
    return delete_page(
        request, scheme,
        delete=lambda message: services.evaluation_scheme_delete(user=user, scheme=scheme, message=message),
        next_url=reverse("evaluation:scheme_list"),
        context={"title": _("删除评价方案"), "cancel_url": scheme.get_absolute_url(),
                 "note": _("只能删除草稿；已启用的方案请先启用同年度的另一个方案。")},
        success_message=_("评价方案已删除。"),
    )
