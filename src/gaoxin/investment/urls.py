from django.urls import path

from . import views

app_name = "investment"
urlpatterns = [
    path("", views.lead_list, name="lead_list"),
    path("leads/add/", views.lead_add, name="lead_add"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/edit/", views.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/follow-up/", views.lead_follow_up, name="lead_follow_up"),
    path("leads/<int:pk>/sign/", views.lead_sign, name="lead_sign"),
    path("leads/<int:pk>/drop/", views.lead_drop, name="lead_drop"),
    path("leads/<int:pk>/advance/", views.lead_advance, name="lead_advance"),
    path("leads/<int:pk>/reopen/", views.lead_reopen, name="lead_reopen"),
    path("signings/", views.signing_list, name="signing_list"),
    path("signings/add/", views.signing_add, name="signing_add"),
    path("signings/<int:pk>/", views.signing_detail, name="signing_detail"),
    path("signings/<int:pk>/edit/", views.signing_edit, name="signing_edit"),
    path("signings/<int:pk>/delete/", views.signing_delete, name="signing_delete"),
    path("funds/", views.fund_list, name="fund_list"),
    path("funds/add/", views.fund_add, name="fund_add"),
    path("funds/<int:pk>/edit/", views.fund_edit, name="fund_edit"),
    path("funds/<int:pk>/delete/", views.fund_delete, name="fund_delete"),
]
