"""A hostile PRMN-style news portal on a local port: good articles mixed with every kind of broken input.

Standard library only; for tests and demos, never for a real host. Two ways to use it::

    from hostile.server import serving_hostile       # (tests/sites on sys.path)
    with serving_hostile() as site:                  # site.base == "http://localhost:PORT"
        ...                                          # site.requests: every request the server saw

    python tests/sites/hostile/server.py [--port N] [--port-file F] [--slow SECONDS]

The portal is "Warta Uji" (stories in ``stories.py``). Its canonical origin is
``http://localhost:PORT``: every page's ``rel=canonical``/``og:url`` uses it. The server listens on
127.0.0.1 only, so ``http://127.0.0.1:PORT/...`` links reach the same server under *another host
name*: the crawl must treat them as off-site, and the request log shows it if it does not.

What the server does (by story ``fault``; stateful faults count requests per path):

==================  =================================================================================
fault               response
==================  =================================================================================
(none)              the article; ``?page=N`` serves page N of a multi-page article
variants            the article, also under ``/amp/``, a trailing slash, any query, any host case
error_500_once      500 on the first request, then the article
error_503_once      503 with ``Retry-After: 1`` on the first request, then the article
slow_once           the first response comes after ``slow`` seconds (a timeout), then the article
drop_once           the first response is cut after half its bytes (socket closed), then the article
cp1252_as_utf8      windows-1252 bytes, declared UTF-8 (header and meta)
utf8_as_cp1252      UTF-8 bytes, declared windows-1252 (header and meta)
truncated           the page cut off mid-paragraph (no ``</article>``, no ``</html>``)
jsonld_broken       the article with broken JSON-LD and no machine date
future_date         the article dated 2099
page2_fails         page 1 fine, page 2 always 500
moved               ``/berita/pr-<id>/judul-lama`` 301-redirects to the article
error_500_always    500, every time
not_found           404
slow_always         every response after ``slow`` seconds
drop_always         every response cut after half its bytes
huge_sized          a 20 MB page with Content-Length (streamed, never held in memory)
huge_streamed       a 20 MB page without Content-Length, streamed until the client hangs up
redirect_loop       302 to ``putaran-b``, which 302s back to ``putaran-a``
redirect_self       301 to itself
redirect_chain      302 to ``?hop=N+1``, forever
redirect_offsite    302 to the same path on ``127.0.0.1`` (another host)
no_title            an article with an empty headline
no_body             an article with an empty body
empty_200           200 with an empty body (white space only)
binary              a PDF (application/pdf) at an article URL
robots              disallowed by robots.txt (served normally if requested anyway)
==================  =================================================================================

Listings: ``/`` (every story the home page links, plus junk links: javascript:, mailto:, tel:,
malformed and off-site URLs, and every URL variant of the ``variants`` story), ``/nasional`` and
``/daerah`` (section listings), ``/sitemap-news.xml``, ``/tag/<name>`` (one page per tag), and two traps that never end:
``/tag/jebakan?page=N`` (always links page N+1) and ``/indeks?tanggal=YYYY-MM-DD`` (always links
the day before). ``/robots.txt`` disallows ``/rahasia/``.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import re
import socket
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from stories import BY_ID, PORTAL_NAME, STORIES, Story  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

HUGE_BYTES = 20 * 1024 * 1024
_CHUNK = (b"<p>" + b"Isi halaman raksasa yang terus mengalir tanpa henti. " * 40 + b"</p>\n") * 32
_ARTICLE_PATH = re.compile(r"^/(?P<section>[a-z0-9-]+)/(?:amp/)?pr-(?P<id>\d+)/(?P<slug>[^/]+)/?$")
_MOVED_PATH = re.compile(r"^/berita/pr-(?P<id>\d+)/judul-lama/?$")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ROBOTS_TXT = "User-agent: *\nDisallow: /rahasia/\n"
# The day the calendar trap starts from; every page links the day before, forever.
TRAP_DAY = date(2022, 7, 7)


@dataclass
class Site:
    """A running hostile portal: its base URL and what it was asked for."""

    base: str
    port: int
    slow: float
    requests: list[tuple[str, str]] = field(default_factory=list)  # (Host header, path?query)
    hits: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def paths(self) -> list[str]:
        """Every path?query requested, in order."""
        with self.lock:
            return [p for _, p in self.requests]

    def hosts(self) -> set[str]:
        """Every Host header the server saw, lower-cased."""
        with self.lock:
            return {h.lower() for h, _ in self.requests}

    def count(self, key: str) -> int:
        """Count one more request for `key`; return how many came before it."""
        with self.lock:
            seen = self.hits[key]
            self.hits[key] += 1
            return seen


# --- markup ------------------------------------------------------------------------------------

def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _head(site: Site, title: str, canonical: str, extra: str = "", charset: str = "utf-8") -> str:
    return f"""<!DOCTYPE html>
