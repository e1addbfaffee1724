"""The notices page (what the scan sent, to whom, with what result) and the channels page.

Leaders read every notice and channel of their zones; department staff read their department's and manage
its channels (add, change, delete, send a test message); enterprise users and administrators get 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.pages import Column, add_service_errors, business_page, found, paginate, sort_and_head

from ..forms_notices import ChannelForm, NoticeFilterForm
from ..models import NoticeStatus
from ..notifier import DeliveryError, mask_address
from ..selectors import notices as selectors
from ..services import notices as services

staff_pages = business_page(enterprise_users=False)

NOTICE_COLUMNS = [
    Column("created_at", gettext_lazy("生成时间"), "created_at"),
    Column("item", gettext_lazy("办件 / 事项"), "item__case__code"),
    Column("department", gettext_lazy("办理部门"), "item__department__code"),
    Column("clock_status", gettext_lazy("时限状态"), "clock_status"),
    Column("channel", gettext_lazy("渠道"), "kind"),
    Column("status", gettext_lazy("发送状态"), "status"),
    Column("attempts", gettext_lazy("尝试次数"), "attempts", num=True),
    Column("sent_at", gettext_lazy("发送时间"), "sent_at"),
    Column("last_error", gettext_lazy("最近错误")),
]


@staff_pages
@require_GET
def notice_list(request):
    user = request.user
    form = NoticeFilterForm(request.GET, departments=selectors.notice_departments(user))
    qs = selectors.notices_for_user(user, form.values())
    counts = selectors.notice_counts(qs)
    qs, head = sort_and_head(request, qs, NOTICE_COLUMNS, default="-created_at")
    page = paginate(request, qs)
    rows = [{"notice": n, "target": mask_address(n.target), "title": (n.payload or {}).get("title", "")}
            for n in page.object_list]
    return render(request, "approvals/notice_list.html", {
        "page_obj": page, "rows": rows, "head": head, "filter_form": form,
        "counts": [(status, label, counts.get(status, 0)) for status, label in NoticeStatus.choices],
        "can_manage": services.can_manage_channels(user),
    })


def _channel_rows(user):
    return [{"channel": c, "target": mask_address(c.target), "has_secret": bool(c.secret)}
            for c in selectors.channels_for_user(user)]


@staff_pages
@require_http_methods(["GET", "POST"])
def channel_list(request):
    """GET lists the channels (with ?edit=<id> the form edits that one); POST `op` = save | delete | test."""
    user = request.user
    editable = services.can_manage_channels(user)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("只有部门工作人员可以管理本部门的通知渠道。"))
    source = request.POST if request.method == "POST" else request.GET
    channel = None
    raw_pk = source.get("channel") or source.get("edit")
    if raw_pk:
        if not str(raw_pk).isdigit():
            raise Http404(_("记录不存在，或不在您的数据范围内。"))
        channel = found(selectors.channel_for_user(user, int(raw_pk)))
        if editable and channel.department_id != user.department_id:
            raise PermissionDenied(_("只能管理本部门的通知渠道。"))
    back = redirect(reverse("approvals:channel_list"))
    op = request.POST.get("op", "save")
    status = 200
    form = ChannelForm(request.POST if request.method == "POST" and op == "save" else None, channel=channel) \
        if editable else None
    if request.method == "POST":
        if op == "delete" and channel is not None:
            services.channel_delete(user=user, channel=channel, message=request.POST.get("message", "")[:200])
            messages.success(request, _("通知渠道已删除；已发送的通知记录保留。"))
            return back
        if op == "test" and channel is not None:
            try:
                services.channel_test(user=user, channel=channel)
            except DeliveryError as exc:
                messages.error(request, _("测试消息发送失败：%(error)s") % {"error": exc})
            else:
                messages.success(request, _("测试消息已发送，请在对应的邮箱或群聊中查看。"))
            return back
        if op != "save":
            messages.error(request, _("未知的操作。"))
            return back
        if form.is_valid():
            try:
                if channel is None:
                    services.channel_create(user=user, data=form.service_data(),
                                            message=form.cleaned_data["message"])
                else:
                    services.channel_update(user=user, channel=channel, data=form.service_data(),
                                            message=form.cleaned_data["message"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("通知渠道已保存。"))
                return back
        status = 400
    return render(request, "approvals/channel_list.html", {
        "rows": _channel_rows(user), "form": form, "editing": channel, "editable": editable,
    }, status=status)
