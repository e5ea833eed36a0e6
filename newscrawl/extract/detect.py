"""Which network family made a page, judged from its markup alone.

Used when a crawl is given start_urls without a network. Pure: a page (HTML or a parsed `Doc`) in,
a profile out. Each family lists in its profile the CSS selectors only its CMS
produces; the family with the most of them present wins, and a page that matches no family well
enough is read by the generic profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newscrawl.extract.doc import Doc
from newscrawl.networks import all_profiles, get_profile

if TYPE_CHECKING:
    from newscrawl.networks.base import Profile

# A family needs this many of its markers on the page to be chosen over the generic fallback.
MIN_MARKERS = 2


def detect_profile(page: str | bytes | Doc) -> Profile:
    """Return the profile whose markers best match `page` (generic when none does)."""
    doc = Doc.of(page)
    best: Profile | None = None
    best_score = MIN_MARKERS - 1
    for profile in all_profiles():
        if not profile.detect:
            continue
        score = sum(1 for css in profile.detect if doc.has(css))
        if score > best_score:
            best, best_score = profile, score
    return best or get_profile("generic")
