"""WARC records of one fetch, built with warcio: a response record and its request record, gzipped.

`Exchange` is what a crawl knows of one fetch (no Scrapy objects: the archive turns a response into
one); `exchange_bytes` gives its two records as two gzip members (gzip per record, so any record
can be read from its offset alone), `warcinfo_bytes` the record that opens every WARC file.

Records follow WARC/1.0 as warcio writes it: ``WARC-Date`` (the time of the fetch, UTC),
``WARC-Target-URI``, ``WARC-Record-ID``, ``WARC-Payload-Digest`` and ``WARC-Block-Digest`` (SHA-1),
``WARC-IP-Address`` when known, and the request's ``WARC-Concurrent-To`` naming its response. Two
fields of our own, which readers that do not know them ignore: ``Newscrawl-Request-Kind`` (why the
crawl fetched the page: start, listing, tag, article, page; what `newscrawl extract` needs to read
the page as the crawl did) and ``Newscrawl-Rendered: chromium`` on a page read through the browser,
whose payload is the rendered HTML, not the bytes the server sent.

The HTTP headers are stored as received, except ``Transfer-Encoding`` (the payload is stored
de-chunked) and ``Content-Length``, which is set to the payload's length so that the headers
describe the payload stored (a rendered page's HTML is not what the server's length counted).

This module must never write a file or decide what is archived: bytes in, bytes out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from isal import isal_zlib
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

if TYPE_CHECKING:
    from collections.abc import Mapping

# Each record is one gzip member, compressed with ISA-L (python-isal: the same gzip format, 4x the
# speed of zlib). warcio's own gzip writer uses zlib at level 9: 0.70 ms for a 50 KB page on the
# benchmark machine, and zlib's level 1 still 0.17 ms, against the archive's whole budget of ~0.37 ms
# (10 % of the crawl's CPU per page). ISA-L's level 1 takes 0.05 ms and compresses like zlib's 2.
GZIP_LEVEL = 1
KIND_FIELD = "Newscrawl-Request-Kind"
RENDERED_FIELD = "Newscrawl-Rendered"
RENDERER = "chromium"
_DROPPED_HEADERS = frozenset({"transfer-encoding", "content-length"})


@dataclass(frozen=True, slots=True)
class Exchange:
    """One fetch: the request as sent and the response as received (rendered pages: as rendered)."""

    url: str
    method: str
    request_headers: tuple[tuple[str, str], ...]
    status: int
    protocol: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    ip_address: str | None = None
    kind: str | None = None
    rendered: bool = False
    fetched: datetime | None = None  # default: now


@dataclass(frozen=True, slots=True)
class Records:
    """The gzipped records of one exchange and the response record's id."""

    data: bytes
    response_id: str


def warc_date(when: datetime | None = None) -> str:
    """A WARC-Date (UTC, seconds): ``2024-06-01T10:00:00Z``."""
    moment = (when or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    return str(datetime_to_iso_date(moment))


def exchange_bytes(exchange: Exchange) -> Records:
    """The response record, then its request record, each one gzip member."""
    writer = WARCWriter(None, gzip=False)
    date = warc_date(exchange.fetched)
    fields = {"WARC-Date": date}
    if exchange.ip_address:
        fields["WARC-IP-Address"] = exchange.ip_address
    if exchange.kind:
        fields[KIND_FIELD] = exchange.kind
    if exchange.rendered:
        fields[RENDERED_FIELD] = RENDERER
    response = writer.create_warc_record(
        exchange.url, "response",
        payload=io.BytesIO(exchange.body), length=len(exchange.body),
        http_headers=_response_headers(exchange), warc_headers_dict=fields,
    )
    response_id = str(response.rec_headers.get_header("WARC-Record-ID"))
    request = writer.create_warc_record(
        exchange.url, "request",
        http_headers=_request_headers(exchange),
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id},
    )
    return Records(_gzipped(writer, response) + _gzipped(writer, request), response_id)


def warcinfo_bytes(filename: str, info: Mapping[str, str]) -> bytes:
    """The warcinfo record that opens the WARC file `filename` (software, format, ...), gzipped."""
    writer = WARCWriter(None, gzip=False)
    return _gzipped(writer, writer.create_warcinfo_record(filename, dict(info)))


def _gzipped(writer: WARCWriter, record: object) -> bytes:
    out = io.BytesIO()
    writer.out = out
    writer.write_record(record)
    compressor = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, isal_zlib.MAX_WBITS | 16)
    return compressor.compress(out.getvalue()) + compressor.flush()


def _response_headers(exchange: Exchange) -> StatusAndHeaders:
    try:
        reason = HTTPStatus(exchange.status).phrase
    except ValueError:
        reason = ""
    headers = [(k, v) for k, v in exchange.headers if k.lower() not in _DROPPED_HEADERS]
    headers.append(("Content-Length", str(len(exchange.body))))
    return StatusAndHeaders(f"{exchange.status} {reason}".strip(), headers, protocol=exchange.protocol or "HTTP/1.1")


def _request_headers(exchange: Exchange) -> StatusAndHeaders:
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc), *((k, v) for k, v in exchange.request_headers if k.lower() != "host")]
    return StatusAndHeaders(f"{exchange.method} {target} HTTP/1.1", headers, is_http_request=True)
