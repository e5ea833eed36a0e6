"""`newscrawl schedule`: the schedule file, when groups are due, and real Scrapyd nodes.

Rounds against real Scrapyd nodes show: groups spread over the least loaded nodes, a group whose
job is still running is not started again, a group stays on its node (sticky placement), a node
that is down is retried with backoff and reported in one line, bad credentials are reported as such.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newscrawl.ops.schedule import (
    ConfigError,
    Ran,
    Scheduler,
    ScheduleState,
    format_duration,
    group_of,
    job_id,
    load_schedule,
    locked,
    parse_duration,
)
from tests.conftest import SITES
from tests.servers import SCRAPYD_PASSWORD, SCRAPYD_USER, free_port, slow_serving

if TYPE_CHECKING:
    from tests.conftest import Deployed

NOW = datetime(2024, 6, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [(90, 90.0), ("90", 90.0), ("90s", 90.0), ("30m", 1800.0), ("2h", 7200.0), ("1d", 86400.0),
     ("250ms", 0.25), ("1.5h", 5400.0), (" 5 m ", 300.0)],
)
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "5 minutes", "-1h", "0", True, "1w"])
def test_bad_durations_say_how_to_write_one(text: object) -> None:
    with pytest.raises(ConfigError, match=r"duration|more than zero"):
        parse_duration(text)


@pytest.mark.parametrize(("seconds", "text"), [(5, "5s"), (60, "1m"), (3725, "1h2m"), (90000, "1d1h"), (3540, "59m")])
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_job_ids_name_their_group() -> None:
    jobid = job_id("sulteng-prmn", NOW)
    assert jobid == "sulteng-prmn.20240601T100000Z"
    assert group_of(jobid) == "sulteng-prmn"
    assert group_of("0f3c9a6e1b2d11efa5b3") is None, "a uuid job started by hand is nobody's group"
    assert group_of("prmn.yesterday") is None


NODE = """
[[node]]
name = "a"
url = "http://127.0.0.1:6800"
"""
GROUP = """
[[group]]
name = "prmn"
network = "prmn"
interval = "1h"
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (NODE, "no [[group]]"),
        (GROUP, "no [[node]]"),
        ("intervall = 3\n" + NODE + GROUP, "unknown key 'intervall'"),
        (NODE + GROUP.replace('interval = "1h"', 'every = "1h"'), "unknown key 'every'"),
        (NODE + GROUP.replace('interval = "1h"\n', ""), "no interval"),
        (NODE + GROUP.replace('"prmn"\nnetwork', '"PRMN group"\nnetwork'), "a group name is 1-64 of a-z"),
        (NODE + GROUP.replace('network = "prmn"', 'portals = ["nope.example"]'),
         "'nope.example' is not in the registry"),
        (NODE + GROUP.replace('network = "prmn"', 'network = "nope"'), "network='nope' is not one of"),
        (NODE + GROUP.replace('network = "prmn"', ""), "say what to crawl"),
        (NODE + GROUP + 'args = { sinse = "2024-01-01" }\n', "unknown argument 'sinse'"),
        (NODE + GROUP + GROUP, "group name 'prmn' is used twice"),
        (NODE.replace("6800", "6800/x@y").replace("http://", "http://u:p@") + GROUP, "no credentials in the url"),
        (NODE.replace("http://127.0.0.1:6800", "ftp://h") + GROUP, "is not http(s)://host:port"),
        (NODE + 'username_env = "NEWSCRAWL_TEST_UNSET_USER"\npassword_env = "NEWSCRAWL_TEST_UNSET_PASS"\n' + GROUP,
         "environment variable NEWSCRAWL_TEST_UNSET_USER is not set"),
        ('[settings]\nAWS_SECRET_ACCESS_KEY = "x"\n' + NODE + GROUP, "AWS_SECRET_ACCESS_KEY looks like a credential"),
        (NODE + GROUP + 'settings = { SCRAPYD_PASSWORD = "x" }\n', "SCRAPYD_PASSWORD looks like a credential"),
        ('placement = "random"\n' + NODE + GROUP, "placement 'random' is not one of: sticky, least-loaded"),
        ("retries = -1\n" + NODE + GROUP, "retries must be a whole number"),
        ("node = [\n", "not valid TOML"),
    ],
)
def test_schedule_file_mistakes_get_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "schedule.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_schedule(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_example_schedule_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPYD_USERNAME", "u")
    monkeypatch.setenv("SCRAPYD_PASSWORD", "p")
    schedule = load_schedule(Path(__file__).resolve().parents[1] / "deploy" / "schedule.example.toml")
    assert schedule.nodes[0].url == "http://127.0.0.1:6800"
    assert all(g.settings["NEWSCRAWL_FEED_GROUP"] == g.name for g in schedule.groups)


