"""Rounds of `newscrawl schedule`: which groups are due, on which node each starts, what ran last.

What it is for
    A `Scheduler` runs rounds over a validated `Schedule` (newscrawl/ops/schedule/config.py):

    * a group whose previous job is still pending or running (``listjobs.json``, on any node) is
      not started again; job ids are ``<group>.<UTC time>``, so a group's jobs are found on every node;
    * a new group goes to the least loaded node (``daemonstatus.json``: pending + running); with
      ``placement = "sticky"`` (the default) a group then stays on its node, because the crawl state
      and the spool of a node are local (with a shared crawl state, ``"least-loaded"`` moves freely);
    * when each group last started is kept in a small JSON file (`ScheduleState`), locked while a
      round runs (`locked`), so ``--once`` from cron only starts what is due;
    * a *cluster* group starts ``processes`` jobs at once (job ids ``<group>.<time>-<n>``), each on
      the least loaded node that is up, all sharing one frontier and crawl state on the schedule's
      Redis: a node that dies mid-job loses nothing, its requests go back to the shared queue.

What it must never do
    Crawl, or read the schedule file (it is given the validated `Schedule`); the job settings it
    adds (``NEWSCRAWL_CLUSTER_RUN``) keep their names, an interface to the deployed nodes.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import re
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from newscrawl.ops.schedule.config import GROUP_NAME, ConfigError, format_duration
from newscrawl.ops.schedule.scrapyd import NodeDown, NodeError, ScrapydClient

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from newscrawl.ops.schedule.config import Group, Node, Schedule


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
    return name if dot and GROUP_NAME.match(name) and re.fullmatch(r"\d{8}T\d{6}Z(-\d+)?", stamp) else None


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
