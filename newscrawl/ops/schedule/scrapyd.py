"""Scrapyd's JSON API on one node: with retries, exponential backoff and one-line reports.

What it is for
    `ScrapydClient` calls ``daemonstatus.json``, ``listjobs.json`` and ``schedule.json`` on one
    node (a `Node` of the schedule file) with only the standard library (urllib); a node that does
    not answer is retried with exponential backoff and, after the last attempt, is `NodeDown`; a
    node that answers with an error (bad credentials, unknown project) is `NodeError`.

What it must never do
    Decide what to start (newscrawl/ops/schedule/scheduler.py does), or send a credential anywhere
    but the Authorization header: the password is read from the environment when a call is made.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from newscrawl.ops.schedule.config import Group, Node


class NodeDown(RuntimeError):  # noqa: N818 - reads as what it is: the node is down
    """A Scrapyd node did not answer after every retry."""


class NodeError(RuntimeError):
    """A Scrapyd node answered with an error (bad credentials, unknown project, ...)."""


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

