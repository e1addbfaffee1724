from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("audit/security/", views.security_log, name="security_log"),
    path("calendar/", views.calendar_list, name="calendar_list"),
    path("calendar/add/", views.calendar_edit, name="calendar_add"),
    path("calendar/<int:year>/", views.calendar_edit, name="calendar_edit"),
]
