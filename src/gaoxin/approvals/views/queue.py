"""我的待办: the department's open items sorted by urgency; leaders also see the zone overview."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from gaoxin.core.pages import PER_PAGE, business_page
from gaoxin.core.permissions import Role

from ..models import ClockStatus, ItemState
from ..selectors import cases as selectors

FILTERS = (ClockStatus.OVERDUE, ClockStatus.WARNING, ClockStatus.NORMAL, ItemState.RECEIVED)


@business_page(enterprise_users=False)
def queue(request):
    user = request.user
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status not in FILTERS:
        status = ""  # an unknown filter shows everything rather than failing
    rows = selectors.queue_for_user(user=user, today=today, status=status)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    is_leader = user.role == Role.ZONE_LEADER
    return render(request, "approvals/queue.html", {
        "page_obj": page,
        "rows": page.object_list,
        "status": status,
        "filters": [(s, ItemState(s).label if s == ItemState.RECEIVED else ClockStatus(s).label) for s in FILTERS],
        "overview": selectors.zone_overview(user=user, today=today) if is_leader else None,
        "is_leader": is_leader,
        "today": today,
        "can_open": user.role == Role.DEPARTMENT_STAFF,
    })
