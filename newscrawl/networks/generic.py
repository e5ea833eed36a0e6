"""Generic fallback for any news site: JSON-LD, OpenGraph, <article>, and text density.

Selectors here are deliberately broad; they cover common WordPress themes (JNews, Yoast, Newspaper)
and hand-made portals. URL rules are heuristics: an article URL is a long slug or carries a numeric
id; listings are sections, tags and ``/page/N``.
"""

from newscrawl.networks.base import DatedArchive, Profile

# What the home page of a Blogger or a WordPress site carries.
BLOGGER = ('meta[name="generator"][content="blogger"]', 'meta[name="generator"][content="Blogger"]',
           'link[rel="service.post"][href*="blogger.com"]')
WORDPRESS = ('meta[name="generator"][content^="WordPress"]', 'link[rel="https://api.w.org/"]',
             'link[href*="/wp-content/"]', 'script[src*="/wp-content/"]')

PROFILE = Profile(
    name="generic",
    title=(
        "h1.entry-title", "h1.jeg_post_title", "h1.post-title", "h1.article-title",
        "article h1", "h1[itemprop=headline]", "h1",
    ),
    author=(
        "[itemprop=author] [itemprop=name]", "[rel=author]", ".jeg_meta_author a",
        ".author-name", ".byline a", ".author a", "[itemprop=author]",
    ),
    date=(
        "time[datetime]", ".jeg_meta_date", ".entry-date", ".post-date", ".date", "time", "[class*=date]",
        "[class*=tanggal]", "[class*=tgl]", "[class*=time]", "[class*=schedule]", ".byline", "[class*=publish]",
        "[itemprop=datePublished]", ".entry-meta", ".post-meta", ".options > div", "[class*=meta] > div",
    ),
    date_near_title=True,
    body=(
        "[itemprop=articleBody]", "div.entry-content", "div.content-inner", "div.jeg_inner_content",
        "div.post-content", "div.article-content", "div.detail__body-text", "div.td-post-content",
        "div.single-content", "div.entry-content-single", "div.post-body", "div.article-body", "div.article__body",
        "div.content-detail", "div.detail-content", "div.read__content", "div.txt-article", "div.article-text",
    ),
    body_drop=(
        "script", "style", "noscript", "iframe", "figure", "figcaption", ".wp-caption-text",
        ".sharedaddy", ".share", ".social", ".jeg_share_button", ".ads", ".advertisement",
        ".jp-relatedposts", ".yarpp-related", ".related-posts", ".crp_related", ".jeg_post_tags",
        ".tags", ".post-tags", "nav", "aside", "form", ".baca-juga", ".bacajuga", ".deskripsi", "[class*=caption]",
        ".foto-desc", ".wp-caption", ".read-page--photo-tag", ".read-page--top-media",
    ),
    image=("article img", "img"),
    caption=("figcaption", ".wp-caption-text", ".caption"),
    tags=(".jeg_post_tags a", ".post-tags a", ".tags a", "a[rel=tag]", ".tag a", ".td-tags a"),
    section=(
        ".breadcrumb li:last-child a", ".breadcrumbs a:last-child", "a[rel='category tag']", ".td-category a",
    ),
    related=(".baca-juga a", ".bacajuga a", ".jnews_inline_related_post a", ".related-inline a"),
    pager=(".page-links a", ".post-page-numbers", "a.post-page-numbers"),
    listing_next=('a[rel="next"]', "a.next", ".pagination a.next", ".nav-previous a"),
    listing_date=("time", ".date", ".jeg_meta_date"),
    article_url=(
        r"/\d{4}/\d{2}/\d{2}/[^/]+",
        r"/(?:read|berita|news|artikel|detail)/\d+",
        r"/[a-z0-9]+(?:-[a-z0-9]+){3,}/?(?:\.html?)?$",
        r"/\d{5,}(?:/|$|-)",
    ),
    tag_url=(r"/(?:tag|tags|topik|topic|label)/[^/?#]+",),
    listing_url=(r"/(?:category|kategori|kanal|rubrik|indeks|index)(?:/|$)", r"/page/\d+/?$"),
    deny_url=(
        r"/(?:wp-admin|wp-login|wp-json|feed|cdn-cgi|search|login|register|author)(?:/|$)",
        (
            r"/(?:company|about|about-us|tentang-kami|redaksi|kontak|contact|pedoman[\w-]*|privacy[\w-]*|"
            r"kebijakan-privasi|disclaimer|syarat-dan-ketentuan|karir)(?:[/.]|$)"
        ),
        r"\.(?:jpe?g|png|gif|webp|svg|pdf|css|js|mp4|mp3|zip)(?:$|\?)",
        r"[?&](?:replytocom|share)=",
    ),
    amp_rewrite=((r"^(.*)/amp/?$", r"\1/"), (r"^/amp(/.*)$", r"\1")),
    keep_query=("p", "id", "newsid", "news_id", "berita_id"),
    start_paths=("/",),
    sitemaps=(),
    # Backfills use what the site offers, as its home page shows: Blogger's feed, one month per walk
    # (its documented published-min/-max filter); else the site's sitemaps (an index of dated child
    # sitemaps, skipped by their lastmod); else, on WordPress, its day archives (core's date archives).
    archives=(
        DatedArchive(
            "/feeds/posts/default?published-min={date:%Y-%m-%d}T00:00:00{zone}"
            "&published-max={after:%Y-%m-%d}T00:00:00{zone}&max-results=150&start-index={index}",
            span="month", kind="feed", per_page=150, when=BLOGGER, verified=True,
        ),
        DatedArchive("/{date:%Y/%m/%d}/page/{page}/", first="/{date:%Y/%m/%d}/", when=WORDPRESS, sitemaps_first=True,
                     verified=True),
    ),
    archive_sitemaps=("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml"),
)
