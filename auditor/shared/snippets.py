"""Evidence snippets: text taken from hostile pages, capped so reports stay small."""

from __future__ import annotations

SNIPPET_MAX_CHARS = 500


def cap_snippet(text: str, limit: int = SNIPPET_MAX_CHARS) -> str:
    """The text, cut to ``limit`` characters with an ellipsis when it is longer."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"
