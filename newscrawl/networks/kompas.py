"""Kompas.com and its regional channels (regional.kompas.com, bandung.kompas.com, surabaya.kompas.com, ...).

Articles live at ``/read/yyyy/mm/dd/<id>/<slug>``. Current markup: ``h1.read__title``,
``div.read__time`` ("Kompas.com, 24 Februari 2026, 08:50 WIB"), body ``div.read__content``
with "Baca juga:" paragraphs (``a.inner-link-baca-juga``), credits in ``div.read__credit``, tags
``ul.tag__article__wrap a``; long articles are paged and ``?page=all`` serves them whole. The
2015-16 layout (``kcm-read-*`` classes, ``h2`` headline, Penulis/Editor table) is covered too.
"""

from newscrawl.networks.base import DatedArchive, Profile

PROFILE = Profile(
    name="kompas",
    detect=(
        "div.read__time", "div.read__credit", "div.kcm-read-text", "div.kcm-read-content-text", ".kcm-date",
        'meta[name="content_PublishedDate"]', "div.read__content > div.clearfix", "a.inner-link-baca-juga",
        ".kcm-read-copy", ".penulis-editor", 'img[src*="assets.kompas.com"]', 'img[src*="asset.kompas.com"]',
    ),
    title=(
        "h1.read__title", ".read__header h1", ".kcm-read-top h2", ".kcm-read-content-top h2", ".baca-content h1",
        "h1",
    ),
    author=(
        "#penulis a", ".read__credit__item#penulis a", ".credit-title-name h6", "div.read__author a",
        ".read__author", 'meta[name="content_author"]::attr(content)',
    ),
    date=(
        "div.read__time", ".read__time", ".kcm-read-top .kcm-date", ".kcm-read-content-top .kcm-date",
        ".kcm-read-content-top .grey", ".baca-content .kcm-date", ".kcm-read .kcm-date",
    ),
    body=(
        "div.read__content", ".read__content", ".kcm-read-text", ".kcm-read-content-text .span6",
        ".kcm-read-content-text", ".content-text .div-read", ".content-text",
    ),
    body_drop=(
        "script", "style", "noscript", "iframe", "figure", "figcaption", ".photo", ".ads-on-body", ".ads",
        "[id^=div-gpt]", ".kcm-read-terkait", ".kompasidRec", ".inner-link-baca-juga", ".read__paging",
        ".paging", ".kcm-read-copy", ".penulis-editor", ".social__share", ".kcm-read-bottom-topic", ".span2",
        ".liftdown_v2_tanda", ".video", ".jixie-media", ".read__bacajuga", ".read__credit", ".read__tagging",
        ".advertorial-tag",
    ),
    image=(".photo__wrap img", ".photo img", ".read__photo img"),
    caption=(".photo__caption", ".read__photo__caption"),
    tags=(".tag__article__wrap a", "a.tag__article__link", ".tag--article a", ".read__tagging a"),
    section=(
        ".breadcrumb__item:last-child a", ".breadcrumb li:last-child a", ".kcm-breadcrumb li:last-child a",
        "h4.breadcrump a:last-child", ".bread-c li:last-child a",
    ),
    editor=("#editor a", ".credit-title-nameEditor", 'meta[name="content_editor"]::attr(content)'),
    related=("a.inner-link-baca-juga", ".read__bacajuga a"),
    pager=(".read__paging a", ".paging--article a", ".paging__link", ".paging a"),
    listing_next=('a[rel="next"]', "a.paging__link--next", ".paging__item a.paging__link--next"),
    listing_date=(".article__date", ".latest__date", ".article-date"),
    article_url=(r"^/read/\d{4}/\d{2}/\d{2}/\d{6,}/[^/?#]+",),
    tag_url=(r"^/tag/[^/?#]+",),
    listing_url=(r"^/(?:indeks|search|[a-z-]+)/?(?:\?page=\d+)?$", r"^/[a-z-]+/\d+$"),
    deny_url=(r"^/(?:cdn-cgi|login|register|api)/", r"\.(?:jpe?g|png|gif|webp|pdf|css|js)$", r"[?&]source="),
    amp_rewrite=((r"^/amp(/read/.*)$", r"\1"), (r"^(.*)/amp/?$", r"\1")),
    single_page_query=(("page", "all"),),
    start_paths=("/", "/indeks"),
    sitemaps=("/sitemap-news.xml",),
    # Not verified: each channel's /search/<date>/<page>, known from public scrapers of 2019-22
    # (news.kompas.com/search/2019-04-09, money.kompas.com/search/2021-11-18/1); no stored Kompas
    # index page. (indeks.kompas.com/?site=...&date=... lives on another host, which a crawl never leaves.)
    archives=(DatedArchive("/search/{date:%Y-%m-%d}/{page}", verified=False),),
    notes="Paging: ?page=2; ?page=all shows the whole article. The 'Ikuti ... WhatsApp Channel' and Telegram "
    "lines at the end are promotions (boilerplate rule 'promo').",
)
