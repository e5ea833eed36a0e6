"""detik network: detik.com channels and its regional sites (detikJateng, detikJatim, detikSulsel, ...).

Regional sites live under a path of www.detik.com (``/jateng/berita/d-7123456/<slug>``); channels
on subdomains (``news.detik.com/berita/d-...``; 2015-16: ``/read/yyyy/mm/dd/hhmmss/<id>/<kanal>/<slug>``
and photo galleries at ``/readfoto/...``). Current markup: ``h1.detail__title``,
``div.detail__author``, ``div.detail__date``, body ``div.detail__body-text.itp_bodycontent`` with
"Baca juga" in ``table.linksisip`` and "ADVERTISEMENT / SCROLL TO CONTINUE WITH CONTENT" in
``.parallaxindetail``; long articles are paged and ``?single=1`` serves them whole.
"""

from newscrawl.networks.base import DatedArchive, Profile

PROFILE = Profile(
    name="detik",
    detect=(
        "article.detail", "h1.detail__title", "div.detail__body-text", ".itp_bodycontent",
        'meta[name="dtk:publishdate"]', 'meta[name="dtk:author"]', "div.detail_text", "table.linksisip",
        "div.text_detail", "div.text_gal", ".detail_profil", 'img[src*="images.detik.com"]', 'script[src*="detik.com"]',
        'script[src*="detik.net.id"]', 'img[src*="detik.net.id"]', 'link[href*="detik.net.id"]',
    ),
    title=("h1.detail__title", ".detail h1", ".jdl h1", "h1.l_blue2_detik", ".detail_profil h1", "h1"),
    author=(".detail__author", ".jdl .author", "div.author", 'meta[name="dtk:author"]::attr(content)'),
    date=(".detail__date", ".jdl .date", "div.date", ".detail_profil .date"),
    body=(
        "div.detail__body-text", ".itp_bodycontent", "#detikdetailtext", "div.detail_text", "div.text_detail",
        "div.text_gal", "article.detail",
    ),
    body_drop=(
        "script", "style", "noscript", "iframe", "figure", "figcaption", "table.linksisip", ".linksisip",
        "table.pic_artikel_sisip_table", ".pic_artikel", ".pic_artikel_por", ".detail__body-tag", ".paradetail",
        ".parallaxindetail", "#parallax1", ".sisip_video_ds", ".sisip_embed_sosmed", ".staticdetail_container",
        ".detail__long-nav", ".detail__multiple", ".detail__anchor-numb", ".nav", ".newstag", ".skybanner",
        "[id^=div-gpt]", ".ads-scrollpage-container", ".detail__banner", ".lihatjg", ".aevp", "ins",
        ".detail__media", ".video-20detik",
    ),
    image=(".detail__media-image img", ".pic_artikel img", "img.bigpic"),
    caption=(".detail__media-caption", ".pic_artikel span", ".gal_rating .text"),
    tags=(".detail__body-tag a.nav__item", ".detail__body-tag a", ".detail_tag a", ".nav--tag a"),
    section=(".page__breadcrumb a:last-child", ".breadcrumb li:last-child a", ".detail__subtitle"),
    related=("table.linksisip a", ".linksisip a", "#bacajugabox a", ".box_artikel3 a"),
    pager=(".detail__long-nav a", ".detail__anchor-numb", ".multi-nav a", ".detail__multiple a"),
    listing_next=('a[rel="next"]', ".pagination a.last", ".paging a:last-child", ".pagination a:last-child"),
    listing_date=(".media__date span[title]", ".media__date", ".date"),
    article_url=(
        r"/d-\d{6,}/[a-z0-9][^/?#]*",
        r"^/(?:read|readfoto)/\d{4}/\d{2}/\d{2}/\d+/\d+/",
        r"^/berita/\d{6,}/[^/?#]+",
    ),
    tag_url=(r"/tag/[^/?#]+",),
    listing_url=(r"/(?:indeks|berita|terpopuler)(?:/|$|\?)", r"^/[a-z-]+/?(?:\?page=\d+)?$"),
    deny_url=(
        r"/(?:cdn-cgi|search|login|register|api|komentar|connect)/",
        r"\.(?:jpe?g|png|gif|webp|pdf|css|js)$",
        r"[?&](?:tag_from|_ga)=",
    ),
    amp_rewrite=((r"^/amp(/.*)$", r"\1"), (r"^(.*)/amp/?$", r"\1")),
    keep_query=(),
    page_param="page",
    single_page_query=(("single", "1"),),
    start_paths=("/", "/indeks"),
    sitemaps=("/sitemap_news.xml",),
    # Read off a real detik index page of 2024 (shared/realworld/detik/listings/detiknews_indeks_2024.html):
    # the date filter (form#form_indeks, input[name=date]) is MM/DD/YYYY, the pager /indeks/N, the
    # items article.list-content__item with h3.media__title links.
    archives=(DatedArchive("/indeks/{page}?date={date:%m/%d/%Y}", items=(".list-content__item .media__title a",),
                           verified=True),),
    notes="Editor initials '(asp/asp)' close every article; the boilerplate rule 'initials' removes them.",
)