<html lang="id" prefix="og: https://ogp.me/ns#">
<head itemscope itemtype="https://schema.org/WebSite">
    <meta charset="{charset}">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <link rel="stylesheet" href="https://assets.pikiran-rakyat.com/www/network/desktop/css/style.min.css?v=155">
    <title itemprop="name">{_e(title)}</title>
    <link rel="canonical" href="{site.base}{canonical}">
    <meta property="og:url" content="{site.base}{canonical}" />
    <meta property="og:site_name" content="{PORTAL_NAME}" />
{extra}</head>
<body>
    <header class="header">
        <div class="logo"><a href="/"><img src="/assets/logo.png" alt="{PORTAL_NAME}"></a></div>
        <ul class="network__menu">
            <li><a href="https://www.pikiran-rakyat.com" target="_blank">Pikiran Rakyat</a></li>
            <li><a href="https://facebook.com/wartauji" target="_blank" class="social__link">Facebook</a></li>
        </ul>
        <nav class="nav"><ul class="nav__wrap">
            <li><a href="/nasional">Nasional</a></li>
            <li><a href="/daerah">Daerah</a></li>
            <li><a href="/indeks">Indeks</a></li>
        </ul></nav>
    </header>
"""


_FOOT = """    <footer class="footer">
        <div class="footer__contact"><p>Redaksi:
            <a href="mailto:redaksi@wartauji.invalid">redaksi@wartauji.invalid</a></p></div>
        <div class="footer__copyright"><p>&copy;2022 Pikiran Rakyat Media Network</p></div>
    </footer>
</body>
</html>
"""


def _latest_item(story: Story, href: str | None = None) -> str:
    href = href or story.path
    title = story.title or "(tanpa judul)"
    return f"""        <div class="latest__item">
            <div class="latest__img"><a href="{_e(href)}"><img src="/assets/{story.id}.jpg" alt=""></a></div>
            <div class="latest__right">
                <h2 class="latest__title"><a href="{_e(href)}" class="latest__link">{_e(title)}</a></h2>
                <date class="latest__date">{_e(story.date)}</date>
            </div>
        </div>
"""


def _listing(site: Site, title: str, canonical: str, items: str, after: str = "") -> str:
    """A listing page: `items` (latest__item blocks), then `after` (a pager, more links)."""
    return (
        _head(site, f"{title} - {PORTAL_NAME}", canonical)
        + f"""    <section class="latest mt3 clearfix">
        <h3 class="title"><span>{_e(title)}</span></h3>
        <div class="latest__wrap">
{items}        </div>
    </section>
{after}"""
        + _FOOT
    )


def _pager(next_href: str, label: str = "Selanjutnya") -> str:
    return f"""        <div class="paging paging--page clearfix"><div class="paging__wrap clearfix">
            <div class="paging__item">
                <a href="{_e(next_href)}" class="paging__link paging__link--next" rel="next">{label}</a>
            </div>
        </div></div>
