"""The same story on many portals: sketches, the decision, the stores, and real crawls of the syndication site.

The syndication site (tests/sites/syndication/portals.py) is seven portals on 127.0.0.1 with planted
copies and look-alikes, every article labelled with its story; `score` is pairwise precision and
recall of the delivered ``story_id`` against the labels. Crawls are real ``scrapy crawl kabar``
subprocesses; Redis is Debian's redis-server; concurrency is real processes.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import subprocess
import sys
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from scrapy.utils.test import get_crawler

from newscrawl.delivery.state import StateError
from newscrawl.delivery.stories import open_stories
from newscrawl.delivery.stories.decision import SAME_STORY, Article, Story, View, copy_of, decide, earliest
from newscrawl.delivery.stories.memory import MemoryStories
from newscrawl.delivery.stories.pipeline import StoryPipeline
from newscrawl.delivery.stories.sketch import Sketcher, SketchParams
from newscrawl.delivery.stories.sqlite import SqliteStories
from newscrawl.delivery.stories.store import MIN_WORDS
from newscrawl.delivery.summary import render_summary
from newscrawl.items import Article as Item
from tests.conftest import FAST, REPO, SITES, run_kabar
from tests.redis_server import running_redis
from tests.servers import serving_with

sys.path.insert(0, str(SITES / "syndication"))

from portals import PORTALS, Planted, Site, build, plan, score, serving_site
from serve import SiteHandler

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.redis_server import RedisServer

FIXTURES = REPO / "tests" / "fixtures"
TEXT = (
    "Banjir bandang menerjang tiga desa di Kecamatan Toili setelah hujan deras mengguyur wilayah itu sejak Senin malam."
)
OTHER = "Harga cabai rawit di pasar tradisional naik lagi pekan ini. "
SKETCHER = Sketcher()


def body(planted: Planted) -> str:
    return "\n\n".join(planted.paragraphs)


def article(url: str, text: str, published: int = 0, *, short: bool = False) -> Article:
    return Article(url.encode().ljust(16, b"-")[:16], url, published, None if short else SKETCHER.sketch(text))


# --- the pure parts: sketch and decision ------------------------------------------------------------


def test_a_sketch_is_the_same_in_every_process_and_version() -> None:
    # Stores outlive crawls: a sketch must never depend on the process (no hash()) or drift unnoticed.
    sketch = SKETCHER.sketch(TEXT)
    assert sketch.words == 17
    assert [k.hex() for k in sketch.band_keys] == [
        "896e0956", "3fb1ecc9", "bac0e74a", "6256f80c", "0d61ae67", "21ded9e2", "20623f3a", "528faf6a", "dffb8c23",
        "77c4819d",
    ]
    assert sketch.signature.hex() == "4f1ec6b33ec6db615f5153991a599254"
    assert SketchParams().layout == "k3-p128-b10r2-splitmix4-x1-s1-affine32"


def test_punctuation_case_and_spacing_do_not_change_a_sketch() -> None:
    again = (
        "banjir BANDANG menerjang, tiga desa di Kecamatan Toili; setelah hujan deras mengguyur wilayah itu sejak\n"
        "Senin malam"
    )
    assert SKETCHER.sketch(again).signature == SKETCHER.sketch(TEXT).signature


def test_similarity_is_one_for_the_same_text_and_low_for_another() -> None:
    a, b = SKETCHER.sketch(TEXT * 3), SKETCHER.sketch(OTHER * 3)
    assert SKETCHER.similarity(a.signature, a.signature) == 1.0
    assert SKETCHER.similarity(a.signature, b.signature) < SAME_STORY


def test_the_decision_known_first_then_short_then_the_most_similar_candidate() -> None:
    text = TEXT * 4
    own = SKETCHER.sketch(text).signature
    other = SKETCHER.sketch(OTHER * 4).signature
    story, older, stranger = Story(7, own, 0, "http://a/1"), Story(3, own, 0, "http://b/1"), Story(1, other, 0, "x")
    copy = article("http://c/1", text)
    assert decide(copy, View(known=stranger), SKETCHER.similarity).kind == "known", "an article keeps its story"
    short = article("http://c/1", text, short=True)
    assert decide(short, View(candidates=(story,)), SKETCHER.similarity).kind == "short"
    chosen = decide(copy, View(candidates=(stranger, story, older)), SKETCHER.similarity)
    assert (chosen.kind, chosen.story) == ("copy", older), "the most similar; between equals the oldest story"
    assert decide(copy, View(candidates=(stranger,)), SKETCHER.similarity).kind == "new", "below the threshold"
    assert decide(copy, View(), SKETCHER.similarity).kind == "new"


def test_earliest_and_copy_of() -> None:
    story = Story(1, b"", 1000, "http://a.id/berita/1")
    assert earliest(article("http://b.id/2", TEXT, 900), story)
    assert not earliest(article("http://b.id/2", TEXT, 1100), story)
    assert not earliest(article("http://b.id/2", TEXT, 0), story), "an undated article is never the earliest"
    assert earliest(article("http://b.id/2", TEXT, 1100), Story(1, b"", 0, "http://a.id/berita/1")), "over undated"
    assert copy_of(article("http://b.id/2", TEXT), story) == "http://a.id/berita/1"
    assert copy_of(article("https://www.a.id/berita/1/", TEXT), story) is None, "itself, by another URL variant"


# --- the labelled real pages -------------------------------------------------------------------------


def test_real_pages_the_same_article_twice_join_and_independent_reports_do_not() -> None:
    stories = MemoryStories()
    got: dict[str, str] = {}
    for path in sorted(FIXTURES.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        expected = data["expected"]
        one = stories.article(data["url"], expected["body"], expected["published_at"])
        got[path.stem] = stories.assign(one).story_id
    assert got["tempo-gaya_2015_malas-bergerak"] == got["tempo-gaya_2015_malas-bergerak-i1"]
    assert got["template2019_desktop_artikel"] == got["template2019_mobile_artikel"], "the same mock-up text twice"
    assert got["mediariau_2017_allegri-arsenal"] != got["fakta_2017_arsenal-allegri"], "one rumour, two reports"
    pairs = {("tempo-gaya_2015_malas-bergerak", "tempo-gaya_2015_malas-bergerak-i1"),
             ("template2019_desktop_artikel", "template2019_mobile_artikel")}
    for a, b in itertools.combinations(sorted(got), 2):
        assert (got[a] == got[b]) == ((a, b) in pairs), (a, b)


# --- the stores ----------------------------------------------------------------------------------------


def _assign_plan(uri: str | None, planted: list[Planted]) -> list[str]:
    stories = open_stories(uri)
    try:
        return [
            stories.assign(stories.article(f"http://{p.portal}.test/{n}", body(p), p.published.isoformat())).story_id
            for n, p in enumerate(planted)
        ]
    finally:
        stories.close()


def _partition(planted: list[Planted], ids: list[str]) -> set[frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for n, story in enumerate(ids):
        groups.setdefault(story, set()).add(n)
    return {frozenset(g) for g in groups.values()}


def test_every_store_groups_the_planted_set_alike(tmp_path: Path, redis_server: RedisServer) -> None:
    planted = plan()
    memory = _assign_plan(None, planted)
    sqlite = _assign_plan(str(tmp_path / "state.sqlite"), planted)
    redis = _assign_plan(redis_server.state_uri(), planted)
    assert _partition(planted, memory) == _partition(planted, sqlite) == _partition(planted, redis)
    labels = _partition(planted, [p.label if p.scored else f"{p.label}/{n}" for n, p in enumerate(planted)])
    assert _partition(planted, memory) == labels, "every planted copy found, no look-alike joined"


def test_a_copy_found_tomorrow_joins_todays_story(tmp_path: Path, redis_server: RedisServer) -> None:
    for uri in (str(tmp_path / "state.sqlite"), redis_server.state_uri()):
        today = open_stories(uri)
        first = today.assign(today.article("http://a.test/berita/1", TEXT * 5, "2024-03-12T09:00:00+07:00"))
        today.close()
        tomorrow = open_stories(uri)
        edited = TEXT * 5 + " Tambahan."
        later = tomorrow.assign(tomorrow.article("http://b.test/2", edited, "2024-03-13T09:00:00+07:00"))
        again = tomorrow.assign(tomorrow.article("http://a.test/berita/1/", TEXT * 5, "2024-03-12T09:00:00+07:00"))
        earlier = tomorrow.assign(tomorrow.article("http://c.test/3", TEXT * 5, "2024-03-11T09:00:00+07:00"))
        after = tomorrow.assign(tomorrow.article("http://d.test/4", TEXT * 5, "2024-03-14T09:00:00+07:00"))
        tomorrow.close()
        assert (first.kind, first.copy_of) == ("new", None)
        assert (later.kind, later.story_id, later.copy_of) == ("copy", first.story_id, "http://a.test/berita/1")
        assert (again.kind, again.story_id, again.copy_of) == ("known", first.story_id, None)
        assert (earlier.story_id, earlier.copy_of) == (first.story_id, None), "published first: the new earliest"
        assert after.copy_of == "http://c.test/3"


def test_a_short_body_never_joins_on_text_alone(tmp_path: Path) -> None:
    stories = SqliteStories(tmp_path / "state.sqlite", min_words=50)
    short = "Layanan perekaman KTP elektronik tutup sementara pada Jumat karena pemeliharaan jaringan."
    one, two = (stories.assign(stories.article(f"http://{h}.test/1", short, None)) for h in "ab")
    assert (one.kind, two.kind) == ("short", "short")
    assert one.story_id != two.story_id
    assert stories.assign(stories.article("http://a.test/1", short, None)).story_id == one.story_id, "stable"
    stories.close()


def test_a_store_built_with_other_sketches_is_refused(tmp_path: Path, redis_server: RedisServer) -> None:
    other = Sketcher(SketchParams(bands=8))
    for uri in (str(tmp_path / "state.sqlite"), redis_server.state_uri()):
        open_stories(uri).close()
        with pytest.raises(StateError, match="layout"):
            open_stories(uri, other)


# Assigns one article after another (even: a new text; odd: a copy of the one before), printing
# each URL and story id once `assign` has returned; killed from outside at any moment.
_ASSIGNING = """
import sys
from pathlib import Path
from newscrawl.delivery.stories.sqlite import SqliteStories
stories = SqliteStories(Path(sys.argv[1]))
n = 0
while True:
    words = " ".join(f"kata{n - n % 2}x{i}" for i in range(80)) + (" tambahan" if n % 2 else "")
    assigned = stories.assign(stories.article(f"http://a.test/{n}", words, None))
    print(f"http://a.test/{n} {assigned.story_id} {assigned.kind}", flush=True)
    n += 1
