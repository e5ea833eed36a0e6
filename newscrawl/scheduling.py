"""Scheduled crawls on Scrapyd: start each group of portals when it is due, on the right node.

Scrapyd runs jobs but has no scheduler of its own (scrapyd#297, #453). `newscrawl schedule` reads a
schedule file (TOML; see schedule.example.toml) of job *groups* (a network, a list of portals or
start URLs, an interval, spider arguments and settings) and *nodes* (Scrapyd servers, with basic
auth from environment variables), and calls ``schedule.json`` for every group that is due:

* a group whose previous job is still pending or running (``listjobs.json``, on any node) is not
  started again; job ids are ``<group>.<UTC time>``, so a group's jobs are found on every node;
* a new group goes to the least loaded node (``daemonstatus.json``: pending + running); with
  ``placement = "sticky"`` (the default) a group then stays on its node, because the crawl state
  and the spool of a node are local (with a shared crawl state, ``"least-loaded"`` moves freely);
* a node that does not answer is retried with exponential backoff, and said so in one line;
* when each group last started is kept in a small JSON file (``state``, or ``--state``), locked
  while a round runs, so ``--once`` from cron only starts what is due;
* a *cluster* group (``cluster = true``, with the schedule's ``cluster = "redis://..."``) starts
  ``processes`` jobs at once (job ids ``<group>.<time>-<n>``), each on the least loaded node that
  is up, all sharing one frontier and crawl state on that Redis (newscrawl/ops/cluster/): a node
  that dies mid-job loses nothing, its requests go back to the shared queue.

Only the standard library talks to Scrapyd (urllib). This module must never put a credential in
a job's settings or arguments (Scrapy logs them): secret-looking settings are refused, and the
Scrapyd password is read from the environment and sent only in the Authorization header.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import re
import socket
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_GROUP_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Settings whose names look like credentials are refused: job settings end up in Scrapy's log.
_SECRET = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|ACCESS_KEY|PRIVATE", re.IGNORECASE)
PLACEMENTS = ("sticky", "least-loaded")
_TOP_KEYS = frozenset(
    {"project", "spider", "state", "placement", "retries", "backoff", "timeout", "tick", "settings", "node", "group",
     "cluster"},
)
_NODE_KEYS = frozenset({"name", "url", "username_env", "password_env"})
_GROUP_KEYS = frozenset(
    {"name", "network", "portals", "start_urls", "interval", "args", "settings", "priority", "cluster", "processes"},
)


class ConfigError(ValueError):
    """The schedule file is wrong; the message names the file, the entry and the mistake."""


class NodeDown(RuntimeError):  # noqa: N818 - reads as what it is: the node is down
    """A Scrapyd node did not answer after every retry."""


class NodeError(RuntimeError):
    """A Scrapyd node answered with an error (bad credentials, unknown project, ...)."""


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


@dataclass(frozen=True)
class Node:
    """A Scrapyd server and the names of the environment variables holding its credentials."""

    name: str
    url: str
    username_env: str | None = None
    password_env: str | None = None

    def authorization(self) -> str | None:
        """The Authorization header value, from the environment (None without auth)."""
        if not self.username_env:
            return None
        user = os.environ.get(self.username_env, "")
        password = os.environ.get(self.password_env or "", "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return f"Basic {token}"


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


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def _table(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table")
    return value


def _unknown(table: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")


def _settings(table: object, where: str) -> dict[str, str]:
    settings = {str(k): _text(v) for k, v in _table(table, where).items()}
    for name in settings:
        if _SECRET.search(name):
            raise ConfigError(
                f"{where}: {name} looks like a credential; give it to Scrapyd's environment instead "
                "(job settings are written to the crawl log)",
            )
    return settings


def load_schedule(path: Path, *, state: Path | None = None) -> Schedule:
    """Read and validate a schedule file; raise `ConfigError` with one clear line."""
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc})") from None
    _unknown(raw, _TOP_KEYS, where)
    placement = str(raw.get("placement", "sticky"))
    if placement not in PLACEMENTS:
        raise ConfigError(f"{where}: placement {placement!r} is not one of: {', '.join(PLACEMENTS)}")
    retries = raw.get("retries", 3)
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        raise ConfigError(f"{where}: retries must be a whole number >= 0")
    common = _settings(raw.get("settings", {}), f"{where} [settings]")
    nodes = tuple(_node(n, i, where) for i, n in enumerate(raw.get("node", [])))
    if not nodes:
        raise ConfigError(f"{where}: no [[node]]; add at least one Scrapyd server")
    _unique([n.name for n in nodes], f"{where}: node name")
    cluster = _cluster_url(raw.get("cluster", ""), where)
    groups = tuple(_cluster_group(_group(g, i, where, common), g, cluster, len(nodes), where)
                   for i, g in enumerate(raw.get("group", [])))
    if not groups:
        raise ConfigError(f"{where}: no [[group]]; add at least one job group")
    _unique([g.name for g in groups], f"{where}: group name")
    state_path = state or Path(str(raw.get("state", ".state/schedule.json")))
    if not state_path.is_absolute():
        state_path = path.resolve().parent / state_path
    return Schedule(
        path=path,
        project=str(raw.get("project", "newscrawl")),
        spider=str(raw.get("spider", "kabar")),
        state=state_path,
        placement=placement,
        retries=retries,
        backoff=parse_duration(raw.get("backoff", "2s"), what=f"{where}: backoff"),
        timeout=parse_duration(raw.get("timeout", "30s"), what=f"{where}: timeout"),
        tick=parse_duration(raw.get("tick", "1m"), what=f"{where}: tick"),
        nodes=nodes,
        groups=groups,
        cluster=cluster,
    )


def _cluster_url(value: object, where: str) -> str:
    url = str(value).strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ConfigError(f"{where}: cluster {url!r} is not redis://host:port/db")
    if parts.username or parts.password:
        raise ConfigError(f"{where}: put no password in cluster; give it to the nodes' environment as REDISCLI_AUTH")
    return url


def _cluster_group(group: Group, table: dict[str, Any], cluster: str, nodes: int, where: str) -> Group:
    """Give a cluster group its processes and the shared frontier and crawl state (job settings)."""
    here = f"{where} group {group.name!r}"
    wanted = table.get("cluster", False)
    processes = table.get("processes", nodes if wanted else 1)
    if not isinstance(wanted, bool):
        raise ConfigError(f"{here}: cluster must be true or false")
    if not isinstance(processes, int) or isinstance(processes, bool) or processes < 1:
        raise ConfigError(f"{here}: processes must be a whole number >= 1")
    if not wanted:
        if processes > 1:
            raise ConfigError(f"{here}: processes = {processes} needs cluster = true (they share one frontier)")
        return group
    if not cluster:
        raise ConfigError(f'{here}: cluster = true needs the shared Redis at the top: cluster = "redis://host:6379/0"')
    state = group.settings.get("NEWSCRAWL_STATE", cluster)
    if urlsplit(state).scheme not in ("redis", "rediss"):
        raise ConfigError(f"{here}: a cluster group shares its crawl state: NEWSCRAWL_STATE must be redis://..., "
                          f"not {state!r}")
    settings = {**group.settings, "NEWSCRAWL_CLUSTER": cluster, "NEWSCRAWL_STATE": state}
    return replace(group, settings=settings, cluster=True, processes=processes)


def _unique(names: list[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ConfigError(f"{what} {name!r} is used twice")
        seen.add(name)


def _node(value: object, index: int, where: str) -> Node:
    table = _table(value, f"{where} [[node]] #{index + 1}")
    name = str(table.get("name", f"node{index + 1}"))
    here = f"{where} node {name!r}"
    _unknown(table, _NODE_KEYS, here)
    url = str(table.get("url", "")).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{here}: url {url!r} is not http(s)://host:port")
    if parts.username or parts.password:
        raise ConfigError(f"{here}: put no credentials in the url; use username_env and password_env")
    username_env = table.get("username_env")
    password_env = table.get("password_env")
    for env in (username_env, password_env):
        if env is not None and not os.environ.get(str(env)):
            raise ConfigError(f"{here}: environment variable {env} is not set")
    if bool(username_env) != bool(password_env):
        raise ConfigError(f"{here}: give both username_env and password_env, or neither")
    return Node(name, url, str(username_env) if username_env else None, str(password_env) if password_env else None)


def _group(value: object, index: int, where: str, common: dict[str, str]) -> Group:
    from newscrawl.params import KabarParams, ParamError  # noqa: PLC0415 - loads the registry; only for validation
    from newscrawl.registry import RegistryError, load_registry  # noqa: PLC0415

    table = _table(value, f"{where} [[group]] #{index + 1}")
    name = str(table.get("name", ""))
    here = f"{where} group {name!r}"
    if not _GROUP_NAME.match(name):
        raise ConfigError(f"{here}: a group name is 1-64 of a-z, 0-9, '-', '_' (it names jobs and S3 folders)")
    _unknown(table, _GROUP_KEYS, here)
    if "interval" not in table:
        raise ConfigError(f'{here}: no interval; write e.g. interval = "1h"')
    args = {str(k): _text(v) for k, v in _table(table.get("args", {}), f"{here} args").items()}
    for key in ("network", "portals", "start_urls"):
        if key in table:
            if key in args:
                raise ConfigError(f"{here}: {key} is given twice (in the group and in its args)")
            args[key] = _text(table[key])
    if not any(k in args for k in ("network", "portals", "start_urls")):
        raise ConfigError(f"{here}: say what to crawl: network, portals or start_urls")
    try:
        KabarParams.parse(args, load_registry())
    except (ParamError, RegistryError) as exc:
        raise ConfigError(f"{here}: {exc}") from None
    settings = {**common, **_settings(table.get("settings", {}), f"{here} settings"), "NEWSCRAWL_FEED_GROUP": name}
    priority = table.get("priority", 0)
    if not isinstance(priority, (int, float)) or isinstance(priority, bool):
        raise ConfigError(f"{here}: priority must be a number")
    return Group(name, parse_duration(table["interval"], what=f"{here}: interval"), args, settings, float(priority))


# --- Scrapyd's JSON API --------------------------------------------------------------------------


@dataclass
class ScrapydClient:
    """Scrapyd's JSON API on one node, with retries and one-line reports of a node that is down."""

    node: Node
    retries: int = 3
    backoff: float = 2.0
    timeout: float = 30.0
    say: Callable[[str], None] = print
    sleep: Callable[[float], None] = time.sleep

    def where(self) -> str:
        """The node as messages name it."""
        return f"node {self.node.name} ({self.node.url})"

    def _once(self, endpoint: str, params: Mapping[str, Any] | None, *, post: bool) -> dict[str, Any]:
        url = f"{self.node.url}/{endpoint}"
        data = urlencode(params or {}, doseq=True).encode() if post else None
        if params and not post:
            url = f"{url}?{urlencode(params, doseq=True)}"
        request = urllib.request.Request(url, data=data, method="POST" if post else "GET")  # noqa: S310 - http(s) only, checked at load
        auth = self.node.authorization()
        if auth:
            request.add_header("Authorization", auth)
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - see above
            payload = json.loads(response.read().decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError("the answer is not a JSON object")  # noqa: TRY004 - counts as a broken node, retried
        if payload.get("status") == "error":
            raise NodeError(f"{self.where()}: {endpoint}: {payload.get('message', 'error')}")
        return payload

    def call(self, endpoint: str, params: Mapping[str, Any] | None = None, *, post: bool = False,
             before_retry: Callable[[], dict[str, Any] | None] | None = None) -> dict[str, Any]:
        """Call `endpoint`; retry with exponential backoff while the node is down.

        `before_retry` may settle the call before a retry (e.g. a schedule request that did
        arrive although its answer was lost) by returning the answer to use.
        """
        attempts = self.retries + 1
        delay = self.backoff
        for attempt in range(1, attempts + 1):
            try:
                if attempt > 1 and before_retry is not None:
                    settled = before_retry()
                    if settled is not None:
                        return settled
                return self._once(endpoint, params, post=post)
            except urllib.error.HTTPError as exc:
                if exc.code in (401, 403):
                    names = (f"{self.node.username_env}/{self.node.password_env}" if self.node.username_env
                             else "username_env/password_env")
                    raise NodeError(f"{self.where()}: authentication failed (HTTP {exc.code}); check {names}") from None
                if exc.code < 500:
                    raise NodeError(f"{self.where()}: {endpoint}: HTTP {exc.code} {exc.reason}") from None
                reason = f"HTTP {exc.code} {exc.reason}"
            except (urllib.error.URLError, OSError, ValueError) as exc:
                reason = _reason(exc)
            if attempt == attempts:
                break
            self.say(f"{self.where()} is down: {reason}; retrying in {delay:g}s (attempt {attempt} of {attempts})")
            self.sleep(delay)
            delay *= 2
        raise NodeDown(f"{self.where()} is down: {reason}; gave up after {attempts} attempts")

    def daemonstatus(self) -> dict[str, Any]:
        """``daemonstatus.json``: pending, running and finished job counts."""
        return self.call("daemonstatus.json")

    def jobs(self) -> dict[str, Any]:
        """``listjobs.json`` for every project."""
        return self.call("listjobs.json")

    def schedule(self, project: str, spider: str, jobid: str, group: Group) -> str:
        """``schedule.json`` for `group`; the job id."""
        params: dict[str, Any] = {
            "project": project,
            "spider": spider,
            "jobid": jobid,
            "setting": [f"{k}={v}" for k, v in group.settings.items()],
            # Scheduled crawls are incremental unless the group says otherwise.
            "incremental": "true",
            **group.args,
        }
        if group.priority:
            params["priority"] = group.priority

        def already_there() -> dict[str, Any] | None:
            with contextlib.suppress(NodeDown, NodeError, urllib.error.URLError, OSError, ValueError):
                listed = self._once("listjobs.json", None, post=False)
                ids = {job.get("id") for state in ("pending", "running", "finished") for job in listed.get(state, [])}
                if jobid in ids:
                    return {"jobid": jobid}
            return None

        answer = self.call("schedule.json", params, post=True, before_retry=already_there)
        return str(answer.get("jobid", jobid))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError):
        inner = exc.reason
        if isinstance(inner, BaseException):
            return _reason(inner)
        return str(inner)
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


