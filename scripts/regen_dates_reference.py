"""Rebuild the corpus of tests/test_dates_reference.py and check, or rewrite, its stored outputs.

tests/reference/dates.json.gz holds what `newscrawl.extract.dates.parse_date`,
`parse_machine_date` and `newscrawl.extract.published.decide` gave on a fixed corpus: every date
text of tests/test_dates.py, every date candidate of the golden pages (tests/fixtures), the saved
sites (tests/sites) and the benchmark portal, each page's candidates together, and a seeded
generated set (date-like text from the date words, ISO-like text at and past the edges of each
field, relative and month-first English text, mixes of candidates built around one moment). The
test replays the stored inputs, so that a fast path of the readers that changes an output fails it.

    python scripts/regen_dates_reference.py            # check: exit 0 when the file is current, else 1
    python scripts/regen_dates_reference.py --write    # rewrite it, after review

An intentional change of a reading (a new month spelling, a new rule of `decide`) means: run it,
review every difference it prints, run it with --write, and commit the new file with a line in the
commit message saying what changed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_site import build_site
from golden import goldens

from newscrawl.extract.article import extract_article
from newscrawl.extract.date_words import (
    DAYS_BACK_WORDS,
    MONTH_NAMES,
    NOISE_WORDS,
    NOW_WORDS,
    RELATIVE_COUNTS,
    RELATIVE_ENDINGS,
    RELATIVE_UNITS,
)
from newscrawl.networks import get_profile
from tests import dates_reference as ref
from tests.fastpaths_reference import conclude, pack
from tests.test_dates import CASES, MACHINE_CASES, UNREADABLE
from tests.test_dates_property import WORDS

if TYPE_CHECKING:
    from newscrawl.extract.candidates import Candidate

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "tests" / "sites"
BENCH_BASE = "http://127.0.0.1:1"
SEED = 2026
GENERATED_TEXTS = 1500
GENERATED_PAGES = 600

GLUE = ("", " ", ", ", " - ", " | ", ":", ".", "/", "-", "(", ") ", "T")
OFFSETS = (
    "", "", "Z", "z", "+0700", "+07:00", "+07", "+0800", "+09:00", "-03:30", "+00:00", "-0000", "+07:00Z", " UTC",
    "utc", " GMT", "+1500", "+07:60", "+14:00", "-12", " +07:00", "Zz", "+7",
)
ZONE_WORDS = ("", " WIB", " wib", " WITA", " WIT", " UTC", " GMT+7", " (WIB)", " GMT +08:00", " PM", " am", " pm WIB")


def _candidate(candidate: Candidate) -> list[Any]:
    return [candidate.raw, candidate.source, candidate.role, candidate.place, candidate.distance]


def _pages() -> list[list[list[Any]]]:
    """The date candidates of every golden page, saved site page and benchmark article, page by page."""
    pages = [
        extract_article(golden.html(), golden.url, get_profile(golden.family)).dates for golden in goldens()
    ]
    for path in sorted(SITES.rglob("*.html")):
        url = f"http://127.0.0.1:8123/{path.relative_to(SITES).as_posix().removesuffix('index.html')}"
        pages.append(extract_article(path.read_bytes(), url, get_profile("generic")).dates)
    site = build_site(60, BENCH_BASE)
    pages += [extract_article(site.pages[t], BENCH_BASE + t, get_profile("prmn")).dates for t in site.article_pages]
    return [[_candidate(c) for c in page] for page in pages if page]


def _date_ish(rng: random.Random) -> str:
    """Words of the date tables, numbers and glue, as tests/test_dates_property.py draws them."""
    out = []
    for _ in range(rng.randint(0, 14)):
        shape = rng.randrange(4)
        token = (
            rng.choice(WORDS) if shape == 0 else rng.choice(WORDS).upper() if shape == 1
            else str(rng.randint(0, 99_999)) if shape == 2 else f"{rng.randint(0, 99):02d}"
        )
        out.append(token + rng.choice(GLUE))
    return "".join(out)


def _field(rng: random.Random, usual: int, edges: tuple[int, ...]) -> int:
    """A field's value: mostly `usual`, sometimes one at or past its edges."""
    return rng.choice(edges) if rng.random() < 0.15 else usual


