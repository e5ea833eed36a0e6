"""The portal registry: newscrawl/portals.toml loaded into typed, validated `Portal` records.

It answers which portals exist, what each one is (network family, region, timezone, start pages)
and which portal a URL belongs to, by exact host and path prefix.

It must never fetch anything, guess a portal from a look-alike host (``for_url`` matches hosts
exactly), or accept an entry it does not fully understand: a malformed registry fails at start-up
with a `RegistryError` of one line naming the file, the entry and what is wrong.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newscrawl.extract.text import site_key
from newscrawl.networks import NETWORK_NAMES

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

TIMEZONES: tuple[str, ...] = ("WIB", "WITA", "WIT")
RENDER_MODES: tuple[str, ...] = ("http", "js")
DEFAULT_RENDER = "http"
# The group of a portal made up for a start URL that is not in the registry.
ADHOC = "adhoc"
PACKAGED_REGISTRY = "portals.toml"

_REQUIRED_KEYS = ("id", "network", "group", "region", "timezone")
_OPTIONAL_KEYS = ("name", "start_urls", "hosts", "render", "note")
_KNOWN_KEYS = frozenset(_REQUIRED_KEYS + _OPTIONAL_KEYS)
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
# Path prefixes are compared case-sensitively, so the registry spells them in lower case.
_PATH_PREFIX = re.compile(r"(?:/[a-z0-9._~-]+)+")


class RegistryError(ValueError):
    """The registry cannot be used; the message says what is wrong and where, in one line."""


def _host_and_path(url: str) -> tuple[str, str] | None:
    """Return a URL's lower-case host (no port, no trailing dot) and path; None without a host."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname  # already lower-cased, with userinfo and port removed
    except ValueError:  # e.g. an unbalanced "[" in an IPv6 host
        return None
    if not host:
        return None
    return host.rstrip("."), parts.path or "/"


def _under(path: str, prefix: str) -> bool:
    """Tell whether `path` is `prefix` or below it: "/jatim/x" is under "/jatim", "/jatimx" not."""
    return not prefix or path == prefix or path.startswith(prefix + "/")


def _toggle_www(host_or_id: str) -> str:
    return host_or_id[4:] if host_or_id.startswith("www.") else "www." + host_or_id


@dataclass(frozen=True, slots=True)
class Portal:
    """One news portal: where it lives, how to extract it, and the clock its timestamps use."""

    id: str
    host: str  # lower-case host, no port
    path_prefix: str  # "" or e.g. "/jatim" for a portal living under a path of a shared host
    name: str  # the registry's name, else the id
    network: str  # extraction family, one of newscrawl.networks.NETWORK_NAMES
    group: str  # the media group label, e.g. "antara", "jawapos-group", "independent"
    region: str
    timezone: str  # "WIB" | "WITA" | "WIT"
    start_urls: tuple[str, ...]  # explicit start pages; () means the family's defaults
    hosts: tuple[str, ...]  # `host` first, then any further hosts the portal serves from
    render: str  # "http" | "js"

    def owns(self, url: str) -> bool:
        """Tell whether `url` is on one of this portal's hosts and under its path prefix."""
        split = _host_and_path(url)
        return split is not None and split[0] in self.hosts and _under(split[1], self.path_prefix)

    @property
    def home_url(self) -> str:
        """The portal's front page."""
        return f"https://{self.host}{self.path_prefix}/"


