from django.urls import path

from .views import schemes

app_name = "evaluation"
urlpatterns = [
    path("schemes/", schemes.scheme_list, name="scheme_list"),
    path("schemes/add/", schemes.scheme_add, name="scheme_add"),
    path("schemes/<int:pk>/", schemes.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", schemes.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/activate/", schemes.scheme_activate, name="scheme_activate"),
    path("schemes/<int:pk>/delete/", schemes.scheme_delete, name="scheme_delete"),
]
