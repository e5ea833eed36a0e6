"""(c) of the benchmark: our parsing, extraction and cleaning against trafilatura, on the same article pages.

`measure_extraction` runs, in this process, what the spider runs per article page (`page_source`,
`Doc.parse` (lexbor), `extract_article` on page 1 and `extract_later_page` on a later page (fetched by the
spider's pager request and merged into page 1's item), the pipelines' cleaning and date steps, once per
article) and
``trafilatura.extract(html, output_format="json", with_metadata=True)`` on the decoded text, each in
a warm-up pass and then `ROUNDS` passes, alternating, in CPU time. `measure_golden` does the same on
the golden pages (tests/fixtures/: real articles of 2015 to 2026, each read as its family, at the URL it
was fetched at): real pages are two to four times bigger than the benchmark's, and about half are read
by the generic family. Used by benchmarks/run.py.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench_site import Server

@dataclass
class Extraction:
    """CPU ms per article page of each pass: ours as (parse, extract, clean), and trafilatura's."""

    pages: int
    ours: list[tuple[float, float, float]]
    trafilatura: list[float]
    # Each page's fastest pass, summed over the pages, as (parse, extract, clean) per page: steadier than
    # a pass's total on a shared machine (a slow spell spoils a few pages of one pass, not all five).
    fastest: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def totals(self) -> list[float]:
        return [sum(parts) for parts in self.ours]

    @property
    def ratios(self) -> list[float]:
        # Each pass of ours against the trafilatura pass that followed it.
        return [theirs / mine for mine, theirs in zip(self.totals, self.trafilatura, strict=True) if mine]

    @property
    def best(self) -> tuple[float, float, float]:
        return min(self.ours, key=sum)


ROUNDS = 5


