"""What counts as a tracker, and where the GDPR applies as it is: shared by the consent and
data-flow checks and by the engine's classifier (auditor/probes/trackerdb.py), so both judge alike.

The categories are Ghostery's tracker database's own (``categories`` table).
"""

from __future__ import annotations

from typing import Optional

from auditor.model import TrackerMatch

# Categories whose trackers need consent: they follow visitors for advertising, measure them
# (first-party analytics too needs consent under the Belgian ePrivacy rules unless it is exempted,
# which is why self-hosted analytics is a warning, not a pass) or tie them to social networks.
# The others (hosting, audio_video_player, customer_interaction, utilities, misc, extensions)
# are third-party content: inventoried and judged by where their owner is.
TRACKING_CATEGORIES = frozenset({"advertising", "pornvertising", "site_analytics", "social_media"})
ANALYTICS_CATEGORY = "site_analytics"
CROSS_SITE_CATEGORIES = frozenset({"advertising", "pornvertising", "social_media"})
# Consent-management platforms: storing the visitor's choice is what the banner is for.
CONSENT_CATEGORY = "consent"

# The EU member states and the other EEA countries, where the GDPR applies as it is.
EEA_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split()
)


def is_tracking(match: Optional[TrackerMatch]) -> bool:
    return match is not None and match.category in TRACKING_CATEGORIES


def outside_eea(country: str) -> bool:
    """True when the database names a country outside the EU/EEA ("" = unknown: not flagged)."""
    return bool(country) and country.upper() not in EEA_COUNTRIES


def tracker_text(match: Optional[TrackerMatch]) -> str:
    """"Google Analytics (Google, US; site_analytics)" — how evidence names a tracker."""
    if match is None:
        return "not in the tracker database"
    owner = ", ".join(part for part in (match.company, match.country) if part)
    where = "served from the site's own host" if match.self_hosted else owner
    return f"{match.name or match.tracker_id} ({'; '.join(p for p in (where, match.category) if p)})"
