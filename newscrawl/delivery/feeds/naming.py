"""Where the S3 feed's objects go: the URI template, the ``<group>`` and ``<time>`` of the keys, S3 URIs checked.

``NEWSCRAWL_S3_URI=s3://BUCKET/kabar`` gives ``s3://BUCKET/kabar/<group>/<time>-<batch>.jsonl``,
e.g. ``kabar/prmn/2024-06-01T10-00-00Z-00001.jsonl``. ``<group>`` is the scheduled group
(``NEWSCRAWL_FEED_GROUP``, set by ``newscrawl schedule``), else the crawl's network, else its portal;
``<time>`` is the crawl's start (UTC), followed by the crawl's key mark when one is registered
(`set_key_mark`: the processes of one cluster crawl start in the same second, so their keys must
differ); ``<batch>`` counts from 00001. A value containing ``%(`` is taken as the whole URI
template (``%(group)s``, ``%(time)s`` and ``%(batch)s`` are available).

This module must never accept credentials in a URI, nor import what registers a mark (the cluster
calls `set_key_mark`; delivery never imports the cluster).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from newscrawl.config import Config
from newscrawl.context import CrawlContext

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

# Appended to a NEWSCRAWL_S3_URI given as a prefix.
KEY_TEMPLATE = "%(group)s/%(time)s-%(batch)s.jsonl"
# What the batch number replaces in a feed URI (uri_params sets %(batch)s to it).
BATCH_MARK = "*"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_KEY_MARKS: WeakKeyDictionary[Crawler, str] = WeakKeyDictionary()


class DeliveryConfigError(ValueError):
    """The S3 feed is misconfigured; the message says what to change, in one line."""


def split_s3(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` -> (bucket, key), refusing credentials and odd paths."""
    parts = urlsplit(uri)
    if parts.scheme != "s3" or not parts.netloc:
        raise DeliveryConfigError(f"S3 URI {uri!r}: write s3://BUCKET/prefix")
    if "@" in parts.netloc:
        raise DeliveryConfigError(
            "S3 URI: credentials in the URI are refused; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "in the environment",
        )
    key = parts.path.lstrip("/")
    if any(segment in ("", ".", "..") for segment in key.split("/")[:-1]):
        raise DeliveryConfigError(f"S3 URI {uri!r}: empty, '.' or '..' path segments are not allowed")
    return parts.netloc, key


def s3_feed_template(uri: str) -> str:
    """The feed URI template for a NEWSCRAWL_S3_URI value (a prefix, or a whole template)."""
    uri = uri.strip()
    split_s3(uri.replace("%(", "x("))
    if "%(" in uri:
        return uri
    return f"{uri.rstrip('/')}/{KEY_TEMPLATE}"


def set_key_mark(crawler: Crawler, mark: str) -> None:
    """Make `mark` part of the ``<time>`` of every S3 key `crawler` writes (called by the cluster worker)."""
    _KEY_MARKS[crawler] = mark


def feed_group(crawler: Crawler) -> str:
    """The ``<group>`` part of the S3 keys: the scheduled group, else the network or portal."""
    explicit = Config.of(crawler).feed_group
    context = CrawlContext.of(crawler)
    params = context.params
    if explicit:
        name = explicit
    elif params.portals or params.start_urls:
        name = context.portals[0].id if len(context.portals) == 1 else "portals"
    elif params.network:
        name = params.network
    else:
        name = "all"
    return _UNSAFE.sub("-", name).strip("-.") or "all"


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """FEEDS ``uri_params`` of the S3 feed: ``group``, a readable UTC ``time``, and the batch mark."""
    params["group"] = feed_group(spider.crawler)
    params["time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
    params["batch"] = BATCH_MARK
    mark = _KEY_MARKS.get(spider.crawler)
    if mark:
        params["time"] += f"-{mark}"
    return params
