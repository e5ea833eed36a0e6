"""``newscrawl health`` and the health lines of ``newscrawl status``: the kept health, read back.

What it is for
    `run_health` prints a table per portal over its kept crawls (or ``--json``, or writes the
    ``--html`` report) from the health records beside a crawl state, and returns the exit
    status: 1 when a portal is flagged in its latest crawl (so cron mails it), 0 otherwise, 2 when
    the state cannot be read (one line). `group_lines` tells, per schedule group, which portals its
    crawls left flagged (the records say which group crawled them: NEWSCRAWL_FEED_GROUP).

What it must never do
    Write to a crawl state, or crawl.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from newscrawl.config import Config, ConfigError
from newscrawl.delivery.health.html import render_html
from newscrawl.delivery.health.report import as_json, assess, table
from newscrawl.delivery.health.rules import Margins
from newscrawl.delivery.health.store import open_health
from newscrawl.delivery.state import StateError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from newscrawl.delivery.health.report import PortalHealth
    from newscrawl.ops.schedule.config import Schedule

EXIT_FLAGGED = 1
EXIT_CONFIG = 2


class HealthError(ValueError):
    """The health cannot be read (a bad state URI, an unknown portal); one line."""


def read_health(state: str, portal: str | None = None) -> tuple[list[PortalHealth], str]:
    """Every portal's judged crawls (flagged first) kept beside the crawl state `state`, and its location."""
    try:
        config = Config.from_settings({})
        if config.problem():
            raise HealthError(config.problem())
        store = open_health(state, create=False)
    except (ConfigError, StateError) as exc:
        raise HealthError(str(exc)) from None
    margins = Margins.of(config)
    try:
        history = store.history(None if portal is None else [portal])
    except StateError as exc:
        raise HealthError(str(exc)) from None
    finally:
        store.close()
    if portal is not None and portal not in history:
        raise HealthError(f"no health records for portal {portal!r} in {store.location}")
    return assess(history, margins), store.location


def run_health(
    state: str | None, portal: str | None, *, as_json_out: bool, html: Path | None, say: Callable[[str], None],
) -> int:
    """The ``newscrawl health`` command; returns its exit status."""
    try:
        uri = state or Config.from_settings({}).state_uri
    except ConfigError as exc:
        raise HealthError(str(exc)) from None
    portals, location = read_health(uri, portal)
    flagged = [p for p in portals if p.flagged]
    if html is not None:
        try:
            html.write_text(render_html(portals, location), encoding="utf-8")
        except OSError as exc:
            raise HealthError(f"{html}: cannot write ({exc.strerror or exc})") from None
        say(f"{html}: {len(flagged)} of {len(portals)} portals flagged")
    elif as_json_out:
        say(json.dumps(as_json(portals), ensure_ascii=False, indent=1))
    else:
        say(f"crawl state: {location}")
        say(table(portals))
    return EXIT_FLAGGED if flagged else 0


def group_lines(schedule: Schedule, state: str | None) -> list[str]:
    """Per schedule group, the portals its crawls left flagged (records say which group crawled them).

    A group's crawl state is its ``NEWSCRAWL_STATE`` setting, else `state` (``--health-state``),
    else ``NEWSCRAWL_STATE``, else the default file. A state that cannot be read here is said in one
    line, unless it is only the default (a node's own state, not on this machine); a group with no
    kept crawl says nothing.
    """
    try:
        configured = state or Config.from_settings({}).state
    except ConfigError as exc:
        return [f"health: unknown here ({exc})"]
    by_state: dict[str, list[str]] = {}
    for group in schedule.groups:
        by_state.setdefault(group.settings.get("NEWSCRAWL_STATE") or configured, []).append(group.name)
    lines: list[str] = []
    for uri, groups in by_state.items():
        try:
            portals, _ = read_health(uri or Config().state_uri)
        except HealthError as exc:
            if uri:
                lines.extend(f"health of group {name}: unknown here ({exc})" for name in groups)
            continue
        for name in groups:
            mine = [p for p in portals if p.crawls[-1].group == name]
            flagged = [p for p in mine if p.flagged]
            if flagged:
                lines.append(f"health of group {name}: {len(flagged)} of {len(mine)} portals flagged")
                lines.extend(f"  {p.portal}: {reason}" for p in flagged for reason in p.latest)
            elif mine:
                lines.append(f"health of group {name}: no portal flagged ({len(mine)} portal{'s' * (len(mine) != 1)})")
    return lines
