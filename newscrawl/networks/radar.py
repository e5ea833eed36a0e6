"""JawaPos Radar regional sites (radarbogor.jawapos.com, ...): the PRMN-like ``read__*`` template.

Radar articles are ``/<section>/<digits>/<slug>`` rather than PRMN's ``/pr-<digits>/``; the rest
of the markup (title, info, content, pager, tag list) matches PRMN, so the profile derives from it.
Detection needs a JawaPos marker on top of the shared template markers (a tie goes to PRMN).
"""

from dataclasses import replace

from newscrawl.networks import prmn

PROFILE = replace(
    prmn.PROFILE,
    name="radar",
    detect=(
        *prmn.PROFILE.detect,
        'meta[property="og:site_name"][content*="Radar"]', 'link[href*="jawapos.com"]', 'meta[content*="jawapos.com"]',
    ),
    article_url=(r"/pr-\d+/[^/?#]+", r"^/[a-z0-9-]+/\d{6,}/[^/?#]+"),
    amp_rewrite=(
        (r"^/([^/]+)/amp/(pr-\d+/.*)$", r"/\1/\2"),
        (r"^/([^/]+)/amp/(\d{6,}/.*)$", r"/\1/\2"),
        (r"^/amp/(.*)$", r"/\1"),
        (r"^(.*)/amp/?$", r"\1"),
    ),
    notes="Same read__ template as PRMN; article ids are plain digits after the section.",
)
