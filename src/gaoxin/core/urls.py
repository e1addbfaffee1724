from django.urls import path

from . import calendar_views
from .audit import views as audit_views

app_name = "core"
urlpatterns = [
    path("audit/", audit_views.audit_log, name="audit"),
    path("audit/security/", audit_views.security_log, name="security_log"),
    path("calendar/", calendar_views.calendar_list, name="calendar_list"),
    path("calendar/add/", calendar_views.calendar_edit, name="calendar_add"),
    path("calendar/<int:year>/", calendar_views.calendar_edit, name="calendar_edit"),
]
