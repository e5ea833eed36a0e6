"""A generated PRMN-style portal for the benchmark, and a fast server that serves it from memory.

``build_site(articles, base)`` renders every page of a portal with ``articles`` articles: a home
page, an index and five section listings (paginated), tag listings (paginated), static pages, a
news sitemap, and the articles themselves in the markup of tests/sites/klikdemo (Pikiran Rakyat
Media Network: h1.read__title, div.read__info__date, article.read__content, Baca Juga lines,
div.paging--article with ``?page=N``, section.read__tagging, Terkini/Terpopuler blocks, header and
footer navigation, ad slots and inline scripts), about 30% of them over two or three pages.
Everything is deterministic for a given ``(articles, seed)``.

``serve(...)`` answers HTTP/1.1 (keep-alive) on 127.0.0.1 from pre-rendered response bytes with an
asyncio protocol in its own process, so that the crawler, not the server, is what is measured. It
counts the responses it sends (and when the first and last were sent), which is how the benchmark
times a crawl. It must never listen on anything but the loopback address.

Run alone: ``python benchmarks/bench_site.py --articles 2000`` prints the base URL and serves until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import multiprocessing.sharedctypes
import random
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from typing import Any
from urllib.parse import quote, unquote

SITE_NAME = "Kabar Bench"
DATELINE = "KABAR BENCH"
WIB = timezone(timedelta(hours=7))
TODAY = datetime(2024, 6, 30, 18, 0, tzinfo=WIB)
SECTIONS = {
    "nasional": "Nasional",
    "internasional": "Internasional",
    "ekonomi": "Ekonomi",
    "olahraga": "Olahraga",
    "daerah": "Daerah",
}
STATIC = {"about-us": "Tentang Kami", "redaksi": "Redaksi", "kontak": "Kontak", "pedoman-media-siber": "Pedoman"}
LISTING_SIZE = 20
# Index, section and tag listings stop here, as a CMS's archive pages do (and as the crawl's
# listing depth cap would anyway): every article is still reachable through the Terkini chain.
MAX_LISTING_PAGES = 25
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
# One string, split: the words are text for the pages, not a table anybody edits one by one.
WORDS = (  # noqa: SIM905
    "pemerintah daerah kabupaten kota provinsi warga masyarakat petani nelayan pasar harga beras minyak "
    "jalan jembatan banjir hujan musim kemarau sekolah guru siswa rumah sakit dokter pasien bantuan "
    "sosial anggaran dana desa kepala dinas bupati wali gubernur menteri presiden rapat kerja program "
    "pembangunan ekonomi investasi pelabuhan kapal penumpang bandara pesawat penerbangan festival budaya "
    "wisata pantai gunung hutan lingkungan sampah air bersih listrik tarif pajak retribusi polisi "
    "kejaksaan pengadilan kasus korupsi tersangka saksi sidang putusan pemilu pilkada calon partai suara "
    "kampanye relawan olahraga sepak bola pertandingan klub pemain pelatih turnamen juara medali atlet "
    "teknologi digital aplikasi internet layanan publik pendaftaran syarat jadwal informasi terbaru "
    "mengatakan menjelaskan menyampaikan berharap meminta menegaskan mengimbau menambahkan menurutnya "
    "yang dan di ke dari untuk dengan pada dalam akan telah sudah masih juga tidak bisa dapat lebih "
    "sejumlah beberapa ribuan puluhan ratusan persen tahun bulan pekan hari ini kemarin besok pagi malam"
).split()
PEOPLE = ("Andi Fadli", "Siti Rahmawati", "Budi Santoso", "Rina Marlina", "Yusuf Hamdani", "Dewi Lestari",
          "Agus Salim", "Nur Aini", "Hendra Wijaya", "Maya Sari", "Rudi Hartono", "Lina Kusuma")
SOURCES = ("Antara", "Humas Pemkab", "Kemenkes", "BMKG", "BPS", "Polres setempat", "KemenPAN-RB")
PLACES = ("LUWUK", "PALU", "MAKASSAR", "MANADO", "KENDARI", "GORONTALO")


@dataclass
class Article:
    """One generated article: what its pages show."""

    index: int
    section: str
    path: str
    title: str
    published: datetime
    author: str
    editor: str
    source: str
    tags: list[str]
    pages: list[list[str]] = field(default_factory=list)  # paragraphs (HTML) of each page
    related: list[int] = field(default_factory=list)
    popular: list[int] = field(default_factory=list)
    image: str = ""


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def _title(rng: random.Random) -> str:
    return " ".join(w.capitalize() for w in rng.choices(WORDS, k=rng.randint(7, 12)))


def _slug(title: str) -> str:
    return "-".join(title.lower().split())


def visible_date(when: datetime) -> str:
    """The date as PRMN prints it under the title."""
    return f"- {when.day} {MONTHS[when.month - 1]} {when.year}, {when:%H:%M} WIB"


def listing_date(when: datetime) -> str:
    """The date as PRMN prints it in a listing."""
    return f"{DAYS[when.weekday()]}, {when.day} {MONTHS[when.month - 1]} {when.year} | {when:%H:%M} WIB"


def tag_path(tag: str) -> str:
    """Tag URL path; PRMN does not slugify tags (``/tag/Donald Trump``)."""
    return f"/tag/{tag}"


def _make_articles(count: int, rng: random.Random) -> list[Article]:
    tag_pool = [" ".join(w.capitalize() for w in rng.choices(WORDS, k=rng.randint(1, 2)))
                for _ in range(max(40, count // 8))]
    tag_pool = list(dict.fromkeys(tag_pool))
    # Articles are numbered newest first; one every ~17 minutes.
    out = []
    for i in range(count):
        title = _title(rng)
        section = rng.choice(list(SECTIONS))
        ident = 14_000_000 + count - i
        published = TODAY - timedelta(minutes=17 * i + rng.randint(0, 9))
        # Popular tags are popular: a skewed pick gives a few long tag listings, many short ones.
        tags = list(dict.fromkeys(tag_pool[min(int(rng.paretovariate(1.2)) - 1, len(tag_pool) - 1)
                                           if rng.random() < 0.3 else rng.randrange(len(tag_pool))]
                                  for _ in range(rng.randint(3, 5))))
        article = Article(
            index=i,
            section=section,
            path=f"/{section}/pr-{ident}/{_slug(title)}",
            title=title,
            published=published,
            author=rng.choice(PEOPLE),
            editor=rng.choice(PEOPLE),
            source=rng.choice(SOURCES),
            tags=tags,
            image=f"/assets/photo/{published:%Y/%m/%d}/{rng.randrange(10**9, 10**10)}.jpg",
        )
        roll = rng.random()
        page_count = 1 if roll < 0.7 else (2 if roll < 0.9 else 3)
        paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(10, 15))]
        paragraphs[0] = f"{DATELINE} - {paragraphs[0]}"
        per_page = math.ceil(len(paragraphs) / page_count)
        article.pages = [paragraphs[k : k + per_page] for k in range(0, len(paragraphs), per_page)]
        out.append(article)
    for article in out:
        article.related = rng.sample(range(count), k=min(count, 6))
        article.popular = rng.sample(range(count), k=min(count, 8))
    return out


# --- markup ----------------------------------------------------------------------------------


def _ad(slot: str) -> str:
    return f"""<div class="ads mt3 clearfix">
    <div class="ads__box">
        <div id='div-gpt-ad-{slot}'>
            <script>
                googletag.cmd.push(function() {{ googletag.display('div-gpt-ad-{slot}'); }});
            </script>
        </div>
    </div>
