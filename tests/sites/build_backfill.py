"""Build portals with a past: one per family, whose older articles are reachable only through dated archives.

Each site holds the articles of 2023-12-25..2024-04-05 (0 to 3 a day, 7 on one busy day, a day
with none every sixth day), written in its family's article markup by tests/sites/build_families.py.
The home page lists the last day's articles only; every earlier article is reachable only through
the site's dated archive, laid out as the site itself lays it out (the family's URL scheme, as
public scrapers and, for detik, a real index page show it), five articles a page, the page after
the last one an empty listing (WordPress: a 404). Every archive page also shows three "Terpopuler"
links to articles outside 2024-01-01..2024-03-30. Two articles sit across that range's edges:
2023-12-31 23:50 WIB listed on 2024-01-01's page and 2024-03-31 00:10 WIB on 2024-03-30's (an
index by UTC day), so only their ``published_at`` keeps them out.

Sites (``build(root)`` writes them under `root` and returns every article's path and date):

* ``prmn``, ``radar``, ``tribun``, ``detik``, ``kompas``, ``suara``: the families' dated indexes;
* ``wordpress``: a generic WordPress site whose sitemap index lists one sitemap per month (no day archives);
* ``wordpress-days``: a generic WordPress site without sitemaps: its day archives (``/2024/01/15/page/2/``);
* ``blogger``: a generic Blogger site; its feed (``/feeds/posts/default?published-min=…``) is answered
  by `BloggerFeed` from ``posts.json``, as Blogger filters it;
* ``prmn-sitemaps``: a PRMN site whose dated index answers nothing: only its sitemaps list its past.

    python tests/sites/build_backfill.py OUT_DIR
"""

from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from build_families import FAMILIES, SHORT, Article, detik, generic, kompas, prmn_like, suara, tribun
from serve import SiteHandler

if TYPE_CHECKING:
    from collections.abc import Callable

FIRST, LAST = date(2023, 12, 25), date(2024, 4, 5)
SINCE, UNTIL = date(2024, 1, 1), date(2024, 3, 30)
BUSY = date(2024, 2, 14)
PER_PAGE = 5
WIB = timezone(timedelta(hours=7))
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


@dataclass(frozen=True)
class Period:
    """The days a site holds, and how many articles each has (in turn; `busy` has 7)."""

    first: date = FIRST
    last: date = LAST
    counts: tuple[int, ...] = (1, 2, 0, 1, 1, 3)
    busy: date | None = BUSY

    def days(self) -> list[date]:
        return [self.first + timedelta(days=d) for d in range((self.last - self.first).days + 1)]


@dataclass(frozen=True)
class Post:
    """One article of a site: its number, when it was published, on which day its archive lists it."""

    n: int
    at: datetime
    listed: date

    @property
    def slug(self) -> str:
        return f"berita-kabar-daerah-nomor-{self.n}"

    @property
    def title(self) -> str:
        return f"Kabar Daerah Nomor {self.n}: Harga Cabai dan Banjir di Kecamatan {self.n % 17 + 1}"


def posts(period: Period) -> list[Post]:
    """Every article of the period (the test's: 1, 2, 0, 1, 1, 3 a day in turn, 7 on the busy day; two at the edges)."""
    out, n = [], 0
    for day in period.days():
        count = 7 if day == period.busy else period.counts[(day - period.first).days % len(period.counts)]
        for k in range(count):
            n += 1
            minutes = 7 * 60 + 50 + k * (15 * 60) // max(count, 1)
            out.append(Post(n, datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=WIB), day))
    if period == Period():
        out.append(Post(n + 1, datetime(2023, 12, 31, 23, 50, tzinfo=WIB), SINCE))
        out.append(Post(n + 2, datetime(2024, 3, 31, 0, 10, tzinfo=WIB), UNTIL))
    return out


# --- how each family writes a date and lays out its paths ------------------------------------------

def shown(family: str, at: datetime) -> str:
    """The date as the family's article page shows it."""
    day, month = DAYS[at.weekday()], MONTHS[at.month - 1]
    clock = f"{at:%H:%M}"
    return {
        "tribun": f"{day}, {at.day} {month} {at.year} {clock} WIB",
        "detik": f"{day}, {at.day:02d} {month[:3]} {at.year} {clock} WIB",
        "kompas": f"{at.day:02d} {month} {at.year}, {clock} WIB",
        "generic": f"{at.day} {month} {at.year} {clock}",
    }.get(family, f"{day}, {at.day} {month} {at.year} | {clock} WIB")


