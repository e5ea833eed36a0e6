"""Micro-benchmark: microseconds per date for parse_date against dateparser alone.

Run as ``python benchmarks/bench_dates.py``; another benchmark script can import ``run()`` and
print the same figures. The table holds the forms regional portals print most, so it measures
the fast path; dateparser gets the same settings the fallback in newscrawl.extract.dates uses.
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import dateparser

try:
    from newscrawl.extract.date_words import DATEPARSER_LANGUAGES, DATEPARSER_SETTINGS
    from newscrawl.extract.dates import WIB, parse_date
except ModuleNotFoundError:
    # Run from a checkout where the package is not installed.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from newscrawl.extract.date_words import DATEPARSER_LANGUAGES, DATEPARSER_SETTINGS
    from newscrawl.extract.dates import WIB, parse_date

COMMON_DATES = (
    "Jum'at, 19 Juni 2015 - 11:58 wib",
    "Selasa 16 Jun 2015, 14:05 WIB",
    "Rabu, 17 Juni 2015 | 22:26 WIB",
    "19 Jun 2015 | 13:06",
    "18 Jun 2015 at 06:25 WIB",
    "22/10/2025 06:59",
    "08/1/2026 20:19",
    "Kamis, 23 Jul 2026 15:10 WIB",
    "Senin (3/10/2022) pukul 14.30 WIB",
    "Diperbarui 24 Juni 2022, 16:00 WIB",
    "6 Nop 2019",
    "4 Ags 2023",
    "Minggu, 5 Maret 2023 07:00 WITA",
    "Senin, 2 Januari 2023 09:00 WIT",
    "- 24 Juni 2022, 15:44 WIB",
    "- Jumat, 24 Juni 2022 | 15:44 WIB",
    "- Selasa, 24 Februari 2026 | 08:50 WIB",
    "Kamis, 05/11/2015 10:08 WIB",
    "Jumat , 17 February 2017",
    "Sabtu, 25/06/2022 07:15:30 WIB",
    "24 Juni 2022 Pukul 14:30 WIB",
    "Dipublikasikan: Sabtu, 25 Juni 2022 08:00 WIB",
    "Penulis: Budi Santoso | Jumat, 24 Juni 2022 15:44 WIB",
    "17 Agt 2021 10:00 WIB",
    "30 Sept 2021 19:00 WIB",
    "Fri, 24 Jun 2022 15:44:00 +0700",
    "2020-10-07T15:13:00+0700",
    "2015-06-19T03:40:00+07:00Z",
    "2 jam yang lalu",
    "4 bulan lalu",
)

DATEPARSER_CALL_SETTINGS = {**DATEPARSER_SETTINGS, "TIMEZONE": "+0700"}


def _parse_date(text: str) -> object:
    return parse_date(text, tz=WIB)


def _dateparser_alone(text: str) -> object:
    return dateparser.parse(text, languages=list(DATEPARSER_LANGUAGES), settings=DATEPARSER_CALL_SETTINGS)


_CACHED_PARSER = dateparser.DateDataParser(languages=list(DATEPARSER_LANGUAGES), settings=DATEPARSER_CALL_SETTINGS)


def _dateparser_cached(text: str) -> object:
    return _CACHED_PARSER.get_date_data(text).date_obj


def _us_per_date(parse: Callable[[str], object], loops: int, repeats: int = 5) -> float:
    """Best of ``repeats`` runs over the whole table, in microseconds per date."""
    for text in COMMON_DATES:
        parse(text)  # warm up: dateparser loads its language data on first use
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(loops):
            for text in COMMON_DATES:
                parse(text)
        best = min(best, time.perf_counter() - started)
    return best / (loops * len(COMMON_DATES)) * 1e6


def _median_us(parse: Callable[[str], object], loops: int, repeats: int = 5) -> float:
    """The median over the table of each date's best time, in microseconds."""
    times = []
    for text in COMMON_DATES:
        parse(text)
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            for _ in range(loops):
                parse(text)
            best = min(best, time.perf_counter() - started)
        times.append(best / loops * 1e6)
    return statistics.median(times)


def run() -> dict[str, float]:
    """Measure and return the figures (microseconds per date, and the ratios)."""
    ours = _us_per_date(_parse_date, loops=1000)
    alone = _us_per_date(_dateparser_alone, loops=3)
    cached = _us_per_date(_dateparser_cached, loops=3)
    unread = sum(_dateparser_alone(text) is None for text in COMMON_DATES)
    # The figure is for the fast routes: a row that falls back to dateparser would blur it.
    readings = [parse_date(text, tz=WIB) for text in COMMON_DATES]
    fallbacks = sum(r is None or r.method == "dateparser" for r in readings)
    return {
        "dates": float(len(COMMON_DATES)),
        "parse_date_us": ours,
        "parse_date_median_us": _median_us(_parse_date, loops=300),
        "dateparser_us": alone,
        "dateparser_cached_us": cached,
        "ratio": alone / ours,
        "ratio_cached": cached / ours,
        "dateparser_unread": float(unread),
        "parse_date_fallbacks": float(fallbacks),
    }


def main() -> None:
    figures = run()
    dates = int(figures["dates"])
    print(f"date parsing over {dates} common portal date strings (best of 5 runs)")
    print(f"{'parser':<44}{'us/date':>10}{'x slower':>10}")
    print(f"{'parse_date':<44}{figures['parse_date_us']:>10.1f}{1:>10.1f}")
    print(f"{'dateparser.parse, same settings':<44}{figures['dateparser_us']:>10.1f}{figures['ratio']:>10.1f}")
    print(
        f"{'dateparser, one cached DateDataParser':<44}"
        f"{figures['dateparser_cached_us']:>10.1f}{figures['ratio_cached']:>10.1f}"
    )
    print(
        f"parse_date sent {int(figures['parse_date_fallbacks'])} of {dates} to dateparser; "
        f"dateparser alone could not read {int(figures['dateparser_unread'])} of {dates}"
    )


if __name__ == "__main__":
    main()
