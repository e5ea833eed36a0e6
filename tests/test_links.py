"""URL rules per family, as tables of real URLs: canonical URL, dedup key, article / tag / listing.

The rules are data in each family's profile; these tables are their tests. The two saved home
pages (tests/fixtures/listings) check link classification on real listing markup.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import FIXTURES, response_for

from newscrawl.extract.links import (
    absolute,
    canonical_url,
    dedup_key,
    is_article_url,
    is_denied,
    is_listing_url,
    is_tag_url,
    link_kind,
    netloc,
)
from newscrawl.networks import get_profile

# (family, url, is an article, is a tag page)
KINDS: list[tuple[str, str, bool, bool]] = [
    ("prmn", "https://zonajakarta.pikiran-rakyat.com/internasional/pr-18808737/walau-kena-covid-19", True, False),
    ("prmn", "https://zonajakarta.pikiran-rakyat.com/tag/Donald%20Trump", False, True),
    ("prmn", "https://zonajakarta.pikiran-rakyat.com/internasional", False, False),
    ("radar", "https://radarbogor.jawapos.com/bogor/2145678901/pemkot-bogor-tambah-12-titik-uji-emisi", True, False),
    ("radar", "https://radarbogor.jawapos.com/tag/uji%20emisi", False, True),
    ("tribun", "https://solo.tribunnews.com/2020/10/09/protokol-kesehatan-3m-adalah-vaksin-terbaik", True, False),
    ("tribun", "https://www.tribunnews.com/metropolitan/2015/06/19/kadishub-dki-taksi-uber", True, False),
    ("tribun", "https://jabar.tribunnews.com/tag/persib-bandung", False, True),
    ("tribun", "https://solo.tribunnews.com/topic/penanganan-covid", False, True),
    ("tribun", "https://solo.tribunnews.com/2020/10/09/protokol-kesehatan-3m?page=all", True, False),
    ("tribun", "https://solo.tribunnews.com/news", False, False),
    ("detik", "https://www.detik.com/jateng/berita/d-7123456/banjir-rendam-ratusan-rumah-di-demak", True, False),
    ("detik", "https://news.detik.com/berita/d-5900237/jelang-kedatangan-jokowi-ke-bandung", True, False),
    ("detik", "http://inet.detik.com/read/2015/11/05/100026/3062623/323/google-umbar-kelemahan-galaxy-s6-edge",
     True, False),
    ("detik", "https://www.detik.com/tag/banjir-demak", False, True),
    ("detik", "https://www.detik.com/jateng/indeks", False, False),
    ("kompas", "https://regional.kompas.com/read/2026/02/24/085000178/banjir-demak-warga-mengungsi", True, False),
    ("kompas", "https://bandung.kompas.com/read/2025/05/28/13300711/pengacara-dituntut", True, False),
    ("kompas", "https://www.kompas.com/tag/banjir", False, True),
    ("kompas", "https://regional.kompas.com/jawa-tengah", False, False),
    ("suara", "https://www.suara.com/news/2015/06/19/130605/polda-bali-kumpulkan-4-alat-bukti-pembunuhan-angeline",
     True, False),
    ("suara", "https://jogja.suara.com/read/2026/02/24/085000/warga-sleman-antre-minyak-goreng", True, False),
    ("suara", "https://www.suara.com/tag/angeline", False, True),
    ("generic", "https://beritamanado.com/bayi-dua-hari-asal-tomohon-suspect-covid-19/", True, False),
    ("generic", "https://mediaindonesia.com/ekonomi/822959/kpk-tak-temukan-surat-pencabutan-iup-nikel", True, False),
    ("generic", "http://www.antaranews.com/berita/527615/29-penerbangan-bandara-internasional-lombok-dibatalkan",
     True, False),
    ("generic", "https://beritamanado.com/category/manado/", False, False),
    ("generic", "https://beritamanado.com/tag/covid-19/", False, True),
    ("generic", "https://www.merdeka.com/company/pedoman-pemberitaan-media-siber.html", False, False),
    ("generic", "https://beritamanado.com/wp-content/uploads/2020/10/foto-berita.jpg", False, False),
]

# (family, url, canonical URL)
CANONICAL: list[tuple[str, str, str]] = [
    ("prmn", "https://zonajakarta.pikiran-rakyat.com/internasional/amp/pr-18808737/walau-kena?page=2&utm_source=wa",
     "https://zonajakarta.pikiran-rakyat.com/internasional/pr-18808737/walau-kena"),
    ("radar", "https://radarbogor.jawapos.com/bogor/amp/2145678901/uji-emisi",
     "https://radarbogor.jawapos.com/bogor/2145678901/uji-emisi"),
    ("tribun", "https://solo.tribunnews.com/amp/2020/10/09/protokol-kesehatan?page=all",
     "https://solo.tribunnews.com/2020/10/09/protokol-kesehatan"),
    ("detik", "https://www.detik.com/jateng/berita/d-7123456/banjir-demak?single=1&tag_from=wp_nhl",
     "https://www.detik.com/jateng/berita/d-7123456/banjir-demak"),
    ("kompas", "https://regional.kompas.com/read/2026/02/24/085000178/banjir-demak?page=all#page2",
     "https://regional.kompas.com/read/2026/02/24/085000178/banjir-demak"),
    ("generic", "http://gaya.tempo.co/read/news/2015/11/05/060716092/ini-7-alasan?i=1",
     "http://gaya.tempo.co/read/news/2015/11/05/060716092/ini-7-alasan"),
    ("generic", "https://example.id/berita/?p=1234&utm_medium=social", "https://example.id/berita/?p=1234"),
]

# URL variants of one article share one dedup key.
SAME_ARTICLE: list[tuple[str, str]] = [
    ("http://www.tribunnews.com/metropolitan/2015/06/19/kadishub/", "https://tribunnews.com/metropolitan/2015/06/19/kadishub"),
    ("https://m.detik.com/jateng/berita/d-7123456/banjir", "https://www.detik.com/jateng/berita/d-7123456/banjir"),
    (
        "https://zonajakarta.pikiran-rakyat.com/tag/Donald%20Trump",
        "https://ZonaJakarta.pikiran-rakyat.com/tag/Donald Trump",
    ),
]


@pytest.mark.parametrize(("family", "url", "article", "tag"), KINDS, ids=[f"{f}:{u[-40:]}" for f, u, _, _ in KINDS])
def test_url_kind(family: str, url: str, article: bool, tag: bool) -> None:
    profile = get_profile(family)
    assert is_article_url(url, profile) is article
    assert is_tag_url(url, profile) is tag
    # The crawl's one-call classification agrees with the single questions.
    if article:
        assert link_kind(url, profile) == "article"
    elif tag and not is_denied(url, profile):
        assert link_kind(url, profile) == "tag"
    else:
        assert link_kind(url, profile) in (None, "listing")


@pytest.mark.parametrize(("family", "url", "canonical"), CANONICAL, ids=[f"{f}:{u[-30:]}" for f, u, _ in CANONICAL])
def test_canonical_url(family: str, url: str, canonical: str) -> None:
    assert canonical_url(url, get_profile(family)) == canonical


@pytest.mark.parametrize(("one", "other"), SAME_ARTICLE)
def test_dedup_key(one: str, other: str) -> None:
    assert dedup_key(one) == dedup_key(other)


def test_different_articles_have_different_keys() -> None:
    assert dedup_key("https://a.id/berita/1-satu") != dedup_key("https://a.id/berita/2-dua")


def test_tribun_tag_links_with_article_query_are_denied() -> None:
    profile = get_profile("tribun")
    assert is_denied("https://solo.tribunnews.com/tag/eka-ginanjar?url=2020/10/09/protokol", profile)
    assert not is_denied("https://solo.tribunnews.com/tag/eka-ginanjar", profile)


def test_section_pages_are_listings() -> None:
    assert is_listing_url("https://beritamanado.com/category/manado/", get_profile("generic"))
    assert is_listing_url("https://zonajakarta.pikiran-rakyat.com/internasional?page=2", get_profile("prmn"))


# Saved home pages: (fixture, home URL, links that are articles, links that are not).
HOMES = [
    (
        "beritamanado_2020_home", "https://beritamanado.com/",
        ["https://beritamanado.com/bayi-dua-hari-asal-tomohon-suspect-covid-19/",
         "https://beritamanado.com/astra-isuzu-bidik-sektor-kesehatan/"],
        ["https://beritamanado.com/", "https://beritamanado.com/category/manado/",
         "https://beritamanado.com/author/rein/", "https://beritamanado.com/amsi/"],
    ),
    (
        "merdeka_2020_home", "https://www.merdeka.com/",
        ["https://www.merdeka.com/artis/lucu-potret-masa-kecil-sherina-rambutnya-keriting.html"],
        ["https://www.merdeka.com/", "https://www.merdeka.com/jateng/", "https://www.merdeka.com/feed/",
         "https://www.merdeka.com/company/kontak-kami.html", "https://www.merdeka.com/indeks-berita/"],
    ),
]


@pytest.mark.parametrize(("name", "home", "articles", "others"), HOMES, ids=[h[0] for h in HOMES])
def test_home_page_link_classification(name: str, home: str, articles: list[str], others: list[str]) -> None:
    body = gzip.decompress((FIXTURES / "listings" / f"{name}.html.gz").read_bytes())
    response = response_for(body, home)
    links = {absolute(h, home) for h in response.css("a::attr(href)").getall()}
    on_site = {link for link in links if link and netloc(link) == netloc(home)}
    profile = get_profile("generic")
    classified = {link for link in on_site if is_article_url(link, profile)}
    assert set(articles) <= classified
    assert not set(others) & classified
    assert {o for o in others if o in on_site} == set(others) - {home.rstrip("/")}
    # A home page of a news site links mostly to articles.
    assert len(classified) >= 40
