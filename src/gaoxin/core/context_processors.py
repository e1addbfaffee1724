from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.permissions import Role


def navigation(request):
    """The module navigation a user sees; each entry only for the roles that use it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    business = user.role in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF, Role.ENTERPRISE)
    items = [
        (_("首页"), reverse("home"), True),
        (_("企业"), reverse("enterprises:list"), business),
        (_("地块"), reverse("land:parcel_list"), business),
        (_("载体"), reverse("land:building_list"), business and user.role != Role.ENTERPRISE),
        (_("招商引资"), reverse("investment:lead_list"), user.role in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF)),
        (_("项目调度"), reverse("projects:dashboard"), user.role in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF)),
        (_("我的项目"), reverse("projects:project_list"), user.role == Role.ENTERPRISE),
        (_("审批服务"), reverse("approvals:queue"), user.role in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF)),
        (_("我的审批"), reverse("approvals:case_list"), user.role == Role.ENTERPRISE),
        (_("经济运行"), reverse("economy:dashboard"), user.role in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF)),
        (_("亩均评价"), reverse("evaluation:run_list"), user.role in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF)),
        (_("惠企政策"), reverse("policies:policy_list"), user.role in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF)),
        (_("惠企政策"), reverse("policies:mine"), user.role == Role.ENTERPRISE),
        (_("智改数转"), reverse("transformation:project_list"), user.role in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF)),
        (_("亩均评价"), reverse("evaluation:my_results"), user.role == Role.ENTERPRISE),
        (_("数据导入"), reverse("imports:index"), user.role == Role.DEPARTMENT_STAFF),
        (_("用户管理"), reverse("accounts:user_list"), user.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)),
        (_("部门管理"), reverse("accounts:department_list"), user.role == Role.SYSTEM_ADMIN),
        (_("工作日历"), reverse("core:calendar_list"), user.role == Role.SYSTEM_ADMIN),
        (_("登录日志"), reverse("accounts:login_events"), user.role == Role.SECURITY_ADMIN),
        (_("安全策略"), reverse("accounts:security_policy"), user.role == Role.SECURITY_ADMIN),
        (_("审计日志"), reverse("core:audit"), user.role == Role.AUDIT_ADMIN),
    ]
    current = request.path
    return {
        "nav": [
            {"label": label, "url": url, "active": url == current or (url != "/" and current.startswith(_section(url)))}
            for label, url, visible in items
            if visible
        ]
    }


def _section(url: str) -> str:
    """An entry stays highlighted on every page of its module: /evaluation/runs/ → /evaluation/."""
    sectioned = ("/evaluation/", "/investment/", "/projects/", "/economy/", "/approvals/", "/policies/",
                 "/transformation/")
    return "/" + url.strip("/").split("/")[0] + "/" if url.startswith(sectioned) else url
