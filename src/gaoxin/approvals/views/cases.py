"""Case pages: list, open from a route, open a 一件事, the applicant-facing timeline, the 帮办员."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gaoxin.core.pages import Column, business_page, form_page, found, paginate, sort_and_head
from gaoxin.core.permissions import Role

from ..forms import AgentForm, BundleForm, CaseFilterForm, CaseForm
from ..models import ObligationStatus
from ..selectors import cases as selectors
from ..services import cases as services

COLUMNS = [
    Column("code", gettext_lazy("办件编号"), "code"),
    Column("title", gettext_lazy("名称"), "title"),
    Column("kind", gettext_lazy("类型"), "kind"),
    Column("enterprise", gettext_lazy("申请企业"), "enterprise__name"),
    Column("department", gettext_lazy("受理部门"), "department__code"),
    Column("progress", gettext_lazy("已办结/事项"), num=True),
    Column("status", gettext_lazy("状态"), "status"),
    Column("start_date", gettext_lazy("启动日期"), "start_date"),
]


def _is_staff(user) -> bool:
    return user.role == Role.DEPARTMENT_STAFF and bool(user.department_id)


def _require_staff(user) -> None:
    if not _is_staff(user):
        raise PermissionDenied(_("只有部门工作人员可以开办审批办件。"))


@business_page()
def case_list(request):
    user = request.user
    form = CaseFilterForm(request.GET or None, projects=selectors.project_case_choices(user))
    qs = selectors.cases_for_user(user=user, filters=form.values() if request.GET else {})
    qs, head = sort_and_head(request, qs, COLUMNS, default="-start_date")
    return render(request, "approvals/case_list.html", {
        "page_obj": paginate(request, qs),
        "head": head,
        "filter_form": form,
        "can_open": _is_staff(user),
        "has_bundles": _is_staff(user) and selectors.bundles_of(user.zone_id).exists(),
    })


@business_page(enterprise_users=False)
def case_add(request):
    user = request.user
    _require_staff(user)
    routes = selectors.route_choices(user.zone_id)
    form = CaseForm(request.POST if request.method == "POST" else None, routes=routes, projects=selectors.project_choices(user.zone_id),
                    initial={"start_date": timezone.localdate()})

    def save(data, message):
        route = selectors.route_for(user.zone_id, data["route"])
        if route is None:
            raise ValidationError({"route": _("请选择本园区生效目录中的审批路线。")})
        project = selectors.project_in_zone(user.zone_id, data.get("project"))
        if data.get("project") and project is None:
            raise ValidationError({"project": _("项目不存在或不属于本园区。")})
        return services.case_open(user=user, route=route, title=data.get("title", ""),
                                  start_date=data["start_date"], project=project,
                                  area_assessment=data.get("area_assessment", False), code=data.get("code"),
                                  message=message)

    return form_page(request, form, save=save, template="approvals/case_form.html", context={
        "title": _("开办工程建设项目审批"), "cancel_url": reverse("approvals:case_list"), "no_routes": not routes,
    }, success_message=_("审批办件已开办。"))


@business_page(enterprise_users=False)
def bundle_add(request):
    user = request.user
    _require_staff(user)
    bundles = list(selectors.bundles_of(user.zone_id))
    chosen = request.POST.get("bundle") or request.GET.get("bundle")
    bundle = next((b for b in bundles if str(b.pk) == str(chosen)), None)
    if bundle is None and not chosen and len(bundles) == 1:
        bundle = bundles[0]
    if bundle is None:
        return render(request, "approvals/bundle_choose.html", {"bundles": bundles, "bad": bool(chosen)},
                      status=400 if chosen else 200)
    form = BundleForm(request.POST if request.method == "POST" else None, bundle=bundle, enterprises=selectors.enterprise_choices(user.zone_id),
                      initial={"start_date": timezone.localdate()})

    def save(data, message):
        enterprise = selectors.enterprise_in_zone(user.zone_id, data.get("enterprise"))
        if enterprise is None:
            raise ValidationError({"enterprise": _("企业不存在或不属于本园区。")})
        fields = {name: data.get(name, "") for name in form.form_field_names}
        return services.bundle_open(user=user, bundle=bundle, enterprise=enterprise, form_data=fields,
                                    start_date=data["start_date"], message=message)

    return form_page(request, form, save=save, template="approvals/bundle_form.html", context={
        "title": _("一件事一次办：%(b)s") % {"b": bundle.name}, "bundle": bundle, "bundles": bundles,
        "cancel_url": reverse("approvals:case_list"),
    }, success_message=_("一件事已受理并分办。"))


def _can_assign(user, case) -> bool:
    return _is_staff(user) and user.zone_id == case.zone_id and user.department_id == case.department_id


@business_page()
def case_detail(request, pk: int):
    user = request.user
    case = found(selectors.case_get_for_user(user=user, pk=pk))
    timeline = selectors.case_timeline(case)
    can_assign = _can_assign(user, case)
    return render(request, "approvals/case_detail.html", {
        "object": case,
        "timeline": timeline,
        "chart": timeline.chart(),
        "open_obligations": [o for r in timeline.rows for o in r.obligations if o.status == ObligationStatus.OPEN],
        "agent_form": AgentForm(initial={"agent": case.agent_id}, agents=selectors.agent_choices(case.zone_id))
        if can_assign else None,
        "is_enterprise": user.role == Role.ENTERPRISE,
    })


@business_page(enterprise_users=False)
@require_POST
def case_agent(request, pk: int):
    user = request.user
    case = found(selectors.case_get_for_user(user=user, pk=pk))
    if not _can_assign(user, case):
        raise PermissionDenied(_("只有受理部门（%(d)s）的工作人员可以指定帮办员。") % {"d": case.department})
    form = AgentForm(request.POST, agents=selectors.agent_choices(case.zone_id))
    if not form.is_valid():
        messages.error(request, _("请从列表中选择帮办员。"))
        return redirect(case.get_absolute_url())
    agent = selectors.agent_in_zone(case.zone_id, form.cleaned_data.get("agent"))
    try:
        services.case_assign_agent(user=user, case=case, agent=agent)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已指定帮办员：%(a)s。") % {"a": agent} if agent else _("已取消帮办员。"))
    return redirect(case.get_absolute_url())
