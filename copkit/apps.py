from django.apps import AppConfig


class CopkitConfig(AppConfig):
    name = "copkit"
    verbose_name = "copkit"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