</div>"""


def _tracking_script(rng: random.Random) -> str:
    # Real PRMN pages carry ~20 KB of inline ad, consent and analytics code.
    lines = [
        f"  window.__cfg_{k} = {{slot: '/0000000/kabar_bench/{rng.choice(WORDS)}', sizes: [[300, 250], [336, 280], "
        f"[728, 90]], refresh: {rng.randint(20, 90)}, lazy: true, targeting: {{pos: '{rng.choice(WORDS)}', "
        f"kw: '{rng.choice(WORDS)},{rng.choice(WORDS)}'}}}};"
        for k in range(90)
    ]
    return "<script>\n" + "\n".join(lines) + "\n</script>"


_STYLE = "<style>\n" + "\n".join(
    f".blk-{k} {{ margin: {k % 7}px {k % 5}px; padding: {k % 3}px; font-size: {12 + k % 6}px; "
    f"line-height: 1.{k % 9}; }}"
    for k in range(80)
) + "\n</style>"


class Renderer:
    """Renders every page of the portal; ``base`` is the origin absolute URLs point at."""

    def __init__(self, articles: list[Article], base: str, rng: random.Random) -> None:
        self.articles = articles
        self.base = base
        self.scripts = [_tracking_script(rng) for _ in range(8)]
        self.header = self._header()
        self.footer = self._footer()

    def _head(self, title: str, *, extra: str = "", script: int = 0) -> str:
        return f"""<!DOCTYPE html>
