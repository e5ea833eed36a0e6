"""The zone of a site no one registered, read from where it says it is (`newscrawl.extract.site_place`).

A made-up article of an unregistered host, whose dates state no zone, read by the generic family
through the steps a crawl runs; its region is given by its host, its name (og:site_name) or its
geo tags. The registry's own portals check the place names against the zones written for them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import NOW, read_as_crawled

from newscrawl.extract.site_place import place_zone
from newscrawl.registry import load_registry
from tests.conftest import MADE_UP_BODY, MADE_UP_HEADLINE, crawl_one_page

URL = "https://kabar-pesisir.test/berita/2026/12/banjir-rob-rendam-pesisir"
# The article's date, printed with no zone.
ZONELESS = '<p class="tgl">Senin, 7 Desember 2026 08:46</p>'
WIB, WITA, WIT = "2026-12-07T08:46:00+07:00", "2026-12-07T08:46:00+08:00", "2026-12-07T08:46:00+09:00"


def _page(head: str = "", under_headline: str = ZONELESS, aside: str = "") -> bytes:
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>{MADE_UP_HEADLINE}</title>{head}</head><body>
<header><nav><a href="/">Beranda</a></nav></header>
<main><article><h1>{MADE_UP_HEADLINE}</h1>{under_headline}<div class="isi">{MADE_UP_BODY}</div></article>
<aside><h3>Terkini</h3><ul>{aside}</ul></aside></main></body></html>""".encode()


def _read(body: bytes, url: str = URL) -> dict[str, Any]:
    _, fields, outcome = read_as_crawled(body, url, "generic", now=NOW.replace(year=2027))
    return {"published_at": fields["published_at"], "zone_from_site": outcome.zone_from_site}


def _site_name(name: str) -> str:
    return f'<meta property="og:site_name" content="{name}">'


@pytest.mark.parametrize(
    ("head", "url", "published"),
    [
        (_site_name("Kabar Kendari"), URL, WITA),
        (_site_name("WartaKaltim.com"), URL, WITA),  # words run together, told apart by their capitals
        (_site_name("Warta Nusa Tenggara Barat"), URL, WITA),  # a province's name of three words
        (_site_name("Suara Merauke"), URL, WIT),
        ("", "https://radarbali.test/berita/2026/12/banjir-rob-rendam-pesisir", WITA),  # the host
        ("", "https://www.kaltimpost.test/berita/2026/12/banjir-rob-rendam-pesisir", WITA),
        ("", "https://sulsel.kabar-pesisir.test/berita/2026/12/banjir-rob-rendam-pesisir", WITA),  # a regional desk
        ('<link rel="canonical" href="https://malukupost.test/berita/banjir">', URL, WIT),  # the page's own URL
        ('<meta name="geo.region" content="ID-PA">', URL, WIT),  # ISO 3166-2:ID, Papua
        ('<meta name="geo.region" content="id-sn">', URL, WITA),  # Sulawesi Selatan
        ('<meta name="geo.placename" content="Mataram, Nusa Tenggara Barat">', URL, WITA),
    ],
)
def test_a_site_of_unknown_zone_is_read_in_the_zone_of_its_region(head: str, url: str, published: str) -> None:
    assert _read(_page(head), url) == {"published_at": published, "zone_from_site": "place"}


@pytest.mark.parametrize(
    ("head", "url"),
    [
        (_site_name("Kabar Bali"), "https://jakarta-kabar.test/berita/2026/12/banjir"),  # two signs, two zones
        (_site_name("Kabar Bali") + '<meta name="geo.region" content="ID-JK">', URL),
        ('<meta name="geo.region" content="ID-KA">', URL),  # Kalimantan spans WIB and WITA
        (_site_name("Kabar Kalimantan"), URL),
        (_site_name("Kembali News"), URL),  # "kembali" (again) ends in "bali"
        ("", "https://balitanews.test/berita/2026/12/banjir"),  # "balita" (toddler) begins with "bali"
        ("", "https://balitbangda.test/berita/2026/12/banjir"),  # a research office begins with "bali"
        ("", "https://sumbangan-warga.test/berita/2026/12/banjir"),  # "sumbangan" (donation), not Sumba
        ("", "https://paluta-news.test/berita/2026/12/banjir"),  # Padang Lawas Utara, not Palu
        ("", "https://alternate.test/berita/2026/12/banjir"),  # not Ternate
        (_site_name("Kabar Timur"), URL),  # "the east": a direction, no place
    ],
)
def test_no_zone_is_taken_from_a_place_that_is_not_one_or_from_signs_that_disagree(head: str, url: str) -> None:
    assert _read(_page(head), url) == {"published_at": WIB, "zone_from_site": None}