class Registry:
    """All portals, with look-ups by id, by URL and by network family."""

    __slots__ = ("_by_host", "_by_id", "_by_name", "_by_network", "portals")

    def __init__(self, portals: Iterable[Portal], *, source: str = "<registry>") -> None:
        self.portals: tuple[Portal, ...] = tuple(portals)
        self._by_id: dict[str, Portal] = {}
        self._by_host: dict[str, list[Portal]] = {}
        by_network: dict[str, list[Portal]] = {}
        for index, portal in enumerate(self.portals, 1):
            where = f"{source}: [[portal]] #{index} ({portal.id})"
            key = portal.id.lower()
            if key in self._by_id:
                first = self.portals.index(self._by_id[key]) + 1
                raise RegistryError(f"{where}: duplicate id, already used by [[portal]] #{first}")
            self._by_id[key] = portal
            for host in portal.hosts:
                sharing = self._by_host.setdefault(host, [])
                for other in sharing:
                    if other.path_prefix == portal.path_prefix:
                        claimed = host + portal.path_prefix
                        raise RegistryError(f"{where}: {claimed} is already served by {other.id}")
                sharing.append(portal)
            by_network.setdefault(portal.network, []).append(portal)
        for sharing in self._by_host.values():
            # Longest prefix first: www.detik.com/jatim wins over a portal owning the whole host.
            sharing.sort(key=lambda portal: len(portal.path_prefix), reverse=True)
        self._by_network = {network: tuple(group) for network, group in by_network.items()}
        by_name: dict[str, list[Portal]] = {}
        for portal in self.portals:
            if portal.name != portal.id:
                by_name.setdefault(site_key(portal.name), []).append(portal)
        # Only a name that one portal bears identifies it.
        self._by_name = {key: found[0] for key, found in by_name.items() if key and len(found) == 1}

    def __len__(self) -> int:
        return len(self.portals)

    def __iter__(self) -> Iterator[Portal]:
        return iter(self.portals)

    def __repr__(self) -> str:
        return f"<Registry of {len(self.portals)} portals>"

    def get(self, portal_id: str) -> Portal | None:
        """Return the portal with this id (any case, with or without "www."), or owning this URL."""
        key = portal_id.strip().lower()
        if "://" in key:
            split = _host_and_path(key)
            if split is None:
                return None
            host, path = split
            return self._owner(host, path) or self._owner(_toggle_www(host), path)
        key = key.rstrip("/")
        return self._by_id.get(key) or self._by_id.get(_toggle_www(key))

    def for_url(self, url: str) -> Portal | None:
        """Return the portal owning `url` (exact host, longest path prefix), or None."""
        split = _host_and_path(url)
        return None if split is None else self._owner(*split)

    def for_identity(self, urls: Iterable[str], site_name: str | None = None) -> Portal | None:
        """Return the portal a page says it is, or None.

        By its own URLs (og:url, canonical, JSON-LD url, with or without "www."), else by the site
        name it gives itself (og:site_name) when one portal bears it.
        """
        for url in urls:
            found = self.get(url) if "://" in url else None
            if found is not None:
                return found
        return self._by_name.get(site_key(site_name)) if site_name else None

    def page_portal(self, crawled: Portal, identity: Iterable[str], site_name: str | None) -> dict[str, str]:
        """The item's ``portal``, ``portal_name`` and ``_timezone`` for a page fetched as `crawled`.

        The zone is the registered portal's the page says it is, else the crawled one's. A crawled
        portal not in the registry (group "adhoc") also takes that portal's name, else the page's
        own site name.
        """
        owner = self.for_identity(identity, site_name)
        zone = (owner or crawled).timezone
        if crawled.group != ADHOC:
            return {"portal": crawled.id, "portal_name": crawled.name, "_timezone": zone}
        name = owner.name if owner is not None else site_name or crawled.name
        return {"portal": crawled.id, "portal_name": name, "_timezone": zone}

    def by_network(self, network: str) -> tuple[Portal, ...]:
        """Return the portals extracted by one network family, in registry order."""
        return self._by_network.get(network, ())

    def ids(self) -> tuple[str, ...]:
        """Return every portal id, in registry order."""
        return tuple(portal.id for portal in self.portals)

    def _owner(self, host: str, path: str) -> Portal | None:
        for portal in self._by_host.get(host, ()):
            if _under(path, portal.path_prefix):
                return portal
        return None


