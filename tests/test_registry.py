"""Tests for the portal registry: the packaged data, URL ownership, validation errors, and drift.

The drift test regenerates newscrawl/portals.toml from the shared TSV and compares bytes, so the
data and scripts/portals_from_tsv.py cannot disagree without a failing test. These tests must
never reach the network: every URL here is only parsed, never fetched.
"""

from __future__ import annotations

import csv
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.networks import NETWORK_NAMES
from newscrawl.registry import Registry, RegistryError, load_registry, parse_registry

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "portals_from_tsv.py"
PACKAGED = REPO / "newscrawl" / "portals.toml"
TSV = REPO / "scripts" / "portals.tsv"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


# --- the packaged registry -------------------------------------------------------------------


def test_packaged_registry_loads_with_unique_ids_and_hosts(registry: Registry) -> None:
    assert len(registry) >= 150
    ids = registry.ids()
    assert len(set(ids)) == len(ids)
    claims = [(host, portal.path_prefix) for portal in registry for host in portal.hosts]
    assert len(set(claims)) == len(claims)


def test_every_portal_has_a_known_family_zone_and_render_mode(registry: Registry) -> None:
    for portal in registry:
        assert portal.network in NETWORK_NAMES, portal.id
        assert portal.timezone in {"WIB", "WITA", "WIT"}, portal.id
        assert portal.render in {"http", "js"}, portal.id
        assert portal.host == portal.host.lower(), portal.id
        assert portal.hosts[0] == portal.host, portal.id


def test_network_counts(registry: Registry) -> None:
    assert len(registry.by_network("prmn")) >= 30
    assert len(registry.by_network("detik")) == 9
    assert registry.by_network("no-such-family") == ()
    assert sum(len(registry.by_network(name)) for name in NETWORK_NAMES) == len(registry)


@pytest.mark.parametrize(
    ("portal_id", "name", "network", "group"),
    [
        ("zonajakarta.pikiran-rakyat.com", "Zona Jakarta", "prmn", "prmn"),
        ("galamedia.pikiran-rakyat.com", "Galamedia News", "prmn", "prmn"),
        ("portaljember.pikiran-rakyat.com", "Portal Jember", "prmn", "prmn"),
        ("jogja.suara.com", "SuaraJogja", "suara", "suara"),
        ("www.detik.com/sumbagsel", "detikSumbagsel", "detik", "detik"),
        ("kaltim.antaranews.com", "kaltim.antaranews.com", "generic", "antara"),
        ("radarsolo.jawapos.com", "Radar Solo", "radar", "radar"),
        ("fajar.co.id", "Fajar", "generic", "jawapos-group"),
    ],
)
def test_real_portals_are_registered(
    registry: Registry, portal_id: str, name: str, network: str, group: str
) -> None:
    portal = registry.get(portal_id)
    assert portal is not None
    assert (portal.name, portal.network, portal.media_group) == (name, network, group)


def test_no_invented_portal(registry: Registry) -> None:
    # klikbanggai.com is not in the shared TSV, so it must not be in the registry.
    assert registry.get("klikbanggai.com") is None


@pytest.mark.parametrize(
    ("portal_id", "region", "timezone"),
    [
        ("bali.tribunnews.com", "Bali", "WITA"),
        ("denpasarupdate.pikiran-rakyat.com", "Bali", "WITA"),
        ("papua.tribunnews.com", "Papua", "WIT"),
        ("portalmaluku.pikiran-rakyat.com", "Maluku", "WIT"),
        ("sorong.tribunnews.com", "Papua Barat Daya", "WIT"),
        ("galamedia.pikiran-rakyat.com", "Jawa Barat", "WIB"),
        ("kalteng.antaranews.com", "Kalimantan Tengah", "WIB"),
        ("kaltim.antaranews.com", "Kalimantan Timur", "WITA"),
        # "WIB (national)" becomes WIB.
        ("haloyouth.pikiran-rakyat.com", "national (thematic)", "WIB"),
        # Mixed zones: decided per portal in the generator's ZONE_DECISIONS.
        ("regional.kompas.com", "national (regional desk)", "WIB"),
        ("www.detik.com/kalimantan", "Kalimantan (multi-province)", "WITA"),
        # Region and zone unknown in the TSV: WIB assumed (and noted in portals.toml).
        ("sepasi.pikiran-rakyat.com", "unknown", "WIB"),
    ],
)
def test_timezones_follow_the_province(
    registry: Registry, portal_id: str, region: str, timezone: str
) -> None:
    portal = registry.get(portal_id)
    assert portal is not None
    assert (portal.region, portal.timezone) == (region, timezone)


