"""The backfill journal: what a backfill walked and delivered, kept in its JOBDIR so that a killed crawl resumes.

What it is for
    Scrapy's JOBDIR holds its request queue and the fingerprints of every request it queued, but
    saves the queue only when a crawl stops cleanly. After a SIGKILL the fingerprints name
    requests whose queue is lost, and a restart would never fetch them again. A backfill with a
    JOBDIR therefore keeps its own journal there (``backfill.journal``), one line per fact,
    flushed to the kernel as it is written (so a killed process loses none; a power cut may):

    * ``walked``: a span (a portal's day, month, year, or its sitemaps) was walked to its end;
    * ``found``: an article URL a walk listed;
    * ``delivered``: an article reached its feed durably (its line flushed to a local feed, or
      its S3 batch committed), with its portal and publication day;
    * ``done``: an article left for good without delivery (outside the range);
    * ``open`` / ``close``: a run started (with the backfill it belongs to) / stopped cleanly.

    A restart reads it back: spans walked are not walked again, articles found by them and neither
    delivered nor done are requested again, and articles delivered are never delivered twice. If
    the previous run did not stop cleanly, Scrapy's queue and fingerprints are reset first
    (`newscrawl.compat.reset_job_queue`), before Scrapy reads them.

What it must never do
    Decide what to fetch (the spider does) or record an article as delivered before its feed holds it.
"""

from __future__ import annotations

import hashlib
import logging
import weakref
from collections import Counter
from typing import IO, TYPE_CHECKING, ClassVar

from newscrawl.compat import reset_job_queue
from newscrawl.extract.links import dedup_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

FILE = "backfill.journal"
_DIGEST_SIZE = 16


def article_digest(url: str) -> bytes:
    """An article's identity in the journal: every URL variant of the article gives the same one."""
    return hashlib.blake2b(dedup_key(url).encode("utf-8"), digest_size=_DIGEST_SIZE).digest()


def identity(since: object, until: object, portals: Iterable[str]) -> str:
    """What names a backfill in its journal: its range (``until`` as given) and its portals."""
    ids = sorted(portals)
    digest = hashlib.blake2b("\n".join(ids).encode(), digest_size=6).hexdigest()
    return f"{since}..{until or 'today'} portals={len(ids)}:{digest}"


def mismatch(jobdir: Path, identity: str) -> str | None:
    """One line if `jobdir` holds the journal of another backfill than `identity`, else None."""
    path = jobdir / FILE
    if not path.exists():
        return None
    opened = [line.split("\t", 1)[1] for line in _lines(path) if line.startswith("open\t")]
    if opened and opened[0] != identity:
        return (f"JOBDIR {jobdir} holds another backfill ({opened[0]}), not this one ({identity}); "
                "give this one its own JOBDIR")
    return None


class Journal:
    """One backfill's journal in its JOBDIR: read back when the crawl starts, appended to as it runs."""

    _by_crawler: ClassVar[weakref.WeakKeyDictionary[Crawler, Journal]] = weakref.WeakKeyDictionary()

    def __init__(self, jobdir: Path, identity: str) -> None:
        self.path = jobdir / FILE
        # What earlier runs recorded (and this run adds to).
        self.walked: set[tuple[str, str]] = set()
        self.found: dict[tuple[str, str], list[str]] = {}
        self.done: set[bytes] = set()
        self.delivered: Counter[tuple[str, str]] = Counter()  # (portal, day or "-") -> articles
        self.runs = 0
        self.clean = True  # whether the last run before this one stopped cleanly
        if self.path.exists():
            self._read()
        jobdir.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = self.path.open("a", encoding="utf-8")
        self._write(f"open\t{identity}")

    @classmethod
    def start(cls, crawler: Crawler, jobdir: Path, identity: str) -> Journal:
        """Open the journal of `crawler`'s backfill; after a crash, reset Scrapy's own queue in `jobdir`."""
        journal = cls(jobdir, identity)
        if journal.runs and not journal.clean and reset_job_queue(jobdir):
            logger.warning("backfill: the previous run in %s did not stop cleanly; Scrapy's queue and seen "
                           "requests there are reset, and the journal resumes the backfill", jobdir)
        cls._by_crawler[crawler] = journal
        return journal

    @classmethod
    def of(cls, crawler: Crawler) -> Journal | None:
        """The journal of `crawler`'s backfill, if it keeps one (a backfill with a JOBDIR)."""
        return cls._by_crawler.get(crawler)

    def _read(self) -> None:
        last = ""
        for line in _lines(self.path):
            kind, _, rest = line.partition("\t")
            fields = rest.split("\t")
            if kind == "open":
                self.runs += 1
            elif kind == "walked" and len(fields) == 2:  # portal, span
                self.walked.add((fields[0], fields[1]))
            elif kind == "found" and len(fields) == 3:  # portal, span, url
                self.found.setdefault((fields[0], fields[1]), []).append(fields[2])
            elif kind == "done" and len(fields) == 1:
                self.done.add(bytes.fromhex(fields[0]))
            elif kind == "delivered" and len(fields) == 3:  # digest, portal, day
                digest = bytes.fromhex(fields[0])
                if digest not in self.done:
                    self.done.add(digest)
                    self.delivered[fields[1], fields[2]] += 1
            last = kind
        self.clean = last in ("close", "")

    def left_over(self) -> Iterator[tuple[str, str]]:
        """(portal, URL) of every article a finished walk found that was neither delivered nor done."""
        for (portal, span), urls in self.found.items():
            if (portal, span) in self.walked:
                for url in urls:
                    if article_digest(url) not in self.done:
                        yield portal, url

    def note_found(self, portal: str, span: str, urls: Iterable[str]) -> None:
        """A walk of `span` listed these article URLs."""
        self._write("".join(f"found\t{portal}\t{span}\t{url}\n" for url in urls).rstrip("\n"))

    def note_walked(self, portal: str, span: str) -> None:
        """The walk of `span` reached its end."""
        self.walked.add((portal, span))
        self._write(f"walked\t{portal}\t{span}")

    def note_done(self, digest: bytes) -> None:
        """The article `digest` left for good without delivery."""
        self.done.add(digest)
        self._write(f"done\t{digest.hex()}")

    def note_delivered(self, deliveries: Iterable[tuple[bytes, str, str]]) -> None:
        """Articles (digest, portal, day) are durably in their feed."""
        lines = []
        for digest, portal, day in deliveries:
            if digest not in self.done:
                self.done.add(digest)
                self.delivered[portal, day] += 1
                lines.append(f"delivered\t{digest.hex()}\t{portal}\t{day}")
        if lines:
            self._write("\n".join(lines))

    def close(self) -> None:
        """The run stops cleanly (Scrapy has saved its queue)."""
        if not self._file.closed:
            self._write("close")
            self._file.close()

    def _write(self, text: str) -> None:
        if text:
            self._file.write(text + "\n")
            self._file.flush()


def _lines(path: Path) -> list[str]:
    """The journal's complete lines (a line a crash cut short is dropped, and cut off the file)."""
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        with path.open("r+b") as file:
            file.truncate(end)
    return data[:end].decode("utf-8", errors="replace").splitlines()
