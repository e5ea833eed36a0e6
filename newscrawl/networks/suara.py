"""Suara.com and its regional sites (jogja.suara.com, suarajogja.id, suarabali.id, ...): one CMS.

Markup from a suara.com page (2015, browser snapshot) and what is known of the current pages:
headline ``h1``, byline with author and ``time``, body ``article.detail-content`` (older
``div.contentDetail[itemprop=articleBody]``), "Baca Juga" boxes, tags under the body, pages at
``?page=N`` with ``?page=all`` for the whole article. Articles live at
``/<section>/yyyy/mm/dd/<hhmmss>/<slug>``.
"""

from newscrawl.networks.base import DatedArchive, Profile

PROFILE = Profile(
    name="suara",
    detect=(
        'meta[property="og:site_name"][content*="Suara"]', "div.contentDetail", "article.detail-content",
        "div.detail-content", ".baca-juga-new", 'link[href*="suara.com"]', 'img[src*="media.suara.com"]',
        'a[href*="suara.com/tag/"]',
    ),
    title=("h1[itemprop=headline]", ".info h1", ".detail-title h1", "article h1", "h1"),
    author=("author", ".writer a", ".writer span", ".detail-writer a", "[itemprop=author] [itemprop=name]"),
    date=("time[itemprop=datePublished]", ".date-article time", ".writer time", "time", ".date"),
    body=(
        "article.detail-content", "div.detail-content", "div.detail--content", "div.contentDetail",
        "[itemprop=articleBody]", "article.content-article", "div.content-article",
    ),
    body_drop=(
        "script", "style", "noscript", "iframe", "figure", "figcaption", ".baca-juga", ".baca-juga-new",
        ".bacajuga", ".adunit", ".ads", "[id^=div-gpt]", ".fr.ml20", ".tag-header", ".list-tag", ".tags",
        ".pagination", ".paging", ".share", ".boxSocial", ".video", ".related",
    ),
    image=("figure img", ".imgDetail img", "img[itemprop=image]"),
    caption=("figcaption", ".caption"),
    tags=(".tagDetailList a", ".tag-header a", ".list-tag a", ".tags a", ".tag a"),
    section=(".breadcrumb li:last-child a",),
    related=(".baca-juga a", ".baca-juga-new a", ".bacajuga a"),
    pager=(".pagination a", ".paging a", ".pagination-article a"),
    listing_next=('a[rel="next"]', ".pagination a.next", ".pagination li:last-child a"),
    listing_date=("time", ".date", ".ellipsis2 span"),
    article_url=(r"^/[a-z0-9-]+/\d{4}/\d{2}/\d{2}/\d{6}/[^/?#]+", r"^/read/\d{4}/\d{2}/\d{2}/\d{6}/[^/?#]+"),
    tag_url=(r"^/tag/[^/?#]+",),
    listing_url=(r"^/(?:indeks|news|[a-z-]+)(?:/[a-z-]+)?/?(?:\?page=\d+)?$",),
    deny_url=(r"^/(?:cdn-cgi|search|login|register|api)/", r"\.(?:jpe?g|png|gif|webp|pdf|css|js)$"),
    amp_rewrite=((r"^/amp(/.*)$", r"\1"), (r"^(.*)/amp/?$", r"\1")),
    single_page_query=(("page", "all"),),
    start_paths=("/", "/indeks"),
    sitemaps=("/sitemap/sitemap-news.xml",),
    # Not verified: public scrapers know only a yearly index, newest first (suara.com/indeks/terkini/all/2019,
    # /indeks/terkini/news/2023?page=N: "suara doesn't implement per month index"); it is walked from
    # the year's newest page down to the range, by the dates of the listed articles. No stored page.
    archives=(DatedArchive("/indeks/terkini/all/{date:%Y}?page={page}", span="year", verified=False),),
    notes="The 2015 page's <h4 itemprop=articleSection> is a summary, not the section name.",
)