def scheduler(tmp_path: Path, text: str, **kwargs: object) -> tuple[Scheduler, list[str]]:
    path = tmp_path / "schedule.toml"
    path.write_text(text, encoding="utf-8")
    said: list[str] = []
    return Scheduler(load_schedule(path), say=said.append, **kwargs), said  # type: ignore[arg-type]


def test_due_groups_most_overdue_first(tmp_path: Path) -> None:
    radar = GROUP.replace('"prmn"\nnetwork', '"radar"\nnetwork').replace('network = "prmn"', 'network = "radar"')
    text = NODE + GROUP + radar + GROUP.replace('"prmn"\nnetwork', '"fresh"\nnetwork')
    sched, _ = scheduler(tmp_path, text)
    state = ScheduleState(tmp_path / "s.json", {
        "prmn": Ran(NOW - timedelta(minutes=61), "a", "prmn.x"),
        "radar": Ran(NOW - timedelta(minutes=90), "a", "radar.x"),
        "fresh": Ran(NOW - timedelta(minutes=10), "a", "fresh.x"),
    })
    assert [g.name for g in sched.due(state, NOW)] == ["radar", "prmn"]
    assert [g.name for g in sched.due(state, NOW, force=True)] == ["radar", "prmn", "fresh"]
    assert sched.next_due(state, NOW) == 0
    later = ScheduleState(tmp_path / "s.json", {"prmn": state.groups["fresh"], "radar": state.groups["fresh"],
                                                "fresh": state.groups["fresh"]})
    assert sched.next_due(later, NOW) == 50 * 60
    later.save()
    assert ScheduleState.load(tmp_path / "s.json").groups == later.groups


def test_nothing_due_touches_no_node(tmp_path: Path) -> None:
    sched, said = scheduler(tmp_path, NODE + GROUP, clock=lambda: NOW)
    ScheduleState(sched.schedule.state, {"prmn": Ran(NOW - timedelta(minutes=20), "a", "prmn.x")}).save()
    assert sched.round() == 0
    assert said == ["nothing due; next group in 40m"]


def test_a_second_scheduler_on_the_same_state_waits_its_turn(tmp_path: Path) -> None:
    sched, said = scheduler(tmp_path, NODE + GROUP)
    with locked(sched.schedule.state) as mine:
        assert mine
        assert sched.round() == 0
    assert said == [f"another newscrawl schedule holds {sched.schedule.state}; not running this round"]


# --- real Scrapyd nodes ----------------------------------------------------------------------------


def nodes_toml(deployed: Deployed, *, ghost: int | None = None) -> str:
    text = ""
    if ghost is not None:
        text += f'[[node]]\nname = "ghost"\nurl = "http://127.0.0.1:{ghost}"\n\n'
    for name, node in zip("ab", deployed.nodes, strict=True):
        text += (f'[[node]]\nname = "{name}"\nurl = "{node.url}"\n'
                 'username_env = "SCRAPYD_USERNAME"\npassword_env = "SCRAPYD_PASSWORD"\n\n')
    return text


