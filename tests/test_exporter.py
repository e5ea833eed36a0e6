"""The JSON lines a feed holds are Scrapy's own, byte for byte, whatever the item and the export settings.

`newscrawl.delivery.feeds.storage.JsonLinesExporter` reads an article's fields in one pass where
nothing is serialized; here every line it writes is compared with what Scrapy's
`JsonLinesItemExporter` writes for the same item, on the demo portal's articles and on items built
to sit on each edge of that short cut.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import scrapy
from scrapy.exporters import JsonLinesItemExporter

from newscrawl.delivery.feeds.storage import JsonLinesExporter
from newscrawl.items import EXPORT_FIELDS, Article
from tests.conftest import SITES

DEMO: dict[str, dict[str, Any]] = json.loads((SITES / "klikdemo" / "expected.json").read_text(encoding="utf-8"))


class Serialized(scrapy.Item):
    """An item whose field declares a serializer: Scrapy's reading applies it."""

    url = scrapy.Field()
    title = scrapy.Field(serializer=str.upper)


def _article(values: dict[str, Any]) -> Article:
    item = Article()
    for name, value in values.items():
        if name in Article.fields:
            item[name] = value
    return item


def _items() -> list[Any]:
    demo = [_article({"url": f"http://demo.invalid{path}", **fields}) for path, fields in DEMO.items()]
    edges = [
        Article(),  # nothing set
        _article({"url": "http://x.invalid/a", "title": None, "tags": [], "author": ""}),  # empty values are kept
        # Fields set out of their declared order; text JSON must escape, or keep as UTF-8.
        _article({"body": 'Kabar \u201cdaerah\u201d \u00e9\u00e8 \U0001f600 "quoted" \\ \n', "section": "x"}),
        _article({"url": "http://x.invalid/b", "published_at": datetime(2024, 6, 1, 3, 4, 5, tzinfo=UTC),
                  "pages": Decimal(2), "tags": {"b"}}),  # values only Scrapy's JSON encoder knows
        Serialized(url="http://x.invalid/c", title="judul"),
        {"url": "http://x.invalid/d", "title": "a dict item", "extra": 1},
    ]
    return demo + edges


@pytest.mark.parametrize(
    "options",
    [
        {"fields_to_export": list(EXPORT_FIELDS)},  # the project's FEED_EXPORT_FIELDS
        {"fields_to_export": ["title", "url", "missing", ("body", "text")]},
        {"fields_to_export": list(EXPORT_FIELDS), "export_empty_fields": True},
        {"fields_to_export": {"url": "link", "title": "judul"}},
        {},
    ],
    ids=["project", "names-and-pairs", "empty-fields", "mapping", "all"],
)
def test_every_line_is_scrapys(options: dict[str, Any]) -> None:
    ours, scrapys = io.BytesIO(), io.BytesIO()
    exporters = (JsonLinesExporter(ours, encoding="utf-8", **options),
                 JsonLinesItemExporter(scrapys, encoding="utf-8", **options))
    items = _items()
    for exporter in exporters:
        exporter.start_exporting()
        for item in items:
            exporter.export_item(item)
        exporter.finish_exporting()
    lines = ours.getvalue().decode("utf-8").splitlines()
    assert lines == scrapys.getvalue().decode("utf-8").splitlines()
    assert len(lines) == len(items)
    assert next(iter(DEMO.values()))["title"] in json.loads(lines[0]).values()
