"""The portal registry: newscrawl/portals.toml loaded into typed, validated `Portal` records.

Each ``[[portal]]`` table is checked by the pydantic model `PortalEntry` (newscrawl/validation.py
says how every input is validated); checks across entries (ids, hosts) are made by `Registry`.

It answers which portals exist, what each one is (network family, region, timezone, start pages)
and which portal a URL belongs to, by exact host and path prefix.

It must never fetch anything, guess a portal from a look-alike host (``for_url`` matches hosts
exactly), or accept an entry it does not fully understand: a malformed registry fails at start-up
with a `RegistryError` of one line naming the file, the entry and what is wrong.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import ValidationError, ValidationInfo, field_validator

from newscrawl.extract.text import site_key
from newscrawl.networks import NETWORK_NAMES
from newscrawl.validation import PORTAL_RENDER_MODES, TIMEZONES, Input, Wording, choice, fail, one_line

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

DEFAULT_RENDER = "http"
PACKAGED_REGISTRY = "portals.toml"

_WORDING = Wording(unknown="unknown key {key!r} ({hint})", choice="unknown {field} {value!r} (known: {allowed})")
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
    media_group: str  # who owns it, e.g. "antara", "jawapos-group", "independent" (portals.toml: group)
    region: str
    timezone: str  # one of newscrawl.validation.TIMEZONES
    start_urls: tuple[str, ...]  # explicit start pages; () means the family's defaults
    hosts: tuple[str, ...]  # `host` first, then any further hosts the portal serves from
    render: str  # one of newscrawl.validation.PORTAL_RENDER_MODES
    # False for a site crawled from start_urls that no registered portal owns (the spider's own).
    registered: bool = True
    # True when `timezone` is WIB for want of any: such a site, crawled without ``-a timezone``.
    zone_unknown: bool = False

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
        self._by_network = {network: tuple(members) for network, members in by_network.items()}
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

    def page_portal(self, crawled: Portal, identity: Iterable[str], site_name: str | None) -> dict[str, str | bool]:
        """The item's ``portal``, ``portal_name`` and ``_timezone`` for a page fetched as `crawled`.

        The zone is the registered portal's the page says it is, else the crawled one's. A crawled
        portal not in the registry (``registered`` False) also takes that portal's name, else the page's
        own site name, and ``_zone_unknown`` says whether its zone is WIB for want of any.
        """
        owner = self.for_identity(identity, site_name)
        zone = (owner or crawled).timezone
        if crawled.registered:
            return {"portal": crawled.id, "portal_name": crawled.name, "_timezone": zone}
        name = owner.name if owner is not None else site_name or crawled.name
        unknown = owner is None and crawled.zone_unknown
        return {"portal": crawled.id, "portal_name": name, "_timezone": zone, "_zone_unknown": unknown}

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
    return Registry((_portal(entry, f"{source}: [[portal]] #{i}") for i, entry in enumerate(entries, 1)), source=source)


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


class PortalEntry(Input):
    """One ``[[portal]]`` table of portals.toml as written; its values are checked in this order."""

    id: str  # the portal's host, lower case, optionally with a path: "www.detik.com/jatim"
    network: str
    timezone: str
    render: str = DEFAULT_RENDER
    hosts: tuple[str, ...] = ()  # further hosts, beside the id's
    start_urls: tuple[str, ...] = ()
    note: str = ""  # for maintainers: checked for shape only
    name: str = ""  # "" names the portal by its id
    group: str  # the media group (Portal.media_group)
    region: str

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: object) -> str:
        portal_id = _string("id", value)
        host, slash, path = portal_id.partition("/")
        if portal_id != portal_id.lower() or not _HOST.fullmatch(host):
            fail("id must be a lower-case host, optionally with a path")
        if slash and not _PATH_PREFIX.fullmatch(slash + path):
            fail(f"id path {slash + path!r} must be lower-case, no trailing '/'")
        return portal_id

    @field_validator("network", mode="before")
    @classmethod
    def _network(cls, value: object) -> str:
        return choice(value, NETWORK_NAMES)

    @field_validator("timezone", mode="before")
    @classmethod
    def _timezone(cls, value: object) -> str:
        return choice(value, TIMEZONES)

    @field_validator("render", mode="before")
    @classmethod
    def _render(cls, value: object) -> str:
        return choice(value, PORTAL_RENDER_MODES)

    @field_validator("hosts", mode="before")
    @classmethod
    def _hosts(cls, value: object, info: ValidationInfo) -> tuple[str, ...]:
        extra = _string_list("hosts", value)
        seen = {_own_host(info)}
        for item in extra:
            if not _HOST.fullmatch(item):
                fail(f"hosts entry {item!r} is not a lower-case host name")
            if item in seen:
                fail(f"hosts lists {item!r} twice (the id's host counts)")
            seen.add(item)
        return extra

    @field_validator("start_urls", mode="before")
    @classmethod
    def _start_urls(cls, value: object, info: ValidationInfo) -> tuple[str, ...]:
        urls = _string_list("start_urls", value)
        hosts = (_own_host(info), *info.data.get("hosts", ()))
        for url in urls:
            split = _host_and_path(url)
            if not url.startswith(("https://", "http://")) or split is None:
                fail(f"start URL {url!r} is not an absolute http(s) URL")
            if split[0] not in hosts:
                fail(f"start URL {url!r} is not on the portal's hosts ({', '.join(hosts)})")
        return urls

    @field_validator("note", "name", "group", "region", mode="before")
    @classmethod
    def _text(cls, value: object, info: ValidationInfo) -> str:
        return _string(info.field_name or "", value)


def _portal(raw: object, where: str) -> Portal:
    """The portal a ``[[portal]]`` table describes; RegistryError naming `where` (and the id) if wrong."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        where = f"{where} ({raw['id']})"
    try:
        entry = PortalEntry.model_validate(raw)
    except ValidationError as exc:
        raise RegistryError(one_line(exc, _WORDING, lambda _loc: where)) from None
    host, slash, path = entry.id.partition("/")
    return Portal(
        id=entry.id,
        host=host,
        path_prefix=slash + path,
        name=entry.name or entry.id,
        network=entry.network,
        media_group=entry.group,
        region=entry.region,
        timezone=entry.timezone,
        start_urls=entry.start_urls,
        hosts=(host, *entry.hosts),
        render=entry.render,
    )


def _own_host(info: ValidationInfo) -> str:
    """The host of the entry's id ("" when the id itself was refused, which is the mistake reported)."""
    return str(info.data.get("id", "")).partition("/")[0]


def _string(key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        fail(f"{key} must be a non-empty string without outer spaces")
    return value


def _string_list(key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        fail(f"{key} must be a list of strings")
    if not value:
        fail(f"{key} is empty; leave the key out instead")
    return tuple(value)
