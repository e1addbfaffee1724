from django.urls import path

from .views import bulletin, dashboard, indicators

app_name = "economy"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("indicators/", indicators.indicator_list, name="indicator_list"),
    path("indicators/add/", indicators.indicator_add, name="indicator_add"),
    path("indicators/<int:pk>/", indicators.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", indicators.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/record/", indicators.observation_record, name="observation_record"),
    path("targets/", indicators.target_list, name="target_list"),
    path("bulletin/", bulletin.bulletin_preview, name="bulletin"),
    path("bulletin/download/", bulletin.bulletin_download, name="bulletin_download"),
]