def path_of(site: str, post: Post) -> str:
    """The article's path on `site`."""
    at, slug = post.at, post.slug
    return {
        "prmn": f"/nasional/pr-01{post.n:08d}/{slug}",
        "prmn-sitemaps": f"/nasional/pr-01{post.n:08d}/{slug}",
        "radar": f"/bogor/21{post.n:08d}/{slug}",
        "tribun": f"/{at:%Y/%m/%d}/{slug}",
        "detik": f"/berita/d-7{post.n:06d}/{slug}",
        "kompas": f"/read/{at:%Y/%m/%d}/{at:%H%M%S}{post.n:05d}/{slug}",
        "suara": f"/read/{at:%Y/%m/%d}/{at:%H%M%S}/{slug}",
        "blogger": f"/{at:%Y/%m}/{slug}.html",
    }.get(site, f"/{at:%Y/%m/%d}/{slug}/")


def family_of(site: str) -> str:
    return {"wordpress": "generic", "wordpress-days": "generic", "blogger": "generic", "prmn-sitemaps": "prmn"}.get(
        site, site)


# --- listings --------------------------------------------------------------------------------------

def _listing_item(family: str, path: str, post: Post) -> str:
    title, at = html.escape(post.title), post.at
    if family == "detik":
        stamp = f"{DAYS[at.weekday()]}, {at.day:02d} {MONTHS[at.month - 1][:3]} {at.year} {at:%H:%M} WIB"
        return (f'<article class="list-content__item"><div class="media__text"><h3 class="media__title">'
                f'<a href="{{{{BASE}}}}{path}" class="media__link">{title}</a></h3><div class="media__date">'
                f'<span d-time="{int(at.timestamp())}" title="{stamp}">{stamp}</span></div></div></article>')
    if family == "tribun":
        return (f'<li class="ptb15"><h3 class="f16 fbo"><a href="{{{{BASE}}}}{path}">{title}</a></h3>'
                f'<time class="grey">{shown("tribun", at)}</time></li>')
    if family == "kompas":
        return (f'<div class="article__list"><h3 class="article__title"><a class="article__link" '
                f'href="{{{{BASE}}}}{path}">{title}</a></h3>'
                f'<div class="article__date">{at:%d/%m/%Y, %H:%M} WIB</div></div>')
    if family == "suara":
        return (f'<div class="item"><h4 class="post-title"><a class="ellipsis2" href="{{{{BASE}}}}{path}">{title}</a>'
                f'</h4><span class="date">{shown("suara", at)}</span></div>')
    if family == "generic":
        return (f'<article class="post"><h2 class="entry-title"><a href="{{{{BASE}}}}{path}">{title}</a></h2>'
                f'<time class="entry-date" datetime="{at.isoformat()}">{shown("generic", at)}</time></article>')
    return (f'<div class="latest__item"><h2 class="latest__title"><a class="latest__link" href="{{{{BASE}}}}{path}">'
            f'{title}</a></h2><date class="latest__date">{shown("prmn", at)}</date></div>')


def _listing_page(family: str, heading: str, items: list[str], popular: str) -> str:
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{html.escape(heading)}</title></head>'
            f'<body><h1>{html.escape(heading)}</h1><div class="list-content">{"".join(items)}</div>'
            f'<aside class="most"><h3>Terpopuler</h3>{popular}</aside></body></html>')


def _popular(site: str, by_n: dict[int, Post]) -> str:
    """Three articles outside 2024-01-01..2024-03-30, linked from every archive page."""
    last = max(p.listed for p in by_n.values())
    picks = [by_n[1], by_n[3], next(p for p in by_n.values() if p.listed == last - timedelta(days=2))]
    return "".join(f'<div class="most__item"><a href="{{{{BASE}}}}{path_of(site, p)}">{html.escape(p.title)}</a></div>'
                   for p in picks)


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel.strip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _chunks(items: list[str], *, empty_after: bool = True) -> list[list[str]]:
    """Pages of PER_PAGE items; the page after the last one lists nothing (as a CMS answers it)."""
    pages = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] or [[]]
    return [*pages, []] if empty_after else pages