def header(tmp_path: Path, **more: str) -> str:
    extra = "".join(f"{k} = {v}\n" for k, v in more.items())
    return f"""retries = 2
backoff = "0.05s"
{extra}
[settings]
NEWSCRAWL_STATE = "{tmp_path / 'state.sqlite'}"
NEWSCRAWL_DEFAULT_FEED = "{tmp_path / 'feeds'}/%(time)s.jsonl"
AUTOTHROTTLE_ENABLED = false

"""


def group(name: str, base: str, *, settings: str = "") -> str:
    return f'[[group]]\nname = "{name}"\nstart_urls = ["{base}/"]\nnetwork = "prmn"\ninterval = "1h"\n{settings}\n'


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPYD_USERNAME", SCRAPYD_USER)
    monkeypatch.setenv("SCRAPYD_PASSWORD", SCRAPYD_PASSWORD)


def started(said: list[str], name: str) -> tuple[str, str]:
    line = next((s for s in said if s.startswith(f"started {name} ")), None)
    assert line, said
    match = re.fullmatch(rf"started {name} on node (\w+) as job ({name}\.\d{{8}}T\d{{6}}Z)", line)
    assert match, line
    return match[1], match[2]


@pytest.mark.usefixtures("credentials")
def test_groups_spread_over_nodes_never_twice_and_stay_on_their_node(
    deployed: Deployed, klikdemo: str, tmp_path: Path,
) -> None:
    a, b = deployed.nodes
    with slow_serving(SITES / "klikdemo", delay=0.5) as slow:
        one_at_a_time = "settings = { CONCURRENT_REQUESTS = 1 }"
        groups = group("slow", slow, settings=one_at_a_time) + group("quick", klikdemo)
        text = header(tmp_path) + nodes_toml(deployed) + groups
        sched, said = scheduler(tmp_path, text)
        try:
            assert sched.round() == 0, said
            node_slow, job_slow = started(said, "slow")
            node_quick, job_quick = started(said, "quick")
            assert (node_slow, node_quick) == ("a", "b"), "the second group goes to the less loaded node"
            b.wait_finished(job_quick)

            # Sticky: quick last ran on b; pretend it ran on a, the busier node: it goes back there.
            state = ScheduleState.load(sched.schedule.state)
            state.groups["quick"] = Ran(state.groups["quick"].started, "a", job_quick)
            state.save()
            said.clear()
            assert sched.round(force=True) == 0, said
            assert re.fullmatch(rf"skipped slow: its previous job {job_slow} is still (pending|running) on node a",
                                said[0]), said
            assert started(said, "quick")[0] == "a"
            assert a.job_state(job_slow) in ("pending", "running")
            assert len([j for j in a.api("listjobs.json")["running"] + a.api("listjobs.json")["pending"]
                        if j["id"].startswith("slow.")]) == 1, "never two jobs of one group"
        finally:
            a.cancel_all()
            b.cancel_all()


@pytest.mark.usefixtures("credentials")
def test_a_node_that_is_down_is_retried_and_reported(deployed: Deployed, klikdemo: str, tmp_path: Path) -> None:
    ghost = free_port()
    text = header(tmp_path, placement='"least-loaded"') + nodes_toml(deployed, ghost=ghost) + group("spread", klikdemo)
    slept: list[float] = []
    sched, said = scheduler(tmp_path, text, sleep=slept.append)
    try:
        assert sched.round() == 1, "a node down makes the round fail, for cron to notice"
        where = f"node ghost (http://127.0.0.1:{ghost})"
        assert said[:3] == [
            f"{where} is down: connection refused; retrying in 0.05s (attempt 1 of 3)",
            f"{where} is down: connection refused; retrying in 0.1s (attempt 2 of 3)",
            f"{where} is down: connection refused; gave up after 3 attempts",
        ]
        assert slept == [0.05, 0.1], "exponential backoff"
        node, _ = started(said, "spread")
        assert node in ("a", "b"), "the group still starts, on a node that is up"
        deployed.nodes["ab".index(node)].cancel_all()

        # Sticky placement and the group's node is the one down: it waits rather than moving.
        state = ScheduleState.load(sched.schedule.state)
        state.groups["spread"] = Ran(NOW - timedelta(days=1), "ghost", "spread.20240531T100000Z")
        state.save()
        sticky, said2 = scheduler(tmp_path, text.replace('placement = "least-loaded"', 'placement = "sticky"'),
                                  sleep=slept.append)
        assert sticky.round() == 1
        assert said2[-1] == ("not started spread: its node ghost is down (placement = sticky keeps a group on the "
                             "node holding its crawl state)")
    finally:
        for node in deployed.nodes:
            node.cancel_all()


