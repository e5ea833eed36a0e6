"""The syndication site: seven portals on 127.0.0.1 republishing one another, with planted copies and look-alikes.

Each portal is built in the markup of one family (tests/sites/build_families.py writes the pages,
so every copy gets its portal's own dateline, credits, Baca Juga box, ads and promos) and served
on its own port. What is planted (`plan`), each article labelled with the story it belongs to:

* copies: 20 real article bodies (tests/fixtures, provenance in PROVENANCE.md), each published on
  one portal and republished 1 to 3 hours later on one to three others, as is or edited: a
  paragraph added, the ending trimmed (a quarter of the paragraphs), a typo fixed, trimmed and
  added, or wrapped in the Warta Pesisir portal's own opening and closing paragraphs; two real
  pages that are the same article twice (tempo-gaya, and the PRMN template's desktop and mobile
  mock-ups) on two portals each;
* look-alikes that must stay apart: the same event reported independently (the real mediariau and
  fakta pages on Allegri and Arsenal, and three written pairs, texts.py), the same wrapper
  paragraphs around five different stories (Warta Pesisir), a three-part series whose parts open
  with the same two paragraphs (the rest of each part is a third of a real article not published
  otherwise), and 19 other real articles once each;
* a short note republished word for word on two portals (`scored` False: too short to join a story
  on text alone, it must stay apart, and is left out of precision and recall).

`score` compares the delivered ``story_id`` with the labels over every pair of articles.
Standard library only (and build_families); nothing here reaches the network.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
SITES = HERE.parent
FIXTURES = SITES.parent / "fixtures"
for folder in (HERE, SITES):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import build_families  # noqa: E402
from serve import serving  # noqa: E402
from texts import ADDED, INDEPENDENT, SERIES_INTRO, SHORT_NOTE, WRAPPER_CLOSE, WRAPPER_OPEN  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

WIB = timezone(timedelta(hours=7))
# Portal name -> family. "pesisir" is a generic (WordPress) portal that wraps every article.
PORTALS: dict[str, str] = {
    "kabarjateng": "prmn", "tribunjateng": "tribun", "detikjateng": "detik", "kompasregional": "kompas",
    "suarajogja": "suara", "beritademak": "generic", "pesisir": "generic",
}
ROTATION = tuple(p for p in PORTALS if p != "pesisir")
EDITS = ("as-is", "added", "trimmed", "typo", "trimmed+added")
# Real bodies published on one portal and republished on others (how many copies each).
ORIGINALS: tuple[tuple[str, int], ...] = (
    ("detik/inet_2015_galaxy-s6-edge", 2), ("detik/news_2015_robot-ugm", 3), ("detik/sport_2016_kerber-ivanovic", 1),
    ("generic/antara-otomotif_2016_aspira", 2), ("generic/antara_2015_lombok", 1),
    ("generic/antara_2016_prostitusi-lampung", 2), ("generic/antara_2016_turki-film", 3),
    ("generic/kapanlagi-musik_2016_digrebek", 1), ("generic/kapanlagi_2015_brandon-salim", 2),
    ("generic/liputan6_2015_jk-ahok", 2), ("generic/mediaindonesia_2025_iup-nikel", 3),
    ("generic/merdeka_2015_guantanamo", 1), ("generic/okezone-lifestyle_2015_depresi", 2),
    ("generic/republika-nasional_2015_dprd-sumut", 2), ("generic/viva-life_2016_taylor-swift", 1),
    ("kompas/bola_2015_ditawari-200-juta", 2), ("kompas/nasional_2016_yuddy-pns", 3),
    ("suara/suara_2015_angeline", 2), ("tribun/solo_2020_protokol-kesehatan", 1),
    ("tribun/tribunnews_2015_kadishub-dki-uber", 2),
)
# Republished with Warta Pesisir's wrapper paragraphs (a copy in other boilerplate).
WRAPPED_COPIES = ("generic/antara_2016_turki-film", "generic/liputan6_2015_jk-ahok")
# Real pages that are one article twice: each pair is one story.
TWINS: tuple[tuple[str, str], ...] = (
    ("generic/tempo-gaya_2015_malas-bergerak", "generic/tempo-gaya_2015_malas-bergerak-i1"),
    ("prmn/template2019_desktop_artikel", "prmn/template2019_mobile_artikel"),
)
# Real articles published once (two of them report the same rumour independently: mediariau, fakta).
SINGLES = (
    "generic/jakartaglobe_2015_kpk", "generic/jakartapost_2015_church",
    "generic/lingkarannews_2016_commitee-300", "generic/kapanlagi_2016_dian-sastro",
    "generic/liputan6-showbiz_2016_london-love-story", "generic/mediaindonesia_2026_ihsg",
    "generic/okezone-celebrity_2017_indra-birowo", "generic/republika-bola_2015_fernandinho",
    "generic/republika-jurnalhaji_2017_kesehatan", "generic/tempo-en_2015_peatland", "kompas/bola_2016_samsul-arif",
    "kompas/internasional_2016_zuckerberg", "kompas/otomotif_2016_merek-china", "prmn/template2019_amp_artikel",
    "tribun/tribunnews_2017_nelayan-ahok-al-maidah", "generic/mediariau_2017_allegri-arsenal",
    "generic/fakta_2017_arsenal-allegri", "generic/wartasolo_2017_arsenal-watford",
    "detik/finance_2016_readfoto-gardu-induk",
)
# Different short stories inside Warta Pesisir's wrapper: the same boilerplate around different text.
WRAPPED = (
    "tribun/tribuntimur_2016_jessica-wongso-p1", "tribun/tribuntimur_2016_pac-demokrat-tamalate",
    "tribun/tribuntimur_2016_peternak-pinrang", "prmn/zonajakarta_2020_pr-18808737_page2",
    "radar/synthetic_2026_uji-emisi",
)
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


@dataclass(frozen=True)
class Planted:
    """One article of the site: where it is, its text, and the story it belongs to."""

    portal: str
    label: str  # the story: articles with the same label are copies of one another
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    edit: str  # how it came to be: original, as-is, added, trimmed, typo, trimmed+added, wrapped, ...
    scored: bool = True


def _fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))["expected"]
    return data


def _published(data: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(data["published_at"]).astimezone(WIB).replace(second=0)


def _typo(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """The text with one word misspelt (two letters swapped), as a hurried copy has it, or a fix undoes."""
    middle = len(paragraphs) // 2
    words = paragraphs[middle].split(" ")
    at = max(range(len(words)), key=lambda i: (len(words[i]), -i))
    word = words[at]
    words[at] = word[:2] + word[3] + word[2] + word[4:]
    return (*paragraphs[:middle], " ".join(words), *paragraphs[middle + 1:])


def edited(paragraphs: tuple[str, ...], edit: str, n: int) -> tuple[str, ...]:
    """A copy of `paragraphs` edited as `edit` says (`n` picks which added paragraph)."""
    keep = len(paragraphs) - max(1, round(len(paragraphs) / 4))
    if edit == "added":
        return (*paragraphs, ADDED[n % len(ADDED)])
    if edit == "trimmed":
        return paragraphs[:keep]
    if edit == "typo":
        return _typo(paragraphs)
    if edit == "trimmed+added":
        return (*paragraphs[:keep], ADDED[n % len(ADDED)])
    if edit == "wrapped":
        return (WRAPPER_OPEN, *paragraphs, WRAPPER_CLOSE)
    return paragraphs


def _text(data: dict[str, Any]) -> tuple[str, ...]:
    return tuple(data["body"].split("\n\n"))


def _copies() -> list[Planted]:
    """The originals and their copies, the wrapped copies and the real twins."""
    out: list[Planted] = []
    edits = itertools.cycle(EDITS)
    for i, (name, copies) in enumerate(ORIGINALS):
        data = _fixture(name)
        text, when, home = _text(data), _published(data), ROTATION[i % len(ROTATION)]
        out.append(Planted(home, name, data["title"], text, when, "original"))
        for j in range(copies):
            edit = next(edits)
            out.append(Planted(ROTATION[(i + 1 + j) % len(ROTATION)], name, data["title"], edited(text, edit, i + j),
                               when + timedelta(hours=1 + j), edit))
    for i, name in enumerate(WRAPPED_COPIES):
        data = _fixture(name)
        out.append(Planted("pesisir", name, data["title"], edited(_text(data), "wrapped", i),
                           _published(data) + timedelta(hours=5), "wrapped"))
    for i, pair in enumerate(TWINS):
        for j, name in enumerate(pair):
            data = _fixture(name)
            out.append(Planted(ROTATION[(i * 2 + j) % len(ROTATION)], pair[0], data["title"], _text(data),
                               _published(data) + timedelta(minutes=30 * j), "twin"))
    return out


def _look_alikes() -> list[Planted]:
    """Articles that must stay apart: singles, wrapped stories, independent reports, a series, a short note."""
    out: list[Planted] = []
    for i, name in enumerate(SINGLES):
        data = _fixture(name)
        out.append(Planted(ROTATION[(i + 3) % len(ROTATION)], name, data["title"], _text(data), _published(data),
                           "single"))
    for i, name in enumerate(WRAPPED):
        data = _fixture(name)
        out.append(Planted("pesisir", name, data["title"], edited(_text(data), "wrapped", i), _published(data),
                           "wrapper"))
    event_day = datetime(2024, 3, 12, 9, 0, tzinfo=WIB)
    for i, (slug, first, second) in enumerate(INDEPENDENT):
        for j, text in enumerate((first, second)):
            title = f"{slug.replace('-', ' ').title()} ({'laporan' if j else 'liputan'})"
            out.append(Planted(ROTATION[(i + j * 3) % len(ROTATION)], f"{slug}/{j}", title, text,
                               event_day + timedelta(days=i, hours=j), "independent"))
    trial = _fixture("generic/antara_2017_brotoseno")["body"].split("\n\n")
    for part in range(3):
        text = (*SERIES_INTRO, *trial[part * 10:(part + 1) * 10])
        out.append(Planted("kabarjateng", f"series/{part + 1}", f"Catatan Sidang Suap, Bagian {part + 1}", text,
                           datetime(2017, 5, 22 + part, 7, 0, tzinfo=WIB), "series"))
    for j, portal in enumerate(("detikjateng", "beritademak")):
        out.append(Planted(portal, f"short/{j}", "Layanan KTP Elektronik Tutup Sementara", SHORT_NOTE,
                           datetime(2024, 3, 14, 8, 0, tzinfo=WIB) + timedelta(hours=j), "short", scored=False))
    return out


def plan() -> list[Planted]:
    """Every article of the site, in a fixed order."""
    return _copies() + _look_alikes()


def _shown(family: str, when: datetime) -> str:
    day, month, clock = DAYS[when.weekday()], MONTHS[when.month - 1], when.strftime("%H:%M")
    return {
        "prmn": f"{day}, {when.day} {month} {when.year} | {clock} WIB",
        "suara": f"{day}, {when.day} {month} {when.year} | {clock} WIB",
        "tribun": f"{day}, {when.day} {month} {when.year} {clock} WIB",
        "detik": f"{day}, {when.day:02d} {month[:3]} {when.year} {clock} WIB",
        "kompas": f"{when.day:02d} {month} {when.year}, {clock} WIB",
    }.get(family, f"{when.day} {month} {when.year} {clock}")


def _path(family: str, n: int, when: datetime, title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-") + f"-{n}"
    date = f"{when.year}/{when.month:02d}/{when.day:02d}"
    return {
        "prmn": f"/nasional/pr-{1200000000 + n}/{slug}",
        "tribun": f"/{date}/{slug}",
        "detik": f"/jateng/berita/d-{7200000 + n}/{slug}",
        "kompas": f"/read/{date}/{100000000 + n}/{slug}",
        "suara": f"/read/{date}/{100000 + n}/{slug}",
    }.get(family, f"/{date}/{slug}/")


def build(root: Path, planted: list[Planted] | None = None) -> dict[tuple[str, str], Planted]:
    """Write every portal under `root`/<portal>; return the planted article at each (portal, path)."""
    where: dict[tuple[str, str], Planted] = {}
    by_portal: dict[str, list[build_families.Article]] = {p: [] for p in PORTALS}
    for n, article in enumerate(planted or plan()):
        family = PORTALS[article.portal]
        path = _path(family, n, article.published, article.title)
        paragraphs = list(article.paragraphs)
        # Long articles go over two pages where the family pages them (merged again by the crawl).
        split = len(paragraphs) // 2 if family in ("prmn", "tribun", "kompas") and len(paragraphs) >= 10 else 0
        dateline = build_families.FAMILIES[family][5]
        by_portal[article.portal].append(build_families.Article(
            path, article.title, article.published.isoformat(), _shown(family, article.published), dateline,
            paragraphs[:split] if split else paragraphs, paragraphs[split:] if split else [],
        ))
        where[article.portal, path] = article
    for portal, articles in by_portal.items():
        family = PORTALS[portal]
        writer, assets = build_families.FAMILIES[family][0], build_families.FAMILIES[family][6]
        writer(root / portal, articles, assets)
    return where


@dataclass
class Site:
    """The running portals: their base URLs, and the planted article at each (portal, path)."""

    bases: dict[str, str]
    where: dict[tuple[str, str], Planted]

    @property
    def start_urls(self) -> str:
        """The crawl's ``start_urls`` argument: every portal's home page."""
        return ",".join(f"{base}/" for base in self.bases.values())

    def planted(self, url: str) -> Planted:
        """The planted article a delivered URL is."""
        parts = urlsplit(url)
        portal = next(p for p, base in self.bases.items() if urlsplit(base).netloc == parts.netloc)
        return self.where[portal, parts.path]


@contextlib.contextmanager
def serving_site(root: Path) -> Iterator[Site]:
    """Build the site under `root` and serve each portal on its own port."""
    where = build(root)
    with contextlib.ExitStack() as stack:
        bases = {portal: stack.enter_context(serving(root / portal)) for portal in PORTALS}
        yield Site(bases, where)


@dataclass(frozen=True)
class Score:
    """Pairwise precision and recall of the delivered stories against the labels."""

    precision: float
    recall: float
    pairs: int  # pairs of scored articles that are copies of one another
    missed: tuple[tuple[str, str], ...]  # copies given two stories (URLs)
    joined: tuple[tuple[str, str], ...]  # look-alikes given one story (URLs)


def score(site: Site, items: list[dict[str, Any]]) -> Score:
    """Precision and recall over every pair of scored delivered articles (same label vs same story_id)."""
    scored = [(site.planted(i["url"]), i) for i in items]
    scored = [(p, i) for p, i in scored if p.scored]
    true_pos, missed, joined = 0, [], []
    for (a, x), (b, y) in itertools.combinations(scored, 2):
        same, grouped = a.label == b.label, x["story_id"] == y["story_id"]
        true_pos += same and grouped
        if same and not grouped:
            missed.append((x["url"], y["url"]))
        elif grouped and not same:
            joined.append((x["url"], y["url"]))
    precision = true_pos / (true_pos + len(joined)) if true_pos + len(joined) else 1.0
    recall = true_pos / (true_pos + len(missed)) if true_pos + len(missed) else 1.0
    return Score(precision, recall, true_pos + len(missed), tuple(missed), tuple(joined))
