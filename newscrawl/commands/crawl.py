"""`scrapy crawl`, checking the crawl's input before anything starts.

A wrong kabar argument or setting (an unusable NEWSCRAWL_WARC among them), a credential given as a
setting (any spider), an installed framework that lacks an internal newscrawl relies on
(`newscrawl.compat`), or a backfill given the JOBDIR of another backfill (newscrawl/crawl/journal.py)
prints one line (``error: ...``) and exits with status 2, before Scrapy sets up its engine or makes
a request, instead of a traceback from inside the engine. Otherwise every spider runs exactly as
with Scrapy's own command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl

from newscrawl.compat import problems
from newscrawl.config import Config, ConfigError, secret_refusal
from newscrawl.crawl.journal import identity, mismatch
from newscrawl.delivery.warc.archive import destination_problem
from newscrawl.params import KabarParams, ParamError
from newscrawl.registry import RegistryError, load_registry
from newscrawl.spiders.targets import build_targets

if TYPE_CHECKING:
    import argparse

EXIT_USAGE = 2


class Command(ScrapyCrawl):
    """Scrapy's crawl command with argument validation for `kabar`."""

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Parse options as Scrapy does, then validate kabar's arguments."""
        super().process_options(args, opts)
        refused = secret_refusal(self.settings) if self.settings is not None else None
        if refused:
            sys.stderr.write(f"error: {refused}\n")
            sys.exit(EXIT_USAGE)
        if args and args[0] == "kabar":
            try:
                config = Config.from_settings(self.settings) if self.settings is not None else Config()
            except ConfigError as exc:
                sys.stderr.write(f"error: {exc}\n")
                sys.exit(EXIT_USAGE)
            warc = destination_problem(config.warc) if config.warc else None
            broken = [p for p in (config.problem(), warc) if p] or problems(cluster=bool(config.cluster))
            if broken:
                sys.stderr.write(f"error: {broken[0]}\n")
                sys.exit(EXIT_USAGE)
            try:
                registry = load_registry()
                params = KabarParams.parse(opts.spargs, registry, max_years=config.backfill_max_years)
            except (ParamError, RegistryError) as exc:
                sys.stderr.write(f"error: {exc}\n")
                sys.exit(EXIT_USAGE)
            jobdir = self.settings.get("JOBDIR") if self.settings is not None else None
            if params.is_backfill and jobdir and not config.cluster:
                portals = (target.portal.id for target in build_targets(params, registry))
                other = mismatch(Path(jobdir), identity(params.since, params.until, portals))
                if other:
                    sys.stderr.write(f"error: {other}\n")
                    sys.exit(EXIT_USAGE)