"""


def _paragraph(text: str) -> str:
    if text.startswith("BACA:"):
        other = BY_ID[int(text.removeprefix("BACA:"))]
        return f'<p><strong>Baca Juga: <a href="{other.path}">{_e(other.title)}</a></strong></p>'
    return f"<p>{_e(text)}</p>"


def _jsonld(site: Site, story: Story, *, broken: bool) -> str:
    if broken:
        # A CMS template slip: an unescaped quote and a missing closing brace.
        return f"""    <script type="application/ld+json">
    {{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{story.title} "Eksklusif"",
      "datePublished": "{story.date}", "author": {{"@type": "Person", "name": "{story.author}"
    </script>
"""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "url": site.base + story.path,
        "datePublished": story.iso,
        "author": {"@type": "Person", "name": story.author},
    }
    return f'    <script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>\n'


def render_article(site: Site, story: Story, page: int, charset: str = "utf-8") -> str:
    """One page of `story`, PRMN markup (h1.read__title, div.read__info__date, article.read__content)."""
    extra = ""
    if story.title:
        extra += f'    <meta property="og:title" content="{_e(story.title)} - {PORTAL_NAME}" />\n'
        extra += '    <meta property="og:type" content="article" />\n'
    if story.iso:
        extra += f'    <meta property="article:published_time" content="{story.iso}">\n'
    if story.title and story.fault != "no_title":
        extra += _jsonld(site, story, broken=story.fault == "jsonld_broken")
    if charset != "utf-8":
        extra += f'    <meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
    paragraphs = "\n            ".join(_paragraph(p) for p in story.pages[page - 1])
    last = len(story.pages)
    pager = ""
    if last > 1:
        links = "".join(
            f'<div class="paging__item"><a href="{site.base}{story.path}?page={n}" class="paging__link'
            f'{" paging__link--active" if n == page else ""}">{n}</a></div>'
            for n in range(1, last + 1)
        )
        pager = (f'        <div class="paging paging--article clearfix"><div class="paging__teaser">Halaman: </div>'
                 f'<div class="paging__wrap clearfix">{links}</div></div>\n')
    tags = "".join(f'<li><h4><a href="/tag/{_e(t)}">{_e(t)}</a></h4></li>' for t in story.tags)
    share = f"https://api.whatsapp.com/send?text={_e(story.title)}%20{site.base}{story.path}"
    body = f"""    <div class="breadcrumb clearfix"><ul class="breadcrumb__wrap">
        <li class="breadcrumb__item"><a class="breadcrumb__link" href="/">Home</a></li>
        <li class="breadcrumb__item">
            <a class="breadcrumb__link" href="/{story.section}">{story.section.title()}</a></li>
    </ul></div>
    <section class="clearfix"><div class="mt3 clearfix">
        <h1 class="read__title">{_e(story.title)}</h1>
        <div class="read__info">
            <div class="read__info__author"><a>{_e(story.author)}</a></div>
            <div class="read__info__date">
                - {_e(story.date)}            </div>
        </div>
        <div class="photo"><div class="photo__img"><img src="/assets/{story.id}.jpg" alt="">
            <div class="photo__caption">Ilustrasi suasana di lokasi. /Dok. {PORTAL_NAME}/</div>
        </div></div>
    </div></section>
    <div class="read__article clearfix">
        <article class="read__content clearfix" itemprop="articleBody">
            {paragraphs}
        </article>
{pager}        <p>Editor: <a>Redaksi {PORTAL_NAME}</a></p>
        <div class="social social--article clearfix">
            <a href="javascript:void(0)" onclick="fb_share()" class="social__link">Facebook</a>
            <a href="{_e(share)}" class="social__link">WhatsApp</a>
        </div>
        <section class="read__tagging mt3 clearfix"><h3 class="title6"><span>Tags</span></h3>
            <div class="tag tag--article clearfix"><ul class="tag__list">{tags}</ul></div>
        </section>
    </div>
"""
    return _head(site, f"{story.title} - {PORTAL_NAME}", story.path, extra, charset) + body + _FOOT


def render_home(site: Site) -> str:
    """The front page: every story on the home page, the junk links, the URL variants."""
    items = "".join(_latest_item(s) for s in STORIES if s.on_home and s.fault != "moved")
    moved = next(s for s in STORIES if s.fault == "moved")
    items += _latest_item(moved, f"/berita/pr-{moved.id}/judul-lama")
    variant = next(s for s in STORIES if s.fault == "variants")
    host, port = site.base.removeprefix("http://").split(":")
    variants = (
        f"{variant.path}?utm_source=facebook&utm_medium=social",
        f"/{variant.section}/amp/pr-{variant.id}/{variant.slug}",
        f"{variant.path}/",
        f"https://{host}:{port}{variant.path}",
        f"http://{host.upper()}:{port}{variant.path}",
        f"http://127.0.0.1:{port}{variant.path}",
        f"{variant.path}#komentar",
    )
    items += "".join(_latest_item(variant, href) for href in variants)
    junk = (
        "javascript:void(0)", "javascript:window.open('/nasional/pr-7999999/popup')",
        "mailto:redaksi@wartauji.invalid", "tel:+62-461-000000", "whatsapp://send?text=halo",
        "http://[::1", f"http://{host}:99999999/nasional/pr-7999998/port-rusak", "https://",
        "https://www.pikiran-rakyat.com/nasional/pr-7999997/situs-lain",
        f"http://127.0.0.1:{port}/daerah/pr-7999996/host-lain",
        "#", "",
    )
    links = '    <div class="read__others">\n' + "".join(
        f'        <a href="{_e(href)}">tautan</a>\n' for href in junk
    ) + "    </div>\n"
    tags = '    <ul class="tag__list">' + "".join(
        f'<li><a href="/tag/{t}">{t}</a></li>' for t in ("jebakan", "banjir", "cengkeh")
    ) + "</ul>\n"
    return _listing(site, "Terkini", "/", items, links + tags)


def render_section(site: Site, section: str) -> str | None:
    """A section listing: the home-page stories of that section."""
    stories = [s for s in STORIES if s.section == section and s.on_home and s.fault in ("", "variants")]
    if not stories:
        return None
    return _listing(site, section.title(), f"/{section}", "".join(_latest_item(s) for s in stories))


def render_tag(site: Site, tag: str, page: int) -> str | None:
    """A tag listing; the tag ``jebakan`` is a trap whose pages never end."""
    if tag == "jebakan":
        items = "".join(_latest_item(s) for s in STORIES[:2])
        next_href = f"/tag/jebakan?page={page + 1}"
        return _listing(site, f"Jebakan (halaman {page})", f"/tag/jebakan?page={page}", items, _pager(next_href))
    stories = [s for s in STORIES if tag in s.tags]
    if not stories or page != 1:
        return None
    return _listing(site, f"Tag {tag}", f"/tag/{tag}", "".join(_latest_item(s) for s in stories))


def render_index(site: Site, day: date | None) -> str:
    """The article index; dated pages form a calendar trap that always links the day before."""
    shown = day or TRAP_DAY
    items = "".join(_latest_item(s) for s in STORIES[:1])
    previous = (shown - timedelta(days=1)).isoformat()
    canonical = f"/indeks?tanggal={shown.isoformat()}" if day else "/indeks"
    return _listing(site, f"Indeks {shown.isoformat()}", canonical, items,
                    _pager(f"/indeks?tanggal={previous}", "Sebelumnya"))


def render_sitemap(site: Site) -> str:
    """The news sitemap: the plain good stories, plus one URL on another host (never fetched)."""
    urls = [site.base + s.path for s in STORIES if s.fault == "" and s.on_home]
    urls.append(f"http://127.0.0.1:{site.port}/daerah/pr-7999995/dari-peta-situs")
    entries = "".join(f"  <url><loc>{_e(u)}</loc></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n")


# --- the server --------------------------------------------------------------------------------

class HostileHandler(BaseHTTPRequestHandler):
    """Routes a request to a page or a fault; see the module docstring."""

    protocol_version = "HTTP/1.1"
    server_version = "WartaUji/1.0"
    site: ClassVar[Site]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Per-request logging is the request list, not stderr."""

    def do_GET(self) -> None:
        """Serve one request; a client that hangs up mid-answer is normal here."""
        with self.site.lock:
            self.site.requests.append((self.headers.get("Host", ""), self.path))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self._route()

    # responses ---------------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _html(self, text: str | None) -> None:
        if text is None:
            self._send(HTTPStatus.NOT_FOUND, b"<html><body><h1>404</h1></body></html>")
        else:
            self._send(HTTPStatus.OK, text.encode("utf-8"))

    def _redirect(self, status: int, location: str) -> None:
        self._send(status, b"", headers={"Location": location})

    def _drop(self, body: bytes) -> None:
        """Promise the whole body, send half of it, and close the socket."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    def _huge(self, *, sized: bool) -> None:
        """Stream 20 MB of HTML in small chunks; never hold it in memory."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if sized:
            self.send_header("Content-Length", str(HUGE_BYTES))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        sent = 0
        while sent < HUGE_BYTES and not self.site.stop.is_set():
            chunk = _CHUNK[: HUGE_BYTES - sent]
            self.wfile.write(chunk)
            sent += len(chunk)

    # routing -----------------------------------------------------------------------------------

    def _route(self) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        site = self.site
        if path == "/robots.txt":
            self._send(HTTPStatus.OK, ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
        elif path == "/":
            self._html(render_home(site))
        elif path == "/sitemap-news.xml":
            self._send(HTTPStatus.OK, render_sitemap(site).encode(), "application/xml; charset=utf-8")
        elif path.rstrip("/") == "/indeks":
            day = query.get("tanggal", [""])[0]
            self._html(render_index(site, date.fromisoformat(day) if re.fullmatch(r"\d{4}-\d\d-\d\d", day) else None))
        elif path.startswith("/tag/"):
            page = query.get("page", ["1"])[0]
            self._html(render_tag(site, path.removeprefix("/tag/").strip("/"), int(page) if page.isdigit() else 1))
        elif moved := _MOVED_PATH.match(path):
            story = BY_ID.get(int(moved.group("id")))
            self._html(None) if story is None else self._redirect(HTTPStatus.MOVED_PERMANENTLY, story.path)
        elif article := _ARTICLE_PATH.match(path):
            story = BY_ID.get(int(article.group("id")))
            if story is None:
                self._html(None)
            else:
                page = query.get("page", ["1"])[0]
                self._article(story, article.group("slug"), int(page) if page.isdigit() else 1, parts.query)
        else:
            self._html(render_section(site, path.strip("/")) if path.count("/") == 1 else None)

    def _article(self, story: Story, slug: str, page: int, query: str) -> None:  # noqa: C901, PLR0912
        site = self.site
        fault = story.fault
        key = f"{story.id}:{page}"
        if page > len(story.pages) or (fault not in ("redirect_loop", "redirect_chain") and slug != story.slug):
            self._html(None)
            return
        if (fault == "page2_fails" and page == 2) or fault == "error_500_always":
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, b"<html><body>Internal Server Error</body></html>")
            return
        if fault == "error_500_once" and site.count(key) == 0:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, b"<html><body>Internal Server Error</body></html>")
            return
        if fault == "error_503_once" and site.count(key) == 0:
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"<html><body>Sedang sibuk</body></html>",
                       headers={"Retry-After": "1"})
            return
        if fault == "slow_always" or (fault == "slow_once" and site.count(key) == 0):
            site.stop.wait(site.slow)
        if fault == "not_found":
            self._html(None)
        elif fault in ("huge_sized", "huge_streamed"):
            self._huge(sized=fault == "huge_sized")
        elif fault == "redirect_loop":
            other = "putaran-b" if slug == "putaran-a" else "putaran-a"
            self._redirect(HTTPStatus.FOUND, f"/{story.section}/pr-{story.id}/{other}")
        elif fault == "redirect_self":
            self._redirect(HTTPStatus.MOVED_PERMANENTLY, story.path)
        elif fault == "redirect_chain":
            hop = int(parse_qs(query).get("hop", ["0"])[0] or 0)
            self._redirect(HTTPStatus.FOUND, f"{story.path}?hop={hop + 1}")
        elif fault == "redirect_offsite":
            self._redirect(HTTPStatus.FOUND, f"http://127.0.0.1:{site.port}{story.path}")
        elif fault == "empty_200":
            self._send(HTTPStatus.OK, b" \r\n\t\n")
        elif fault == "binary":
            self._send(HTTPStatus.OK, PDF, "application/pdf")
        elif fault == "drop_always" or (fault == "drop_once" and site.count(key) == 0):
            self._drop(render_article(site, story, page).encode("utf-8"))
        elif fault == "cp1252_as_utf8":
            self._send(HTTPStatus.OK, render_article(site, story, page).encode("cp1252"))
        elif fault == "utf8_as_cp1252":
            self._send(HTTPStatus.OK, render_article(site, story, page, charset="windows-1252").encode("utf-8"),
                       "text/html; charset=windows-1252")
        elif fault == "truncated":
            text = render_article(site, story, page)
            self._send(HTTPStatus.OK, text[: text.index("[[CUT]]")].encode("utf-8"))
        else:
            self._html(render_article(site, story, page))


def serve(port: int = 0, slow: float = 5.0) -> tuple[ThreadingHTTPServer, threading.Thread, Site]:
    """Start the portal on 127.0.0.1 in a daemon thread; ``slow`` is how long a slow answer takes."""
    server = ThreadingHTTPServer(("127.0.0.1", port), HostileHandler)
    # Slow and streaming handlers must not hold up shutdown.
    server.daemon_threads = True
    server.block_on_close = False
    bound = server.server_address[1]
    site = Site(base=f"http://localhost:{bound}", port=bound, slow=slow)
    server.RequestHandlerClass = type("BoundHostileHandler", (HostileHandler,), {"site": site})
    thread = threading.Thread(target=server.serve_forever, name="serve:hostile", daemon=True)
    thread.start()
    return server, thread, site


@contextlib.contextmanager
def serving_hostile(port: int = 0, slow: float = 5.0) -> Iterator[Site]:
    """Serve the hostile portal for the block's duration; yields the running `Site`."""
    server, thread, site = serve(port, slow)
    try:
        yield site
    finally:
        site.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    """Serve until killed; print the base URL (and write the port to --port-file)."""
    parser = argparse.ArgumentParser(description="Serve the hostile demo portal (Warta Uji).")
    parser.add_argument("--port", type=int, default=0, help="0 (default) picks a free port")
    parser.add_argument("--port-file", type=Path, help="write the chosen port to this file")
    parser.add_argument("--slow", type=float, default=5.0, help="seconds a slow answer takes")
    args = parser.parse_args(argv)
    server, thread, site = serve(args.port, args.slow)
    if args.port_file is not None:
        tmp = args.port_file.with_name(args.port_file.name + ".tmp")
        tmp.write_text(f"{site.port}\n", encoding="ascii")
        tmp.replace(args.port_file)
    sys.stdout.write(site.base + "\n")
    sys.stdout.flush()
    try:
        thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        site.stop.set()
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
