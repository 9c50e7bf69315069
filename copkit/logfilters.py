"""Logging filters named in settings.LOGGING."""

import logging


class OneLineForbidden(logging.Filter):
    """A 403 (PermissionDenied) is a person opening a page their role does not allow, not a
    fault: log it as one line, with the exception's reason when it gives one, instead of the
    traceback Django's request logger attaches to it."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            reason = str(record.exc_info[1] or "")
            if reason:
                record.msg = f"{record.msg} (%s)"
                record.args = (*(record.args or ()), reason)
            record.exc_info = None
            record.exc_text = None
        return True
