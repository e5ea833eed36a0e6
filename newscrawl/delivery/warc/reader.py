"""Reading WARC files back: the archived responses, in the order they were fetched, and torn tails cut.

`archived_responses` yields every response record of a WARC file or of a directory of them (what
`newscrawl extract` re-reads), with its payload decoded as a browser would see it (warcio undoes
the Content-Encoding), its time of fetch, and where it is (``<file name>#<offset>``, as the
crawl's items say). `cut_after_whole_records` trims a file a killed crawl was writing to its last
whole record (the archive writes one gzip member per record).

This module must never write anything but the one file it is asked to cut.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

from warcio.archiveiterator import ArchiveIterator

from newscrawl.delivery.warc.records import KIND_FIELD, RENDERED_FIELD

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

WARC_SUFFIXES = (".warc.gz", ".warc")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Archived:
    """One archived response, and where it is."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched: datetime
    kind: str | None
    rendered: bool
    file: Path
    offset: int

    @property
    def location(self) -> str:
        """``<file name>#<offset>``: what the crawl's items say in ``warc``."""
        return f"{self.file.name}#{self.offset}"

    def header(self, name: str) -> str | None:
        """The first HTTP header called `name` (any case)."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def warc_files(path: Path) -> list[Path]:
    """`path` itself if it is a file, else every WARC file under it, by path (the crawl's order)."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(WARC_SUFFIXES))


def archived_responses(path: Path) -> Iterator[Archived]:
    """Every response record of the WARC files at `path`, file by file, in record order."""
    for file_path in warc_files(path):
        with file_path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                if record.rec_type == "response" and record.http_headers is not None:
                    body = record.content_stream().read()
                    yield _archived(record, body, file_path, records.get_record_offset())


def read_at(file: Path, offset: int) -> Archived | None:
    """The response record at `offset` of `file` (a pointer an item gives), else None."""
    with file.open("rb") as stream:
        stream.seek(offset)
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                return None
            return _archived(record, record.content_stream().read(), file, offset)
    return None


def _archived(record: Any, body: bytes, file: Path, offset: int) -> Archived:
    warc = record.rec_headers
    return Archived(
        url=str(warc.get_header("WARC-Target-URI")),
        status=int(record.http_headers.get_statuscode() or 0),
        headers=tuple(record.http_headers.headers),
        body=body,
        fetched=datetime.strptime(str(warc.get_header("WARC-Date"))[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC),
        kind=warc.get_header(KIND_FIELD),
        rendered=bool(warc.get_header(RENDERED_FIELD)),
        file=file,
        offset=offset,
    )


def cut_after_whole_records(path: Path) -> bool:
    """Cut `path` after its last complete gzip member (record); False when none is complete."""
    with path.open("r+b") as file:
        end = _whole_members_end(file)
        file.truncate(end)
    return end > 0


def _whole_members_end(file: IO[bytes]) -> int:
    """The offset just after the last complete gzip member of `file` (read in chunks)."""
    end = position = 0
    member = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        while chunk := file.read(_CHUNK):
            data = chunk
            while data:
                member.decompress(data)
                if not member.eof:
                    position += len(data)
                    break
                used = len(data) - len(member.unused_data)
                position += used
                end = position
                data = member.unused_data
                member = zlib.decompressobj(zlib.MAX_WBITS | 16)
    except zlib.error:
        pass
    return end
