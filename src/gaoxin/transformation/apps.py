from django.apps import AppConfig


class TransformationConfig(AppConfig):
    name = "gaoxin.transformation"
    label = "transformation"
    verbose_name = "智改数转"
