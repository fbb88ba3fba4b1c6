"""Credentials never reach a log, progress line, artifact or report.

Sites link with secrets in their URLs (``?token=…``, signed download links, session ids in the
query) and operators sometimes start an audit at ``https://user:pass@staging…``. The crawl
uses the URL as it is; everything written or shown is passed through :func:`redact_text`
first: user-info is dropped and the values of secret-looking query parameters become
``REDACTED``. It works on any text (JSON, CSV cells, messages), so no field can be forgotten.
"""

from __future__ import annotations

import re
from typing import TypeVar

from pydantic import BaseModel

__all__ = ["REDACTED", "redact_text", "redact_model", "SECRET_PARAMETER_WORDS"]

REDACTED = "REDACTED"

# A parameter is secret when its name is one of these words, or has one of them as a part
# separated by "_", "-" or "." (access_token, X-Amz-Signature, api.key): "design" stays.
SECRET_PARAMETER_WORDS = (
    "token", "password", "passwd", "pwd", "pass", "secret", "apikey", "key", "session",
    "sessionid", "sessid", "phpsessid", "jsessionid", "sid", "sig", "signature", "auth",
    "authorization", "credential", "credentials", "jwt", "otp", "ticket",
)
_WORDS = "|".join(sorted(SECRET_PARAMETER_WORDS, key=len, reverse=True))
_SECRET_PARAMETER = re.compile(
    rf"(?i)([?&;](?:[\w.~%-]*[_.-])?(?:{_WORDS})(?:[_.-][\w.~%-]*)?=)[^&#?;\s\"'<>\\]+"
)
# scheme://user:password@host → scheme://host (and scheme://user@host)
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s\"'<>@\\]+@")

M = TypeVar("M", bound=BaseModel)


def redact_text(text: str) -> str:
    """``text`` with URL user-info removed and secret query values replaced by REDACTED."""
    if "@" in text:
        text = _USERINFO.sub(r"\1", text)
    if "=" in text:
        text = _SECRET_PARAMETER.sub(rf"\g<1>{REDACTED}", text)
    return text


def redact_model(model: M) -> M:
    """The model with every string redacted (a copy; the same object when nothing matched)."""
    raw = model.model_dump_json()
    clean = redact_text(raw)
    if clean == raw:
        return model
    return type(model).model_validate_json(clean)
