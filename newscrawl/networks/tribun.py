"""Tribun Network (Kompas Gramedia): tribunnews.com and ~60 regional sites (jabar.tribunnews.com, ...).

Markup from a live TribunSolo page (2020), a tribunnews.com page (2015) and what is known of the
current pages: title ``h1#arttitle``; date in ``time`` (now with a ``datetime`` attribute) under the
title; body ``div.side-article.txt-article``; "Baca Juga" as ``p.baca`` bullets or
``<strong>Baca juga:</strong>`` paragraphs; tags ``.tagcloud3 a``; Penulis/Editor/Sumber after the
body. Articles live at ``/<yyyy>/<mm>/<dd>/<slug>`` (older: ``/<section>/<yyyy>/<mm>/<dd>/<slug>``);
long ones are split into pages ("Halaman 1/2", ``?page=2``) and ``?page=all`` serves them whole.
"""

from newscrawl.networks.base import DatedArchive, Profile

PROFILE = Profile(
    name="tribun",
    detect=(
        "h1#arttitle", "div.side-article.txt-article", "div.txt-article", ".tagcloud3",
        'link[href*="tstatic.net"]', 'img[src*="tstatic.net"]',
    ),
    title=("h1#arttitle", "h1.f50", "#article h1", "h1"),
    author=("#penulis a", "#penulis", "div.credit #penulis", "[itemprop=author] [itemprop=name]"),
    date=("#article time", "time[datetime]", "time", "#article .grey.bdr3 h3", "#article .grey.bdr3"),
    body=("div.side-article.txt-article", "div.txt-article", "#article_con .side-article"),
    body_drop=(
        "script", "style", "noscript", "iframe", "figure", "figcaption", "p.baca", ".baca-juga", ".bacajuga",
        "[id^=div-]", "[id^=ads]", ".ads", ".ads-placeholder", ".mb10.f16", ".paging", ".tagcloud3",
        "#related", ".sharebtn", ".share", "table.linksisip", "div[class*=ads-]", "center",
    ),
    image=("#artimg img.imgfull", "#artimg img", "img.imgfull"),
    caption=("#artimg .arial.f12", "#artimg .grey2", "figcaption"),
    tags=(".tagcloud3 a", ".tagcload3 a", "#related a[href*='/tag/']", ".tag a"),
    section=(
        "ul.breadcrumb li:last-child a", ".breadcrumb li:last-child a", "#va .bsht h4:last-of-type a",
        "#va .bsht a:last-of-type",
    ),
    editor=("#editor a", "#editor"),
    related=("p.baca a", ".baca-juga a", ".bacajuga a", "#related .lsi-3 a"),
    pager=("div.paging a", ".paging a", "#paginga a", ".pagination a"),
    listing_next=('a[rel="next"]', ".paging a.next", "div.paging a:last-child", ".pagination a:last-child"),
    listing_date=("time", ".grey", ".foot time"),
    article_url=(r"^/(?:[a-z0-9-]+/)*\d{4}/\d{2}/\d{2}/[a-z0-9][a-z0-9-]{3,}/?(?:\?.*)?$",),
    tag_url=(r"^/(?:tag|topic)/[^/?#]+",),
    listing_url=(r"^/(?:index-news|indeks|news|[a-z0-9-]+)(?:/[a-z0-9-]+)?/?(?:\?page=\d+)?$",),
    deny_url=(
        r"^/(?:cdn-cgi|search|login|register|api|member|video-[a-z-]+)/",
        r"\.(?:jpe?g|png|gif|webp|pdf|css|js)$",
        r"[?&]url=",
    ),
    amp_rewrite=((r"^/amp(/.*)$", r"\1"), (r"^(.*)/amp/?$", r"\1")),
    single_page_query=(("page", "all"),),
    start_paths=("/", "/index-news"),
    sitemaps=("/sitemap/news.xml",),
    # Not verified: known from public scrapers only (tribunnews.com/index-news?date=2021-5-1,
    # <region>.tribunnews.com/index-news?date=...&page=N); no stored Tribun index page.
    archives=(DatedArchive("/index-news?date={date.year}-{date.month}-{date.day}&page={page}", verified=False),),
    notes="Tag links carry ?url=<article path> (the article they were clicked from): denied, the tag page is "
    "followed through its clean URL. '(Tribunnews.com/Name)' credits close the body.",
)