# --- looking portals up ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "portal_id"),
    [
        ("https://zonajakarta.pikiran-rakyat.com/read/123/judul", "zonajakarta.pikiran-rakyat.com"),
        ("https://ZonaJakarta.Pikiran-Rakyat.COM/read/1", "zonajakarta.pikiran-rakyat.com"),
        ("https://zonajakarta.pikiran-rakyat.com:443/read/1", "zonajakarta.pikiran-rakyat.com"),
        ("http://bali.tribunnews.com:8080", "bali.tribunnews.com"),
        ("https://www.detik.com/jatim/berita/d-123/judul", "www.detik.com/jatim"),
        ("https://www.detik.com/jatim", "www.detik.com/jatim"),
        ("https://WWW.DETIK.COM/jabar/berita/d-9", "www.detik.com/jabar"),
        ("https://www.detik.com/sepakbola/d-123", None),
        ("https://www.detik.com/jatimx/d-1", None),  # a prefix matches whole path segments only
        ("https://www.detik.com/", None),
        ("https://detik.com/jatim/berita/d-1", None),  # hosts match exactly, "www." included
        ("https://pikiran-rakyat.com/", None),
        ("https://evil-zonajakarta.pikiran-rakyat.com.example/", None),
        ("not a url", None),
        ("https://[bad/", None),
    ],
)
def test_for_url(registry: Registry, url: str, portal_id: str | None) -> None:
    portal = registry.for_url(url)
    assert (portal.id if portal else None) == portal_id


@pytest.mark.parametrize(
    ("query", "portal_id"),
    [
        ("zonajakarta.pikiran-rakyat.com", "zonajakarta.pikiran-rakyat.com"),
        ("ZONAJAKARTA.PIKIRAN-RAKYAT.COM", "zonajakarta.pikiran-rakyat.com"),
        ("www.zonajakarta.pikiran-rakyat.com", "zonajakarta.pikiran-rakyat.com"),
        ("balipost.com", "www.balipost.com"),
        ("www.balipost.com", "www.balipost.com"),
        ("detik.com/jatim", "www.detik.com/jatim"),
        ("www.detik.com/jatim/", "www.detik.com/jatim"),
        ("https://www.detik.com/jatim/berita/d-1", "www.detik.com/jatim"),
        ("https://balipost.com/news", "www.balipost.com"),
        ("https://zonajakarta.pikiran-rakyat.com/", "zonajakarta.pikiran-rakyat.com"),
        ("www.detik.com", None),
        ("example.com", None),
        ("", None),
    ],
)
def test_get(registry: Registry, query: str, portal_id: str | None) -> None:
    portal = registry.get(query)
    assert (portal.id if portal else None) == portal_id


def test_portal_properties(registry: Registry) -> None:
    jatim = registry.get("www.detik.com/jatim")
    assert jatim is not None
    assert (jatim.host, jatim.path_prefix) == ("www.detik.com", "/jatim")
    assert jatim.name == "www.detik.com/jatim"  # no name in the TSV: the id stands in
    assert jatim.home_url == "https://www.detik.com/jatim/"
    assert jatim.owns("https://www.detik.com/jatim/berita/d-1")
    assert not jatim.owns("https://www.detik.com/jateng/berita/d-1")
    banjar = registry.get("banjar.pikiran-rakyat.com")
    assert banjar is not None
    assert banjar.home_url == "https://banjar.pikiran-rakyat.com/"
    assert (banjar.start_urls, banjar.hosts, banjar.render) == ((), (banjar.host,), "http")


def test_load_registry_default_is_cached_and_path_is_read(tmp_path: Path) -> None:
    assert load_registry() is load_registry()
    path = tmp_path / "portals.toml"
    path.write_text(ONE_PORTAL, encoding="utf-8")
    assert load_registry(path).ids() == ("klik.example.com",)
    assert load_registry(str(path)).ids() == ("klik.example.com",)
    with pytest.raises(RegistryError, match="cannot read the portal registry"):
        load_registry(tmp_path / "missing.toml")


# --- validation ------------------------------------------------------------------------------

ONE_PORTAL = """
[[portal]]
id = "klik.example.com"
name = "Klik"
network = "prmn"
group = "prmn"
region = "Sulawesi Tengah"
timezone = "WITA"
"""


def test_optional_keys_are_parsed() -> None:
    text = ONE_PORTAL + (
        'hosts = ["m.klik.example.com"]\n'
        'start_urls = ["https://klik.example.com/indeks", "http://m.klik.example.com/"]\n'
        'render = "js"\n'
        'note = "anything"\n'
    )
    portal = parse_registry(text).portals[0]
    assert portal.hosts == ("klik.example.com", "m.klik.example.com")
    assert portal.start_urls == ("https://klik.example.com/indeks", "http://m.klik.example.com/")
    assert portal.render == "js"
    assert portal.owns("https://M.Klik.Example.com/read/1")
    assert parse_registry(text).for_url("https://m.klik.example.com/x") == portal