@pytest.mark.parametrize(
    ("head", "url"),
    [
        (_site_name("Kabar Jakarta"), URL),
        ("", "https://mataraman.test/berita/2026/12/banjir"),  # East Java's Mataraman, not Mataram (NTB)
    ],
)
def test_a_site_in_wib_is_read_in_wib_by_its_place(head: str, url: str) -> None:
    assert _read(_page(head), url) == {"published_at": WIB, "zone_from_site": "place"}


def test_the_zone_the_article_states_stands_against_its_sites_place() -> None:
    stated = '<p class="tgl">Senin, 7 Desember 2026 08:46 WIB</p>'
    assert _read(_page(_site_name("Kabar Kendari"), stated)) == {"published_at": WIB, "zone_from_site": None}


def test_the_sites_other_clocks_go_before_its_place() -> None:
    # A site named for Bali whose lists print WIB (its server's clock): the clocks are what it shows.
    terkini = "".join(f'<li><a href="/b{n}">Berita {n}</a> 0{n}:10 WIB</li>' for n in (1, 2))
    got = _read(_page(_site_name("Kabar Bali"), aside=terkini))
    assert got == {"published_at": WIB, "zone_from_site": "clocks"}


def test_a_registered_portals_zone_is_not_overruled_by_its_place() -> None:
    registered = next(p for p in load_registry().portals if p.timezone == "WIB" and p.network == "generic")
    url = f"https://{registered.host}/berita/2026/12/banjir-rob-rendam-pesisir"
    assert _read(_page(_site_name("Kabar Kendari")), url) == {"published_at": WIB, "zone_from_site": None}


def test_the_place_names_agree_with_the_zone_of_every_registered_portal() -> None:
    # Each registered portal read by its host and its name alone: a place found must be in the
    # portal's zone, and most portals outside WIB name theirs.
    named, wrong = 0, []
    portals = [p for p in load_registry().portals if p.timezone != "WIB"]
    for portal in load_registry().portals:
        zone = place_zone((portal.home_url,), portal.name if portal.name != portal.id else None)
        if zone is not None and zone != portal.timezone:
            wrong.append((portal.id, portal.name, portal.timezone, zone))
        named += zone is not None and portal.timezone != "WIB"
    assert wrong == []
    assert named >= 0.75 * len(portals), (named, len(portals))


def test_a_crawl_of_an_unregistered_site_reads_the_zone_of_its_region(tmp_path: Path) -> None:
    results = crawl_one_page(tmp_path, _page(_site_name("Kabar Kendari")))
    assert {given: [item["published_at"] for item in r.items] for given, r in results.items()} == {
        "": [WITA], "WIB": [WIB],
    }
    # Counted, and said in the crawl's summary; not when the zone is given.
    for given, result in results.items():
        read_in_its_place = 0 if given else 1
        assert result.stat("newscrawl/date_zone_from_place") == read_in_its_place
        assert f"zone from the site's clocks: 0, from its place: {read_in_its_place})" in result.log


# Real portals the registry does not list, with the zone of the city or province each is published in.
UNLISTED: dict[str, str] = {
    **dict.fromkeys(
        ("beritabali.com", "balipuspanews.com", "suarantb.com", "lomboktoday.co.id", "makassarterkini.id",
         "sulselsatu.com", "kabarmakassar.com", "sulutpos.com", "sultrakini.com", "zonasultra.id",
         "balikpapanpos.co.id", "kaltimtoday.co", "korankaltim.com", "kalselpos.com"),
        "WITA",
    ),
    **dict.fromkeys(
        ("suarapapua.com", "papuainside.id", "kabarpapua.co", "sorongraya.co", "timikaexpress.id", "malutpost.com"),
        "WIT",
    ),
    **dict.fromkeys(
        ("radarcirebon.com", "krjogja.com", "malangpost.id", "borneonews.co.id", "batampos.co.id", "bangkapos.com",
         "jambi-independent.co.id", "kupasbengkulu.com", "jatimtimes.com", "kalbaronline.com", "kaltengtoday.com",
         "sumbarkita.id", "kabarbanten.com", "medanbisnisdaily.com"),
        "WIB",
    ),
}


def test_the_hosts_of_real_portals_no_one_registered_give_their_zone_or_none() -> None:
    assert all(load_registry().get(f"https://{host}/") is None for host in UNLISTED)
    read = {host: place_zone((f"https://{host}/",), None) for host in UNLISTED}
    assert {host: zone for host, zone in read.items() if zone not in (None, UNLISTED[host])} == {}
    outside_wib = [host for host, zone in UNLISTED.items() if zone != "WIB"]
    assert sum(read[host] is not None for host in outside_wib) == len(outside_wib)
