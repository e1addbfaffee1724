"""The zone's project warning settings page."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import add_service_errors, business_page

from ..forms_issues import ProjectSettingsForm
from ..models import DEFAULT_INDUSTRY_DIRECTIONS
from ..selectors.settings import project_settings_for
from ..services.settings import can_edit_settings, project_settings_save


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def project_settings(request):
    user = request.user
    current = project_settings_for(user.zone)
    editable = can_edit_settings(user)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("只有本园区的部门工作人员可以修改项目预警设置。"))
    form = ProjectSettingsForm(request.POST or None, instance=copy.copy(current))
    if request.method == "POST" and form.is_valid():
        try:
            project_settings_save(user=user, data=form.service_data(), message=form.cleaned_data["message"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("项目预警设置已保存。"))
            return redirect("projects:settings")
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "projects/settings.html", {
        "form": form,
        "settings": current,
        "editable": editable,
        "defaults": DEFAULT_INDUSTRY_DIRECTIONS,
        "uses_defaults": not current.industry_directions,
        "changes": object_changes_for_object(obj=current) if current.pk else [],
    }, status=400 if request.method == "POST" else 200)