<html lang="id" prefix="og: https://ogp.me/ns#">
    <head itemscope itemtype="https://schema.org/WebSite">
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="shortcut icon" href="{self.base}/assets/images/favicon.png">
        <link rel="stylesheet" href="https://assets.pikiran-rakyat.com/www/network/desktop/css/style.min.css?v=155">
        <title itemprop="name">{escape(title)} - {SITE_NAME}</title>
        <meta name="robots" content="index,follow" />
        <meta name="language" content="id" />
{extra}
        <script data-ad-client="ca-pub-0000000000000000" async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js"></script>
        <script async src='https://www.googletagservices.com/tag/js/gpt.js'></script>
{self.scripts[script % len(self.scripts)]}
{_STYLE}
    </head>
<body>
"""

    def _header(self) -> str:
        social = "\n".join(
            f'                    <div class="social__item"><a href="https://{host}/kabarbench" '
            f'class="social__link social__link--{name}"><span class="icon icon-{name}"></span></a></div>'
            for name, host in (("facebook", "facebook.com"), ("twitter", "twitter.com"),
                               ("instagram", "www.instagram.com"))
        )
        nav = "\n".join(f'                    <li><a href="/{key}">{name}</a></li>' for key, name in SECTIONS.items())
        network = "\n".join(
            f'    <li><a href="https://{name}.pikiran-rakyat.com" target="_blank">{name.title()}</a></li>'
            for name in ("insulteng", "jurnalpalopo", "fixmakassar", "portalsulut", "zonajakarta", "mantrasukabumi",
                         "pikiranrakyat-tasikmalaya", "ringtimesbali", "jurnalsoreang", "kabarbesuki")
        )
        return f"""    <header class="header">
        <div class="header__middle"><div class="row container clearfix">
            <div class="logo"><a href="/"><img src="{self.base}/assets/images/logo.png" alt="{SITE_NAME}"></a></div>
            <ul class="network__menu">
                <li><a href="#">Network</a><ul class="network__menu--more">
{network}
                </ul></li>
                <li><form action="{self.base}/search" class="search__bar">
                    <input type="text" name="q" class="search__input"></form></li>
                <li><div class="social social--header clearfix">
{social}
                </div></li>
            </ul>
        </div></div>
        <div class="header__bottom"><div class="row container clearfix"><nav class="nav">
            <div class="nav__home"><a href="/" title="Home"><span class="icon icon-home"></span></a></div>
            <ul class="nav__wrap">
{nav}
                    <li><a href="/indeks">Indeks</a></li>
            </ul>
        </nav></div></div>
    </header>
    <div class="ads__top">{_ad("TopDetail")}</div>
"""

    def _footer(self) -> str:
        sections = "\n".join(
            f'                <div class="footer__item"><a href="/{key}" class="footer__link">{name}</a></div>'
            for key, name in SECTIONS.items()
        )
        static = "\n".join(
            f'                <div class="footer__item"><a href="/{key}" class="footer__link">{name}</a></div>'
            for key, name in STATIC.items()
        )
        return f"""    <footer class="footer">
        <div class="row footer__top container clearfix">
            <div class="footer__logo clearfix">
                <a href="/"><img src="{self.base}/assets/images/logo.png" alt="{SITE_NAME}"></a></div>
            <div class="footer__contact">
                <p>Luwuk, Kabupaten Banggai <br> Sulawesi Tengah <br> Email : redaksi@kabarbench.invalid</p></div>
            <div class="footer__menu">
{sections}
            </div>
            <div class="footer__network"><span>Part of</span>
                <a href="https://www.pikiran-rakyat.com">Pikiran Rakyat Media Network</a></div>
        </div>
        <div class="row footer__bottom container clearfix">
            <div class="footer__menu inline clearfix">
{static}
            </div>
            <div class="footer__copyright"><p>&copy;2024 Pikiran Rakyat Media Network</p></div>
        </div>
    </footer>
    <script src="https://assets.pikiran-rakyat.com/www/network/desktop/js/main.js?v=155"></script>