def _iso_ish(rng: random.Random) -> str:
    """A machine date with each field at, inside or past its edges, in the spellings seen in the wild."""
    if rng.random() < 0.08:
        digits = rng.choice((rng.randint(10**8, 10**10), rng.randint(10**12, 10**13)))
        return f"{digits}{rng.choice(('', '.5', '.123'))}"
    sep = rng.choice("-/-.")
    year = _field(rng, rng.randint(1970, 2100), (1969, 2100, 2101, 9999))
    month, on = _field(rng, rng.randint(1, 12), (0, 13)), _field(rng, rng.randint(1, 28), (0, 29, 30, 31, 32))
    day = f"{year}{sep}{month:02d}{sep}{on:02d}"
    if rng.random() < 0.2:
        return day + rng.choice(OFFSETS)
    tsep = rng.choice("::::.-")
    clock = f"{_field(rng, rng.randint(0, 23), (24, 25)):02d}{tsep}{_field(rng, rng.randint(0, 59), (0, 60)):02d}"
    if rng.random() < 0.7:
        fraction = rng.choice(("", "", ".000", ".123456789", ",5"))
        clock += f"{tsep}{_field(rng, rng.randint(0, 59), (0, 60)):02d}{fraction}"
    return day + rng.choice("TT t") + clock + rng.choice(OFFSETS)


def _relative_or_english(rng: random.Random) -> str:
    """Relative text ("2 jam yang lalu", "kemarin, 15:30") and month-first English, the routes after the fast one."""
    noise = rng.choice(("", "", *NOISE_WORDS)) + rng.choice(("", " ", ": "))
    shape = rng.randrange(4)
    if shape == 0:
        count = rng.choice((str(rng.choice((0, 1, 2, 13, 400, 9999, 12345))), *RELATIVE_COUNTS))
        text = f"{count}{rng.choice(('', ' ', '  '))}{rng.choice(list(RELATIVE_UNITS))} {rng.choice(RELATIVE_ENDINGS)}"
    elif shape == 1:
        clock = rng.choice(("", ", 15:30", " 23.59 WIB", " pukul 07:00", " x"))
        text = rng.choice((*NOW_WORDS, *DAYS_BACK_WORDS)) + clock
    else:
        month = rng.choice(MONTH_NAMES[rng.randrange(12)])
        text = rng.choice((
            f"{month.title()} {rng.randint(0, 32)}, {rng.choice((1969, 2022, 2101))} {rng.randint(0, 13)}:44 PM",
            f"{rng.randint(0, 32)}/{rng.randint(0, 13):02d}/{rng.randint(0, 99):02d}",
        ))
    return noise + (text.upper() if rng.random() < 0.2 else text)


def _shown(rng: random.Random, moment: datetime) -> str:
    """`moment` as a portal prints it beside the headline."""
    month = rng.choice(MONTH_NAMES[moment.month - 1])
    clock = rng.choice(("", f", {moment:%H:%M}", f" - {moment:%H.%M}", f" pukul {moment:%H:%M}"))
    clock += rng.choice(ZONE_WORDS)
    return rng.choice(("", "Kamis, ", "Diperbarui ")) + f"{moment.day} {month.title()} {moment.year}{clock}"


