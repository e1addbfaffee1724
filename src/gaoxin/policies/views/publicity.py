"""Publicity pages (公示归档): publish a policy's paid awards, the printable 公示名单 with its download, archive.

Staff of the policy's department publish and archive, leaders read; an enterprise user may read (and
download) a publicity that names their enterprise.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.imports.workbooks import CONTENT_TYPES
from gaoxin.core.pages import business_page, can_edit, form_page, found, require_edit

from ..forms_awards import PublicityForm
from ..models import Policy
from ..selectors import publicity as selectors
from ..services import publicity as services

officer_page = business_page(enterprise_users=False)


@officer_page
@require_http_methods(["GET", "POST"])
def publicity_add(request, pk: int):
    user = request.user
    policy = found(Policy.objects.visible_to(user).filter(pk=pk).first())
    require_edit(user, policy)
    awaiting = list(selectors.awards_awaiting_publicity(policy=policy))
    form = PublicityForm(request.POST or None, initial={
        "title": services.default_title(policy=policy, years=selectors.publicity_years(awards=awaiting)),
        "start": selectors.today(), "days": services.DAYS_DEFAULT})
    return form_page(
        request, form,
        save=lambda data, message: services.publicity_create(user=user, policy=policy, title=data["title"],
                                                             start=data["start"], days=data["days"]),
        template="policies/publicity_form.html",
        context={"title": _("发布兑现公示：%(policy)s") % {"policy": policy.name}, "policy": policy,
                 "awaiting": awaiting, "awaiting_total": selectors.publicity_total(awaiting),
                 "cancel_url": policy.get_absolute_url()},
        success_message=_("公示已发布。"),
    )


@business_page()
@require_GET
def publicity_detail(request, pk: int):
    user = request.user
    publicity = found(selectors.publicity_for_user(user=user, pk=pk))
    rows = selectors.publicity_rows(publicity=publicity)
    return render(request, "policies/publicity_detail.html", {
        "publicity": publicity,
        "rows": rows,
        "total": selectors.publicity_total(rows),
        "window": selectors.publicity_window(publicity=publicity),
        "can_edit": can_edit(user, publicity),
        "mine": getattr(user, "enterprise_id", None),
    })


@officer_page
@require_POST
def publicity_archive(request, pk: int):
    user = request.user
    publicity = found(selectors.publicity_for_user(user=user, pk=pk))
    require_edit(user, publicity)
    try:
        services.publicity_archive(user=user, publicity=publicity)
    except ValidationError as exc:
        messages.error(request, _("不能归档：") + " ".join(exc.messages))
    else:
        messages.success(request, _("公示已归档。"))
    return redirect(publicity.get_absolute_url())


@business_page()
@require_GET
def publicity_download(request, pk: int):
    user = request.user
    publicity = found(selectors.publicity_for_user(user=user, pk=pk))
    content = services.publicity_workbook(user=user, publicity=publicity)
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=f"{publicity.title[:80]}.xlsx")
    return response
