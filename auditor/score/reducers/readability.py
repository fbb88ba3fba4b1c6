"""Reading ease of Dutch text: the Flesch-Douma formula, as computed by ``textstat``.

Flesch-Douma (W.H. Douma, 1960) adapts Flesch's reading ease to Dutch:
``206.84 - 0.93 × (words per sentence) - 77 × (syllables per word)``; 0-30 is very difficult
(academic), 60-70 plain, above 80 easy. ``textstat`` implements exactly this for ``lang="nl"``,
counting syllables with Pyphen's Dutch hyphenation dictionary (offline).

Web pages are not prose: menus, buttons and footers are short lines without a full stop, which
would glue into one endless "sentence". So only lines of at least ``MIN_LINE_WORDS`` words are
measured, and each line ends a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from auditor.model import ReadabilityScore

MIN_LINE_WORDS = 6
MIN_WORDS = 80  # fewer words of prose: no score (a form or a menu page is not "hard to read")
MAX_CHARS = 20_000
_TERMINAL = re.compile(r"[.!?…:;]$")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _dutch_textstat():
    from textstat.textstat import textstatistics

    stats = textstatistics()
    stats.set_lang("nl")
    return stats


def prose_of(text: str) -> str:
    """The lines of a page's visible text that read as sentences, each ending a sentence."""
    lines = []
    for line in (text or "")[:MAX_CHARS].splitlines():
        line = re.sub(r"\s+", " ", line).strip()
        if len(_WORD.findall(line)) < MIN_LINE_WORDS:
            continue
        lines.append(line if _TERMINAL.search(line) else line + ".")
    return "\n".join(lines)


def flesch_douma(text: str) -> Optional[ReadabilityScore]:
    """The Flesch-Douma score of Dutch prose; None when there are too few words to judge."""
    prose = prose_of(text)
    words = len(_WORD.findall(prose))
    if words < MIN_WORDS:
        return None
    stats = _dutch_textstat()
    score = stats.flesch_reading_ease(prose)
    return ReadabilityScore(
        score=round(float(score), 1), words=words, sentences=int(stats.sentence_count(prose)), language="nl",
    )


def page_readability(text: str, lang: str) -> Optional[ReadabilityScore]:
    """The page's Flesch-Douma score when it is declared Dutch; None otherwise."""
    if (lang or "").strip().lower().split("-")[0] != "nl":
        return None
    try:
        return flesch_douma(text)
    except Exception:  # noqa: BLE001 - a readability score must never break a page visit
        return None
