"""URL rules: canonical article URLs, deduplication keys, and what kind of page a link is.

Pure string functions driven by a family profile. Nothing here fetches or knows a portal's host.

They run for every link of every page, so the common cases take short cuts that give exactly what
the general code gives (tests/test_fastpaths.py compares them with it, with urllib, and with the
outputs stored in tests/reference/): a plain link needs no urljoin/quote round trip, and results
for URLs that come back page after page (navigation, the page's own URL) are remembered.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from newscrawl.networks.base import Profile

# Query parameters that only track where a click came from.
TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_[ce]id|_ga|_gl|ref|ref_src|source|src|"
    r"from|amp|amp_js_v|usqp|outputType|_gac|igshid|s_cid|cmpid|wt_mc|spm)$",
    re.IGNORECASE,
)
_SCHEMES = ("http", "https")
_MAX_URL = 2048
_MAX_PORT = 65535
# How many results each remembering helper keeps: a crawl's recurring links, not every link it sees.
_CACHE_SIZE = 4096

# Links that resolve to themselves (less any fragment, spaces in the path quoted), or to the base's
# origin plus that: ASCII only, no "%" (unquote/quote would rewrite it), no ";" (urljoin splits
# path parameters off), no empty "?" (dropped), no userinfo or brackets in the host. Anything else
# takes the general path.
_PATH_CHARS = r"[A-Za-z0-9_/:@!$&'()*+,=~. -]*"
_QUERY = r"""(?:\?[ -"$-~]+)?"""  # printable ASCII but "#"; a query is kept as it is
_PLAIN_URL = re.compile(
    rf"(?P<origin>https?://[A-Za-z0-9.-]+(?::(?P<port>[0-9]{{1,5}}))?)(?P<path>(?:/{_PATH_CHARS})?)(?P<query>{_QUERY})",
)
_PLAIN_PATH = re.compile(rf"(?P<path>/(?!/){_PATH_CHARS})(?P<query>{_QUERY})")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
# A plain http(s) URL, which urlsplit would split just so: nothing before the fragment that it
# removes first (tab, CR, LF), and a host without userinfo, brackets or non-ASCII (what it checks).
_PLAIN_SPLIT = re.compile(
    r"(?P<scheme>https?)://(?P<netloc>[A-Za-z0-9.-]+(?::[0-9]*)?)(?P<path>(?:/[^?#\t\r\n]*)?)"
    r"(?:\?(?P<query>[^#\t\r\n]*))?(?:#.*)?",
    re.DOTALL,
)


def absolute(href: str | None, base: str) -> str | None:
    """Resolve `href` against `base`; None for non-HTTP links (javascript:, mailto:, tel:, junk)."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#") or len(href) > _MAX_URL:
        return None
    plain = href.split("#", 1)[0]  # the fragment never reaches the result
    if plain[:1] == "/":
        # Root-relative: the base's scheme and host, then the link, unless a "." or ".." segment
        # needs resolving.
        if "/." not in plain and (match := _PLAIN_PATH.fullmatch(plain)):
            root = origin(base)
            if root is not None:
                return root + _quoted(match)
    elif match := _PLAIN_URL.fullmatch(plain):
        # Already absolute: only a base that does not parse, or a port out of range, makes it fail.
        port = match.group("port")
        if (port is None or int(port) <= _MAX_PORT) and _parses(base):
            return match.group("origin") + _quoted(match)
    elif (scheme := _SCHEME.match(href)) and scheme.group(1).lower() not in _SCHEMES:
        # javascript:, mailto:, ...: urljoin keeps a link's own scheme, so this never becomes HTTP.
        return None
    return _resolve(href, base)


def _quoted(match: re.Match[str]) -> str:
    """Path and query of a plain link as `_resolve` writes them: only a space needs quoting."""
    path = match.group("path")
    return (path.replace(" ", "%20") if " " in path else path) + match.group("query")


@lru_cache(maxsize=_CACHE_SIZE)  # every link of a page has the same base
def origin(base: str) -> str | None:
    """``scheme://host[:port]`` that a root-relative link gets from `base`; None if it gets no URL."""
    # A plain base (most) is read off directly rather than resolved.
    plain = _PLAIN_SPLIT.fullmatch(base)
    if plain is not None:
        netloc = plain.group("netloc")
        port = netloc.partition(":")[2]
        if not port or int(port) <= _MAX_PORT:
            return f"{plain.group('scheme')}://{netloc}"
    root = _resolve("/", base)
    return root[:-1] if root else None


@lru_cache(maxsize=_CACHE_SIZE)  # every link of a page has the same base
def _parses(base: str) -> bool:
    if _PLAIN_SPLIT.fullmatch(base) is not None:  # urlsplit never fails on these
        return True
    try:
        urlsplit(base)
    except ValueError:
        return False
    return True


def _resolve(href: str, base: str) -> str | None:
    """`absolute` for a stripped `href`, the general way."""
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    host = parts.hostname
    # A host with white space in it ("http:// ?") is no host: resolving the result again would drop it.
    if parts.scheme.lower() not in _SCHEMES or not host or any(ch.isspace() for ch in host):
        return None
    # Spaces and other unsafe characters appear raw in real hrefs (PRMN: "/tag/Donald Trump").
    path = quote(unquote(parts.path), safe="/%:@!$&'()*+,;=~-._")
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, parts.query, ""))


