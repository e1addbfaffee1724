from django.urls import path

from .views import counts, institutions, measurements, projects, recognitions

app_name = "transformation"
urlpatterns = [
    path("", projects.project_list, name="project_list"),
    path("add/", projects.project_add, name="project_add"),
    path("<int:pk>/", projects.project_detail, name="project_detail"),
    path("<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("<int:pk>/delete/", projects.project_delete, name="project_delete"),
    path("<int:pk>/measurements/add/", measurements.measurement_add, name="measurement_add"),
    path("measurements/<int:pk>/edit/", measurements.measurement_edit, name="measurement_edit"),
    path("measurements/<int:pk>/delete/", measurements.measurement_delete, name="measurement_delete"),
    path("institutions/", institutions.institution_list, name="institution_list"),
    path("institutions/add/", institutions.institution_add, name="institution_add"),
    path("institutions/<int:pk>/edit/", institutions.institution_edit, name="institution_edit"),
    path("institutions/<int:pk>/delete/", institutions.institution_delete, name="institution_delete"),
    path("recognitions/", recognitions.recognition_list, name="recognition_list"),
    path("recognitions/add/", recognitions.recognition_add, name="recognition_add"),
    path("recognitions/<int:pk>/edit/", recognitions.recognition_edit, name="recognition_edit"),
    path("recognitions/<int:pk>/delete/", recognitions.recognition_delete, name="recognition_delete"),
    path("counts/", counts.period_counts, name="counts"),
]
