"""Keep the bot token out of the log, whichever library writes the record.

The Bot API puts the token in every URL (``/bot<TOKEN>/getUpdates``), and HTTP
libraries log URLs: httpx (python-telegram-bot's client) logs each request at
INFO, and exceptions quote the URL they failed on. :class:`TokenRedactor` is a
:class:`logging.Filter` put on the root logger's handlers: every record that
reaches them, from any logger, has the token replaced in its message, its
arguments, its exception text and its stack, before it is formatted.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

MASK = "<BOT_TOKEN>"


class TokenRedactor(logging.Filter):
    def __init__(self, token: str) -> None:
        super().__init__()
        # the raw token, and its URL-encoded form (the colon as %3A / %3a) as some clients write it
        forms = {token, quote(token, safe=""), quote(token, safe="").replace("%3A", "%3a")}
        self._forms = sorted((form for form in forms if form), key=len, reverse=True)

    def redact(self, text: str) -> str:
        for form in self._forms:
            if form in text:
                text = text.replace(form, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its format: keep what can be kept
            message = str(record.msg)
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def redact_token_in_logs(token: str, logger: logging.Logger | None = None) -> TokenRedactor:
    """Put a :class:`TokenRedactor` on every handler of ``logger`` (the root logger by default)."""
    redactor = TokenRedactor(token)
    for handler in (logger or logging.getLogger()).handlers:
        handler.addFilter(redactor)
    return redactor
