"""The density fallback (`extract.density`): the container it picks is the best one weighed in full.

`best_container` weighs containers by paragraph score, highest first, and stops once no later one
can win; these tests hold it to the plain rule: every container weighed, the first highest wins.
"""

from __future__ import annotations

from html import escape

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newscrawl.extract.density import best_container, densest_block, paragraph_scores, weighed
from newscrawl.extract.doc import Doc, Element
from tests.conftest import read_page
from tests.test_doc import PAGES, TESTS


def _weighed_in_full(scored: list[tuple[Element, float]]) -> Element | None:
    """The first container with the highest weighted score above 0, every container weighed."""
    best: Element | None = None
    best_score = 0.0
    for el, score in scored:
        final = weighed(el, score)
        if final is not None and final > best_score:
            best, best_score = el, final
    return best


def _same(a: Element | None, b: Element | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.mem_id == b.mem_id)


@pytest.mark.parametrize("page", PAGES[::3])
def test_the_densest_block_of_a_saved_page_is_the_best_weighed_in_full(page: str) -> None:
    doc = Doc.parse(read_page(TESTS / page))
    scored = list(paragraph_scores(doc).items())
    assert _same(best_container(scored), _weighed_in_full(scored))
    assert _same(densest_block(doc), _weighed_in_full(scored))


_SENTENCE = "Warga desa bergotong royong membangun jembatan, kata kepala desa, pada Senin pagi."
_NAMES = ("", "content", "sidebar", "related", "article-body", "comment", "post entry", "menu")
# A block: its tag, class name, how many paragraphs (as <p> or <br> runs), how many links.
_BLOCK = st.tuples(
    st.sampled_from(("div", "section", "article", "td", "aside")), st.sampled_from(_NAMES),
    st.integers(0, 4), st.booleans(), st.integers(0, 3),
)


_Block = tuple[str, str, int, bool, int]


def _page(blocks: list[_Block]) -> str:
    parts = []
    for tag, name, paragraphs, as_p, links in blocks:
        text = [f"<p>{_SENTENCE}</p>" if as_p else f"{_SENTENCE}<br>" for _ in range(paragraphs)]
        anchors = [f"<a href='/x{i}'>{escape(_SENTENCE[: 20 + 10 * i])}</a>" for i in range(links)]
        parts.append(f"<{tag} class='{name}'>{''.join(text)}{''.join(anchors)}</{tag}>")
    return f"<html><body><div id='main'>{''.join(parts)}</div><div>{''.join(parts[:2])}</div></body></html>"


@settings(max_examples=200, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=8))
# Equal blocks score equally: the first one is the article's.
@example([("div", "content", 3, True, 0), ("div", "content", 3, True, 0)])
@example([("section", "sidebar", 4, False, 1), ("div", "", 2, True, 0), ("div", "", 2, True, 0)])
@example([("article", "", 0, True, 0)])
def test_the_densest_block_of_any_page_is_the_best_weighed_in_full(blocks: list[_Block]) -> None:
    doc = Doc.parse(_page(blocks))
    scored = list(paragraph_scores(doc).items())
    assert _same(densest_block(doc), _weighed_in_full(scored))


def test_of_equal_blocks_the_first_is_chosen() -> None:
    doc = Doc.parse(_page([("div", "post", 3, True, 0), ("div", "post", 3, True, 0)]))
    first = doc.elements_of("div.post")[0]
    assert _same(densest_block(doc), first)


def test_an_earlier_container_weighing_as_much_wins_over_a_later_one_scoring_more() -> None:
    # Paragraphs of 100 characters without a comma score 2 each: the article-like block scores
    # 4 x 2 = 8 and weighs 8 x 1.25 = 10, the plain one after it scores and weighs 5 x 2 = 10.
    paragraph = "<p>" + ("kata " * 20).strip().ljust(100, "x") + "</p>"
    blocks = f"<div class='content'>{paragraph * 4}</div><div class='plain'>{paragraph * 5}</div>"
    doc = Doc.parse(f"<body><div>{blocks}</div></body>")
    content, plain = doc.elements_of("div.content")[0], doc.elements_of("div.plain")[0]
    scores = paragraph_scores(doc)
    assert (scores[content], scores[plain]) == (8.0, 10.0)
    assert weighed(content, 8.0) == weighed(plain, 10.0) == 10.0
    assert _same(densest_block(doc), content)


def test_containers_that_cannot_win_are_not_weighed(monkeypatch: pytest.MonkeyPatch) -> None:
    from newscrawl.extract import density  # noqa: PLC0415

    doc = Doc.parse(read_page(TESTS / "fixtures/generic/jakartaglobe_2015_kpk.html.gz"))
    scored = list(paragraph_scores(doc).items())
    asked: list[Element] = []

    def counting(el: Element, score: float) -> float | None:
        asked.append(el)
        return weighed(el, score)

    monkeypatch.setattr(density, "weighed", counting)
    assert _same(best_container(scored), _weighed_in_full(scored))
    assert len(scored) > 10
    assert len(asked) < len(scored) / 2
