"""One id per request, on every log line it writes and on the 500 page.

A resident who reads 「お問い合わせ番号 7F3A-21C0-9B4D」 over the phone leads
staff to the exact lines in the log. The id lives in a context variable, so
loggers anywhere (services, the mail sender, Django's own) get it through the
filter below without being handed the request.
"""

import contextvars
import logging
import re
import secrets

_current = contextvars.ContextVar("request_id", default="-")

# A proxy's own id is kept when it looks like one, so both logs line up.
INCOMING = re.compile(r"[A-Za-z0-9._-]{8,64}")


def new_id() -> str:
    raw = secrets.token_hex(6).upper()
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


def begin(incoming: str | None) -> tuple[str, contextvars.Token]:
    request_id = incoming if incoming and INCOMING.fullmatch(incoming) else new_id()
    return request_id, _current.set(request_id)


def end(token: contextvars.Token) -> None:
    _current.reset(token)


def current() -> str:
    return _current.get()


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` ("-" outside a request)."""

    def filter(self, record):
        record.request_id = _current.get()
        return True
