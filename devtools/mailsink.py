"""A local mail sink for the outbox bench and the reliability tests: an email backend that
appends one line per email to a file, from any number of processes at once.

    EMAIL_BACKEND=devtools.mailsink.SinkBackend COPKIT_MAIL_SINK=/tmp/sink.txt

Each line is `<to>\t<subject>`, written with one O_APPEND write (whole lines, whatever the
processes). COPKIT_MAIL_SINK_DELAY (seconds, default 0) waits before each email, as a slow
mail server would: the reliability tests kill a worker in the middle of a sweep that way.
"""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


def sink_path():
    return os.environ["COPKIT_MAIL_SINK"]


class SinkBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        delay = float(os.environ.get("COPKIT_MAIL_SINK_DELAY") or 0)
        sent = 0
        for message in email_messages:
            if delay:
                time.sleep(delay)
            line = f"{','.join(message.to)}\t{message.subject}\n".encode()
            descriptor = os.open(sink_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, line)
            finally:
                os.close(descriptor)
            sent += 1
        return sent


def read(path):
    """The addresses in the sink, one per email sent (a duplicate appears twice)."""
    try:
        with open(path, encoding="utf-8") as sink:
            return [line.split("\t", 1)[0] for line in sink if line.strip()]
    except FileNotFoundError:
        return []
