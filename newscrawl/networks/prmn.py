"""Pikiran Rakyat Media Network (PRMN): ~200 regional portals on one CMS.

Markup taken from a live 2020 article page (zonajakarta.pikiran-rakyat.com), the CMS front-end's
own 2019 mock-ups, and what is known of the 2024-26 pages (see tests/fixtures/PROVENANCE.md):
``h1.read__title``; ``div.read__info__date`` ("- 24 Maret 2024, 22:02 WIB" or "- Selasa,
24 Februari 2026 | 08:50 WIB"); body ``article.read__content``; "Baca Juga" as
``<p><strong>Baca Juga: <a>`` (2020) or ``strong.read__others`` (now); Editor/Sumber after the
pager (2020) or at the end of the content (2024), followed by "Tags", "Artikel Pilihan",
"Terkini" blocks. Articles live at ``/<section>/pr-<digits>/<slug>``; later pages at ``?page=N``;
the AMP variant at ``/<section>/amp/pr-<digits>/<slug>``. Tag URLs are not slugified
(``/tag/Donald Trump``).
"""

from newscrawl.networks.base import DatedArchive, Profile

PROFILE = Profile(
    name="prmn",
    detect=(
        "h1.read__title", "article.read__content", "div.read__info__date", "div.paging--article",
        "div.read__info__author", "section.read__tagging", ".latest__item", 'link[href*="pikiran-rakyat.com"]',
        'img[src*="pikiran-rakyat.com"]',
    ),
    title=("h1.read__title", "h1.read__title__amp", "h1"),
    author=("div.read__info__author a", "div.read__info__author", ".read__info__author"),
    date=("div.read__info__date", ".read__info__date", "date.read__info__date"),
    body=("article.read__content", "div.read__content", ".read__content"),
    body_drop=(
        "div.photo", "figure", ".photo__caption", ".ads__box", ".ads", "center",
        ".paging", ".social", ".read__tagging", "script", "style", "noscript", "iframe",
        ".read__related", "amp-ad", "amp-embed", ".read__others", ".videos__player", ".videos__caption",
        "[id^=div-gpt]", ".ads__horizontal", ".ads__inarticle",
    ),
    image=("div.photo__img img", "div.photo img", "div.photo__img amp-img", "amp-img"),
    caption=("div.photo__caption", ".photo__caption"),
    tags=("section.read__tagging ul.tag__list li a", "ul.tag__list li a", ".tag__list a"),
    section=("li.breadcrumb__item:last-child a", "ul.breadcrumb li:last-child a"),
    related=("strong.read__others a", ".read__others a"),
    pager=("div.paging--article a.paging__link", ".paging--article a"),
    listing_next=(
        'div.paging--page a[rel="next"]',
        "div.paging--page a.paging__link--next",
        'a[rel="next"]',
    ),
    listing_date=("date.latest__date", ".latest__date", "date", ".most__date"),
    article_url=(r"/pr-\d+/[^/?#]+",),
    tag_url=(r"^/tag/[^/?#]+",),
    listing_url=(r"^/(?:indeks|index)(?:/|$|\?)", r"^/[a-z0-9-]+/?(?:\?page=\d+)?$"),
    deny_url=(r"^/(?:cdn-cgi|search|login|register|api)/", r"\.(?:jpe?g|png|gif|webp|pdf|css|js)$"),
    amp_rewrite=((r"^/([^/]+)/amp/(pr-\d+/.*)$", r"/\1/\2"), (r"^/amp/(.*)$", r"/\1")),
    start_paths=("/", "/indeks"),
    sitemaps=("/sitemap-news.xml",),
    # Not verified: the index by date of this CMS (galamedia.pikiran-rakyat.com/indeks-berita; its
    # ?daterange=<d Month yyyy> - <d Month yyyy>&page=N is known from public scrapers of Radar
    # JawaPos, prokal.co and harianhaluan.com, which run the same CMS). No stored page.
    archives=(DatedArchive("/indeks-berita?daterange={date:%d %B %Y} - {date:%d %B %Y}&page={page}", verified=False),),
    notes="Editor:/Sumber: stand after the pager, outside article.read__content, on the last page (2020); "
    "inside the content on 2024 pages.",
)
