"""The spool: the on-disk outbox of S3 batches, laid out like the bucket (``<spool>/<bucket>/<key>``).

A batch is written to ``<key>.<run>.part``, renamed to ``<key>.<run>.ready`` once fsynced, and to
``<key>`` once committed to the crawl state (the life cycle is in newscrawl/delivery/feeds/s3.py).
In cluster mode a fsynced batch is held by its process's lease instead: ``<key>.<run>.lease``,
uploaded only by that run, and deleted by any other crawl that finds it once the run is gone.
Several crawls, and the upload threads of each, may share one spool directory:

* Each crawl holds an exclusive lock on ``.locks/<run>.lock`` for its whole life, so another crawl
  can tell a live run's unfinished batch from a dead run's.
* Directories are created when a batch opens and removed when an upload leaves them empty. The
  two are serialised by one lock on the spool's root directory (``flock``, so it holds between
  threads and between processes alike): opening takes it shared (batches open side by side),
  tidying takes it exclusive. A batch therefore never opens in a directory being removed, and a
  directory holding a batch is never empty; no retry is needed.

This module must never upload, commit or parse a batch: it only names, moves and removes files.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from newscrawl.delivery.feeds.naming import DeliveryConfigError, split_s3

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

_RUN_FILE = re.compile(r"^(?P<name>.+)\.(?P<run>[0-9a-f]{12})\.(?P<stage>part|ready|lease)$")
_LOCKS = ".locks"
# Top-level names starting with a dot are never buckets (S3 bucket names start with a letter or a
# digit): ``.locks``, and the spools of other deliveries kept inside this one (the WARC archive's
# ``.warc``, newscrawl/delivery/warc/), which `scan` leaves to their owners.
_RESERVED = "."


@dataclass
class Found:
    """What a scan of the spool found: batches to upload, and what runs that are gone left."""

    spooled: list[Path] = field(default_factory=list)  # committed batches, under their key
    parts: list[Path] = field(default_factory=list)  # unfinished, never committed
    readies: list[Path] = field(default_factory=list)  # durable, perhaps not committed
    leases: list[Path] = field(default_factory=list)  # a gone cluster process's: never uploaded by another


class Spool:
    """The local outbox of S3 batches of one crawl (and of whatever other crawls share the directory)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.run = secrets.token_hex(6)
        locks = self.root / _LOCKS
        try:
            locks.mkdir(parents=True, exist_ok=True)
            self._lock_path = locks / f"{self.run}.lock"
            self._lock: IO[str] | None = self._lock_path.open("w", encoding="ascii")
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise DeliveryConfigError(
                f"spool directory {self.root}: not usable ({exc}); set NEWSCRAWL_SPOOL_DIR",
            ) from exc

    def path_for(self, uri: str) -> Path:
        """Where the batch for `uri` is spooled."""
        bucket, key = split_s3(uri)
        return self.root / bucket / key

    def uri_for(self, path: Path) -> str:
        """The S3 URI a spooled (or leased) file goes to."""
        match = _RUN_FILE.match(path.name)
        if match is not None:
            path = path.with_name(match["name"])
        bucket, *key = path.relative_to(self.root).parts
        return f"s3://{bucket}/{'/'.join(key)}"

    @contextlib.contextmanager
    def _directories(self, operation: int) -> Iterator[None]:
        """Hold the lock on the spool's directories: `LOCK_SH` to open a batch, `LOCK_EX` to remove them.

        Each holder opens the root itself: ``flock`` locks belong to an open file, so two threads of
        one process exclude each other exactly as two processes do. Closing releases the lock.
        """
        fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, operation)
            yield
        finally:
            os.close(fd)

    def open_part(self, uri: str) -> tuple[Path, IO[bytes]]:
        """A new ``.part`` file for the batch going to `uri` (its directories made if needed)."""
        final = self.path_for(uri)
        part = final.with_name(f"{final.name}.{self.run}.part")
        with self._directories(fcntl.LOCK_SH):
            final.parent.mkdir(parents=True, exist_ok=True)
            return part, part.open("wb")

    def advance(self, path: Path) -> Path:
        """``.part`` -> ``.ready`` -> final name; the rename is made durable before returning."""
        match = _RUN_FILE.match(path.name)
        if match is None or match["stage"] == "lease":
            raise ValueError(f"not a batch in progress: {path}")
        ready = match["stage"] == "part"
        target = path.with_name(f"{match['name']}.{match['run']}.ready" if ready else match["name"])
        path.replace(target)
        _fsync_dir(target.parent)
        return target

    def lease(self, path: Path) -> Path:
        """``.part`` -> ``.lease``: durable, held by this run's cluster lease; the rename made durable."""
        match = _RUN_FILE.match(path.name)
        if match is None or match["stage"] != "part":
            raise ValueError(f"not an open batch: {path}")
        target = path.with_name(f"{match['name']}.{match['run']}.lease")
        path.replace(target)
        _fsync_dir(target.parent)
        return target

    def scan(self) -> Found:
        """Committed batches, and the .part, .ready and .lease files of runs that are gone, in the whole spool."""
        found = Found()
        stages = {"part": found.parts, "ready": found.readies, "lease": found.leases}
        live: dict[str, bool] = {}
        for path in sorted(self.root.rglob("*")):
            if not path.is_file() or path.relative_to(self.root).parts[0].startswith(_RESERVED):
                continue
            match = _RUN_FILE.match(path.name)
            if match is None:
                found.spooled.append(path)
                continue
            run = match["run"]
            if run not in live:
                live[run] = self._is_live(run)
            if not live[run]:
                stages[match["stage"]].append(path)
        for lock in (self.root / _LOCKS).glob("*.lock"):
            if lock.stem not in live:
                self._is_live(lock.stem)  # removes the lock a killed run left behind
        return found

    def _is_live(self, run: str) -> bool:
        if run == self.run:
            return True
        lock_path = self.root / _LOCKS / f"{run}.lock"
        try:
            with lock_path.open("a", encoding="ascii") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                lock_path.unlink(missing_ok=True)  # a dead run's lock: tidy it away while holding it
        except BlockingIOError:
            return True
        except OSError:
            return False
        return False

    def remove(self, path: Path) -> None:
        """Delete a spooled file, then the directories it leaves empty (under the directory lock)."""
        path.unlink(missing_ok=True)
        with self._directories(fcntl.LOCK_EX):
            parent = path.parent
            while parent != self.root and parent.is_relative_to(self.root):
                try:
                    parent.rmdir()
                except OSError:  # not empty (a batch opened in it), or already removed
                    break
                parent = parent.parent

    def close(self) -> None:
        """Release the run's lock."""
        if self._lock is not None:
            self._lock_path.unlink(missing_ok=True)
            self._lock.close()
            self._lock = None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