</body>
</html>
"""

    def _latest_item(self, a: Article) -> str:
        return f"""                <div class="latest__item">
                    <div class="latest__img">
                        <a href="{a.path}"><img src="{self.base}{a.image}" alt="{escape(a.title)}"></a></div>
                    <div class="latest__right">
                        <h4 class="latest__subtitle"><a href="/{a.section}">{SECTIONS[a.section]}</a></h4>
                        <h2 class="latest__title"><a href="{a.path}" class="latest__link">{escape(a.title)}</a></h2>
                        <date class="latest__date">{listing_date(a.published)}</date>
                    </div>
                </div>"""

    def _most(self, picks: list[int]) -> str:
        items = "\n".join(
            f"""        <div class="most__item"><div class="most__number">{n}</div><div class="most__right">
            <a href="{self.articles[k].path}" class="most__link">
                <h2 class="most__title">{escape(self.articles[k].title)}</h2></a>
            <date class="most__date">{listing_date(self.articles[k].published)}</date>
        </div></div>"""
            for n, k in enumerate(picks, 1)
        )
        return f"""{_ad("MR1Detail")}
<section class="most mt2 clearfix">
    <h3 class="title"><span>Terpopuler</span></h3>
    <div class="most__wrap">
{items}
    </div>
</section>"""

    def _layout(self, main: str, sidebar: str) -> str:
        return f"""    <div class="row clearfix"><div class="container clearfix"><div class="col-offset-fluid clearfix">
                <div class="col-bs12-8">
{main}
                </div>
                <div class="col-bs12-4">
{sidebar}
                </div>
    </div></div></div>
"""

    def _pager(self, href: str, n: int, total: int) -> str:
        def link(i: int) -> str:
            return href if i == 1 else f"{href}?page={i}"

        items = []
        if n > 1:
            items.append(f'<a class="paging__link paging__link--prev" href="{link(n - 1)}">Prev</a>')
        for i in range(max(1, n - 3), min(total, n + 3) + 1):
            active = " paging__link--active" if i == n else ""
            items.append(f'<a class="paging__link{active}" href="{link(i)}">{i}</a>')
        if n < total:
            items.append(f'<a class="paging__link paging__link--next" rel="next" href="{link(n + 1)}">Next</a>')
        inner = "".join(f'<div class="paging__item">{x}</div>' for x in items)
        return f'<div class="paging paging--page clearfix"><div class="paging__wrap clearfix">{inner}</div></div>'

    def listing(self, title: str, href: str, picks: list[Article], n: int, total: int) -> str:
        """One page of an index, section or tag listing."""
        items = "\n".join(self._latest_item(a) for a in picks)
        main = f"""<section class="page clearfix">
    <h3 class="title"><span>{escape(title)}</span></h3>
    <div class="latest__wrap">
{items}
    </div>
    {self._pager(href, n, total) if total > 1 else ""}
</section>"""
        sidebar = self._most([a.index for a in picks[:6]])
        return self._head(title, script=n) + self.header + self._layout(main, sidebar) + self.footer

    def home(self) -> str:
        """The home page: the newest articles and a Terpopuler block."""
        top = self.articles[: LISTING_SIZE + 10]
        items = "\n".join(self._latest_item(a) for a in top)
        main = f"""<section class="latest mt3 clearfix"><h3 class="title"><span>Terkini</span></h3>
    <div class="latest__wrap">
{items}
    </div>
    <div class="latest__more"><a href="/indeks">Lihat Semua</a></div>
