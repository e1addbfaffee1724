from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "gaoxin.projects"
    label = "projects"
    verbose_name = "项目调度"