def day_archives(site: str, root: Path, listed: dict[date, list[Post]], popular: str, period: Period) -> None:
    """The site's index by date, as its family lays it out."""
    family = family_of(site)
    for day in period.days():
        items = [_listing_item(family, path_of(site, p), p) for p in listed.get(day, [])]
        pages = _chunks(items, empty_after=site != "wordpress-days")
        for number, page in enumerate(pages, start=1):
            text = _listing_page(family, f"Indeks {day}", page, popular)
            name = "index.html" if number == 1 else f"page-{number}.html"
            if family == "detik":
                _write(root, f"indeks/{number}/date={day:%m-%d-%Y}/index.html", text)
                if number == 1:
                    _write(root, f"indeks/date={day:%m-%d-%Y}/index.html", text)
            elif family == "tribun":
                _write(root, f"index-news/date={day.year}-{day.month}-{day.day}/{name}", text)
            elif family == "kompas":
                _write(root, f"search/{day}/{number}/index.html", text)
            elif family in ("prmn", "radar"):
                stated = f"{day.day:02d} {MONTHS_EN[day.month - 1]} {day.year}"
                _write(root, f"indeks-berita/daterange={stated} - {stated}/{name}", text)
            elif site == "wordpress-days" and page:
                _write(root, f"{day:%Y/%m/%d}/" + ("index.html" if number == 1 else f"page/{number}/index.html"), text)


def year_archives(site: str, root: Path, all_posts: list[Post], popular: str) -> None:
    """Suara: one index per year, newest first."""
    for year in sorted({p.at.year for p in all_posts}):
        mine = sorted((p for p in all_posts if p.at.year == year), key=lambda p: p.at, reverse=True)
        items = [_listing_item("suara", path_of(site, p), p) for p in mine]
        for number, page in enumerate(_chunks(items), start=1):
            name = "index.html" if number == 1 else f"page-{number}.html"
            _write(root, f"indeks/terkini/all/{year}/{name}", _listing_page("suara", f"Indeks {year}", page, popular))


