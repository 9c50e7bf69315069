from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts and communities")

    def ready(self):
        # Register this app's copkit.later sweeps in every process (a worker would also
        # find them through the tasks' autodiscovery) and the kinds of email it sends.
        import cohorts.messages
        import cohorts.mydata
        import cohorts.tasks  # noqa: F401