def test_longest_path_prefix_wins() -> None:
    text = ONE_PORTAL + ONE_PORTAL.replace('"klik.example.com"', '"klik.example.com/kota"')
    registry = parse_registry(text)
    assert registry.for_url("https://klik.example.com/kota/berita/1") is registry.portals[1]
    assert registry.for_url("https://klik.example.com/kotabaru/1") is registry.portals[0]
    assert registry.for_url("https://klik.example.com/") is registry.portals[0]


def test_empty_registry_is_allowed() -> None:
    assert len(parse_registry("")) == 0


def _entry(**changes: str) -> str:
    """ONE_PORTAL with keys replaced (value "" drops the key) or added, as raw TOML values."""
    lines = []
    for line in ONE_PORTAL.strip().splitlines():
        key = line.split(" = ")[0]
        if key in changes:
            if changes[key]:
                lines.append(f"{key} = {changes.pop(key)}")
            else:
                changes.pop(key)
        else:
            lines.append(line)
    lines.extend(f"{key} = {value}" for key, value in changes.items())
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            ONE_PORTAL + ONE_PORTAL,
            (
                "test.toml: [[portal]] #2 (klik.example.com): duplicate id, already used by "
                "[[portal]] #1"
            ),
        ),
        (
            ONE_PORTAL + _entry(id='"Klik.Example.com"'),
            "[[portal]] #2 (Klik.Example.com): id must be a lower-case host",
        ),
        (
            _entry(network='"wordpress"'),
            "test.toml: [[portal]] #1 (klik.example.com): unknown network 'wordpress' (known: ",
        ),
        (
            _entry(timezone='"WITA (mixed)"'),
            (
                "[[portal]] #1 (klik.example.com): unknown timezone 'WITA (mixed)' "
                "(known: WIB, WITA, WIT)"
            ),
        ),
        (_entry(timezone='"UTC+8"'), "(klik.example.com): unknown timezone 'UTC+8'"),
        (_entry(render='"browser"'), "(klik.example.com): unknown render 'browser'"),
        (
            _entry(start_url='["https://klik.example.com/"]'),
            "#1 (klik.example.com): unknown key 'start_url' (did you mean 'start_urls'?)",
        ),
        (_entry(colour='"red"'), "(klik.example.com): unknown key 'colour' (known: group,"),
        (
            _entry(start_urls='["https://other.example.com/"]'),
            (
                "[[portal]] #1 (klik.example.com): start URL 'https://other.example.com/' is not "
                "on the portal's hosts (klik.example.com)"
            ),
        ),
        (
            _entry(start_urls='["klik.example.com/indeks"]'),
            "start URL 'klik.example.com/indeks' is not an absolute http(s) URL",
        ),
        (_entry(start_urls="[]"), "(klik.example.com): start_urls is empty"),
        (
            _entry(hosts='["klik.example.com"]'),
            "(klik.example.com): hosts lists 'klik.example.com'",
        ),
        (_entry(hosts='["M.klik.example.com"]'), "hosts entry 'M.klik.example.com' is not a lower"),
        (_entry(region=""), "[[portal]] #1 (klik.example.com): missing key 'region'"),
        (_entry(name='""'), "(klik.example.com): name must be a non-empty string"),
        (_entry(group="3"), "(klik.example.com): group must be a non-empty string"),
        (_entry(id='"https://klik.example.com"'), "id must be a lower-case host"),
        (_entry(id='"klik.example.com/kota/"'), "id path '/kota/' must be lower-case"),
        (_entry(id=""), "test.toml: [[portal]] #1: missing key 'id'"),
        (
            ONE_PORTAL + _entry(id='"other.example.com"', hosts='["klik.example.com"]'),
            (
                "[[portal]] #2 (other.example.com): klik.example.com is already served by "
                "klik.example.com"
            ),
        ),
        ("[[portals]]\nid = 'x'\n", "test.toml: unknown top-level key 'portals'"),
        ("portal = 3\n", "test.toml: 'portal' must be [[portal]] tables"),
        ("[[portal]\n", "test.toml: not valid TOML"),
    ],
)
def test_invalid_registry_names_the_entry(text: str, message: str) -> None:
    with pytest.raises(RegistryError) as caught:
        parse_registry(text, source="test.toml")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_registry_rejects_two_portals_on_one_host_and_prefix() -> None:
    portal = parse_registry(ONE_PORTAL).portals[0]
    twin = dataclasses.replace(portal, id="twin.example.com")
    with pytest.raises(RegistryError, match=r"twin.example.com\): klik.example.com is already"):
        Registry([portal, twin])


