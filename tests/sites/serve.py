"""Serve a bundled demo site (e.g. ``tests/sites/klikdemo``) over HTTP, like a real portal would.

Standard library only. Two ways to use it::

    from serve import serving              # (tests/sites on sys.path)
    with serving(Path("tests/sites/klikdemo")) as base:   # base == "http://127.0.0.1:PORT"
        ...

    python tests/sites/serve.py tests/sites/klikdemo [--host H] [--port N] [--port-file F]

The script prints the base URL, writes the chosen port to ``--port-file`` (atomically, so a
poller never reads a half-written file) and serves until killed.

URL -> file mapping (``P`` is the request path, percent-decoded, relative to the site root):

1. ``P`` names a regular file (``/robots.txt``, ``/sitemap-news.xml``) -> that file.
2. ``P`` names a directory and the query has ``page=N`` with ``N >= 2`` -> ``P/page-N.html``;
   without ``page`` (or with ``page=1``) -> ``P/index.html``.  So::

       /internasional/pr-13894521/slug          -> internasional/pr-13894521/slug/index.html
       /internasional/pr-13894521/slug?page=2   -> internasional/pr-13894521/slug/page-2.html
       /tag/Amerika%20Serikat?page=2            -> tag/Amerika Serikat/page-2.html
       /                                        -> index.html

   A trailing slash is ignored (``/banggai/`` is ``/banggai``).
3. ``?page=all`` -> ``P/page-all.html`` and ``?single=1`` -> ``P/single.html`` (the single-page
   views of Tribun/Kompas/Suara and detik), falling back to ``P/index.html`` when absent.
4. A query parameter ``key=value`` for which ``P`` has a subdirectory ``key=value`` ("/" in the
   value written "-") selects it, before the rules above apply there: a dated index, e.g.
   ``/indeks/2?date=01/15/2024`` -> ``indeks/2/date=01-15-2024/index.html`` and
   ``/index-news?date=2024-1-15&page=2`` -> ``index-news/date=2024-1-15/page-2.html``.
5. Every other query parameter (``utm_*``, ``fbclid``, ...) is ignored, so
   ``/x?utm_source=y`` serves the same bytes as ``/x``.  A ``page`` value that is not a positive
   integer is ignored too (a real CMS falls back to page 1).
6. Anything else, or a path that escapes the root, is a 404.

``{{BASE}}`` substitution: a page must carry absolute URLs (``og:url``, ``rel=canonical``, sitemap
``<loc>``, ...) although the server's port is only known at run time.  Text files therefore write
the site's origin as the placeholder ``{{BASE}}`` and the server replaces it, in every text file it
serves (html, xml, txt, json, css, js), with the origin the client used: ``http://`` + the request's
``Host`` header (falling back to the server's own ``host:port``), e.g. ``http://127.0.0.1:8765``.

Responses carry ``Content-Type`` with ``charset=utf-8`` for text (``text/html``,
``application/xml``, ``text/plain``, ...), ``Content-Length``, and support ``GET`` and ``HEAD``.
Per-request logging is off unless ``verbose`` is set.
"""

from __future__ import annotations

import argparse
import contextlib
import mimetypes
import sys
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterator

PLACEHOLDER = b"{{BASE}}"

# Suffix -> Content-Type for the files the demo sites hold; text types get {{BASE}} substituted.
TEXT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}


def resolve(root: Path, target: str) -> Path | None:
    """Map a request target (path and query) to a file under ``root``, or ``None`` for a 404."""
    parts = urlsplit(target)
    rel = unquote(parts.path).strip("/")
    root = root.resolve()
    candidate = (root / rel).resolve()
    if candidate != root and root not in candidate.parents:
        return None
    if candidate.is_file():
        return candidate
    if not candidate.is_dir():
        return None
    candidate = _selected(candidate, parts.query)
    query = parse_qs(parts.query)
    # Whole-article views: ``?page=all`` (Tribun, Kompas, Suara) -> ``P/page-all.html`` and
    # ``?single=1`` (detik) -> ``P/single.html``; a directory without one serves ``index.html``.
    for key, value, name in (("page", "all", "page-all.html"), ("single", "1", "single.html")):
        if query.get(key, [""])[0] == value:
            for found in (candidate / name, candidate / "index.html"):
                if found.is_file():
                    return found
            return None
    page = 1
    values = query.get("page", [])
    if values and values[0].isdigit() and int(values[0]) >= 1:
        page = int(values[0])
    name = "index.html" if page == 1 else f"page-{page}.html"
    found = candidate / name
    return found if found.is_file() else None


def _selected(directory: Path, query: str) -> Path:
    """The subdirectory the query's parameters select (a dated index: ``?date=01/15/2024``), if the site has one.

    Each parameter but ``page`` and ``single`` is a subdirectory ``key=value`` ("/" in the value written "-").
    """
    for key, value in parse_qsl(query):
        selected = directory / f"{key}={value.replace('/', '-')}"
        if key not in ("page", "single") and selected.is_dir():
            directory = selected
    return directory


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves one site directory with the mapping and substitution described in the module doc."""

    protocol_version = "HTTP/1.1"
    server_version = "newscrawl-demo/1.0"
    verbose: ClassVar[bool] = False

    def __init__(self, *args: Any, directory: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, directory=directory, **kwargs)

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _base_url(self) -> str:
        host = self.headers.get("Host")
        if not host:
            host, port = self.connection.getsockname()[:2]
            host = f"{host}:{port}"
        return f"http://{host}"

    def _respond(self, *, body: bool) -> None:
        path = resolve(Path(self.directory), self.path)
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not Found")
            return
        data = path.read_bytes()
        ctype = TEXT_TYPES.get(path.suffix.lower())
        if ctype is not None:
            data = data.replace(PLACEHOLDER, self._base_url().encode("ascii", "replace"))
        else:
            ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.verbose:
            super().log_message(format, *args)


def serve(
    root: Path, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False
) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Start serving ``root`` in a daemon thread; ``server.server_address[1]`` is the port.

    Stop it with ``server.shutdown(); server.server_close()``.
    """
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root} has no index.html: not a site directory")
    handler = type("BoundSiteHandler", (SiteHandler,), {"verbose": verbose})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, name=f"serve:{root.name}", daemon=True)
    thread.start()
    return server, thread


@contextlib.contextmanager
def serving(root: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``root`` for the block's duration; yields the base URL (no trailing slash)."""
    server, thread = serve(root, host, port)
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a bundled demo news site.")
    parser.add_argument("root", type=Path, help="site directory, e.g. tests/sites/klikdemo")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 (default) picks a free port")
    parser.add_argument("--port-file", type=Path, help="write the chosen port to this file")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    server, thread = serve(args.root, args.host, args.port, verbose=args.verbose)
    port = server.server_address[1]
    if args.port_file is not None:
        tmp = args.port_file.with_name(args.port_file.name + ".tmp")
        tmp.write_text(f"{port}\n", encoding="ascii")
        tmp.replace(args.port_file)
    sys.stdout.write(f"http://{args.host}:{port}\n")
    sys.stdout.flush()
    try:
        thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