def measure_extraction(server: Server, sample: int, html: dict[str, bytes]) -> Extraction:
    """CPU ms per article page: parsing, extract_article, the cleaning steps; then trafilatura."""
    import trafilatura  # noqa: PLC0415 - a dev-only dependency
    from scrapy.http import HtmlResponse  # noqa: PLC0415

    from newscrawl.crawl.middlewares import page_source  # noqa: PLC0415
    from newscrawl.extract.article import extract_article, extract_later_page  # noqa: PLC0415
    from newscrawl.extract.clean import clean_body, page_fields, set_dates  # noqa: PLC0415
    from newscrawl.extract.doc import Doc  # noqa: PLC0415
    from newscrawl.extract.links import page_number  # noqa: PLC0415
    from newscrawl.networks import get_profile  # noqa: PLC0415

    profile = get_profile("prmn")
    step = max(1, len(server.article_pages) // sample)
    targets = server.article_pages[::step][:sample]
    pages = [(server.base + t, html[t]) for t in targets]
    texts = [(url, body.decode("utf-8")) for url, body in pages]

    # The responses as the spider gets them; it parses what page_source gives (a UTF-8 body as sent).
    responses = [HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"})
                 for url, body in pages]
    # A later page reaches the spider through its pager request (`KabarSpider._more_pages`), which reads it
    # with `extract_later_page`; page 1 through `parse` (`extract_article`), and the item is cleaned once.
    later = [page_number(response.url, profile) > 1 for response in responses]

    fastest = [[float("inf")] * 3 for _ in responses]

    def ours() -> tuple[float, float, float]:
        parse = extract = clean = 0.0
        for response, is_later, best in zip(responses, later, fastest, strict=True):
            url = response.url
            t0 = time.process_time()
            doc = Doc.parse(page_source(response))
            t1 = time.process_time()
            page = (extract_later_page if is_later else extract_article)(doc, url, profile)
            t2 = time.process_time()
            if not is_later:  # later pages are merged into the item the first page made
                fields = page_fields(page)
                fields["_timezone"] = "WIB"
                clean_body(fields)
                set_dates(fields)
            t3 = time.process_time()
            parse, extract, clean = parse + t1 - t0, extract + t2 - t1, clean + t3 - t2
            best[:] = min(best[0], t1 - t0), min(best[1], t2 - t1), min(best[2], t3 - t2)
        return parse, extract, clean

    def theirs() -> float:
        started = time.process_time()
        for url, text in texts:
            trafilatura.extract(text, url=url, output_format="json", with_metadata=True)
        return time.process_time() - started

    # Both measured alike: a warm-up pass each (regex, XPath and data caches), then five passes
    # each (min and median reported). The passes alternate, so that a slow spell of a shared machine (a noisy
    # neighbour, another process) cannot fall on all of one side's passes: ours take ~0.5 s each,
    # and five in a row would fit in one such spell.
    ours()
    theirs()
    for best in fastest:  # the warm-up pass is not one of the five
        best[:] = [float("inf")] * 3
    mine: list[tuple[float, float, float]] = []
    spent: list[float] = []
    for _ in range(ROUNDS):
        mine.append(ours())
        spent.append(theirs())
    n = len(pages)
    per_page = [(1000 * p / n, 1000 * e / n, 1000 * c / n) for p, e, c in mine]
    parse, extract, clean = (1000 * sum(best[i] for best in fastest) / n for i in range(3))
    return Extraction(n, per_page, [1000 * t / n for t in spent], (parse, extract, clean))


@dataclass
class RealPages:
    """CPU ms per golden page, each page's fastest pass: ours (parse + extract + clean) and trafilatura's."""

    pages: int
    kb: float
    ours: list[float]
    trafilatura: list[float]

    @property
    def mean(self) -> tuple[float, float]:
        return statistics.mean(self.ours), statistics.mean(self.trafilatura)

    @property
    def ratio(self) -> float:
        ours, theirs = self.mean
        return theirs / ours if ours else 0.0


def measure_golden() -> RealPages:
    """The crawl's extraction path on every golden page (its family, its URL), then trafilatura's, alternating."""
    import trafilatura  # noqa: PLC0415 - a dev-only dependency

    from newscrawl.crawl.middlewares import page_source  # noqa: PLC0415
    from newscrawl.extract import date_fallback  # noqa: PLC0415
    from newscrawl.extract.article import extract_article  # noqa: PLC0415
    from newscrawl.extract.clean import clean_body, page_fields, set_dates  # noqa: PLC0415
    from newscrawl.extract.doc import Doc  # noqa: PLC0415
    from newscrawl.networks import get_profile  # noqa: PLC0415

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from golden import goldens, response_for  # noqa: PLC0415 - the tests' reader of the golden pages

    pages = [(response_for(g.html(), g.url), get_profile(g.family)) for g in goldens()]
    texts = [(response.url, response.text) for response, _ in pages]
    ours = [float("inf")] * len(pages)
    theirs = [float("inf")] * len(pages)
    for _ in range(ROUNDS + 1):  # the first pass warms up (it counts only if it is a page's fastest)
        # Each pass reads every page as for the first time: what dateparser read on a page in an earlier
        # pass is forgotten (a crawl remembers it for the site's other pages, not for the same page).
        date_fallback._read.cache_clear()  # noqa: SLF001 - the benchmark's own reset
        for i, (response, profile) in enumerate(pages):
            started = time.process_time()
            fields = page_fields(extract_article(Doc.parse(page_source(response)), response.url, profile))
            fields["_timezone"] = "WIB"
            clean_body(fields)
            set_dates(fields)
            ours[i] = min(ours[i], time.process_time() - started)
        for i, (url, text) in enumerate(texts):
            started = time.process_time()
            trafilatura.extract(text, url=url, output_format="json", with_metadata=True)
            theirs[i] = min(theirs[i], time.process_time() - started)
    kb = statistics.mean(len(response.body) for response, _ in pages) / 1024
    return RealPages(len(pages), kb, [1000 * t for t in ours], [1000 * t for t in theirs])
