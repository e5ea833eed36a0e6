"""The ``newscrawl`` command: scheduled crawls on Scrapyd, the portals' extraction health, re-extraction.

    newscrawl schedule --config schedule.toml [--once] [--now] [--state FILE]
    newscrawl status   --config schedule.toml [--state FILE] [--health-state URI]
    newscrawl health   [--state URI] [--portal ID] [--json | --html FILE]
    newscrawl extract  --warc FILE|DIR -O out.jsonl [-a network=...] [-a timezone=...] [-a since=...]

``schedule`` starts the groups that are due (see newscrawl/ops/schedule/) and, without
``--once``, keeps doing so; ``--once`` runs one round, for cron. ``--now`` treats every group as
due (a group whose job is still pending or running is still not started twice). ``status`` shows
each node's load, each group's last job and the portals its crawls left flagged. Exit status: 0
fine, 1 a node was down or a group could not be started, 2 the schedule file is wrong.

``health`` reads the extraction health kept beside a crawl state (newscrawl/ops/health.py). Exit
status: 1 when a portal is flagged in its latest crawl, 0 otherwise, 2 when the state cannot be read.

``extract`` reads the pages a crawl archived (``NEWSCRAWL_WARC``) with today's extraction and
cleaning, offline (newscrawl/ops/reextract.py), and writes the articles as the crawl's feed does;
exit status 2 for a wrong argument or no WARC file.

Crawling itself is ``scrapy crawl kabar``; this command never crawls, and never prints a credential.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import NoReturn

from newscrawl.delivery.warc.reader import warc_files
from newscrawl.ops.health import HealthError, group_lines, run_health
from newscrawl.ops.reextract import ARGUMENTS, Reextraction
from newscrawl.ops.schedule import ConfigError, Scheduler, load_schedule
from newscrawl.params import KabarParams, ParamError
from newscrawl.registry import load_registry

EXIT_CONFIG = 2


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newscrawl", description="Scheduled kabar crawls on Scrapyd.")
    commands = parser.add_subparsers(dest="command", required=True)
    schedule = commands.add_parser("schedule", help="start the job groups that are due")
    status = commands.add_parser("status", help="show nodes, each group's last job and its flagged portals")
    for sub in (schedule, status):
        sub.add_argument("--config", "-c", type=Path, required=True, help="the schedule file (TOML)")
        sub.add_argument("--state", type=Path, help="where group start times are kept (default: the file's `state`)")
    schedule.add_argument("--once", action="store_true", help="one round, then exit (for cron)")
    schedule.add_argument("--now", action="store_true", help="treat every group as due")
    status.add_argument(
        "--health-state", help="the crawl state of groups that set no NEWSCRAWL_STATE (default: NEWSCRAWL_STATE)",
    )
    health = commands.add_parser("health", help="the portals' extraction health over their last crawls")
    health.add_argument("--state", help="the crawl state (default: NEWSCRAWL_STATE, else .state/kabar.sqlite)")
    health.add_argument("--portal", help="one portal (its registry id)")
    shown = health.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help='print {"portals": [...]} for monitoring')
    shown.add_argument("--html", type=Path, metavar="FILE", help="write a self-contained HTML report")
    extract = commands.add_parser("extract", help="read archived pages (WARC) again into articles, offline")
    extract.add_argument("--warc", type=Path, required=True, help="a WARC file, or a directory of them")
    extract.add_argument("-O", "--output", type=Path, required=True, help="the JSON lines file to (over)write")
    extract.add_argument("-a", dest="arguments", action="append", default=[], metavar="NAME=VALUE",
                         help=f"a kabar argument that applies offline: {', '.join(ARGUMENTS)}")
    return parser


def _extract(args: argparse.Namespace) -> int:
    """``newscrawl extract``: check the arguments (one line, exit 2), then read the archive."""
    given: dict[str, str] = {}
    for pair in args.arguments:
        name, sep, value = pair.partition("=")
        if not sep or name not in ARGUMENTS:
            sys.stderr.write(f"error: -a {pair}: give NAME=VALUE with NAME one of {', '.join(ARGUMENTS)}\n")
            return EXIT_CONFIG
        given[name] = value
    registry = load_registry()
    try:
        params = KabarParams.parse(given, registry)
    except ParamError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_CONFIG
    if not args.warc.exists():
        sys.stderr.write(f"error: --warc {args.warc}: no such file or directory\n")
        return EXIT_CONFIG
    files = warc_files(args.warc)
    if not files:
        sys.stderr.write(f"error: --warc {args.warc}: no WARC file (*.warc.gz, *.warc) there\n")
        return EXIT_CONFIG
    run = Reextraction(args.warc, params, registry)
    written = run.write(args.output)
    counts = run.counts
    dropped = ", ".join(f"{k.split('/', 1)[1]}={v}" for k, v in sorted(counts.items()) if k.startswith("dropped/"))
    _say(f"read {counts['responses']} responses from {len(files)} WARC files; wrote {written} articles to "
         f"{args.output} (pages merged: {counts['pages_merged']}, missing pages: {counts['pages_missing']}; "
         f"dropped: {dropped or 'none'})")
    return 0


def _stop(signum: int, frame: object) -> NoReturn:  # noqa: ARG001 - signal handler signature
    raise SystemExit(0)


def _health(args: argparse.Namespace) -> int:
    try:
        return run_health(args.state, args.portal, as_json_out=args.json, html=args.html, say=_say)
    except HealthError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_CONFIG


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``newscrawl`` console script."""
    args = _parser().parse_args(argv)
    if args.command == "extract":
        return _extract(args)
    return _health(args) if args.command == "health" else _scheduled(args)


def _scheduled(args: argparse.Namespace) -> int:
    try:
        schedule = load_schedule(args.config, state=args.state)
    except ConfigError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_CONFIG
    scheduler = Scheduler(schedule, say=_say)
    try:
        if args.command == "status":
            for line in [*scheduler.status(), *group_lines(schedule, args.health_state)]:
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
