from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "gaoxin.evaluation"
    label = "evaluation"
    verbose_name = "亩均评价"