def _split(url: str) -> tuple[str, str, str, str]:
    """(scheme, netloc, path, query) of `url` as urlsplit gives them; ValueError where it raises one."""
    if plain := _PLAIN_SPLIT.fullmatch(url):
        return plain.group("scheme"), plain.group("netloc"), plain.group("path"), plain.group("query") or ""
    parts = urlsplit(url)
    return parts.scheme, parts.netloc, parts.path, parts.query


def host_of(url: str) -> str:
    """Lower-case host of `url`, without port ('' when there is none)."""
    return _host_of(url)


@lru_cache(maxsize=_CACHE_SIZE)
def _host_of(url: str) -> str:
    if plain := _PLAIN_SPLIT.fullmatch(url):
        return plain.group("netloc").partition(":")[0].lower()
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def netloc(url: str) -> str:
    """Lower-case ``host[:port]`` of `url`; a default port is left out ('' when it has no valid one)."""
    return _netloc(url)


@lru_cache(maxsize=_CACHE_SIZE)  # the crawl asks it of every URL it requests, and again of its response
def _netloc(url: str) -> str:
    if plain := _PLAIN_SPLIT.fullmatch(url):
        host, _, digits = plain.group("netloc").partition(":")
        port = int(digits) if digits else None
        if port is not None and port > _MAX_PORT:
            return ""  # what urlsplit's port refuses
    else:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return ""
        host = parts.hostname or ""
    host = host.lower()
    return f"{host}:{port}" if port and port not in (80, 443) else host


def path_query(url: str) -> str:
    """The path plus ``?query`` of `url`, which the profiles' URL patterns are matched against."""
    return _path_query(url)


@lru_cache(maxsize=_CACHE_SIZE)
def _path_query(url: str) -> str:
    _, _, path, query = _split(url)
    return path + (f"?{query}" if query else "")


def page_number(url: str, profile: Profile) -> int:
    """Which page of an article `url` shows (1 when it carries no page parameter)."""
    return _page_number(url, profile.page_param)


@lru_cache(maxsize=_CACHE_SIZE)
def _page_number(url: str, page_param: str) -> int:
    query = _split(url)[3]
    # parse_qsl decodes only "%" escapes and "+": without them, a key equal to the parameter is in the query as it is.
    if "%" not in query and "+" not in query and page_param not in query:
        return 1
    for key, value in parse_qsl(query):
        if key == page_param and value.isdigit():
            return max(1, int(value))
    return 1


def _rewrite_amp(path: str, profile: Profile) -> str:
    # Until no rule applies ("/amp/amp/x"), so that a canonical URL is its own canonical URL; each
    # rewrite must shorten the path, which bounds the loop.
    while True:
        new = next((n for p, r in profile.amp_res if (n := p.sub(r, path, count=1)) != path), path)
        if len(new) >= len(path):
            return path
        path = new


