from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "gaoxin.economy"
    label = "economy"
    verbose_name = "经济运行"
