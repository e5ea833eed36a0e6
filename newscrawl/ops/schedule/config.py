"""The schedule file: TOML read into a validated `Schedule` of Scrapyd nodes and job groups.

What it is for
    `load_schedule` checks the whole file with pydantic models (`ScheduleFile`, `Node`,
    `GroupEntry`, validated as newscrawl/validation.py validates every input, the groups' spider
    arguments by `KabarParams` itself) and returns the `Schedule` the scheduler runs: each `Group`
    with its final spider arguments and job settings. A mistake is a `ConfigError` of one line
    naming the file, the entry and what is wrong.

What it must never do
    Talk to Scrapyd, or let a credential into a job's settings or arguments (Scrapy logs them):
    secret-looking settings are refused, and a Scrapyd password is only ever the *name* of an
    environment variable here.
"""

from __future__ import annotations

import base64
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from newscrawl.params import KabarParams, ParamError
from newscrawl.registry import RegistryError, load_registry
from newscrawl.validation import Input, Wording, choice, fail, one_line

if TYPE_CHECKING:
    from newscrawl.validation import Loc

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
# A group name names its jobs (<group>.<time>) and its S3 folder: no dots, nothing to escape.
GROUP_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Settings whose names look like credentials are refused: job settings end up in Scrapy's log.
_SECRET = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|ACCESS_KEY|PRIVATE", re.IGNORECASE)
PLACEMENTS = ("sticky", "least-loaded")
# What a group crawls: said in the group itself or in its args, not both.
_WHAT = ("network", "portals", "start_urls")
# The only required key is a group's interval.
_WORDING = Wording(
    unknown="unknown key {key!r}; allowed: {known}",
    choice="{field} {value!r} is not one of: {allowed}",
    missing='no {key}; write e.g. {key} = "1h"',
)


class ConfigError(ValueError):
    """The schedule file is wrong; the message names the file, the entry and the mistake."""


def parse_duration(value: object, *, what: str = "duration") -> float:
    """Seconds in ``90``, ``"90s"``, ``"30m"``, ``"2h"``, ``"1d"`` or ``"250ms"``."""
    if isinstance(value, bool):
        raise ConfigError(f'{what}: {value!r} is not a duration; write e.g. "30m", "2h", "1d"')
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if match is None:
            raise ConfigError(f'{what}: {value!r} is not a duration; write e.g. "30m", "2h", "1d"')
        seconds = float(match[1]) * _UNITS[match[2] or "s"]
    if seconds <= 0:
        raise ConfigError(f"{what}: {value!r} must be more than zero")
    return seconds


