from django.urls import path

from .views import applications, awards, clauses, facts, mine, policies, publicity, runs

app_name = "policies"
urlpatterns = [
    # policies and clauses (officer)
    path("", policies.policy_list, name="policy_list"),
    path("add/", policies.policy_add, name="policy_add"),
    path("<int:pk>/", policies.policy_detail, name="policy_detail"),
    path("<int:pk>/edit/", policies.policy_edit, name="policy_edit"),
    path("<int:pk>/delete/", policies.policy_delete, name="policy_delete"),
    path("<int:pk>/rules.toml", policies.policy_rules_download, name="policy_rules_download"),
    path("<int:pk>/clauses/add/", clauses.clause_add, name="clause_add"),
    path("clauses/<int:pk>/edit/", clauses.clause_edit, name="clause_edit"),
    path("clauses/<int:pk>/delete/", clauses.clause_delete, name="clause_delete"),
    path("<int:pk>/preview/", clauses.clause_preview, name="clause_preview"),  # htmx: the live count
    # facts (事实表)
    path("facts/", facts.facts_table, name="facts"),
    path("facts/download/", facts.facts_download, name="facts_download"),
    # match runs (系统比对 → 精准推送)
    path("<int:pk>/runs/add/", runs.run_add, name="run_add"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("runs/<int:pk>/notify/", runs.run_notify, name="run_notify"),
    path("runs/<int:pk>/cancel/", runs.run_cancel, name="run_cancel"),
    path("runs/<int:pk>/download/", runs.run_download, name="run_download"),
    # awards (意愿确认 → 审核 → 兑付), officer side
    path("awards/", awards.award_list, name="award_list"),
    path("awards/<int:pk>/", awards.award_detail, name="award_detail"),
    path("awards/<int:pk>/reply/", awards.award_reply, name="award_reply"),
    path("awards/<int:pk>/approve/", awards.award_approve, name="award_approve"),
    path("awards/<int:pk>/reject/", awards.award_reject, name="award_reject"),
    path("awards/<int:pk>/pay/", awards.award_pay, name="award_pay"),
    path("awards/bulk/", awards.award_bulk, name="award_bulk"),
    path("awards/download/", awards.award_download, name="award_download"),
    # the enterprise's side
    path("mine/", mine.my_policies, name="mine"),
    path("mine/awards/<int:pk>/confirm/", mine.award_confirm, name="award_confirm"),
    path("mine/awards/<int:pk>/decline/", mine.award_decline, name="award_decline"),
    path("clauses/<int:pk>/apply/", applications.application_add, name="application_add"),
    # applications (依申请)
    path("applications/", applications.application_list, name="application_list"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/review/", applications.application_review, name="application_review"),
    path("applications/<int:pk>/resubmit/", applications.application_resubmit, name="application_resubmit"),
    path("evidence/<int:pk>/", applications.evidence_download, name="evidence_download"),
    # publicity (公示归档)
    path("<int:pk>/publicity/add/", publicity.publicity_add, name="publicity_add"),
    path("publicity/<int:pk>/", publicity.publicity_detail, name="publicity_detail"),
    path("publicity/<int:pk>/archive/", publicity.publicity_archive, name="publicity_archive"),
    path("publicity/<int:pk>/download/", publicity.publicity_download, name="publicity_download"),
]
