"""The approval catalog pages: versions, one version's stages → items / routes / bundles, copy to a draft,
activate a draft, and the edit forms of an item, a route and a 一件事 (drafts only; a read-only page
otherwise).

Scope: the zone's leaders and department staff read the catalog; enterprise users and administrators get
403; a catalog of a zone the user may not read is a 404. Writes (install, copy, activate, edit a draft) are
department staff of the zone, checked again by the services.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gaoxin.accounts.models import Department
from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import business_page, form_page, found

from ..forms_catalog import BundleForm, ItemDefForm, RouteForm
from ..models import Catalog, CatalogStatus
from ..selectors import catalog as selectors
from ..services import catalog as services

EDITOR_ONLY = gettext_lazy("只有本园区的部门工作人员可以维护审批事项目录。")


def _refusal(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _labelled(exc: ValidationError) -> list[str]:
    """A service's errors for a hand-written form: each prefixed by the field's label (预警比例：…)."""
    if not hasattr(exc, "error_dict"):
        return exc.messages
    out = []
    for name, texts in exc.message_dict.items():
        try:
            label = Catalog._meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            label = ""
        out.extend(f"{label}：{t}" if label else t for t in texts)
    return out


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def catalog_list(request):
    user = request.user
    if request.method == "POST":
        # The only write here: install the default catalog into the user's zone when it has none.
        if request.POST.get("action") != "install":
            return redirect("approvals:catalog_list")
        if not services.can_edit_catalog(user, user.zone_id):
            raise PermissionDenied(EDITOR_ONLY)
        try:
            catalog = services.catalog_install_default(zone=user.zone, user=user)
        except ValidationError as exc:
            _refusal(request, exc)
            return redirect("approvals:catalog_list")
        messages.success(request, _("已安装默认审批事项目录。"))
        return redirect(catalog.get_absolute_url())
    catalogs = selectors.catalog_list_rows(user)
    editable = services.can_edit_catalog(user, user.zone_id)
    zones = {c.zone_id for c in catalogs}
    return render(request, "approvals/catalog_list.html", {
        "catalogs": catalogs,
        "editable": editable,
        "several_zones": len(zones) > 1,
        "can_install": editable and user.zone_id not in zones,
    })


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def catalog_detail(request, pk):
    user = request.user
    catalog = found(selectors.catalog_for_user(user, pk))
    editable = services.can_edit_catalog(user, catalog.zone_id)
    is_draft = catalog.status == CatalogStatus.DRAFT
    settings_error = None
    if request.method == "POST":
        # The draft's settings (name, warning ratio, note): a small form on the page itself.
        if not editable:
            raise PermissionDenied(EDITOR_ONLY)
        try:
            services.catalog_update(user=user, catalog=catalog, data={
                "name": request.POST.get("name", ""), "warn_ratio": request.POST.get("warn_ratio", ""),
                "note": request.POST.get("note", "")}, message=request.POST.get("message", ""))
        except ValidationError as exc:
            settings_error = _labelled(exc)
        else:
            messages.success(request, _("目录设置已保存。"))
            return redirect(catalog.get_absolute_url())
    detail = selectors.catalog_detail(catalog)
    return render(request, "approvals/catalog_detail.html", {
        "catalog": catalog,
        "detail": detail,
        "editable": editable,
        "is_draft": is_draft,
        "problems": services.catalog_problems(catalog) if is_draft else [],
        "settings_error": settings_error,
        "posted": request.POST if settings_error else None,
        "changes": object_changes_for_object(obj=catalog),
    }, status=400 if settings_error else 200)


@business_page(enterprise_users=False)
@require_POST
def catalog_copy(request, pk):
    user = request.user
    catalog = found(selectors.catalog_for_user(user, pk))
    if not services.can_edit_catalog(user, catalog.zone_id):
        raise PermissionDenied(EDITOR_ONLY)
    copy = services.catalog_copy(user=user, catalog=catalog, message=request.POST.get("message", ""))
    messages.success(request, _("已复制为草稿 v%(version)d，可修改后生效。") % {"version": copy.version})
    return redirect(copy.get_absolute_url())


@business_page(enterprise_users=False)
@require_POST
def catalog_activate(request, pk):
    user = request.user
    catalog = found(selectors.catalog_for_user(user, pk))
    if not services.can_edit_catalog(user, catalog.zone_id):
        raise PermissionDenied(EDITOR_ONLY)
    try:
        services.catalog_activate(user=user, catalog=catalog, message=request.POST.get("message", ""))
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("目录 %(catalog)s 已生效，此后新建的办件按此版本办理。") % {"catalog": catalog})
    return redirect(catalog.get_absolute_url())


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def item_def_edit(request, pk):
    user = request.user
    item = found(selectors.item_def_for_user(user, pk))
    catalog = item.catalog
    editable = services.can_edit_catalog(user, catalog.zone_id)
    back = f"{catalog.get_absolute_url()}#item-{item.code}"
    if catalog.status != CatalogStatus.DRAFT or not editable:
        if request.method == "POST":
            if not editable:
                raise PermissionDenied(EDITOR_ONLY)
            messages.error(request, _("目录 %(catalog)s 状态为“%(status)s”，不能修改；请先复制为草稿，修改后再生效。")
                           % {"catalog": catalog, "status": catalog.get_status_display()})
            return redirect(request.path)
        return render(request, "approvals/item_def_detail.html", {
            "item": item, "catalog": catalog, "back": back,
            "requires": list(item.requires.all()), "required_by": list(item.required_by.all()),
            "editable": editable, "changes": object_changes_for_object(obj=item),
        })

    form = ItemDefForm(request.POST or None, item=item,
                       departments=Department.objects.filter(zone_id=catalog.zone_id).order_by("code"))

    def save(data, message):
        services.item_def_update(user=user, item=item, data=data, message=message)
        return SimpleNamespace(get_absolute_url=lambda: back)

    return form_page(request, form, save=save, template="approvals/item_def_form.html", context={
        "title": _("修改事项：%(name)s") % {"name": item.name}, "item": item, "catalog": catalog,
        "cancel_url": back, "changes": object_changes_for_object(obj=item),
        "edit_url": reverse("approvals:item_def_edit", args=[item.pk]),
    }, success_message=_("事项已保存。"))


def _not_editable(request, catalog, editable: bool):
    """A POST to the edit page of a catalog that may not be edited: 403 for a reader, otherwise the reason
    (not a draft) as a message on the read-only page — the same answer as item_def_edit."""
    if not editable:
        raise PermissionDenied(EDITOR_ONLY)
    messages.error(request, _("目录 %(catalog)s 状态为“%(status)s”，不能修改；请先复制为草稿，修改后再生效。")
                   % {"catalog": catalog, "status": catalog.get_status_display()})
    return redirect(request.path)


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def route_edit(request, pk):
    user = request.user
    route = found(selectors.route_for_user(user, pk))
    catalog = route.catalog
    editable = services.can_edit_catalog(user, catalog.zone_id)
    writable = editable and catalog.status == CatalogStatus.DRAFT
    back = f"{catalog.get_absolute_url()}#route-{route.pk}"
    if request.method == "POST" and not writable:
        return _not_editable(request, catalog, editable)

    form = RouteForm(request.POST if writable and request.method == "POST" else None, route=route,
                     items=selectors.catalog_items(catalog))
    selected = form.selected_items()
    chain_wd, chain = selectors.chain_for_items(catalog, selected) if selected is not None else (None, [])
    # the target to compare with: the one typed in when it is a number, else the saved one
    try:
        target = int(form["target_wd"].value())
    except (TypeError, ValueError):
        target = route.target_wd

    def save(data, message):
        saved = services.route_update(user=user, route=route, data=data, message=message)
        wd, _chain = selectors.chain_for_items(catalog, saved.items.select_related("stage"))
        if wd > saved.target_wd:
            messages.warning(request, _("关键链承诺时限之和 %(wd)d 个工作日，超过全流程目标 %(target)d 个工作日。")
                             % {"wd": wd, "target": saved.target_wd})
        return SimpleNamespace(get_absolute_url=lambda: back)

    return form_page(request, form, save=save, template="approvals/route_form.html", context={
        "title": (_("修改审批路线：%(name)s") if writable else _("审批路线：%(name)s")) % {"name": route.name},
        "route": route, "catalog": catalog, "cancel_url": back, "writable": writable, "editable": editable,
        "chain_wd": chain_wd, "chain": chain, "target": target,
        "over_target": chain_wd is not None and chain_wd > target,
        "route_items": list(route.items.select_related("stage").order_by("stage__code", "order", "pk")),
        "changes": object_changes_for_object(obj=route),
        "edit_url": reverse("approvals:route_edit", args=[route.pk]),
    }, success_message=_("审批路线已保存。"))


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def bundle_edit(request, pk):
    user = request.user
    bundle = found(selectors.bundle_for_user(user, pk))
    catalog = bundle.catalog
    editable = services.can_edit_catalog(user, catalog.zone_id)
    writable = editable and catalog.status == CatalogStatus.DRAFT
    back = f"{catalog.get_absolute_url()}#bundle-{bundle.code}"
    if request.method == "POST" and not writable:
        return _not_editable(request, catalog, editable)

    form = BundleForm(request.POST if writable and request.method == "POST" else None, bundle=bundle,
                      items=selectors.catalog_items(catalog))

    def save(data, message):
        services.bundle_update(user=user, bundle=bundle, data=data, message=message)
        return SimpleNamespace(get_absolute_url=lambda: back)

    return form_page(request, form, save=save, template="approvals/bundle_form_edit.html", context={
        "title": (_("修改一件事：%(name)s") if writable else _("一件事：%(name)s")) % {"name": bundle.name},
        "bundle": bundle, "catalog": catalog, "cancel_url": back, "writable": writable, "editable": editable,
        "bundle_items": list(bundle.items.select_related("stage").order_by("stage__code", "order", "pk")),
        "changes": object_changes_for_object(obj=bundle),
        "edit_url": reverse("approvals:bundle_edit", args=[bundle.pk]),
    }, success_message=_("一件事已保存。"))