</section>"""
        sidebar = self._most(list(range(8)))
        return self._head("Berita Terkini", script=0) + self.header + self._layout(main, sidebar) + self.footer

    def static(self, title: str) -> str:
        """A static page (redaksi, kontak, ...)."""
        main = f'<section class="page clearfix"><h1>{title}</h1><p>{SITE_NAME}: portal berita daerah.</p></section>'
        return self._head(title) + self.header + self._layout(main, "") + self.footer

    def _json_ld(self, a: Article) -> str:
        url = self.base + a.path
        stamp = a.published.strftime("%Y-%m-%dT%H:%M:%S+0700")
        return f"""        <script type="application/ld+json">
        {{"@context": "https://schema.org", "@type": "WebPage", "headline": "{a.title} - {SITE_NAME}",
          "url": "{url}", "datePublished": "{stamp}", "image": "{self.base}{a.image}"}}
        </script>
        <script type="application/ld+json">
        {{"@context": "https://schema.org", "@type": "NewsArticle",
          "mainEntityOfPage": {{"@type": "WebPage", "@id": "{a.path.split("/")[2]}"}},
          "headline": "{a.title} - {SITE_NAME}",
          "image": {{"@type": "ImageObject", "url": "{self.base}{a.image}", "height": 600, "width": 1200}},
          "datePublished": "{stamp}", "dateModified": "{stamp}",
          "author": {{"@type": "Person", "name": "{a.author}"}},
          "publisher": {{"@type": "Organization", "name": "{SITE_NAME}",
            "logo": {{"@type": "ImageObject", "url": "{self.base}/assets/images/logo.png",
                      "width": 255, "height": 55}}}},
          "description": "{a.title}"}}
        </script>
        <script type="application/ld+json">
        {{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
          {{"@type": "ListItem", "position": 1, "item": {{"@id": "{self.base}/", "name": "Home"}}}},
          {{"@type": "ListItem", "position": 2,
            "item": {{"@id": "{self.base}/{a.section}", "name": "{SECTIONS[a.section]}"}}}}]}}
        </script>"""

    def _meta(self, a: Article) -> str:
        url = self.base + a.path
        return f"""        <meta name="description" content="{escape(a.title)}">
        <meta name="keywords" content="{escape(", ".join(a.tags))}">
        <link rel="canonical" href="{url}" />
        <meta property="og:type" content="article" />
        <meta property="og:url" content="{url}" />
        <meta property="og:title" content="{escape(a.title)} - {SITE_NAME}" />
        <meta property="og:image" content="{self.base}{a.image}" />
        <meta property="og:site_name" content="{SITE_NAME}" />
        <meta name="twitter:card" content="summary_large_image" />
        <meta property="article:section" content="{SECTIONS[a.section]}">
        <meta property="article:published_time" content="{a.published.isoformat()}">
{self._json_ld(a)}"""

    def _body(self, a: Article, n: int) -> str:
        paragraphs = a.pages[n - 1]
        parts = []
        for k, text in enumerate(paragraphs):
            parts.append(f"<p>{text}</p>")
            if k == 2:
                parts.append(f"<center>\n{_ad('InsideMR')}\n</center>")
            if k in (1, 5):
                other = self.articles[a.related[k % len(a.related)]]
                parts.append(f'<p><strong>Baca Juga: <a href="{other.path}">{escape(other.title)}</a></strong></p>')
        return " ".join(parts)

    def _article_pager(self, a: Article, n: int) -> str:
        total = len(a.pages)
        if total == 1:
            return ""
        url = self.base + a.path
        items = []
        for i in range(1, total + 1):
            if i == n:
                link = f'<a href="#" class="paging__link paging__link--active">{i}</a>'
            else:
                href = url if i == 1 else f"{url}?page={i}"
                link = f'<a href="{href}" class="paging__link" data-ci-pagination-page="{i}">{i}</a>'
            items.append(f'<div class="paging__item">{link}</div>')
        if n < total:
            link = f'<a href="{url}?page={n + 1}" class="paging__link" rel="next">Selanjutnya</a>'
            items.append(f'<div class="paging__all">{link}</div>')
        return ('<div class="paging paging--article clearfix"><div class="paging__teaser">Halaman: </div>'
                f'<div class="paging__wrap clearfix">{"".join(items)}</div></div>')

    def article(self, a: Article, n: int) -> str:
        """Page ``n`` of article ``a``."""
        credit_lines = ""
        if n == len(a.pages):
            credit_lines = f"""        <p>
        Editor: <a>{a.editor}</a>
        </p>
        <p>Sumber: {a.source}</p>"""
        tags = "\n".join(f'<li><h4><a href="{tag_path(t)}">{escape(t)}</a></h4></li>' for t in a.tags)
        related = "\n".join(
            f'<li><h2 class="related__title"><a href="{self.articles[k].path}" class="related__link">'
            f"{escape(self.articles[k].title)}</a></h2></li>"
            for k in a.related[2:]
        )
        # Terkini: the articles just before this one, so that every article is reachable from home.
        terkini = "\n".join(self._latest_item(x) for x in self.articles[a.index + 1 : a.index + 11])
        url = self.base + a.path
        main = f"""<div class="breadcrumb clearfix"><ul class="breadcrumb__wrap">
    <li class="breadcrumb__item"><a class="breadcrumb__link" href="/">Home</a></li>
    <li class="breadcrumb__item"><a class="breadcrumb__link" href="/{a.section}">{SECTIONS[a.section]}</a></li>
