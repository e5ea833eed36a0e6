"""Checks of the bundled demo portal (tests/sites/klikdemo) and its server (tests/sites/serve.py).

The build is reproducible, serve.py maps URLs as documented, every on-site link resolves, and
every article is reachable exactly the way expected.json's ``reachable_via`` says.
"""

from __future__ import annotations

import html
import http.client
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import build_klikdemo  # noqa: E402
from serve import serving  # noqa: E402

SITE = HERE / "klikdemo"
EXPECTED: dict[str, dict] = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))
AMP = re.compile(r"^/([^/]+)/amp/(pr-\d+/[^/?#]+)$")


class Links(HTMLParser):
    """Collects <a href> (flagged when inside a "Baca Juga" <strong>), <link href>, <img src>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str, bool]] = []
        self.other: list[str] = []
        self.meta: dict[str, str] = {}
        self._strong_text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "strong":
            self._strong_text = []
        elif tag == "a" and "href" in a:
            in_bj = self._strong_text is not None and "".join(self._strong_text).startswith(
                "Baca Juga"
            )
            self.anchors.append((a["href"], in_bj))
        elif tag == "link" and "href" in a:
            self.other.append(a["href"])
            if a.get("rel"):
                self.meta["link:" + a["rel"]] = a["href"]
        elif tag in {"img", "amp-img"} and "src" in a:
            self.other.append(a["src"])
        elif tag == "meta" and "property" in a:
            self.meta[a["property"]] = a.get("content", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "strong":
            self._strong_text = None

    def handle_data(self, data: str) -> None:
        if self._strong_text is not None:
            self._strong_text.append(data)


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def article_path(url: str) -> str | None:
    """The canonical article path a URL shows (query dropped, AMP mapped), or None."""
    path = urlsplit(url).path
    m = AMP.match(path)
    if m:
        path = f"/{m.group(1)}/{m.group(2)}"
    return path if path in EXPECTED else None


@pytest.fixture(scope="module")
def base() -> str:
    with serving(SITE) as url:
        yield url


@pytest.fixture(scope="module")
def crawl(base: str) -> dict[str, object]:
    """Fetch every on-site URL reachable from /, robots.txt and the sitemap; record the links."""
    status: dict[str, int] = {}
    bodies: dict[str, bytes] = {}
    edges: dict[str, list[tuple[str, bool]]] = {}
    queue = deque([base + "/", base + "/robots.txt", base + "/sitemap-news.xml"])
    seen = set(queue)
    while queue:
        url = queue.popleft()
        code, headers, body = fetch(url)
        status[url] = code
        bodies[url] = body
        found: list[str] = []
        if headers.get("Content-Type", "").startswith("text/html"):
            parser = Links()
            parser.feed(body.decode("utf-8"))
            edges[url] = []
            for href, in_bj in parser.anchors:
                absolute = urljoin(url, href).split("#")[0]
                if absolute.startswith(base):
                    edges[url].append((absolute, in_bj))
                    found.append(absolute)
            found += [urljoin(url, u) for u in parser.other if urljoin(url, u).startswith(base)]
        elif "charset=utf-8" in headers.get("Content-Type", ""):
            found += re.findall(rf"{re.escape(base)}[^\s<]*", body.decode("utf-8"))
        for u in found:
            if u not in seen:
                seen.add(u)
                queue.append(u)
    return {"status": status, "bodies": bodies, "edges": edges}


def reach(base: str, edges: dict, *, skip_bj: bool = False, skip_tag: bool = False) -> set[str]:
    """Article paths reachable by following <a> links from the home page."""
    todo, seen = [base + "/"], {base + "/"}
    while todo:
        url = todo.pop()
        if skip_tag and urlsplit(url).path.startswith("/tag/"):
            continue
        for target, in_bj in edges.get(url, []):
            if (skip_bj and in_bj) or target in seen:
                continue
            seen.add(target)
            todo.append(target)
    return {p for p in map(article_path, seen) if p}


def test_build_is_reproducible() -> None:
    files = build_klikdemo.render_site()
    assert files == build_klikdemo.on_disk(SITE), "run: python tests/sites/build_klikdemo.py"


def test_every_link_resolves(crawl: dict) -> None:
    bad = {u: c for u, c in crawl["status"].items() if c != 200}
    assert not bad
    assert len(crawl["status"]) > 60


def test_base_is_substituted(base: str, crawl: dict) -> None:
    for url, body in crawl["bodies"].items():
        assert b"{{BASE}}" not in body, url
    _, _, body = fetch(base + "/robots.txt")
    assert f"Sitemap: {base}/sitemap-news.xml".encode() in body


def test_every_article_and_page_is_crawlable(base: str, crawl: dict) -> None:
    urls = set(crawl["status"]) | set(crawl["edges"])
    for path, art in EXPECTED.items():
        for n in range(1, art["pages"] + 1):
            url = base + path + ("" if n == 1 else f"?page={n}")
            if art["reachable_via"] != "sitemap" or n == 1:
                assert url in urls, url


def test_reachable_via(base: str, crawl: dict) -> None:
    edges = crawl["edges"]
    home_links = {article_path(t) for t, _ in edges[base + "/"]}
    everything = reach(base, edges)
    without_bj = reach(base, edges, skip_bj=True)
    without_tags = reach(base, edges, skip_tag=True)
    sitemap = (SITE / "sitemap-news.xml").read_text(encoding="utf-8")
    for path, art in EXPECTED.items():
        via = art["reachable_via"]
        if via == "home":
            assert path in home_links, path
        elif via == "baca_juga":
            assert path in everything, path
            assert path not in without_bj, path
        elif via == "tag":
            assert path in everything, path
            assert path not in without_tags, path
        else:
            assert via == "sitemap"
            assert path not in everything, path
            assert "{{BASE}}" + path + "<" in sitemap


def test_related_urls_are_the_baca_juga_links(base: str, crawl: dict) -> None:
    for path, art in EXPECTED.items():
        links: list[str] = []
        for n in range(1, art["pages"] + 1):
            url = base + path + ("" if n == 1 else f"?page={n}")
            links += [urlsplit(t).path for t, bj in crawl["edges"][url] if bj]
        assert links == art["related_urls"], path


def test_page_and_tracking_queries(base: str) -> None:
    hamas = next(p for p, a in EXPECTED.items() if a["pages"] == 3 and a["dateline"])
    first = fetch(base + hamas)[2]
    assert fetch(base + hamas + "?page=1")[2] == first
    assert fetch(base + hamas + "?utm_source=fb&fbclid=abc")[2] == first
    second = fetch(base + hamas + "?page=2&utm_medium=x")[2]
    assert second != first
    assert b'paging__link--active">2<' in second
    assert fetch(base + hamas + "?page=9")[0] == 404
    assert fetch(base + hamas + "?page=abc")[2] == first
    assert fetch(base + hamas + "/")[2] == first


def test_amp_variant_points_to_canonical(base: str) -> None:
    [(path, amp)] = [
        (p, u) for p, a in EXPECTED.items() for u in a["alternate_urls"] if "/amp/" in u
    ]
    code, _, body = fetch(base + amp)
    assert code == 200
    parser = Links()
    parser.feed(body.decode("utf-8"))
    assert parser.meta["link:canonical"] == base + path


def test_content_types_and_errors(base: str) -> None:
    assert fetch(base + "/")[1]["Content-Type"] == "text/html; charset=utf-8"
    assert fetch(base + "/sitemap-news.xml")[1]["Content-Type"].startswith("application/xml")
    assert fetch(base + "/robots.txt")[1]["Content-Type"] == "text/plain; charset=utf-8"
    assert fetch(base + "/assets/images/favicon.png")[1]["Content-Type"] == "image/png"
    assert fetch(base + "/tag/Amerika%20Serikat")[0] == 200
    assert fetch(base + "/tag/Banggai?page=2")[0] == 200
    assert fetch(base + "/nope")[0] == 404
    code, headers, body = fetch(base + "/", method="HEAD")
    assert code == 200
    assert not body
    assert int(headers["Content-Length"]) > 1000
    host = urlsplit(base).netloc
    conn = http.client.HTTPConnection(host, timeout=10)
    conn.request("GET", "/../serve.py")
    assert conn.getresponse().status == 404
    conn.close()


def test_expected_matches_pages(base: str) -> None:
    for path, art in EXPECTED.items():
        page = fetch(base + path)[2].decode("utf-8")
        h1 = re.search(r'<h1 class="read__title">(.*?)</h1>', page)
        assert h1
        assert h1.group(1).replace("&#x27;", "'") == art["title"]
        assert art["visible_date"] in page
        assert ('"datePublished"' in page) is art["has_json_ld"]
        text = ""
        for n in range(1, art["pages"] + 1):
            raw = fetch(base + path + ("" if n == 1 else f"?page={n}"))[2].decode("utf-8")
            raw = re.sub(r"</?(?:a|strong)\b[^>]*>", "", raw)
            text += " " + html.unescape(re.sub(r"<[^>]+>", " ", raw)).replace("\xa0", " ")
        text = " ".join(text.split())
        for para in art["body"].split("\n\n"):
            assert para in text, para


def test_script_mode_writes_port_file(tmp_path: Path) -> None:
    port_file = tmp_path / "port"
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "serve.py"), str(SITE), "--port-file", str(port_file)],
        stdout=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        port = int(port_file.read_text())
        code, _, body = fetch(f"http://127.0.0.1:{port}/")
        assert code == 200
        assert f"http://127.0.0.1:{port}/".encode() in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)
