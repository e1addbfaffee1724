from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "gaoxin.approvals"
    label = "approvals"
    verbose_name = "审批服务"