</ul></div>
<section class="clearfix"><div class="mt3 clearfix">
        <h1 class="read__title">{escape(a.title)}</h1>
        <div class="read__info">
            <div class="read__info__author"><a>{a.author}</a></div>
            <div class="read__info__date">
                {visible_date(a.published)}            </div>
        </div>
        <div class="photo"><div class="photo__img">
            <img src="{self.base}{a.image}" alt="{escape(a.title)}">
            <div class="photo__caption">Ilustrasi - {escape(a.title)}. /Antara/</div>
        </div></div>
</div></section>
<div class="read__article clearfix js--tower-parent"><div class="col-bs12-9">
        <article class="read__content clearfix" itemprop="articleBody">
             {self._body(a, n)}
        </article>
        {self._article_pager(a, n)}
{credit_lines}
        <center>{_ad("videoslider")}</center>
        <hr>
        <div class="social social--article clearfix">
            <strong><span>SHARE: </span></strong>
            <div class="social__item"><a href="javascript:void(0)" onclick='fb_share("{escape(a.title)}", "{url}")'
                class="social__link social__link--facebook"><span class="icon icon-facebook"></span></a></div>
            <div class="social__item"><a target="_blank"
                href="https://api.whatsapp.com/send?text={quote(a.title)}%20{quote(url)}"
                class="social__link social__link--whatsapp"><span class="icon icon-whatsapp"></span></a></div>
        </div>
        <section class="read__tagging mt3 clearfix">
            <h3 class="title6"><span>Tags</span></h3>
            <div class="tag tag--article clearfix"><ul class="tag__list">
{tags}
            </ul></div>
        </section>
        <section class="read__comment mt3 clearfix"><h3 class="title6"><span>Komentar</span></h3>
            <div class="fb-comments" data-href="{url}" data-numposts="5"></div>
        </section>
        <section class="read__comment mt3 clearfix"><h3 class="title6"><span>Artikel Pilihan</span></h3>
            <div class="read__related clearfix"><ul class="related__list clearfix">
{related}
            </ul></div>
        </section>
        <section class="latest latest--article mt3 clearfix"><h3 class="title6"><span>Terkini</span></h3>
            <div class="latest__wrap">
{_ad("nativeMidCenter1Detail")}
{terkini}
            </div>
        </section>
