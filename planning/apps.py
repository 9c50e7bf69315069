from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self):
        # Register this app's copkit.later sweeps in every process (a worker would also
        # find them through the tasks' autodiscovery), the kinds of email each stage sends
        # (copkit.kinds), and the receivers that fill the inventory when cohorts writes
        # topics or expertise.
        import planning.checkins.messages
        import planning.deeper.messages
        import planning.evaluations.messages
        import planning.knowledge.messages
        import planning.messages
        import planning.sunset.alumni.messages
        import planning.sunset.archive.mydata
        import planning.sunset.messages
        import planning.sunset.phases
        import planning.support.messages
        import planning.tasks
        import planning.workspace.messages  # noqa: F401
        from planning.needs.services import filling  # noqa: F401