# --- the data and its generator --------------------------------------------------------------


def test_generator_reproduces_the_packaged_registry(tmp_path: Path) -> None:
    out = tmp_path / "portals.toml"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--tsv", str(TSV), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == PACKAGED.read_bytes(), (
        "newscrawl/portals.toml differs from the generator's output; regenerate it with "
        "python scripts/portals_from_tsv.py --out newscrawl/portals.toml"
    )
    # Judgement calls are printed for a human to review.
    assert "regional.kompas.com" in result.stderr
    assert "www.detik.com/kalimantan" in result.stderr


def test_every_tsv_host_is_registered_and_nothing_else(registry: Registry) -> None:
    with TSV.open(encoding="utf-8", newline="") as handle:
        hosts = {
            row["host"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        }
    assert set(registry.ids()) == hosts


# Rows the generator's tables name (they must be present, or it reports stale decisions), then
# made-up rows on example.com hosts that make each rule fire. Nothing here reaches portals.toml.
_DECIDED_ROWS = [
    "regional.kompas.com\tkompas\t-\tnational (regional desk)\tmixed",
    "www.detik.com/kalimantan\tdetik\t-\tKalimantan (multi-province)\tWIB/WITA (mixed)",
    "suarajogja.id\tsuara\tSuaraJogja.id\tDI Yogyakarta\tWIB",
]


def _generate(tmp_path: Path, *rows: str) -> subprocess.CompletedProcess[str]:
    tsv = tmp_path / "portals.tsv"
    header = "host\tnetwork\tname\tregion\ttimezone\tlatest_seen\tseen_in"
    body = [f"{row}\t2026\ttest" for row in (*_DECIDED_ROWS, *rows)]
    tsv.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--tsv", str(tsv)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_generator_fixes_a_zone_that_contradicts_the_province(tmp_path: Path) -> None:
    result = _generate(tmp_path, "kabar.example.com\tindependent\tKabar (name inferred)\tBali\tWIB")
    assert result.returncode == 0, result.stderr
    assert "check: kabar.example.com: TSV says WIB but Bali is WITA -> WITA" in result.stderr
    portal = parse_registry(result.stdout).get("kabar.example.com")
    assert portal is not None
    assert (portal.name, portal.timezone) == ("Kabar", "WITA")
    assert 'note = "name inferred; TSV said WIB; Bali is WITA"' in result.stdout


def test_generator_takes_an_unknown_zone_from_the_province(tmp_path: Path) -> None:
    result = _generate(tmp_path, "kabar.example.com\tindependent\t-\tPapua Tengah\tunknown")
    assert result.returncode == 0, result.stderr
    portal = parse_registry(result.stdout).get("kabar.example.com")
    assert portal is not None
    assert (portal.name, portal.timezone) == ("kabar.example.com", "WIT")
    assert 'note = "timezone taken from the province (Papua Tengah)"' in result.stdout


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "kabar.example.com\tindependent\tKabar (mystery)\tBali\tWITA",
            "kabar.example.com: name annotation (mystery) is unknown",
        ),
        (
            "kabar.example.com\tindependent\t-\tKalimantan\tmixed",
            "kabar.example.com: timezone 'mixed' needs a decision in ZONE_DECISIONS",
        ),
        (
            "kabar.example.com\twordpress\t-\tBali\tWITA",
            "kabar.example.com: network 'wordpress' has no family",
        ),
        ("kabar.example.com\tindependent\t-\tBali\tUTC+8", "timezone 'UTC+8' is none of"),
        ("regional.kompas.com\tkompas\t-\tBali\tWITA", "hosts listed twice"),
    ],
)
def test_generator_stops_on_a_row_it_cannot_map(tmp_path: Path, row: str, message: str) -> None:
    result = _generate(tmp_path, row)
    assert result.returncode == 1
    assert message in result.stderr
    assert not result.stdout


def test_generator_reports_decisions_about_hosts_no_longer_listed(tmp_path: Path) -> None:
    tsv = tmp_path / "portals.tsv"
    tsv.write_text(
        "host\tnetwork\tname\tregion\ttimezone\tlatest_seen\tseen_in\n"
        "kabar.example.com\tindependent\t-\tBali\tWITA\t2026\ttest\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--tsv", str(tsv)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "name hosts not in" in result.stderr
    assert "regional.kompas.com" in result.stderr