# --- when groups last ran ------------------------------------------------------------------------


@dataclass
class Ran:
    """The last start of a group: when, where, which job."""

    started: datetime
    node: str
    job: str


@dataclass
class ScheduleState:
    """The scheduler's small local memory: each group's last start."""

    path: Path
    groups: dict[str, Ran] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> ScheduleState:
        """Read the state file (missing means nothing ran yet)."""
        state = cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return state
        except (OSError, ValueError) as exc:
            raise ConfigError(f"schedule state {path}: unreadable ({exc}); delete it to start afresh") from None
        for name, entry in raw.get("groups", {}).items():
            state.groups[name] = Ran(datetime.fromisoformat(entry["started"]), entry["node"], entry["job"])
        return state

    def save(self) -> None:
        """Write the state atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "groups": {
                name: {"started": ran.started.isoformat(), "node": ran.node, "job": ran.job}
                for name, ran in sorted(self.groups.items())
            },
        }
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
        tmp.replace(self.path)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[bool]:
    """Hold an exclusive lock beside the state file; yields False if another scheduler holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_name(path.name + ".lock").open("a", encoding="ascii") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def job_id(group: str, when: datetime) -> str:
    """A group's job id: the group name, a dot, the UTC start (group names contain no dot)."""
    return f"{group}.{when.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def group_of(jobid: str) -> str | None:
    """The group a job id belongs to, or None for a job this scheduler did not name.

    A cluster group's jobs end in ``-<n>``: ``<group>.<time>-1``, ``<group>.<time>-2``, ...
    """
    name, dot, stamp = jobid.rpartition(".")
    return name if dot and _GROUP_NAME.match(name) and re.fullmatch(r"\d{8}T\d{6}Z(-\d+)?", stamp) else None


