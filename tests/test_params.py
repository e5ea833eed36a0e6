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
