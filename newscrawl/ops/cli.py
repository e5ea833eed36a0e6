"""The ``newscrawl`` command: scheduled crawls on Scrapyd.

    newscrawl schedule --config schedule.toml [--once] [--now] [--state FILE]
    newscrawl status   --config schedule.toml [--state FILE]

``schedule`` starts the groups that are due (see newscrawl/ops/schedule/) and, without
``--once``, keeps doing so; ``--once`` runs one round, for cron. ``--now`` treats every group as
due (a group whose job is still pending or running is still not started twice). ``status`` shows
each node's load and each group's last job. Exit status: 0 fine, 1 a node was down or a group
could not be started, 2 the schedule file is wrong.

Crawling itself is ``scrapy crawl kabar``; this command never crawls, and never prints a credential.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import NoReturn

from newscrawl.ops.schedule import ConfigError, Scheduler, load_schedule

EXIT_CONFIG = 2


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newscrawl", description="Scheduled kabar crawls on Scrapyd.")
    commands = parser.add_subparsers(dest="command", required=True)
    schedule = commands.add_parser("schedule", help="start the job groups that are due")
    status = commands.add_parser("status", help="show nodes, and each group's last job")
    for sub in (schedule, status):
        sub.add_argument("--config", "-c", type=Path, required=True, help="the schedule file (TOML)")
        sub.add_argument("--state", type=Path, help="where group start times are kept (default: the file's `state`)")
    schedule.add_argument("--once", action="store_true", help="one round, then exit (for cron)")
    schedule.add_argument("--now", action="store_true", help="treat every group as due")
    return parser


def _stop(signum: int, frame: object) -> NoReturn:  # noqa: ARG001 - signal handler signature
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``newscrawl`` console script."""
    args = _parser().parse_args(argv)
    try:
        schedule = load_schedule(args.config, state=args.state)
    except ConfigError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_CONFIG
    scheduler = Scheduler(schedule, say=_say)
    try:
        if args.command == "status":
            for line in scheduler.status():
                _say(line)
            return 0
        if args.once:
            return scheduler.round(force=args.now)
        signal.signal(signal.SIGTERM, _stop)
        if args.now:
            scheduler.round(force=True)
        scheduler.run_forever()
    except ConfigError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
