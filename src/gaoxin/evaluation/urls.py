from django.urls import path

from .views import appeals, data, runs, schemes

app_name = "evaluation"
urlpatterns = [
    path("schemes/", schemes.scheme_list, name="scheme_list"),
    path("schemes/add/", schemes.scheme_add, name="scheme_add"),
    path("schemes/<int:pk>/", schemes.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", schemes.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/activate/", schemes.scheme_activate, name="scheme_activate"),
    path("schemes/<int:pk>/delete/", schemes.scheme_delete, name="scheme_delete"),
    path("data/", data.data_list, name="data_list"),
    path("data/<int:enterprise_pk>/<int:year>/", data.data_detail, name="data_detail"),
    path("runs/", runs.run_list, name="run_list"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("runs/<int:pk>/export.xlsx", runs.run_export, name="run_export"),
    path("results/<int:pk>/", runs.result_detail, name="result_detail"),
    path("history/", runs.history, name="history"),
    path("runs/<int:pk>/publicity/", appeals.run_publicity, name="run_publicity"),
    path("runs/<int:pk>/finalize/", appeals.run_finalize, name="run_finalize"),
    path("objections/<int:pk>/", appeals.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/evidence/<int:evidence_pk>/", appeals.objection_evidence, name="objection_evidence"),
    path("my/", appeals.my_results, name="my_results"),
]