</div></div>"""
        head = self._head(a.title, extra=self._meta(a), script=a.index)
        return head + self.header + self._layout(main, self._most(a.popular)) + self.footer

    def sitemap(self) -> str:
        """A news sitemap of the newest articles (a real one holds the last two days)."""
        locs = "\n".join(
            f"<url><loc>{self.base}{a.path}</loc><news:news><news:publication_date>"
            f"{a.published.isoformat()}</news:publication_date></news:news></url>"
            for a in self.articles[:100]
        )
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + locs + "\n</urlset>\n")


@dataclass
class Site:
    """Every page of the portal: request target (path, unquoted, plus ``?query``) -> body."""

    base: str
    pages: dict[str, bytes]
    types: dict[str, str]
    article_pages: list[str]  # targets of every article page (page 1 and later pages)
    articles: int

    @property
    def page_count(self) -> int:
        """Pages a crawl that follows every link fetches (robots.txt included)."""
        return len(self.pages)


def _listing_pages(renderer: Renderer, title: str, href: str, picks: list[Article]) -> dict[str, str]:
    chunks = [picks[k : k + LISTING_SIZE] for k in range(0, len(picks), LISTING_SIZE)][:MAX_LISTING_PAGES]
    out = {}
    for n, chunk in enumerate(chunks, 1):
        target = href if n == 1 else f"{href}?page={n}"
        out[target] = renderer.listing(title, href, chunk, n, len(chunks))
    return out


def _listing_count(articles: int) -> int:
    return min(math.ceil(articles / LISTING_SIZE), MAX_LISTING_PAGES)


def page_count(articles: int, seed: int = 2024) -> int:
    """How many pages ``build_site(articles, ..., seed)`` serves, without rendering them."""
    items = _make_articles(articles, random.Random(seed))  # noqa: S311 - see build_site
    sections = Counter(a.section for a in items)
    tags = Counter(tag for a in items for tag in a.tags)
    listings = _listing_count(len(items)) + sum(map(_listing_count, (*sections.values(), *tags.values())))
    # Home, listings, static pages, article pages, the sitemap and robots.txt.
    return 1 + listings + len(STATIC) + sum(len(a.pages) for a in items) + 2


def articles_for_pages(pages: int, seed: int = 2024) -> int:
    """About how many articles make a portal of ``pages`` pages."""
    articles = max(1, round(pages / 1.5))
    for _ in range(3):
        articles = max(1, round(articles * pages / page_count(articles, seed)))
    return articles


def build_site(articles: int, base: str, seed: int = 2024) -> Site:
    """Render the whole portal for ``articles`` articles, with absolute URLs on ``base``."""
    rng = random.Random(seed)  # noqa: S311 - reproducible page text, not secrets
    items = _make_articles(articles, rng)
    renderer = Renderer(items, base, rng)
    html: dict[str, str] = {"/": renderer.home()}
    html.update(_listing_pages(renderer, "Indeks Berita", "/indeks", items))
    for key, name in SECTIONS.items():
        html.update(_listing_pages(renderer, name, f"/{key}", [a for a in items if a.section == key]))
    by_tag: dict[str, list[Article]] = {}
    for a in items:
        for tag in a.tags:
            by_tag.setdefault(tag, []).append(a)
    for tag, tagged in by_tag.items():
        html.update(_listing_pages(renderer, f"Berita Terkini Seputar {tag}", tag_path(tag), tagged))
    for key, name in STATIC.items():
        html[f"/{key}"] = renderer.static(name)
    article_pages = []
    for a in items:
        for n in range(1, len(a.pages) + 1):
            target = a.path if n == 1 else f"{a.path}?page={n}"
            html[target] = renderer.article(a, n)
            article_pages.append(target)
    pages = {target: text.encode("utf-8") for target, text in html.items()}
    types = dict.fromkeys(pages, "text/html; charset=utf-8")
    pages["/sitemap-news.xml"] = renderer.sitemap().encode("utf-8")
    types["/sitemap-news.xml"] = "application/xml; charset=utf-8"
    pages["/robots.txt"] = f"User-agent: *\nDisallow: /search\nSitemap: {base}/sitemap-news.xml\n".encode()
    types["/robots.txt"] = "text/plain; charset=utf-8"
    return Site(base=base, pages=pages, types=types, article_pages=article_pages, articles=articles)


# --- the server ------------------------------------------------------------------------------


def _response(status: str, ctype: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\nServer: kabar-bench\r\n\r\n"
    return head.encode("ascii") + body


class Counters:
    """Shared with the parent process: responses sent, 404s, connections, first/last response time."""

    def __init__(self) -> None:
        self.responses = multiprocessing.sharedctypes.RawValue("q", 0)
        self.not_found = multiprocessing.sharedctypes.RawValue("q", 0)
        self.connections = multiprocessing.sharedctypes.RawValue("q", 0)
        self.first = multiprocessing.sharedctypes.RawValue("d", 0.0)
        self.last = multiprocessing.sharedctypes.RawValue("d", 0.0)

    def reset(self) -> None:
        """Start counting afresh (between two crawls)."""
        self.responses.value = 0
        self.not_found.value = 0
        self.connections.value = 0
        self.first.value = 0.0
        self.last.value = 0.0


class _Http(asyncio.Protocol):
    """Minimal HTTP/1.1: GET and HEAD, keep-alive, no request bodies."""

    def __init__(self, responses: dict[bytes, bytes], missing: bytes, counters: Counters) -> None:
        self.responses = responses
        self.missing = missing
        self.counters = counters
        self.buffer = b""
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.counters.connections.value += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            line, _, headers = head.partition(b"\r\n")
            method, _, rest = line.partition(b" ")
            target = rest.rpartition(b" ")[0]
            if b"://" in target:  # absolute-form request target
                target = b"/" + target.split(b"/", 3)[-1]
            response = self.responses.get(target) or self.responses.get(_normal(target))
            counters = self.counters
            if response is None:
                response = self.missing
                counters.not_found.value += 1
            now = time.monotonic()
            if not counters.responses.value:
                counters.first.value = now
            counters.last.value = now
            counters.responses.value += 1
            if method == b"HEAD":
                response = response[: response.find(b"\r\n\r\n") + 4]
            self.transport.write(response)
            if b"connection: close" in headers.lower():
                self.transport.close()
                return


def _normal(target: bytes) -> bytes:
    path, _, query = target.decode("latin-1").partition("?")
    text = unquote(path, encoding="utf-8") + (f"?{query}" if query else "")
    return text.encode("utf-8")


def _serve_forever(sock: socket.socket, site: Site, counters: Counters) -> None:
    responses = {
        target.encode("utf-8"): _response("200 OK", site.types[target], body) for target, body in site.pages.items()
    }
    missing = _response("404 Not Found", "text/plain; charset=utf-8", b"not found\n")

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _Http(responses, missing, counters), sock=sock, backlog=512)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


@dataclass
class Server:
    """A running benchmark server in its own process, and the site it serves."""

    process: multiprocessing.Process
    base: str
    counters: Counters
    site: Site

    @property
    def page_count(self) -> int:
        """Pages on the site."""
        return self.site.page_count

    @property
    def article_pages(self) -> list[str]:
        """Request targets of every article page."""
        return self.site.article_pages

    def stop(self) -> None:
        """Terminate the server process."""
        self.process.terminate()
        self.process.join(timeout=10)


def start_server(articles: int, seed: int = 2024) -> Server:
    """Build the site and serve it on 127.0.0.1 (a free port) from a forked process."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    site = build_site(articles, base, seed)
    counters = Counters()
    process = multiprocessing.get_context("fork").Process(
        target=_serve_forever, args=(sock, site, counters), daemon=True, name="kabar-bench-server",
    )
    process.start()
    sock.close()
    return Server(process, base, counters, site)


