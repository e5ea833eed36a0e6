"""Spider arguments: every mistake stops before any request with one clear line and exit status 2."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from newscrawl.params import KabarParams, ParamError
from newscrawl.registry import load_registry

REGISTRY = load_registry()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"portals": "nope.example"}, "portals: 'nope.example' is not in the registry"),
        ({"portals": "zonajakarta.pikiran-rakyat.co"}, "did you mean zonajakarta.pikiran-rakyat.com"),
        ({"network": "tempo"}, "network='tempo' is not one of: prmn, tribun, suara, detik, kompas, radar, generic"),
        ({"since": "2024-13-01"}, "since='2024-13-01' is not a date; use YYYY-MM-DD"),
        ({"since": "yesterday"}, "since='yesterday' is not a date"),
        ({"start_urls": "ftp://example.org/"}, "start_urls: 'ftp://example.org/' is not an absolute http(s) URL"),
        ({"start_urls": "127.0.0.1:8000"}, "is not an absolute http(s) URL"),
        ({"start_urls": "http://127.0.0.1:99999/"}, "is not a valid URL"),
        ({"max_articles": "0"}, "max_articles='0' is not a positive whole number"),
        ({"max_articles": "ten"}, "max_articles='ten' is not a positive whole number"),
        ({"follow": "maybe"}, "follow='maybe' is not a boolean"),
        ({"incremental": "2"}, "incremental='2' is not a boolean"),
        ({"render": "browser"}, "render='browser' is not one of: auto, http, js"),
        ({"timezone": "CET"}, "timezone='CET' is not one of: WIB, WITA, WIT"),
        ({"portal": "x"}, "unknown argument 'portal'; allowed: portals, network, start_urls"),
        ({"portals": "zonajakarta.pikiran-rakyat.com", "start_urls": "http://127.0.0.1/"}, "not both"),
        ({"since": "2024-01-01", "until": "2024-02-30"}, "until='2024-02-30' is not a date; use YYYY-MM-DD"),
        ({"since": "2024-03-01", "until": "2024-01-01"}, "until=2024-01-01 is before since=2024-03-01"),
        ({"until": "2024-01-01"}, "a backfill needs since=YYYY-MM-DD"),
        ({"backfill": "true"}, "a backfill needs since=YYYY-MM-DD"),
        ({"since": "2099-01-01", "backfill": "true"}, "since=2099-01-01 is in the future (today is "),
        ({"since": "2024-01-01", "until": "2099-01-01"}, "until=2099-01-01 is in the future (today is "),
        ({"since": "2024-01-01", "until": "2024-02-01", "backfill": "no"}, "until=2024-02-01 asks for a backfill"),
        ({"since": "2024-01-01", "backfill": "maybe"}, "backfill='maybe' is not a boolean"),
    ],
)
def test_bad_argument_is_one_clear_error(args: dict[str, str], message: str) -> None:
    with pytest.raises(ParamError) as err:
        KabarParams.parse(args, REGISTRY)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_good_arguments_are_typed() -> None:
    params = KabarParams.parse(
        {
            "portals": "ZonaJakarta.Pikiran-Rakyat.com,galamedia.pikiran-rakyat.com",
            "since": "2024-06-01",
            "max_articles": "25",
            "follow": "false",
            "incremental": "no",
            "_job": "scrapyd-adds-this",
        },
        REGISTRY,
    )
    assert params.portals == ("zonajakarta.pikiran-rakyat.com", "galamedia.pikiran-rakyat.com")
    assert params.since == date(2024, 6, 1)
    assert params.max_articles == 25
    assert params.follow is False
    assert params.incremental is False
    assert params.render == "auto"


def test_a_plain_since_is_no_backfill_and_until_makes_one() -> None:
    plain = KabarParams.parse({"since": "2024-06-01"}, REGISTRY)
    assert not plain.is_backfill, "since alone keeps its meaning: skip older articles"
    ranged = KabarParams.parse({"since": "2024-01-01", "until": "2024-03-31"}, REGISTRY)
    assert ranged.is_backfill
    assert (ranged.since, ranged.last_day) == (date(2024, 1, 1), date(2024, 3, 31))
    open_ended = KabarParams.parse({"since": "2024-01-01", "backfill": "true"}, REGISTRY)
    assert open_ended.is_backfill
    assert open_ended.last_day == KabarParams.today(), "until defaults to today"


def test_a_backfill_is_at_most_the_configured_years_long() -> None:
    ten_years = {"since": "2014-01-01", "until": "2024-01-01"}
    assert KabarParams.parse(ten_years, REGISTRY, max_years=10).is_backfill
    with pytest.raises(ParamError) as err:
        KabarParams.parse({**ten_years, "since": "2013-12-31"}, REGISTRY, max_years=10)
    assert str(err.value) == (
        "since=2013-12-31..until=2024-01-01 is longer than 10 years (NEWSCRAWL_BACKFILL_MAX_YEARS); "
        "split it into several backfills"
    )
    assert KabarParams.parse({**ten_years, "since": "2004-01-01"}, REGISTRY, max_years=20).is_backfill


def test_network_and_start_urls() -> None:
    params = KabarParams.parse(
        {"start_urls": "http://127.0.0.1:8000/, http://localhost:9/x", "network": "prmn"}, REGISTRY,
    )
    assert params.start_urls == ("http://127.0.0.1:8000/", "http://localhost:9/x")
    assert params.network == "prmn"


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("portals=nope.example", "error: portals: 'nope.example' is not in the registry"),
        ("since=24-06-2022", "error: since='24-06-2022' is not a date"),
        ("start_urls=not a url", "error: start_urls: 'not a url' is not an absolute http(s) URL"),
        ("network=foo", "error: network='foo' is not one of"),
        ("until=2024-01-01", "error: a backfill needs since=YYYY-MM-DD"),
    ],
)
def test_command_line_stops_before_any_request(arg: str, message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "kabar", "-a", arg],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines == [lines[0]]
    assert lines[0].startswith(message)
    assert "Spider opened" not in proc.stderr + proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "since=2024-03-01", "-a", "until=2024-01-01"], "error: until=2024-01-01 is before since=2024-03-01"),
        (["-a", "since=2000-01-01", "-a", "until=2024-01-01"],
         "error: since=2000-01-01..until=2024-01-01 is longer than 10 years"),
        (["-a", "since=2022-01-01", "-a", "until=2024-01-01", "-s", "NEWSCRAWL_BACKFILL_MAX_YEARS=1"],
         "error: since=2022-01-01..until=2024-01-01 is longer than 1 year "),
    ],
)
def test_a_wrong_range_stops_before_any_request(args: list[str], message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "kabar", "-a", "start_urls=http://127.0.0.1:9/", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 2
    assert [line for line in proc.stderr.splitlines() if line.strip()] == [proc.stderr.strip()]
    assert proc.stderr.startswith(message)
    assert "Spider opened" not in proc.stderr + proc.stdout
