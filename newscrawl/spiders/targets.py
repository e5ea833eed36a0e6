"""The portals one crawl targets: which hosts each owns, how to read it, where it starts.

A `Target` is a portal being crawled (from the registry, or made from ``start_urls`` for a site
given by URL) with its family, start pages, hosts and the little state the spider keeps per portal.
`Targets` finds the target that owns a URL. Nothing here fetches, parses or counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from newscrawl.extract.links import netloc
from newscrawl.networks import get_profile
from newscrawl.registry import Portal

if TYPE_CHECKING:
    from collections.abc import Iterator

    from newscrawl.networks.base import Profile
    from newscrawl.params import KabarParams
    from newscrawl.registry import Registry


@dataclass
class Target:
    """One portal being crawled: where it lives, how to read it, what time zone it writes in."""

    portal: Portal
    profile: Profile | None  # None until detected from the first page (start_urls without network)
    start_urls: tuple[str, ...]
    netlocs: frozenset[str]
    listings_seen: int = 0
    # Targets given by URL learn their family from the first page; its index and sitemap pages follow.
    family_starts_done: bool = False
    # A family detected as generic from one page is checked again on the next few pages: a home
    # page may lack the markers that every article page of its CMS carries.
    redetect_left: int = 0
    stats_key: str = field(init=False)
    # The scheme the portal answers on (from its start URLs, then its responses): an http link on
    # an https portal, or the reverse, is fetched on this one.
    scheme: str = field(init=False)

    def __post_init__(self) -> None:
        self.stats_key = self.portal.id
        self.scheme = urlsplit(self.start_urls[0]).scheme if self.start_urls else "https"

    def on_scheme(self, url: str) -> str:
        """`url` on the scheme this portal answers on."""
        parts = urlsplit(url)
        scheme = self.scheme
        if parts.scheme == scheme or parts.scheme not in ("http", "https") or scheme not in ("http", "https"):
            return url
        return urlunsplit((scheme, *parts[1:]))

    @property
    def as_started(self) -> Portal:
        """The portal with the start URLs this crawl gives it (what the crawl context shares)."""
        return replace(self.portal, start_urls=self.start_urls)


def build_targets(params: KabarParams, registry: Registry) -> list[Target]:
    """The targets of a crawl with these arguments: registered portals, or the sites given by URL."""
    if params.start_urls:
        return _targets_by_url(params, registry)
    if params.portals:
        portals = [registry.get(pid) for pid in params.portals]
    elif params.network:
        portals = list(registry.by_network(params.network))
    else:
        portals = list(registry)
    out = []
    for portal in portals:
        if portal is None:
            continue
        profile = get_profile(portal.network)
        starts = portal.start_urls or tuple(
            portal.home_url.rstrip("/") + path for path in (*profile.start_paths, *profile.sitemaps)
        )
        netlocs = frozenset(h.lower() for h in portal.hosts)
        out.append(Target(portal, profile, starts, netlocs, family_starts_done=True))
    return out


def _targets_by_url(params: KabarParams, registry: Registry) -> list[Target]:
    grouped: dict[str, list[str]] = {}
    for url in params.start_urls:
        grouped.setdefault(netloc(url), []).append(url)
    out = []
    for host_port, starts in grouped.items():
        known = registry.for_url(starts[0])
        network = params.network or (known.network if known else None)
        timezone = params.timezone or (known.timezone if known else "WIB")
        portal = Portal(
            id=host_port,
            host=host_port.split(":")[0],
            path_prefix="",
            name=known.name if known else host_port,
            network=network or "generic",
            media_group=known.media_group if known else "",
            region=known.region if known else "",
            timezone=timezone,
            start_urls=tuple(starts),
            hosts=(host_port,),
            render=known.render if known else "http",
            registered=known is not None,
            zone_unknown=known is None and params.timezone is None,
        )
        profile = get_profile(network) if network else None
        out.append(Target(portal, profile, tuple(starts), frozenset({host_port})))
    return out


class Targets:
    """The crawl's targets, found by the URL they own."""

    def __init__(self, targets: list[Target]) -> None:
        self.all = targets
        self._by_netloc: dict[str, list[Target]] = {}
        for target in targets:
            for host_port in target.netlocs:
                self._by_netloc.setdefault(host_port, []).append(target)

    def __iter__(self) -> Iterator[Target]:
        return iter(self.all)

    def owner(self, url: str) -> Target | None:
        """The target whose hosts (and path prefix) own `url`; None means off-site."""
        candidates = self._by_netloc.get(netloc(url))
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        path = urlsplit(url).path
        best = max(candidates, key=lambda t: len(t.portal.path_prefix) if path.startswith(t.portal.path_prefix) else -1)
        return best if path.startswith(best.portal.path_prefix) else None

    def by_id(self, portal_id: str | None) -> Target | None:
        """The target of the portal called `portal_id`."""
        return next((t for t in self.all if t.portal.id == portal_id), None)