# --- a round ---------------------------------------------------------------------------------------


@dataclass
class NodeView:
    """What one round learnt about a node."""

    client: ScrapydClient
    up: bool = False
    load: int = 0
    active: dict[str, tuple[str, str]] = field(default_factory=dict)  # group -> (job id, "pending"|"running")
    jobs: dict[str, str] = field(default_factory=dict)  # job id -> pending|running|finished


class Scheduler:
    """Starts due groups; one `round` is what ``--once`` does."""

    def __init__(self, schedule: Schedule, *, say: Callable[[str], None] = print,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], datetime] | None = None) -> None:
        self.schedule = schedule
        self.say = say
        self.sleep = sleep
        self.clock = clock or (lambda: datetime.now(UTC))

    def client(self, node: Node) -> ScrapydClient:
        """A client for `node` with the schedule's retry policy."""
        s = self.schedule
        return ScrapydClient(node, retries=s.retries, backoff=s.backoff, timeout=s.timeout,
                             say=self.say, sleep=self.sleep)

    def survey(self) -> dict[str, NodeView]:
        """Load and jobs of every node; a node that stays down is reported once and marked down."""
        views: dict[str, NodeView] = {}
        for node in self.schedule.nodes:
            view = NodeView(self.client(node))
            views[node.name] = view
            try:
                status = view.client.daemonstatus()
                listed = view.client.jobs()
            except (NodeDown, NodeError) as exc:
                self.say(str(exc))
                continue
            view.up = True
            view.load = int(status.get("pending", 0)) + int(status.get("running", 0))
            for state in ("pending", "running", "finished"):
                for job in listed.get(state, []):
                    jobid = str(job.get("id", ""))
                    view.jobs[jobid] = state
                    group = group_of(jobid)
                    ours = job.get("project", self.schedule.project) == self.schedule.project
                    if state != "finished" and group and ours:
                        view.active[group] = (jobid, state)
        return views

    def due(self, state: ScheduleState, now: datetime, *, force: bool = False) -> list[Group]:
        """Groups due at `now`, most overdue first (never started: first of all)."""
        due = []
        for group in self.schedule.groups:
            ran = state.groups.get(group.name)
            if force or ran is None or now >= ran.started + timedelta(seconds=group.interval):
                overdue = float("inf") if ran is None else (now - ran.started).total_seconds() - group.interval
                due.append((overdue, group))
        due.sort(key=lambda pair: -pair[0])
        return [group for _, group in due]

    def next_due(self, state: ScheduleState, now: datetime) -> float:
        """Seconds until the next group is due (0 if one is due now)."""
        waits = []
        for group in self.schedule.groups:
            ran = state.groups.get(group.name)
            due_at = None if ran is None else ran.started + timedelta(seconds=group.interval)
            waits.append(0.0 if due_at is None else (due_at - now).total_seconds())
        return max(0.0, min(waits))

    def round(self, *, force: bool = False) -> int:
        """Start every due group once; 0 if all went well, 1 if a node was down or a start failed."""
        with locked(self.schedule.state) as mine:
            if not mine:
                self.say(f"another newscrawl schedule holds {self.schedule.state}; not running this round")
                return 0
            state = ScheduleState.load(self.schedule.state)
            now = self.clock()
            due = self.due(state, now, force=force)
            if not due:
                self.say(f"nothing due; next group in {format_duration(self.next_due(state, now))}")
                return 0
            views = self.survey()
            failed = any(not v.up for v in views.values())
            for group in due:
                failed |= not self._start(group, state, views, now)
            state.save()
            return 1 if failed else 0

    def _start(self, group: Group, state: ScheduleState, views: dict[str, NodeView], now: datetime) -> bool:
        """Start `group` unless something stops it; False if it should have started but could not."""
        ran = state.groups.get(group.name)
        blocked, ok = self._blocked(group, ran, views)
        if blocked:
            self.say(blocked)
            return ok
        if group.cluster:
            return self._start_cluster(group, state, views, now)
        jobid = job_id(group.name, now)
        for view in self._candidates(ran, views):
            try:
                started = view.client.schedule(self.schedule.project, self.schedule.spider, jobid, group)
            except NodeDown as exc:
                view.up = False
                self.say(f"could not start {group.name}: {exc}")
                if self.schedule.placement == "sticky" and ran is not None:
                    return False
                continue
            except NodeError as exc:
                self.say(f"could not start {group.name}: {exc}")
                return False
            view.load += 1
            view.active[group.name] = (started, "pending")
            state.groups[group.name] = Ran(now, view.client.node.name, started)
            self.say(f"started {group.name} on node {view.client.node.name} as job {started}")
            return True
        self.say(f"not started {group.name}: no node is up")
        return False

    def _start_cluster(self, group: Group, state: ScheduleState, views: dict[str, NodeView], now: datetime) -> bool:
        """Start a cluster group's `processes` jobs, each on the least loaded node up; False if any is missing.

        Every job gets the run's name (``NEWSCRAWL_CLUSTER_RUN``): a job that starts after its run
        finished (late on a busy node) does nothing.
        """
        run = job_id(group.name, now)
        job = replace(group, settings={**group.settings, "NEWSCRAWL_CLUSTER_RUN": run})
        order = {n.name: i for i, n in enumerate(self.schedule.nodes)}
        started: list[tuple[str, str]] = []
        for number in range(1, group.processes + 1):
            for view in sorted((v for v in views.values() if v.up), key=lambda v: (v.load, order[v.client.node.name])):
                try:
                    jobid = view.client.schedule(self.schedule.project, self.schedule.spider, f"{run}-{number}", job)
                except NodeDown as exc:
                    view.up = False
                    self.say(f"could not start {group.name} job {number}: {exc}")
                    continue
                except NodeError as exc:
                    self.say(f"could not start {group.name} job {number}: {exc}")
                    break
                view.load += 1
                view.active[group.name] = (jobid, "pending")
                started.append((view.client.node.name, jobid))
                break
        if not started:
            self.say(f"not started {group.name}: no node is up")
            return False
        state.groups[group.name] = Ran(now, ",".join(n for n, _ in started), ",".join(j for _, j in started))
        where = ", ".join(f"{j} on node {n}" for n, j in started)
        self.say(f"started {group.name} as a cluster of {len(started)} of {group.processes} processes: {where}")
        return len(started) == group.processes

    def _blocked(self, group: Group, ran: Ran | None, views: dict[str, NodeView]) -> tuple[str | None, bool]:
        """Why `group` must not start now (None if it may), and whether that is expected."""
        for name, view in views.items():
            if group.name in view.active:
                jobid, how = view.active[group.name]
                return f"skipped {group.name}: its previous job {jobid} is still {how} on node {name}", True
        if group.cluster:
            # A down node's job holds nothing: its requests went back to the shared queue.
            return None, True
        last_node = views.get(ran.node) if ran else None
        if ran is not None and last_node is not None and not last_node.up:
            if self.schedule.placement == "sticky":
                return (f"not started {group.name}: its node {ran.node} is down (placement = sticky keeps a group "
                        "on the node holding its crawl state)"), False
            return (f"not started {group.name}: its last job {ran.job} ran on node {ran.node}, which is down, "
                    "and may still be running"), False
        return None, True

    def _candidates(self, ran: Ran | None, views: dict[str, NodeView]) -> list[NodeView]:
        """The nodes to try, in order: the group's own node (sticky), else the least loaded first."""
        up = [v for v in views.values() if v.up]
        if self.schedule.placement == "sticky" and ran is not None and ran.node in views:
            return [views[ran.node]]
        order = {n.name: i for i, n in enumerate(self.schedule.nodes)}
        return sorted(up, key=lambda v: (v.load, order[v.client.node.name]))

    def run_forever(self) -> None:
        """Run rounds until interrupted, sleeping until the next group is due (at most `tick`)."""
        while True:
            self.round()
            state = ScheduleState.load(self.schedule.state)
            wait = min(self.schedule.tick, max(1.0, self.next_due(state, self.clock())))
            self.sleep(wait)

    def status(self) -> list[str]:
        """Lines describing every node and group (for ``newscrawl status``)."""
        lines = []
        views = self.survey()
        for name, view in views.items():
            if view.up:
                running = sum(1 for s in view.jobs.values() if s == "running")
                pending = sum(1 for s in view.jobs.values() if s == "pending")
                lines.append(f"node {name} ({view.client.node.url}): up, {pending} pending, {running} running")
            else:
                lines.append(f"node {name} ({view.client.node.url}): down")
        state = ScheduleState.load(self.schedule.state)
        now = self.clock()
        for group in self.schedule.groups:
            ran = state.groups.get(group.name)
            if ran is None:
                lines.append(f"group {group.name}: never started; due now")
                continue
            jobs = []
            for node, job in zip(ran.node.split(","), ran.job.split(","), strict=False):
                where = views.get(node)
                job_state = where.jobs.get(job, "unknown") if where and where.up else "unknown (node down)"
                jobs.append(f"job {job} on node {node} {job_state}")
            wait = (ran.started + timedelta(seconds=group.interval) - now).total_seconds()
            due = "due now" if wait <= 0 else f"due in {format_duration(wait)}"
            lines.append(f"group {group.name}: {', '.join(jobs)}; {due}")
        return lines
