"""Per-portal counters: the stats keys under which a crawl counts what happened on each portal.

What it is for
    The spider and the pipelines count an outcome twice: crawl-wide (``newscrawl/errors/http_503``)
    and for the portal it happened on (``newscrawl/by_portal/errors/http_503/<portal id>``), so that
    the extraction health (newscrawl/delivery/health/) can tell one portal's trouble from another's.
    A key is ``<group>/<reason>`` (one slash, none inside either part); a portal id may hold slashes
    (``www.detik.com/jatim``), so it comes last.

What it must never do
    Count anything itself, or read anything but a stats mapping.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

PREFIX = "newscrawl/by_portal/"


def portal_stat(key: str, portal: str) -> str:
    """The stats key of `key` (``<group>/<reason>``) counted for `portal`."""
    return f"{PREFIX}{key}/{portal}"


def by_portal(stats: Mapping[str, object]) -> dict[str, dict[str, int]]:
    """Every per-portal counter in `stats`: portal id -> {``<group>/<reason>``: count}."""
    out: dict[str, dict[str, int]] = {}
    for name, value in stats.items():
        if not name.startswith(PREFIX) or not isinstance(value, int):
            continue
        group, _, rest = name[len(PREFIX):].partition("/")
        reason, _, portal = rest.partition("/")
        if group and reason and portal:
            out.setdefault(portal, {})[f"{group}/{reason}"] = value
    return out
