from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self):
        # Register this app's copkit.later sweeps in every process (a worker would also
        # find them through the tasks' autodiscovery).
        import planning.tasks  # noqa: F401

        # The receivers that fill the inventory when cohorts writes topics or expertise.
        from planning.needs.services import filling  # noqa: F401