def _generated_page(rng: random.Random, texts: list[str]) -> list[list[Any]]:
    """Candidates built around one moment (machine times in several zones and spellings, visible ones), and strays."""
    moment = ref.NOW.replace(day=rng.randint(1, 28), hour=rng.randint(0, 23), minute=rng.randint(0, 59))
    moment -= timedelta(days=rng.randint(0, 400))
    machine = (
        moment.isoformat(), moment.strftime("%Y-%m-%dT%H:%M:%S%z"), moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        moment.strftime("%Y-%m-%d %H:%M:%S"), moment.strftime("%Y-%m-%d"),
        moment.astimezone(ref.ZONES["UTC"]).isoformat(), moment.astimezone(ref.ZONES["WITA"]).isoformat(),
    )
    out = []
    for _ in range(rng.randint(1, 6)):
        shape = rng.randrange(5)
        if shape < 2:
            out.append([rng.choice(machine), rng.choice(("json-ld", "meta", "time", "attr")),
                        rng.choice(("published", "published", "modified")), rng.choice(("head", "head", "article")), 0])
        elif shape < 4:
            out.append([_shown(rng, moment), "text", "published", rng.choice(("article", "article", "before")),
                        rng.randint(0, 30)])
        else:
            source = rng.choice(("json-ld", "meta", "time", "attr", "text", "url"))
            place = "url" if source == "url" else rng.choice(("head", "article", "before"))
            out.append([rng.choice(texts), source, rng.choice(("published", "modified")), place, rng.randint(0, 30)])
    return out


def corpus() -> dict[str, list[Any]]:
    """The inputs by kind, built from the sources."""
    pages = _pages()
    texts = sorted(
        {c.text for c in CASES} | {t for t in UNREADABLE if t} | {c[0] for c in MACHINE_CASES}
        | {c[0] for page in pages for c in page}
    )
    rng = random.Random(SEED)  # noqa: S311 - a reproducible corpus, not secrets
    shapes = (_date_ish, _iso_ish, _relative_or_english)
    generated = [shapes[n % 3](rng) for n in range(GENERATED_TEXTS)]
    generated_pages = [_generated_page(rng, [*texts, *generated]) for _ in range(GENERATED_PAGES)]
    return {"texts": texts, "generated_texts": generated, "pages": pages, "generated_pages": generated_pages}


def compute(inputs: dict[str, list[Any]]) -> dict[str, Any]:
    """The reference file's content: the corpus and what the readers give for it now."""
    return {
        "kinds": {
            kind: {"inputs": values, "rows": [pack(ref.outputs(kind, value)[1]) for value in values]}
            for kind, values in inputs.items()
        },
    }


def report(stored: dict[str, Any], now: dict[str, Any], shown: int) -> int:
    """Print how `now` differs from `stored`, up to `shown` calls per kind; return how many things differ."""
    count = 0
    for kind in sorted(set(stored["kinds"]) | set(now["kinds"])):
        old = stored["kinds"].get(kind, {"inputs": [], "rows": []})
        new = now["kinds"].get(kind, {"inputs": [], "rows": []})
        key = json.dumps
        old_rows = {key(v): r for v, r in zip(old["inputs"], old["rows"], strict=True)}
        new_rows = {key(v): (v, r) for v, r in zip(new["inputs"], new["rows"], strict=True)}
        added = [k for k in new_rows if k not in old_rows]
        removed = [k for k in old_rows if k not in new_rows]
        changed = [k for k in new_rows if k in old_rows and new_rows[k][1] != old_rows[k]]
        if not (added or removed or changed):
            continue
        print(f"\n== {kind}: {len(added)} inputs added, {len(removed)} removed, {len(changed)} with changed outputs")
        count += len(added) + len(removed) + len(changed)
        for label, keys in (("added", added), ("removed", removed)):
            for k in keys[:shown]:
                print(f"  {label}: {k[:200]}")
        found = [d for k in changed for d in ref.differences(kind, new_rows[k][0], old_rows[k])]
        for difference in found[:shown]:
            print(f"  {difference}")
    return count


def main(argv: list[str]) -> int:
    """Check the stored reference against the readers (1 when it differs); --write rewrites it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the stored file (after reviewing the diff)")
    parser.add_argument("--show", type=int, default=20, help="differing calls shown per kind (default: 20)")
    args = parser.parse_args(argv)
    now = compute(corpus())
    stored = ref.load() if ref.REFERENCE.exists() else {"kinds": {}}
    code, last = conclude(now, report(stored, now, args.show), write=args.write, path=ref.REFERENCE)
    print(last)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
