from django.apps import AppConfig


class CopkitConfig(AppConfig):
    name = "copkit"
    verbose_name = "copkit"