def format_duration(seconds: float) -> str:
    """``3725`` -> ``"1h2m"``; short and readable in one-line messages."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, _ = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    return "".join(parts)


def _duration(value: object, info: ValidationInfo) -> float:
    try:
        return parse_duration(value, what=info.field_name or "duration")
    except ConfigError as exc:
        fail(str(exc))


def _text(value: object) -> str:
    """A TOML value as Scrapyd receives it: a string (lists joined by commas, booleans in lower case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def _table(value: object, within: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        fail("expected a table", within=within)
    return value


def _settings(value: object, within: str) -> dict[str, str]:
    settings = {str(k): _text(v) for k, v in _table(value, within).items()}
    for name in settings:
        if _SECRET.search(name):
            fail(f"{name} looks like a credential; give it to Scrapyd's environment instead "
                 "(job settings are written to the crawl log)", within=within)
    return settings


def _whole_number(value: object, name: str, least: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        fail(f"{name} must be a whole number >= {least}")
    return value


class Node(Input):
    """A Scrapyd server and the names of the environment variables holding its credentials."""

    name: str
    url: str = Field(default="", validate_default=True)
    username_env: str | None = None
    password_env: str | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: object) -> str:
        return str(value)

    @field_validator("url", mode="before")
    @classmethod
    def _url(cls, value: object) -> str:
        url = str(value).rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            fail(f"url {url!r} is not http(s)://host:port")
        if parts.username or parts.password:
            fail("put no credentials in the url; use username_env and password_env")
        return url

    @field_validator("username_env", "password_env", mode="before")
    @classmethod
    def _env(cls, value: object) -> str | None:
        if value is None:
            return None
        if not os.environ.get(str(value)):
            fail(f"environment variable {value} is not set")
        return str(value)

    @model_validator(mode="after")
    def _both(self) -> Node:
        if bool(self.username_env) != bool(self.password_env):
            fail("give both username_env and password_env, or neither")
        return self

    def authorization(self) -> str | None:
        """The Authorization header value, from the environment (None without auth)."""
        if not self.username_env:
            return None
        user = os.environ.get(self.username_env, "")
        password = os.environ.get(self.password_env or "", "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return f"Basic {token}"


class GroupEntry(Input):
    """One ``[[group]]`` table as written: what a group's jobs crawl, how often, with which settings."""

    name: str = Field(default="", validate_default=True)
    network: str | None = None
    portals: str | None = None
    start_urls: str | None = None
    # The spider arguments of its jobs: the table's args, with network, portals or start_urls.
    args: dict[str, str] = Field(default_factory=dict, validate_default=True)
    settings: dict[str, str] = Field(default_factory=dict)
    priority: float = 0.0
    interval: float
    cluster: bool = False  # its processes share one frontier on the schedule's Redis
    processes: int | None = None  # jobs started together; default: one per node for a cluster group

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: object) -> str:
        name = str(value)
        if not GROUP_NAME.match(name):
            fail("a group name is 1-64 of a-z, 0-9, '-', '_' (it names jobs and S3 folders)")
        return name

    @field_validator(*_WHAT, mode="before")
    @classmethod
    def _what(cls, value: object) -> str:
        return _text(value)

    @field_validator("args", mode="before")
    @classmethod
    def _args(cls, value: object, info: ValidationInfo) -> dict[str, str]:
        args = {str(k): _text(v) for k, v in _table(value, "args").items()}
        for key in _WHAT:
            if info.data.get(key) is not None:
                if key in args:
                    fail(f"{key} is given twice (in the group and in its args)")
                args[key] = info.data[key]
        if not any(key in args for key in _WHAT):
            fail("say what to crawl: network, portals or start_urls")
        try:
            KabarParams.parse(args, load_registry())
        except (ParamError, RegistryError) as exc:
            fail(str(exc))
        return args

    @field_validator("settings", mode="before")
    @classmethod
    def _settings(cls, value: object) -> dict[str, str]:
        return _settings(value, "settings")

    @field_validator("priority", mode="before")
    @classmethod
    def _priority(cls, value: object) -> float:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            fail("priority must be a number")
        return float(value)

    _interval = field_validator("interval", mode="before")(_duration)

    @field_validator("cluster", mode="before")
    @classmethod
    def _cluster(cls, value: object) -> bool:
        if not isinstance(value, bool):
            fail("cluster must be true or false")
        return value

    @field_validator("processes", mode="before")
    @classmethod
    def _processes(cls, value: object) -> int:
        return _whole_number(value, "processes", 1)

    def job_settings(self, common: dict[str, str], cluster: str) -> dict[str, str]:
        """The settings of the group's jobs; a cluster group's name the shared Redis and crawl state."""
        settings = {**common, **self.settings, "NEWSCRAWL_FEED_GROUP": self.name}
        if self.cluster:
            settings |= {"NEWSCRAWL_CLUSTER": cluster, "NEWSCRAWL_STATE": settings.get("NEWSCRAWL_STATE", cluster)}
        return settings


class ScheduleFile(Input):
    """A whole schedule file as written; its values are checked in this order."""

    placement: str = "sticky"
    retries: int = 3
    settings: dict[str, str] = Field(default_factory=dict)  # given to every job
    node: tuple[Node, ...] = Field(default=(), validate_default=True)
    cluster: str = ""  # the Redis URL cluster groups share
    group: tuple[GroupEntry, ...] = Field(default=(), validate_default=True)
    project: str = "newscrawl"
    spider: str = "kabar"
    state: str = ".state/schedule.json"
    backoff: float = 2.0
    timeout: float = 30.0
    tick: float = 60.0

    @field_validator("placement", mode="before")
    @classmethod
    def _placement(cls, value: object) -> str:
        return choice(str(value), PLACEMENTS)

    @field_validator("retries", mode="before")
    @classmethod
    def _retries(cls, value: object) -> int:
        return _whole_number(value, "retries", 0)

    @field_validator("settings", mode="before")
    @classmethod
    def _settings(cls, value: object) -> dict[str, str]:
        return _settings(value, "[settings]")

    @field_validator("node", mode="before")
    @classmethod
    def _named(cls, value: object) -> object:
        """Nodes without a name are node1, node2, ... in file order."""
        if not isinstance(value, list):
            return value
        return [{"name": f"node{i}", **table} if isinstance(table, dict) else table for i, table in enumerate(value, 1)]

    @field_validator("node")
    @classmethod
    def _nodes(cls, nodes: tuple[Node, ...]) -> tuple[Node, ...]:
        if not nodes:
            fail("no [[node]]; add at least one Scrapyd server")
        _unique("node name", [n.name for n in nodes])
        return nodes

    @field_validator("cluster", mode="before")
    @classmethod
    def _cluster(cls, value: object) -> str:
        url = str(value).strip()
        if not url:
            return ""
        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss") or not parts.hostname:
            fail(f"cluster {url!r} is not redis://host:port/db")
        if parts.username or parts.password:
            fail("put no password in cluster; give it to the nodes' environment as REDISCLI_AUTH")
        return url

    @field_validator("group")
    @classmethod
    def _groups(cls, groups: tuple[GroupEntry, ...], info: ValidationInfo) -> tuple[GroupEntry, ...]:
        for index, group in enumerate(groups):
            _check_cluster(group, info.data.get("settings", {}), info.data.get("cluster", ""), ("group", index))
        if not groups:
            fail("no [[group]]; add at least one job group")
        _unique("group name", [g.name for g in groups])
        return groups

    @field_validator("project", "spider", "state", mode="before")
    @classmethod
    def _str(cls, value: object) -> str:
        return str(value)

    _durations = field_validator("backoff", "timeout", "tick", mode="before")(_duration)


def _check_cluster(group: GroupEntry, common: dict[str, str], cluster: str, at: Loc) -> None:
    """Refuse a cluster group without the shared Redis, or a non-cluster group of several processes."""
    if not group.cluster:
        if group.processes is not None and group.processes > 1:
            fail(f"processes = {group.processes} needs cluster = true (they share one frontier)", at=at)
        return
    if not cluster:
        fail('cluster = true needs the shared Redis at the top: cluster = "redis://host:6379/0"', at=at)
    state = group.job_settings(common, cluster)["NEWSCRAWL_STATE"]
    if urlsplit(state).scheme not in ("redis", "rediss"):
        fail(f"a cluster group shares its crawl state: NEWSCRAWL_STATE must be redis://..., not {state!r}", at=at)


def _unique(what: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            fail(f"{what} {name!r} is used twice")
        seen.add(name)


@dataclass(frozen=True)
class Group:
    """A job group: what one scheduled `kabar` job crawls, and how often."""

    name: str
    interval: float
    args: dict[str, str]
    settings: dict[str, str]
    priority: float = 0.0
    cluster: bool = False  # processes share one frontier on the schedule's Redis
    processes: int = 1  # jobs started together (cluster groups)


@dataclass(frozen=True)
class Schedule:
    """A whole schedule file, validated."""

    path: Path
    project: str
    spider: str
    state: Path
    placement: str
    retries: int
    backoff: float
    timeout: float
    tick: float
    nodes: tuple[Node, ...]
    groups: tuple[Group, ...]
    cluster: str = ""  # the Redis URL cluster groups share


def load_schedule(path: Path, *, state: Path | None = None) -> Schedule:
    """Read and validate a schedule file; raise `ConfigError` with one clear line."""
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc})") from None
    try:
        file = ScheduleFile.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(one_line(exc, _WORDING, lambda loc: _place(where, raw, loc))) from None
    state_path = state or Path(file.state)
    if not state_path.is_absolute():
        state_path = path.resolve().parent / state_path
    groups = tuple(
        Group(
            name=g.name,
            interval=g.interval,
            args=g.args,
            settings=g.job_settings(file.settings, file.cluster),
            priority=g.priority,
            cluster=g.cluster,
            processes=g.processes or (len(file.node) if g.cluster else 1),
        )
        for g in file.group
    )
    return Schedule(
        path=path,
        project=file.project,
        spider=file.spider,
        state=state_path,
        placement=file.placement,
        retries=file.retries,
        backoff=file.backoff,
        timeout=file.timeout,
        tick=file.tick,
        nodes=file.node,
        groups=groups,
        cluster=file.cluster,
    )


def _place(path: str, raw: dict[str, Any], loc: Loc) -> str:
    """Where in the file `loc` is, as messages name it: the file, else a node or group by name or number."""
    if len(loc) < 2 or loc[0] not in ("node", "group") or not isinstance(loc[1], int):
        return path
    kind, index = str(loc[0]), loc[1]
    table = raw[kind][index]
    if not isinstance(table, dict):
        return f"{path} [[{kind}]] #{index + 1}"
    return f"{path} {kind} {str(table.get('name', f'node{index + 1}' if kind == 'node' else ''))!r}"
