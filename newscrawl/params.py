"""The `kabar` spider's arguments: parsed and validated once, with one clear line per mistake.

Scrapyd and ``scrapy crawl -a`` pass every argument as a string; this module turns them into a
typed `KabarParams` (a pydantic model, validated as newscrawl/validation.py validates every input)
or raises `ParamError` naming the argument, the bad value and what is allowed.
It must never start a request or read anything but the registry.

A plain ``since`` keeps its meaning (skip older articles, stop walking listings into older pages);
a *backfill* (``until`` given, or ``backfill=true``) walks each portal's dated archives for every
day from ``since`` to ``until`` (default: today) and delivers the articles published in that range.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from newscrawl.networks import NETWORK_NAMES
from newscrawl.registry import Registry, load_registry
from newscrawl.validation import CRAWL_RENDER_MODES, TIMEZONES, Input, Wording, choice, did_you_mean, fail, one_line

if TYPE_CHECKING:
    from collections.abc import Mapping

_TRUE = frozenset({"1", "true", "yes", "on", "y"})
_FALSE = frozenset({"0", "false", "no", "off", "n"})
# "Today" for a range: the date on Indonesia's easternmost clock (WIT, UTC+9), so that no portal's
# today is refused as the future.
_EASTERNMOST = timezone(timedelta(hours=9))
_WORDING = Wording(
    unknown="unknown argument {key!r}; allowed: {allowed}",
    choice="{field}={value!r} is not one of: {allowed}",
)


class ParamError(ValueError):
    """A spider argument is wrong; the message is one line meant for the user."""


class KabarParams(Input):
    """Validated arguments of a `kabar` crawl (the fields in the order they are checked)."""

    listed_keys = (
        "portals", "network", "start_urls", "follow", "since", "until", "backfill", "max_articles", "incremental",
        "render", "timezone",
    )

    network: str | None = None
    start_urls: tuple[str, ...] = ()
    portals: tuple[str, ...] = Field(default=(), validate_default=True)  # and what to crawl, as a whole
    follow: bool = True
    since: date | None = None
    until: date | None = None
    # None: a backfill exactly when `until` is given.
    backfill: bool | None = None
    max_articles: int | None = None
    # None: incremental when a crawl state is configured (NEWSCRAWL_STATE, as scheduled jobs have),
    # so a one-off crawl always delivers every article; true/false force it either way.
    incremental: bool | None = None
    render: str = "auto"
    timezone: str | None = None

    @classmethod
    def parse(cls, args: Mapping[str, object], registry: Registry, *, max_years: int | None = None) -> KabarParams:
        """Validate raw spider arguments (strings from the command line or Scrapyd).

        Arguments starting with "_" are Scrapyd's own (``_job``, ``_version``) and are left out.
        `max_years` caps a backfill's range (``NEWSCRAWL_BACKFILL_MAX_YEARS``); None leaves it unchecked.
        """
        given = {key: value for key, value in args.items() if not key.startswith("_")}
        try:
            return cls.model_validate(given, context={"registry": registry, "max_years": max_years})
        except ValidationError as exc:
            raise ParamError(one_line(exc, _WORDING, lambda _loc: "")) from None

    @field_validator("portals", mode="before")
    @classmethod
    def _portals(cls, value: object, info: ValidationInfo) -> tuple[str, ...]:
        portals = tuple(_portal(p, _registry(info)) for p in _split(value))
        start_urls, network = info.data.get("start_urls"), info.data.get("network")
        if start_urls and portals:
            fail("give either portals= or start_urls=, not both")
        if network and not start_urls and not portals and not _registry(info).by_network(network):
            fail(f"no registered portal in network {network!r}")
        return portals

    @field_validator("network", mode="before")
    @classmethod
    def _network(cls, value: object) -> str | None:
        text = _text(value)
        return None if text is None else choice(text, NETWORK_NAMES)

    @field_validator("start_urls", mode="before")
    @classmethod
    def _start_urls(cls, value: object) -> tuple[str, ...]:
        return tuple(_url(u) for u in _split(value))

    @field_validator("follow", mode="before")
    @classmethod
    def _follow(cls, value: object) -> bool:
        return _bool("follow", value, default=True)

    @field_validator("incremental", mode="before")
    @classmethod
    def _incremental(cls, value: object) -> bool | None:
        return None if value is None or value == "" else _bool("incremental", value, default=False)

    @field_validator("since", "until", mode="before")
    @classmethod
    def _date(cls, value: object, info: ValidationInfo) -> date | None:
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            fail(f"{info.field_name}={value!r} is not a date; use YYYY-MM-DD, e.g. 2024-06-01")

    @field_validator("backfill", mode="before")
    @classmethod
    def _backfill(cls, value: object) -> bool | None:
        return None if value is None or value == "" else _bool("backfill", value, default=False)

    @field_validator("max_articles", mode="before")
    @classmethod
    def _max_articles(cls, value: object) -> int | None:
        if value is None or value == "":
            return None
        text = str(value).strip()
        if not text.isdigit() or int(text) < 1:
            fail(f"max_articles={value!r} is not a positive whole number")
        return int(text)

    @field_validator("render", mode="before")
    @classmethod
    def _render(cls, value: object) -> str:
        text = _text(value)
        return "auto" if text is None else choice(text, CRAWL_RENDER_MODES)

    @field_validator("timezone", mode="before")
    @classmethod
    def _timezone(cls, value: object) -> str | None:
        text = _text(str(value).upper() if value else None)
        return None if text is None else choice(text, TIMEZONES)

    @model_validator(mode="after")
    def _range(self, info: ValidationInfo) -> KabarParams:
        """A backfill's range: since given, not reversed, not in the future, not longer than allowed."""
        if self.backfill is False and self.until is not None:
            fail(f"until={self.until} asks for a backfill; leave out backfill=false")
        if not self.is_backfill:
            return self
        if self.since is None:
            fail("a backfill needs since=YYYY-MM-DD (the first day of the range)")
        today = self.today()
        last = self.last_day
        if self.since > today:
            fail(f"since={self.since} is in the future (today is {today})")
        if last > today:
            fail(f"until={last} is in the future (today is {today})")
        if last < self.since:
            fail(f"until={last} is before since={self.since}")
        max_years = (info.context or {}).get("max_years")
        if max_years is not None and self.since < _years_before(last, max_years):
            fail(
                f"since={self.since}..until={last} is longer than {max_years} year{'s' if max_years != 1 else ''} "
                f"(NEWSCRAWL_BACKFILL_MAX_YEARS); split it into several backfills",
            )
        return self

    @property
    def is_backfill(self) -> bool:
        """Whether this crawl walks dated archives (``until`` given, or ``backfill=true``)."""
        return self.backfill if self.backfill is not None else self.until is not None

    @property
    def last_day(self) -> date:
        """The backfill's last day: ``until``, else today."""
        return self.until or self.today()

    @staticmethod
    def today() -> date:
        """Today on Indonesia's easternmost clock (WIT): no portal has published later than this day."""
        return datetime.now(_EASTERNMOST).date()


def _years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _registry(info: ValidationInfo) -> Registry:
    """The registry `parse` validates against; the packaged one for arguments given directly."""
    context = info.context or {}
    registry = context.get("registry")
    return registry if isinstance(registry, Registry) else load_registry()


def _text(value: object) -> str | None:
    """A choice as given, stripped; None when not given."""
    if value is None or value == "":
        return None
    return str(value).strip()


def _split(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def _url(value: str) -> str:
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError as exc:
        fail(f"start_urls: {value!r} is not a valid URL ({exc})")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        fail(f"start_urls: {value!r} is not an absolute http(s) URL, e.g. http://127.0.0.1:8000/")
    return value


def _portal(value: str, registry: Registry) -> str:
    portal = registry.get(value)
    if portal is None:
        close = did_you_mean(value.lower(), registry.ids(), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        fail(f"portals: {value!r} is not in the registry ({len(registry)} portals, see newscrawl/portals.toml){hint}")
    return portal.id


def _bool(name: str, value: object, *, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in _TRUE | _FALSE:
        fail(f"{name}={value!r} is not a boolean; use true or false")
    return text in _TRUE
