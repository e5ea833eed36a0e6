"""The `kabar` spider's arguments: parsed and validated once, with one clear line per mistake.

Scrapyd and ``scrapy crawl -a`` pass every argument as a string; this module turns them into a
typed `KabarParams` or raises `ParamError` naming the argument, the bad value and what is allowed.
It must never start a request or read anything but the registry.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newscrawl.networks import NETWORK_NAMES

if TYPE_CHECKING:
    from collections.abc import Mapping

    from newscrawl.registry import Registry

TIMEZONES = ("WIB", "WITA", "WIT")
RENDER_MODES = ("auto", "http", "js")
_TRUE = frozenset({"1", "true", "yes", "on", "y"})
_FALSE = frozenset({"0", "false", "no", "off", "n"})
ALLOWED = (
    "portals", "network", "start_urls", "follow", "since", "max_articles", "incremental",
    "render", "timezone",
)


class ParamError(ValueError):
    """A spider argument is wrong; the message is one line meant for the user."""


@dataclass(frozen=True, slots=True)
class KabarParams:
    """Validated arguments of a `kabar` crawl."""

    portals: tuple[str, ...] = ()
    network: str | None = None
    start_urls: tuple[str, ...] = ()
    follow: bool = True
    since: date | None = None
    max_articles: int | None = None
    # None: incremental when a crawl state is configured (NEWSCRAWL_STATE, as scheduled jobs have),
    # so a one-off crawl always delivers every article; true/false force it either way.
    incremental: bool | None = None
    render: str = "auto"
    timezone: str | None = None

    @classmethod
    def parse(cls, args: Mapping[str, object], registry: Registry) -> KabarParams:
        """Validate raw spider arguments (strings from the command line or Scrapyd)."""
        unknown = sorted(k for k in args if k not in ALLOWED and not k.startswith("_"))
        if unknown:
            raise ParamError(
                f"unknown argument {unknown[0]!r}; allowed: {', '.join(ALLOWED)}",
            )
        network = _choice("network", args.get("network"), NETWORK_NAMES)
        start_urls = tuple(_url(u) for u in _split(args.get("start_urls")))
        portals = tuple(_portal(p, registry) for p in _split(args.get("portals")))
        if start_urls and portals:
            raise ParamError("give either portals= or start_urls=, not both")
        if network and not start_urls and not registry.by_network(network) and not portals:
            raise ParamError(f"no registered portal in network {network!r}")
        return cls(
            portals=portals,
            network=network,
            start_urls=start_urls,
            follow=_bool("follow", args.get("follow"), default=True),
            since=_date("since", args.get("since")),
            max_articles=_positive("max_articles", args.get("max_articles")),
            incremental=_optional_bool("incremental", args.get("incremental")),
            render=_choice("render", args.get("render"), RENDER_MODES) or "auto",
            timezone=_choice("timezone", (str(args["timezone"]).upper() if args.get("timezone") else None), TIMEZONES),
        )


def _split(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if text not in allowed:
        raise ParamError(f"{name}={text!r} is not one of: {', '.join(allowed)}")
    return text


def _url(value: str) -> str:
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError as exc:
        raise ParamError(f"start_urls: {value!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ParamError(f"start_urls: {value!r} is not an absolute http(s) URL, e.g. http://127.0.0.1:8000/")
    return value


def _portal(value: str, registry: Registry) -> str:
    portal = registry.get(value)
    if portal is None:
        close = difflib.get_close_matches(value.lower(), registry.ids(), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ParamError(
            f"portals: {value!r} is not in the registry ({len(registry)} portals, "
            f"see newscrawl/portals.toml){hint}",
        )
    return portal.id


def _bool(name: str, value: object, *, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ParamError(f"{name}={value!r} is not a boolean; use true or false")


def _optional_bool(name: str, value: object) -> bool | None:
    if value is None or value == "":
        return None
    return _bool(name, value, default=False)


def _date(name: str, value: object) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParamError(f"{name}={value!r} is not a date; use YYYY-MM-DD, e.g. 2024-06-01") from None


def _positive(name: str, value: object) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise ParamError(f"{name}={value!r} is not a positive whole number")
    return int(text)