def parse_registry(text: str, *, source: str = "<string>") -> Registry:
    """Parse and validate registry TOML; raise RegistryError naming the entry on any problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{source}: not valid TOML: {exc}") from exc
    for key in data:
        if key != "portal":
            raise RegistryError(f"{source}: unknown top-level key {key!r}; expected [[portal]]")
    entries = data.get("portal", [])
    if not isinstance(entries, list):
        raise RegistryError(f"{source}: 'portal' must be [[portal]] tables")
    portals = [
        _parse_entry(entry, f"{source}: [[portal]] #{i}") for i, entry in enumerate(entries, 1)
    ]
    return Registry(portals, source=source)


def load_registry(path: str | Path | None = None) -> Registry:
    """Load the registry at `path`, or the packaged newscrawl/portals.toml (cached) by default."""
    if path is None:
        return _packaged_registry()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read the portal registry: {exc.strerror}") from exc
    return parse_registry(text, source=str(path))


@functools.cache
def _packaged_registry() -> Registry:
    text = resources.files("newscrawl").joinpath(PACKAGED_REGISTRY).read_text(encoding="utf-8")
    return parse_registry(text, source=f"newscrawl/{PACKAGED_REGISTRY}")


def _parse_entry(entry: object, where: str) -> Portal:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: must be a table")
    raw_id = entry.get("id")
    if isinstance(raw_id, str):
        where = f"{where} ({raw_id})"
    _check_keys(entry, where)
    portal_id = _string(entry, "id", where)
    host, slash, path = portal_id.partition("/")
    path_prefix = slash + path
    if portal_id != portal_id.lower() or not _HOST.fullmatch(host):
        raise RegistryError(f"{where}: id must be a lower-case host, optionally with a path")
    if path_prefix and not _PATH_PREFIX.fullmatch(path_prefix):
        raise RegistryError(f"{where}: id path {path_prefix!r} must be lower-case, no trailing '/'")
    network = _choice(entry, "network", NETWORK_NAMES, where)
    timezone = _choice(entry, "timezone", TIMEZONES, where)
    render = _choice(entry, "render", RENDER_MODES, where, default=DEFAULT_RENDER)
    hosts = (host, *_extra_hosts(entry, host, where))
    start_urls = _start_urls(entry, hosts, where)
    if "note" in entry:
        _string(entry, "note", where)  # checked for shape only: notes are for maintainers
    return Portal(
        id=portal_id,
        host=host,
        path_prefix=path_prefix,
        name=_string(entry, "name", where) if "name" in entry else portal_id,
        network=network,
        group=_string(entry, "group", where),
        region=_string(entry, "region", where),
        timezone=timezone,
        start_urls=start_urls,
        hosts=hosts,
        render=render,
    )


def _check_keys(entry: dict[str, object], where: str) -> None:
    for key in entry:
        if key not in _KNOWN_KEYS:
            close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1)
            known = ", ".join(sorted(_KNOWN_KEYS))
            hint = f"did you mean {close[0]!r}?" if close else f"known: {known}"
            raise RegistryError(f"{where}: unknown key {key!r} ({hint})")
    for key in _REQUIRED_KEYS:
        if key not in entry:
            raise RegistryError(f"{where}: missing key {key!r}")


def _string(entry: dict[str, object], key: str, where: str) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise RegistryError(f"{where}: {key} must be a non-empty string without outer spaces")
    return value


def _choice(
    entry: dict[str, object],
    key: str,
    allowed: tuple[str, ...],
    where: str,
    default: str | None = None,
) -> str:
    if default is not None and key not in entry:
        return default
    value = entry[key]
    if value not in allowed:
        raise RegistryError(f"{where}: unknown {key} {value!r} (known: {', '.join(allowed)})")
    return str(value)


def _string_list(entry: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RegistryError(f"{where}: {key} must be a list of strings")
    if key in entry and not value:
        raise RegistryError(f"{where}: {key} is empty; leave the key out instead")
    return tuple(value)


def _extra_hosts(entry: dict[str, object], host: str, where: str) -> tuple[str, ...]:
    extra = _string_list(entry, "hosts", where)
    seen = {host}
    for item in extra:
        if not _HOST.fullmatch(item):
            raise RegistryError(f"{where}: hosts entry {item!r} is not a lower-case host name")
        if item in seen:
            raise RegistryError(f"{where}: hosts lists {item!r} twice (the id's host counts)")
        seen.add(item)
    return extra


def _start_urls(entry: dict[str, object], hosts: tuple[str, ...], where: str) -> tuple[str, ...]:
    urls = _string_list(entry, "start_urls", where)
    for url in urls:
        split = _host_and_path(url)
        if not url.startswith(("https://", "http://")) or split is None:
            raise RegistryError(f"{where}: start URL {url!r} is not an absolute http(s) URL")
        if split[0] not in hosts:
            raise RegistryError(
                f"{where}: start URL {url!r} is not on the portal's hosts ({', '.join(hosts)})"
            )
    return urls
