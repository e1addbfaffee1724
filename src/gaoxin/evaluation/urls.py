from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/add/", views.scheme_add, name="scheme_add"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/activate/", views.scheme_activate, name="scheme_activate"),
    path("schemes/<int:pk>/delete/", views.scheme_delete, name="scheme_delete"),
]