"""


def test_a_kill_9_loses_no_assignment_that_was_returned(tmp_path: Path) -> None:
    # Each assignment is committed before `assign` returns, i.e. before its article leaves the
    # pipeline: a crawl killed at any moment (here: mid-loop) loses none, and the file stays whole.
    path = tmp_path / "state.sqlite"
    child = subprocess.Popen(
        [sys.executable, "-c", _ASSIGNING, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    assert child.stdout is not None
    returned = [child.stdout.readline().split() for _ in range(60)]
    child.kill()
    child.wait(timeout=30)
    assert [kind for _, _, kind in returned] == ["new", "copy"] * 30
    stories = SqliteStories(path)
    again = [(url, stories.assign(stories.article(url, "", None))) for url, _, _ in returned]
    assert [(url, a.story_id, a.kind) for url, a in again] == [(url, story, "known") for url, story, _ in returned]
    assert stories.count() >= 30
    stories.close()


def _long_planted() -> list[Planted]:
    """The planted articles long enough to join a story on their text."""
    return [p for p in plan() if p.scored and SKETCHER.sketch(body(p)).words >= MIN_WORDS]


def _race(uri: str, order: int, start: Any) -> list[tuple[int, str]]:
    planted = _long_planted()
    stories = open_stories(uri)
    start.wait()
    numbered = list(enumerate(planted))
    done = []
    for n, p in numbered[::order]:
        url = f"http://race{order}.test/{n}"
        done.append((n, stories.assign(stories.article(url, body(p), p.published.isoformat())).story_id))
    stories.close()
    return done


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_two_processes_assigning_copies_at_once_never_split_a_story(
    backend: str, tmp_path: Path, redis_server: RedisServer,
) -> None:
    # Both processes get every planted article (under their own URLs), in opposite orders, at once:
    # each text's copies must end in one story, however the assignments interleave.
    uri = str(tmp_path / "state.sqlite") if backend == "sqlite" else redis_server.state_uri()
    open_stories(uri).close()
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        start = manager.Barrier(2)
        with context.Pool(2) as pool:
            results = pool.starmap(_race, [(uri, 1, start), (uri, -1, start)])
    planted = _long_planted()
    story_of: dict[str, set[str]] = {}
    for n, story in itertools.chain(*results):
        story_of.setdefault(planted[n].label, set()).add(story)
    assert all(len(stories) == 1 for stories in story_of.values()), "a story split between the processes"
    assert len({s for stories in story_of.values() for s in stories}) == len(story_of), "look-alikes joined"


def test_the_summary_says_how_many_articles_were_copies() -> None:
    stats = {
        "item_scraped_count": 10, "newscrawl/stories/copy": 4, "newscrawl/stories/new": 5,
        "newscrawl/stories/short": 1, "newscrawl/stories/with_copy_of": 3,
        "newscrawl/stories/largest": "3 articles: 0123456789abcdef (http://a.test/1)",
    }
    text = render_summary(stats, [])
    assert "copies          : 4 of 10 delivered joined a known story (3 with copy_of; new=5, short=1)" in text
    assert "largest stories : 3 articles: 0123456789abcdef (http://a.test/1)" in text


# --- crawls of the syndication site ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving_site(tmp_path_factory.mktemp("syndication")) as served:
        yield served


def _check(site: Site, items: list[dict[str, Any]]) -> None:
    got = score(site, items)
    assert got.precision >= 0.98, got.joined
    assert got.recall >= 0.98, got.missed
    assert got.pairs >= 60
    by_url = {i["url"]: i for i in items}
    for item in items:
        planted = site.planted(item["url"])
        if item["copy_of"] is not None:
            original = site.planted(item["copy_of"])
            assert original.label == planted.label, "copy_of names an article of the same story"
            assert original.published <= planted.published, "and one published no later"
            assert by_url[item["copy_of"]]["story_id"] == item["story_id"]
    shorts = [i["story_id"] for i in items if site.planted(i["url"]).edit == "short"]
    assert len(shorts) == 2
    assert shorts[0] != shorts[1], "a short note republished stays apart"


def test_one_crawl_of_the_syndication_site_finds_the_planted_copies(site: Site, tmp_path: Path) -> None:
    result = run_kabar(tmp_path, {"start_urls": site.start_urls})
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.items) == len(plan())
    _check(site, result.items)
    assert all(len(i["story_id"]) == 16 for i in result.items)
    assert result.stat("newscrawl/stories/copy") >= 40
    assert "copies          : " in result.log
    assert "largest stories : " in result.log


def _portals(site: Site, names: tuple[str, ...]) -> str:
    return ",".join(f"{site.bases[n]}/" for n in names)


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_copies_split_over_two_crawls_join_the_first_crawls_stories(
    backend: str, site: Site, tmp_path: Path, redis_server: RedisServer,
) -> None:
    state = str(tmp_path / "state.sqlite") if backend == "sqlite" else redis_server.state_uri()
    names = tuple(site.bases)
    first = run_kabar(tmp_path / "1", {"start_urls": _portals(site, names[:3])}, {"NEWSCRAWL_STATE": state})
    second = run_kabar(tmp_path / "2", {"start_urls": _portals(site, names[3:])}, {"NEWSCRAWL_STATE": state})
    assert (first.returncode, second.returncode) == (0, 0), second.log[-3000:]
    _check(site, first.items + second.items)
    before = {site.planted(i["url"]).label: i for i in first.items}
    across = [i for i in second.items if site.planted(i["url"]).label in before and site.planted(i["url"]).scored]
    assert len(across) >= 15, "copies whose story the first crawl found"
    for item in across:
        assert item["story_id"] == before[site.planted(item["url"]).label]["story_id"]
    assert second.stat("newscrawl/stories/copy") >= len(across)


@contextlib.contextmanager
def _site_for_two(root: Path) -> Iterator[tuple[Site, threading.Event]]:
    """The syndication site, answering no article page until two crawl processes (told apart by their
    User-Agent) asked it for something: however late the second one starts, the first cannot have
    crawled everything before it. Home pages and robots.txt are answered at once."""
    asked: set[str] = set()
    both = threading.Event()

    class BothAsked(SiteHandler):
        def _respond(self, *, body: bool) -> None:
            asked.add(self.headers.get("User-Agent", ""))
            if len(asked) >= 2:
                both.set()
            if urlsplit(self.path).path not in ("/", "/robots.txt"):
                both.wait(timeout=60)
            super()._respond(body=body)

    where = build(root)
    with contextlib.ExitStack() as stack:
        bases = {portal: stack.enter_context(serving_with(BothAsked, root / portal)) for portal in PORTALS}
        yield Site(bases, where), both


def test_two_cluster_processes_share_the_stories(tmp_path: Path, redis_server: RedisServer) -> None:
    state = redis_server.state_uri()
    group = redis_server.fresh_group("stories")
    procs, feeds = [], []
    with _site_for_two(tmp_path / "site") as (site, both):
        for n in range(2):
            feed = tmp_path / f"p{n}.jsonl"
            cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar", "-a", f"start_urls={site.start_urls}",
                   "-O", str(feed)]
            every = {**FAST, "NEWSCRAWL_CLUSTER": redis_server.url, "NEWSCRAWL_CLUSTER_GROUP": group,
                     "NEWSCRAWL_STATE": state, "LOG_FILE": str(tmp_path / f"p{n}.log"),
                     "USER_AGENT": f"newscrawl-test-process-{n}"}
            for key, value in every.items():
                cmd += ["-s", f"{key}={value}"]
            procs.append(subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
            feeds.append(feed)
        codes = [p.wait(timeout=240) for p in procs]
    assert both.is_set(), "both processes asked the site for pages"
    assert codes == [0, 0], (tmp_path / "p0.log").read_text(errors="replace")[-3000:]
    shares = [[json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()] for f in feeds]
    items = shares[0] + shares[1]
    assert all(shares), "both processes delivered"
    assert sorted(i["url"] for i in items) == sorted({i["url"] for i in items}), "each article once"
    assert len(items) == len(plan())
    _check(site, items)
    labels = [{site.planted(i["url"]).label for i in share} for share in shares]
    assert labels[0] & labels[1], "stories with copies delivered by both processes"


def test_a_store_that_fails_mid_crawl_gives_articles_a_story_of_their_own(tmp_path: Path) -> None:
    with running_redis(tmp_path / "redis") as server:
        crawler = get_crawler(settings_dict={"NEWSCRAWL_STATE": f"{server.url}?prefix=gone"})
        pipeline = StoryPipeline.from_crawler(crawler)
        first = pipeline.process_item(Item(url="http://a.test/1", body=TEXT * 5, published_at=None))
    # The Redis server is gone: the crawl goes on, the article is its own story, and it is counted.
    second = pipeline.process_item(Item(url="http://b.test/2", body=TEXT * 5, published_at=None))
    assert first["story_id"] != second["story_id"]
    assert second["copy_of"] is None
    assert crawler.stats is not None
    assert crawler.stats.get_value("newscrawl/errors/stories_unavailable") == 1
