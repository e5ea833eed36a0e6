"""Sections of sites never seen: the one a page's JSON-LD breadcrumb names, else its breadcrumb trail.

Yoast SEO (WordPress) and many CMSs describe the page's breadcrumb as a schema.org
``BreadcrumbList``: the home page, the section, then often the article itself. Without a section
from the family's selectors, ``articleSection`` or ``article:section``, its last item after the home
page's (unless that is the article's title) is the section; without one, the last link of the
page's breadcrumb trail (Bootstrap's ``ol.breadcrumb``, a ``div.breadcrumb``) after home's. Each
page is a made-up article of an unregistered host, read through the steps a crawl runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import NOW, read_as_crawled
from test_site_place import URL, _page

from tests.conftest import MADE_UP_HEADLINE


def _crumbs(*names: str, positions: list[object] | None = None) -> str:
    items = [
        {"@type": "ListItem", "position": positions[i] if positions else i + 1, "name": name,
         "item": f"https://kabar-pesisir.test/{i}"}
        for i, name in enumerate(names)
    ]
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": URL}, {"@type": "BreadcrumbList", "itemListElement": items},
    ]}
    return f'<script type="application/ld+json">{json.dumps(graph)}</script>'


def _section(head: str) -> str | None:
    _, fields, _ = read_as_crawled(_page(head=head), URL, "generic", now=NOW.replace(year=2027))
    return fields["section"]


@pytest.mark.parametrize(
    ("head", "section"),
    [
        (_crumbs("Beranda", "Daerah", MADE_UP_HEADLINE), "Daerah"),  # Yoast: home, category, the post
        (_crumbs("Beranda", "Daerah"), "Daerah"),
        (_crumbs("Beranda", "Berita", "Daerah", MADE_UP_HEADLINE), "Daerah"),  # the innermost section
        # Positions as strings and out of order: read by position.
        (_crumbs(MADE_UP_HEADLINE, "Beranda", "Daerah", positions=["3", "1", "2"]), "Daerah"),
        (_crumbs("Beranda", MADE_UP_HEADLINE), None),  # home and the post: no section
        (_crumbs("Beranda"), None),
    ],
)
def test_a_json_ld_breadcrumb_names_the_section(head: str, section: str | None) -> None:
    assert _section(head) == section


def test_the_sections_the_page_states_elsewhere_come_first() -> None:
    head = '<meta property="article:section" content="Nasional">' + _crumbs("Beranda", "Daerah", MADE_UP_HEADLINE)
    assert _section(head) == "Nasional"


@pytest.mark.parametrize(
    ("trail", "section"),
    [
        # Bootstrap: the article's own crumb is no link.
        (('<ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Beranda</a></li>'
         '<li class="breadcrumb-item"><a href="/daerah">Daerah</a></li>'
         f'<li class="breadcrumb-item active">{MADE_UP_HEADLINE}</li></ol>'), "Daerah"),
        # Links to the home page by its root, a placeholder "#" crumb, the article's own link.
        (('<div class="breadcrumb"><a href="https://kabar-pesisir.test/">Kabar Pesisir</a> / '
         '<a href="/berita">Berita</a> / <a href="#">Detail Berita</a></div>'), "Berita"),
        (f'<div id="breadcrumbs"><a href="/">Home</a> » <a href="/daerah">Daerah</a> » <a href="{URL}">Judul</a></div>',
         "Daerah"),
        ('<ol class="breadcrumb"><li><a href="/">Beranda</a></li></ol>', None),  # home alone
    ],
)
def test_a_breadcrumb_trail_names_the_section(trail: str, section: str | None) -> None:
    _, fields, _ = read_as_crawled(
        _page(under_headline="").replace(b"<main>", f"<main>{trail}".encode()), URL, "generic",
        now=NOW.replace(year=2027),
    )
    assert fields["section"] == section


def test_a_menu_named_a_breadcrumb_names_no_section() -> None:
    menu = '<ul class="sf-menu"><li class="sf-breadcrumb"><a href="/">News</a><ul>' + "".join(
        f'<li><a href="/channel/{n}">Kanal {n}</a></li>' for n in range(8)
    ) + "</ul></li></ul>"
    _, fields, _ = read_as_crawled(
        _page(under_headline="").replace(b"<main>", f"<main>{menu}".encode()), URL, "generic",
        now=NOW.replace(year=2027),
    )
    assert fields["section"] is None
