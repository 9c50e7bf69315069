from django.apps import AppConfig


class CopkitConfig(AppConfig):
    name = "copkit"
    verbose_name = "copkit"

    def ready(self):
        # The receivers, and the digest sweeps (copkit.later) in every process.
        from . import digests, signals  # noqa: F401
