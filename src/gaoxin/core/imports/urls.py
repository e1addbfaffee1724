from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_index, name="index"),
    path("<str:kind>/template.xlsx", views.import_template, name="template"),
    path("<str:kind>/errors.xlsx", views.import_errors, name="errors"),
    path("<str:kind>/export/", views.export, name="export"),
    path("<str:kind>/", views.import_upload, name="upload"),
]
