"""The import page, template download, error-list download and filtered-list export."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.permissions import BUSINESS_ROLES, Role, can_write

from .reader import MAX_BYTES, ImportFileError, check_upload
from .registry import all_specs, get_spec
from .services import file_import, records_export
from .spec import ImportSpec, RowError
from .workbooks import CONTENT_TYPES, errors_workbook, template_workbook

SHOWN_ERRORS = 1000  # rows of the error table on the page; the download has them all (up to KEPT_ERRORS)
KEPT_ERRORS = 20000  # errors kept in the session for the download
EXPORT_FORMATS = ("xlsx", "csv")


def _spec(kind: str) -> ImportSpec:
    spec = get_spec(kind)
    if spec is None:
        raise Http404(_("没有这种数据类型。"))
    return spec


def _require_importer(user, spec: ImportSpec | None = None) -> None:
    if user.role != Role.DEPARTMENT_STAFF or (spec is not None and not can_write(user, spec.model)):
        raise PermissionDenied(_("只有部门工作人员可以导入数据。"))


def _require_reader(user) -> None:
    if user.role not in BUSINESS_ROLES:
        raise PermissionDenied(_("您的角色不能查看业务数据。"))


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _session_key(kind: str) -> str:
    return f"imports:errors:{kind}"


@login_required
@require_GET
def import_index(request):
    _require_importer(request.user)
    specs = [s for s in all_specs() if can_write(request.user, s.model)]
    return render(request, "imports/index.html", {"specs": specs})


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind):
    spec = _spec(kind)
    _require_importer(request.user, spec)
    context = {"spec": spec, "max_mb": MAX_BYTES // (1024 * 1024)}
    if request.method == "GET":
        return render(request, "imports/upload.html", context)

    upload = request.FILES.get("file")
    if upload is None:
        context["file_error"] = _("请选择要导入的 .xlsx 或 .csv 文件。")
        return render(request, "imports/upload.html", context)
    try:
        check_upload(upload.name, upload.size)
    except ImportFileError as exc:
        context["file_error"] = exc.message
        return render(request, "imports/upload.html", context)

    user = request.user
    outcome = file_import(spec=spec, data=upload.read(), filename=upload.name, zone=user.zone,
                          department=user.department, user=user)
    if outcome.ok:
        request.session.pop(_session_key(kind), None)
        counts = outcome.counts
        messages.success(request, _("导入成功：新增 %(created)s 条，更新 %(updated)s 条，未变更 %(unchanged)s 条。") % {
            "created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged})
        return redirect(spec.list_url)
    if outcome.file_error:
        context["file_error"] = outcome.file_error
        return render(request, "imports/upload.html", context)
    request.session[_session_key(kind)] = {
        "filename": outcome.filename,
        "total": len(outcome.errors),
        "errors": [e.as_list() for e in outcome.errors[:KEPT_ERRORS]],
    }
    context.update(
        errors=outcome.errors[:SHOWN_ERRORS],
        error_total=len(outcome.errors),
        errors_truncated=len(outcome.errors) > SHOWN_ERRORS,
        shown_errors=SHOWN_ERRORS,
        filename=outcome.filename,
    )
    return render(request, "imports/upload.html", context)


@login_required
@require_GET
def import_errors(request, kind):
    """The last failed import's errors as .xlsx (kept in the session, so only its own user gets them)."""
    spec = _spec(kind)
    _require_importer(request.user, spec)
    stored = request.session.get(_session_key(kind))
    if not stored:
        raise Http404(_("没有可下载的错误清单，请重新导入文件。"))
    errors = [RowError(*item) for item in stored["errors"]]
    title = _("%(label)s导入错误清单：%(filename)s，共 %(total)s 处错误") % {
        "label": spec.label, "filename": stored["filename"], "total": stored["total"]}
    if stored["total"] > len(errors):
        title += _("（仅列出前 %(n)s 处）") % {"n": len(errors)}
    response = HttpResponse(errors_workbook(errors, title=title), content_type=CONTENT_TYPES["xlsx"])
    return _attachment(response, _("%(label)s导入错误清单.xlsx") % {"label": spec.label})


@login_required
@require_GET
def import_template(request, kind):
    spec = _spec(kind)
    _require_reader(request.user)
    # the zone's 片区 names for the drop-down; an enterprise user's template does without them
    zone = None if request.user.role == Role.ENTERPRISE else request.user.zone
    response = HttpResponse(template_workbook(spec, zone=zone), content_type=CONTENT_TYPES["xlsx"])
    return _attachment(response, spec.template_filename)


@login_required
@require_GET
def export(request, kind):
    """The list page's records with the same filters (GET parameters), as .xlsx or .csv."""
    spec = _spec(kind)
    _require_reader(request.user)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        return HttpResponseBadRequest(_("导出格式只能是 xlsx 或 csv。"), content_type="text/plain; charset=utf-8")
    filters = request.GET.copy()
    filters.pop("format", None)
    filters.pop("page", None)
    objects = spec.queryset_for_user(user=request.user, filters=filters or None)
    out = tempfile.TemporaryFile()
    records_export(spec=spec, objects=objects, fmt=fmt, out=out, user=request.user, zone=request.user.zone,
                   description=filters.urlencode()[:300])
    out.seek(0)
    filename = f"{spec.label}_{timezone.localdate():%Y%m%d}.{fmt}"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
