from django.urls import path

from .views import cases, catalog, items, notices, queue, statistics

app_name = "approvals"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/add/", cases.case_add, name="case_add"),
    path("cases/bundle/", cases.bundle_add, name="bundle_add"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/agent/", cases.case_agent, name="case_agent"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/action/", items.item_action, name="item_action"),
    path("obligations/<int:pk>/resolve/", items.obligation_resolve, name="obligation_resolve"),
    path("catalog/", catalog.catalog_list, name="catalog_list"),
    path("catalog/<int:pk>/", catalog.catalog_detail, name="catalog_detail"),
    path("catalog/<int:pk>/copy/", catalog.catalog_copy, name="catalog_copy"),
    path("catalog/<int:pk>/activate/", catalog.catalog_activate, name="catalog_activate"),
    path("catalog/items/<int:pk>/edit/", catalog.item_def_edit, name="item_def_edit"),
    path("catalog/routes/<int:pk>/edit/", catalog.route_edit, name="route_edit"),
    path("catalog/bundles/<int:pk>/edit/", catalog.bundle_edit, name="bundle_edit"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("channels/", notices.channel_list, name="channel_list"),
]
