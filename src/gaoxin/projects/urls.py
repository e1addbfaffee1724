from django.urls import path

from .views import dashboard, issues, projects, reports, settings, statistics, taskforces

app_name = "projects"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("list/", projects.project_list, name="project_list"),
    path("add/", projects.project_add, name="project_add"),
    path("<int:pk>/", projects.project_detail, name="project_detail"),
    path("<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("<int:pk>/delete/", projects.project_delete, name="project_delete"),
    path("<int:pk>/parcels/add/", projects.project_parcel_add, name="project_parcel_add"),
    path("<int:pk>/parcels/<int:link_pk>/remove/", projects.project_parcel_remove, name="project_parcel_remove"),
    path("<int:pk>/plans/", reports.project_plan, name="project_plan"),
    path("<int:pk>/reports/", reports.project_report, name="project_report"),
    path("periods/", reports.period_list, name="period_list"),
    path("periods/close/", reports.period_close, name="period_close"),
    path("periods/reopen/", reports.period_reopen, name="period_reopen"),
    path("<int:pk>/journal/add/", issues.journal_add, name="journal_add"),
    path("<int:pk>/issues/add/", issues.issue_add, name="issue_add"),
    path("issues/", issues.issue_list, name="issue_list"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/transition/", issues.issue_transition, name="issue_transition"),
    path("issues/<int:pk>/escalate/", issues.issue_escalate, name="issue_escalate"),
    path("task-forces/", taskforces.task_force_list, name="task_force_list"),
    path("task-forces/add/", taskforces.task_force_add, name="task_force_add"),
    path("task-forces/<int:pk>/", taskforces.task_force_detail, name="task_force_detail"),
    path("task-forces/<int:pk>/edit/", taskforces.task_force_edit, name="task_force_edit"),
    path("settings/", settings.project_settings, name="settings"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/records/", statistics.statistics_records, name="statistics_records"),
]