def test_wrong_credentials_and_unknown_project_are_reported(
    deployed: Deployed, klikdemo: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCRAPYD_USERNAME", SCRAPYD_USER)
    monkeypatch.setenv("SCRAPYD_PASSWORD", "wrong")
    a = deployed.nodes[0]
    node = (f'[[node]]\nname = "a"\nurl = "{a.url}"\n'
            'username_env = "SCRAPYD_USERNAME"\npassword_env = "SCRAPYD_PASSWORD"\n\n')
    sched, said = scheduler(tmp_path, header(tmp_path) + node + group("demo", klikdemo))
    assert sched.round() == 1
    assert said[0] == (f"node a ({a.url}): authentication failed (HTTP 401); check SCRAPYD_USERNAME/SCRAPYD_PASSWORD")
    assert "wrong" not in "\n".join(said)

    monkeypatch.setenv("SCRAPYD_PASSWORD", SCRAPYD_PASSWORD)
    other = tmp_path / "other"
    other.mkdir()
    sched, said = scheduler(other, 'project = "not-deployed"\n' + header(other) + node + group("demo", klikdemo))
    assert sched.round() == 1
    assert said == [f"could not start demo: node a ({a.url}): schedule.json: project 'not-deployed' not found"]
    assert json.loads(sched.schedule.state.read_text())["groups"] == {}, "a failed start is retried next round"


def test_the_command_line_reports_a_bad_schedule_file_in_one_line(tmp_path: Path) -> None:
    newscrawl = str(Path(sys.executable).parent / "newscrawl")
    done = subprocess.run(
        [newscrawl, "schedule", "--config", str(tmp_path / "missing.toml"), "--once"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert done.stderr == f"error: {tmp_path / 'missing.toml'}: cannot read (No such file or directory)\n"
    assert done.stdout == ""


@pytest.mark.parametrize(("settings", "name"), [
    ('[settings]\nAWS_SECRET_ACCESS_KEY = "{secret}"\n', "AWS_SECRET_ACCESS_KEY"),
    ('[settings]\nAWS_ACCESS_KEY_ID = "{secret}"\n', "AWS_ACCESS_KEY_ID"),
    ('[settings]\nREDIS_PASSWORD = "{secret}"\n', "REDIS_PASSWORD"),
])
def test_the_command_line_refuses_a_credential_in_one_line_without_printing_it(
    tmp_path: Path, settings: str, name: str,
) -> None:
    secret = f"sekrit-{secrets.token_hex(8)}"
    path = tmp_path / "schedule.toml"
    path.write_text(settings.format(secret=secret) + NODE + GROUP, encoding="utf-8")
    newscrawl = str(Path(sys.executable).parent / "newscrawl")
    env = {**os.environ, "SCRAPYD_USERNAME": "u", "SCRAPYD_PASSWORD": "p"}
    done = subprocess.run(
        [newscrawl, "schedule", "--config", str(path), "--once"],
        capture_output=True, text=True, timeout=60, check=False, env=env,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("error: ")
    assert f"{name} looks like a credential" in done.stderr
    assert secret not in done.stderr