async def _load_client(host: str, port: int, targets: list[bytes], deadline: float) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    done = 0
    k = 0
    while time.monotonic() < deadline:
        writer.write(b"GET " + targets[k % len(targets)] + b" HTTP/1.1\r\nHost: " + host.encode() + b"\r\n\r\n")
        k += 1
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0])
        await reader.readexactly(length)
        done += 1
    writer.close()
    return done


def measure_ceiling(server: Server, seconds: float = 2.0, connections: int = 8) -> float:
    """Responses per second the server sends to a minimal keep-alive client (a floor of its ceiling)."""
    host, port = server.base.removeprefix("http://").split(":")
    targets = [quote(t, safe="/?=&").encode("ascii") for t in server.article_pages[:500]]

    async def run() -> int:
        deadline = time.monotonic() + seconds
        counts = await asyncio.gather(*(_load_client(host, int(port), targets, deadline) for _ in range(connections)))
        return sum(counts)

    started = time.monotonic()
    total = asyncio.run(run())
    return total / (time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the generated benchmark portal on 127.0.0.1.")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    server = start_server(args.articles, args.seed)
    print(f"{server.base}/ ({server.page_count} pages, {len(server.article_pages)} article pages)", flush=True)
    try:
        server.process.join()
    except KeyboardInterrupt:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