def sitemaps(site: str, root: Path, all_posts: list[Post]) -> None:
    """A sitemap index of monthly post sitemaps (lastmod: the newest change in each), pages and categories."""
    months: dict[str, list[Post]] = {}
    for post in all_posts:
        months.setdefault(f"{post.at:%Y-%m}", []).append(post)
    children = []
    for month, mine in sorted(months.items()):
        entries = []
        for post in mine:
            # One January article was corrected in May: a lastmod after the range says nothing of its publication.
            modified = datetime(2024, 5, 10, 9, 0, tzinfo=WIB) if post.n == 20 else post.at + timedelta(hours=2)
            loc = f"{{{{BASE}}}}{path_of(site, post)}"
            entries.append(f"<url><loc>{loc}</loc><lastmod>{modified.isoformat()}</lastmod></url>")
        newest = max(e.split("<lastmod>")[1].split("<")[0] for e in entries)
        _write(root, f"sitemap-posts-{month}.xml", _urlset(entries))
        children.append((f"sitemap-posts-{month}.xml", newest))
    _write(root, "sitemap-pages.xml",
           _urlset(["<url><loc>{{BASE}}/tentang-kami/</loc><lastmod>2020-01-01</lastmod></url>"]))
    _write(root, "sitemap-categories.xml", _urlset(
        ["<url><loc>{{BASE}}/category/berita/</loc><lastmod>2024-04-05T10:00:00+07:00</lastmod></url>"]))
    children += [("sitemap-pages.xml", "2020-01-01"), ("sitemap-categories.xml", "2024-04-05T10:00:00+07:00")]
    index = "".join(f"<sitemap><loc>{{{{BASE}}}}/{name}</loc><lastmod>{mod}</lastmod></sitemap>"
                    for name, mod in children)
    _write(root, "sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
           f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>')


def _urlset(entries: list[str]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(entries) + "</urlset>")


# --- the sites -------------------------------------------------------------------------------------

WRITERS: dict[str, Callable[[Path, list[Article], str], None]] = {
    "prmn": prmn_like, "radar": prmn_like, "tribun": tribun, "detik": detik, "kompas": kompas, "suara": suara,
    "generic": generic,
}
HOME_MARKS = {
    "wordpress": '<meta name="generator" content="WordPress 6.4"><link rel="https://api.w.org/" href="/wp-json/">',
    "wordpress-days": '<meta name="generator" content="WordPress 6.4">',
    "blogger": "<meta content='blogger' name='generator'/>",
}
SITES = (
    "prmn", "radar", "tribun", "detik", "kompas", "suara", "wordpress", "wordpress-days", "blogger", "prmn-sitemaps",
)


def build_site(site: str, root: Path, period: Period | None = None) -> dict[str, str]:
    """Write one site under `root` (holding the test's period unless told); return every article's path and date."""
    period = period or Period()
    family = family_of(site)
    all_posts = posts(period)
    assets = FAMILIES[family][6]
    articles = []
    for post in all_posts:
        paragraphs = [f"{SHORT[0]} Laporan nomor {post.n}.", *SHORT[1:]]
        more = [f"Halaman kedua laporan nomor {post.n} memuat tanggapan warga.", SHORT[2]] if post.n % 5 == 0 else []
        dateline = FAMILIES[family][5]
        articles.append(Article(path_of(site, post), post.title, post.at.isoformat(), shown(family, post.at),
                                dateline, paragraphs, more))
    WRITERS[family](root, articles, assets)
    newest = [p for p in all_posts if p.listed == period.last]
    links = "".join(f'<li><a href="{path_of(site, p)}">{html.escape(p.title)}</a></li>' for p in newest)
    (root / "index.html").write_text(
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Beranda</title>{assets}'
        f'{HOME_MARKS.get(site, "")}</head><body><h2>Berita Terkini</h2><ul>{links}</ul></body></html>',
        encoding="utf-8")
    listed: dict[date, list[Post]] = {}
    for post in all_posts:
        listed.setdefault(post.listed, []).append(post)
    popular = _popular(site, {p.n: p for p in all_posts})
    if site == "suara":
        year_archives(site, root, all_posts, popular)
    elif site in ("wordpress", "prmn-sitemaps"):
        sitemaps(site, root, all_posts)
    elif site == "blogger":
        (root / "posts.json").write_text(json.dumps(
            [{"path": path_of(site, p), "title": p.title, "published": p.at.isoformat()} for p in all_posts]))
    else:
        day_archives(site, root, listed, popular, period)
    return {path_of(site, p): p.at.isoformat() for p in all_posts}


def build(root: Path) -> dict[str, dict[str, str]]:
    """Write every site under `root`; return, per site, every article's path and ``published_at``."""
    expected = {site: build_site(site, root / site) for site in SITES}
    (root / "expected.json").write_text(json.dumps(expected, indent=1), encoding="utf-8")
    return expected


class BloggerFeed(SiteHandler):
    """Serves a Blogger site: its static pages, and ``/feeds/posts/default`` filtered as Blogger does.

    ``published-min`` is inclusive and ``published-max`` exclusive; ``start-index`` counts from 1;
    ``max-results`` caps a page. The Atom is written as Blogger writes it: single quotes, a
    ``rel='alternate'`` link among others, ``published`` and ``updated`` with milliseconds.
    """

    def _respond(self, *, body: bool) -> None:
        parts = urlsplit(self.path)
        if parts.path != "/feeds/posts/default":
            super()._respond(body=body)
            return
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        low = datetime.fromisoformat(query.get("published-min", "1970-01-01T00:00:00+00:00"))
        high = datetime.fromisoformat(query.get("published-max", "2100-01-01T00:00:00+00:00"))
        start, size = int(query.get("start-index", "1")), int(query.get("max-results", "25"))
        everything: list[dict[str, Any]] = json.loads(Path(self.directory, "posts.json").read_text())
        chosen = sorted((p for p in everything if low <= datetime.fromisoformat(p["published"]) < high),
                        key=lambda p: p["published"], reverse=True)[start - 1:start - 1 + size]
        base = self._base_url()
        entries = "".join(
            f"<entry><id>tag:blogger.com,1999:blog-1.post-{n}</id><published>{p['published'][:19]}.000"
            f"{p['published'][19:]}</published><updated>{p['published'][:19]}.000{p['published'][19:]}</updated>"
            f"<title type='text'>{html.escape(p['title'])}</title>"
            f"<link rel='replies' type='application/atom+xml' href='{base}/feeds/{n}/comments/default'/>"
            f"<link rel='edit' type='application/atom+xml' href='{base}/feeds/posts/default/{n}'/>"
            f"<link rel='alternate' type='text/html' href='{base}{p['path']}' title='{html.escape(p['title'])}'/>"
            "</entry>" for n, p in enumerate(chosen))
        data = (f"<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                f"<id>tag:blogger.com,1999:blog-1</id><updated>2024-04-05T10:00:00.000+07:00</updated>"
                f"<title type='text'>Kabar Blog</title><link rel='alternate' type='text/html' href='{base}/'/>"
                f"{entries}</feed>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