# canonical_url results by (url, amp_rewrite, keep_query): the only parts of a profile it reads.
# Keyed by those, not by the profile, whose hash goes through every field on each call.
_CANONICAL: dict[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]], str] = {}


def canonical_url(url: str, profile: Profile) -> str:
    """The URL of page 1 of an article: no fragment, no tracking or page query, not AMP.

    Scheme and path are kept as given (a server may redirect either); the host is lower-cased.
    A string that is no URL at all is returned as it is.
    """
    key = (url, profile.amp_rewrite, profile.keep_query)
    canonical = _CANONICAL.get(key)
    if canonical is None:
        canonical = _canonical_url(url, profile)
        if len(_CANONICAL) >= _CACHE_SIZE:
            _CANONICAL.clear()
        _CANONICAL[key] = canonical
    return canonical


def _canonical_url(url: str, profile: Profile) -> str:
    try:
        scheme, netloc, path, query = _split(url)
    except ValueError:
        return url
    path = _rewrite_amp(path or "/", profile) or "/"
    # An empty query, or a profile that keeps no parameter, keeps nothing: no need to parse it.
    if query and profile.keep_query:
        kept = [
            (k, v)
            for k, v in parse_qsl(query, keep_blank_values=True)
            if k in profile.keep_query and not TRACKING_PARAMS.match(k)
        ]
        query = urlencode(kept)
    else:
        query = ""
    return urlunsplit((scheme.lower(), netloc.lower(), path, query, ""))


def listing_url(url: str) -> str:
    """A listing URL without tracking parameters (its page parameter is kept); a non-URL as it is."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", urlencode(kept), ""))


def with_query(url: str, params: Iterable[tuple[str, str]]) -> str:
    """`url` with `params` added to (or replacing in) its query."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def dedup_key(url: str) -> str:
    """The identity of an article across URL variants.

    Scheme, ``www.``/``m.``/``amp.`` prefixes, host case, default ports and a trailing slash do not
    make a different article. A string that is no URL at all is its own key.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix):
            host = host[len(prefix):]
            break
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = unquote(parts.path).rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def _matches(patterns: tuple[re.Pattern[str], ...], pq: str) -> bool:
    return any(r.search(pq) for r in patterns)


def link_kind(url: str, profile: Profile) -> str | None:
    """What `url` is to this family: "article", "tag", "listing", or None (denied or anything else).

    One call per link on the crawl's hot path: the path is split and the deny rules run once.
    """
    pq = path_query(url)
    if _matches(profile.deny_res, pq):
        return None
    if _matches(profile.article_res, pq):
        return "article"
    if _matches(profile.tag_res, pq):
        return "tag"
    if _matches(profile.listing_res, pq):
        return "listing"
    return None


def is_article_url(url: str, profile: Profile) -> bool:
    """Whether `url` looks like an article of this family."""
    pq = path_query(url)
    return not _matches(profile.deny_res, pq) and _matches(profile.article_res, pq)


def is_tag_url(url: str, profile: Profile) -> bool:
    """Whether `url` is a tag (topic) listing of this family."""
    return _matches(profile.tag_res, path_query(url))


def is_listing_url(url: str, profile: Profile) -> bool:
    """Whether `url` is an index or section listing worth reading for article links."""
    pq = path_query(url)
    return not _matches(profile.deny_res, pq) and _matches(profile.listing_res, pq)


def is_denied(url: str, profile: Profile) -> bool:
    """Whether `url` matches a deny rule of the family."""
    return _matches(profile.deny_res, path_query(url))


def unusable_link(href: str | None) -> str | None:
    """Why `absolute` gave no URL for `href`, as a stats reason.

    "not_http_link" (javascript:, mailto:, tel:, ...), "malformed_link" (a broken http(s) URL), or
    None when there was nothing to follow (empty, "#...").
    """
    text = (href or "").strip()
    if not text or text.startswith("#"):
        return None
    scheme = _SCHEME.match(text)
    if scheme and scheme.group(1).lower() not in _SCHEMES:
        return "not_http_link"
    return "malformed_link"
