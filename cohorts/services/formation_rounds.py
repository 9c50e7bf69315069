"""Setting up formation rounds: create and edit a round, who takes part, topics and
criteria, sending personal links and reminders. (Being written.)"""


def queue_due_reminders():
    raise NotImplementedError
