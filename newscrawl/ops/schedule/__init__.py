"""Scheduled crawls on Scrapyd: start each group of portals when it is due, on the right node.

Scrapyd runs jobs but has no scheduler of its own (scrapyd#297, #453). `newscrawl schedule` reads a
schedule file (TOML; see deploy/schedule.example.toml) of job *groups* (a network, a list of
portals or start URLs, an interval, spider arguments and settings) and *nodes* (Scrapyd servers,
with basic auth from environment variables), and calls ``schedule.json`` for every group that is due.

    config.py     the schedule file, validated into a `Schedule` (`load_schedule`, `ConfigError`)
    scrapyd.py    Scrapyd's JSON API on one node, retried with backoff (`ScrapydClient`)
    scheduler.py  rounds: what is due, where it starts, when each group last started (`Scheduler`)

This package must never put a credential in a job's settings or arguments (Scrapy logs them):
secret-looking settings are refused, and the Scrapyd password is read from the environment and
sent only in the Authorization header.
"""

from newscrawl.ops.schedule.config import ConfigError, format_duration, load_schedule, parse_duration
from newscrawl.ops.schedule.scheduler import Ran, Scheduler, ScheduleState, group_of, job_id, locked

__all__ = [
    "ConfigError",
    "Ran",
    "ScheduleState",
    "Scheduler",
    "format_duration",
    "group_of",
    "job_id",
    "load_schedule",
    "locked",
    "parse_duration",
]
