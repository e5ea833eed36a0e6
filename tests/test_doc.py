"""The parsed page (`extract.doc`): lexbor answers every selector we use, and finds what lxml found.

`tests/reference/selectors.json.gz` holds what every selector of every profile (and the ones the
extractor and the spider ask) selected on every saved page (golden pages, the test sites) with the
former lxml engine, `extract/dom.py` (held equal to parsel by the former tests/test_dom.py), computed
once at commit 139368d and never regenerated: for each match its tag, its ``href``/``src``/``content``
and the start of its folded text (or the value of ``::attr``/``::text``). lexbor builds the tree a
browser builds (HTML5), libxml2 did not; where that changes what a selector finds, the change was
reviewed against the page and is listed in `HTML5_CHANGES` with why (and in
tests/fixtures/PROVENANCE.md); none changes an extracted field of a golden page.
"""

from __future__ import annotations

import codecs
import gc
import gzip
import json
from functools import cache
from html import escape
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse

from newscrawl.crawl.middlewares import page_source
from newscrawl.extract import article, body
from newscrawl.extract.body import ALWAYS_DROP
from newscrawl.extract.doc import NOT_TEXT, Doc, Element, Node, same, split_pseudo, text_of
from newscrawl.extract.text import _head_of_container, block_texts, element_text, fold, text_head
from newscrawl.networks import all_profiles, get_profile
from tests.conftest import REALWORLD, read_page

TESTS = Path(__file__).resolve().parent
REFERENCE = TESTS / "reference" / "selectors.json.gz"

# Profile fields that hold CSS selectors.
SELECTOR_FIELDS = (
    "detect", "title", "author", "date", "modified", "body", "body_drop", "image", "caption", "tags",
    "section", "editor", "source", "related", "pager", "listing_next", "listing_date",
)
# Selectors the code asks besides the profiles' (extract.article, structured, candidates; the spider's links).
CODE_SELECTORS = (
    "h1, h2, h3, [class*=judul], [class*=title]", 'link[rel="canonical"]::attr(href)',
    'script[type="application/ld+json"]::text', "[itemprop]", "[title]", "time", "abbr", "meta", "a::attr(href)",
)
# (page, selector) -> (how many it finds now, why that differs from lxml's answer). Reviewed on the page.
HTML5_CHANGES: dict[tuple[str, str], tuple[int, str]] = {
    ("fixtures/detik/news_2015_robot-ugm.html.gz", "noscript"): (
        2, "a <noscript> holding an <img>: libxml2 kept its markup as text, HTML5 parses it as an element"),
    ("fixtures/generic/jakartaglobe_2015_kpk.html.gz", "noscript"): (
        14, "a <noscript> holding an <img>: libxml2 kept its markup as text, HTML5 parses it as an element"),
    ("fixtures/generic/liputan6_2015_jk-ahok.html.gz", "noscript"): (
        12, "a <noscript> holding an <img>: libxml2 kept its markup as text, HTML5 parses it as an element"),
    ("fixtures/generic/republika-nasional_2015_dprd-sumut.html.gz", "form"): (
        2, "a <form> nested in the comment form: HTML5 ignores a form start tag inside a form (its fields stay)"),
    ("fixtures/generic/tempo-gaya_2015_malas-bergerak.html.gz", "script"): (
        31, "four <script>s after </html>: libxml2 dropped them, HTML5 appends them to the body"),
    ("fixtures/generic/tempo-gaya_2015_malas-bergerak-i1.html.gz", "script"): (
        31, "four <script>s after </html>: libxml2 dropped them, HTML5 appends them to the body"),
    ("fixtures/generic/viva-life_2016_taylor-swift.html.gz", "article img"): (
        4, "libxml2 (an HTML4 parser) ignored </article> and kept the rest of the page in the article: HTML5 ends it"),
}


def selectors() -> list[str]:
    """Every selector a profile or the code asks, once."""
    found: dict[str, None] = {}
    for profile in all_profiles():
        for name in SELECTOR_FIELDS:
            found.update(dict.fromkeys(getattr(profile, name)))
        for archive in profile.archives:  # a backfill's dated archives: markers and items (`extract.archive`)
            found.update(dict.fromkeys((*archive.when, *(f"{css}::attr(href)" for css in archive.items))))
    found.update(dict.fromkeys(ALWAYS_DROP))
    found.update(dict.fromkeys(CODE_SELECTORS))
    return list(found)


@cache
def reference() -> dict[str, dict[str, list[str]]]:
    stored = json.loads(gzip.decompress(REFERENCE.read_bytes()))
    return stored["pages"]


@cache
def stored_selectors() -> tuple[str, ...]:
    return tuple(json.loads(gzip.decompress(REFERENCE.read_bytes()))["selectors"])


def fingerprint(node: Node) -> str:
    """A match as the reference stores it: tag, href/src/content, the start of its folded text."""
    if isinstance(node, str):
        return fold(node)[:100]
    attrs = node.attrs
    extra = "".join(f" {name}={attrs.get(name)}" for name in ("href", "src", "content") if attrs.get(name) is not None)
    return f"{node.tag}{extra[:100]} | {fold(text_of(node))[:80]}"


SELECTORS = selectors()
PAGES = sorted(reference())


def test_the_reference_covers_the_pages_and_the_selectors() -> None:
    assert len(PAGES) >= 180
    assert len(stored_selectors()) >= 350
    # Every selector in use was there when the reference was made, or is new since (checked for validity below).
    assert len(set(SELECTORS) & set(stored_selectors())) >= 350


@pytest.mark.parametrize("css", SELECTORS)
def test_every_selector_in_use_is_valid_for_lexbor(css: str) -> None:
    doc = Doc.parse("<html><body><p class='x'>t</p></body></html>")
    doc.css(css)  # raises SelectolaxError on a selector lexbor cannot read
    assert split_pseudo(css)[0].strip()


@pytest.mark.parametrize("page", PAGES)
def test_selectors_find_what_they_found_with_lxml(page: str) -> None:
    doc = Doc.parse(read_page(TESTS / page))
    before = reference()[page]
    in_use = set(SELECTORS)
    for css in stored_selectors():
        if css not in in_use:
            continue
        now = [fingerprint(n) for n in doc.css(css)]
        if (page, css) in HTML5_CHANGES:
            assert len(now) == HTML5_CHANGES[page, css][0], css
        else:
            assert now == before.get(css, []), css


def test_every_html5_change_is_still_a_change() -> None:
    # A listed change that no longer differs is stale: the table must say exactly what differs.
    for page, css in HTML5_CHANGES:
        now = [fingerprint(n) for n in Doc.parse(read_page(TESTS / page)).css(css)]
        assert now != reference()[page].get(css, []), (page, css)


# --- the Doc's own answers ----------------------------------------------------------------------


def test_a_group_selector_gives_each_element_once_in_document_order() -> None:
    doc = Doc.parse('<h1 class="title">a</h1><p class="judul">b</p><h2>c</h2>')
    assert [el.tag for el in doc.elements_of("h1, h2, h3, [class*=judul], [class*=title]")] == ["h1", "p", "h2"]


def test_pseudo_elements_read_attributes_and_own_text() -> None:
    doc = Doc.parse('<head><link rel="canonical" href="/a"><meta name="x" content="1"></head>'
                    '<script type="application/ld+json">{"a": 1}</script><p>one<b>two</b>three</p>')
    assert doc.css('link[rel="canonical"]::attr(href)') == ["/a"]
    assert doc.css('meta[name="x"]::attr(content)') == ["1"]
    assert doc.css('script[type="application/ld+json"]::text') == ['{"a": 1}']
    assert doc.css("p::text") == ["one", "three"]
    assert doc.elements_of("p::text") == []
    assert doc.has('meta[name="x"]::attr(content)')
    assert not doc.has("meta[name=y]")


@pytest.mark.parametrize(
    "query",
    ["a::attr(href)", "p::text", "p, h1", "h1, p", "a", "i", "i::text", "b::attr(id)", "p"],
)
@pytest.mark.parametrize("asked_whole_first", [False, True])
def test_the_first_match_is_the_first_of_the_whole_answer(query: str, *, asked_whole_first: bool) -> None:
    # The first <a> has no href and the first <p> no text of its own: the first match is further on.
    page = "<a>x</a><p><b>in b</b></p><h1>h</h1><a href='/1'>y</a><p>own</p><a href='/2'></a><b id=k></b>"
    doc = Doc.parse(page)
    whole = Doc.parse(page).css(query)
    if asked_whole_first:
        assert doc.css(query) == whole
    first = doc.first((query,))
    assert (first.html if isinstance(first, Element) else first) == (
        (whole[0].html if isinstance(whole[0], Element) else whole[0]) if whole else None
    )
    assert [n.html if isinstance(n, Element) else n for n in doc.css(query)] == [
        n.html if isinstance(n, Element) else n for n in whole
    ]


def test_scoped_selectors_include_the_scope_itself() -> None:
    doc = Doc.parse("<div class='ads'><div class='ads'>x</div><p>y</p></div>")
    outer = doc.elements_of("div")[0]
    assert len(doc.matching((".ads", "p"), outer)) == 3
    assert doc.matching((), outer) == set()


def test_positions_and_containment_follow_the_document() -> None:
    doc = Doc.parse("<div><p>a</p><!-- c --><p>b</p></div><p>c</p>")
    first, second, third = doc.elements_of("p")
    div = doc.elements_of("div")[0]
    assert doc.position(first) < doc.position(second) < doc.position(third)
    assert doc.contains(div, second)
    assert not doc.contains(div, third)
    assert doc.contains(doc.root, third)
    assert [el.tag for el in doc.elements] == ["html", "head", "body", "div", "p", "p", "p"]


def test_search_finds_each_text_node_once_in_document_order() -> None:
    doc = Doc.parse(
        "<html><body><p>Editor: A</p><script>var Editor = 1;</script><div>x<b>Redaktur</b>"
        "tail Editor Editor</div><p>BACA JUGA: <a href='/a'>a</a></p></body></html>",
    )
    found = doc.search(("Editor", "Redaktur"))
    assert [(owner.tag, text) for owner, text in found] == [
        ("p", "Editor: A"), ("b", "Redaktur"), ("div", "tail Editor Editor"),
    ]
    assert [text for _, text in doc.search(("juga",), ignore_case=True)] == ["BACA JUGA: "]
    assert doc.search(("Sumber",)) == []


@pytest.mark.parametrize(
    "page",
    [
        # The article's text once on the page: its nodes come from the page's walk.
        ("<body><p>Editor: A</p><article><p>Baca juga: <a>x</a></p><p>Juga <b>pula</b></p></article>"
        "<p>juga</p></body>"),
        # The same text twice (a copy in a teaser): which nodes are the article's is found by walking it.
        ("<body><p>Editor: A</p><div><p>Baca juga: <a>x</a></p></div><article><p>Baca juga: <a>x</a></p></article>"
        "</body>"),
        # A text of the article that is a piece of a longer node elsewhere ("uga" in "juga x").
        "<body><p>Editor: A uga</p><article><p>uga</p></article><p>juga x</p></body>",
    ],
)
def test_a_search_in_part_of_the_page_finds_the_same_nodes_after_a_search_of_the_whole(page: str) -> None:
    fresh, searched = Doc.parse(page), Doc.parse(page)
    assert searched.search(("Editor",))  # the page's text nodes walked first
    scope_fresh = fresh.css("article")[0]
    scope = searched.css("article")[0]
    assert isinstance(scope_fresh, Element)
    assert isinstance(scope, Element)
    for words in (("juga", "pula"), ("uga",)):
        expected = [(owner.html, text) for owner, text in fresh.search(words, ignore_case=True, scope=scope_fresh)]
        found = searched.search(words, ignore_case=True, scope=scope)
        assert [(owner.html, text) for owner, text in found] == expected
        assert all(searched.contains(scope, owner) for owner, _ in found)


def test_search_leaves_out_code_but_not_the_text_after_it() -> None:
    doc = Doc.parse("<div><script></script>Editor: B<style>.Editor{}</style></div>")
    assert [(owner.tag, text) for owner, text in doc.search(("Editor",))] == [("div", "Editor: B")]


def test_search_ignoring_case_survives_letters_whose_lower_case_is_longer() -> None:
    # "İ".lower() is two characters: offsets in the lower-cased text no longer line up.
    doc = Doc.parse("<p>İİİ</p><p>Baca JUGA ini</p><p>tidak</p>")
    assert [text for _, text in doc.search(("juga",), ignore_case=True)] == ["Baca JUGA ini"]


def _searched_by_hand(doc: Doc, words: tuple[str, ...]) -> list[tuple[int, str]]:
    """What a case-blind search of the page should find: each text node of its title and body, lower-cased alone."""
    tops = [*doc.css("head title")[:1], *doc.css("body")[:1]]
    found = []
    for top in tops:
        assert isinstance(top, Element)
        for node in top.traverse(include_text=True, skip_empty=True):
            text = node.text_content if node.is_text_node else None
            owner = node.parent
            holds = text and text.strip() and any(w in text.lower() for w in words)
            if holds and owner is not None and owner.tag not in NOT_TEXT:
                found.append((owner.mem_id, text))
    return found


# Words a case-blind search is asked for, with and without "i"/"k" (the ASCII letters that "İ" and
# the Kelvin sign lower-case into, which a search lower-casing ASCII letters alone would miss).
CASE_BLIND_WORDS = (("juga", "pula"), ("baca juga",), ("sumber",), ("editor", "kabar"), ("k",), ("i̇",))


@pytest.mark.parametrize("page", PAGES[::4])
def test_a_case_blind_search_finds_the_nodes_each_lower_cased_alone_would(page: str) -> None:
    for words in CASE_BLIND_WORDS:
        doc = Doc.parse(read_page(TESTS / page))
        found = [(owner.mem_id, text) for owner, text in doc.search(words, ignore_case=True)]
        assert found == _searched_by_hand(doc, words), words


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="aAgGjJuUpPlLkKiI İ\u212a\u0130ßẞΣ©“”—é中😀 ", max_size=12), min_size=1, max_size=8),
    st.sampled_from(CASE_BLIND_WORDS),
)
@example(["İİİ", "Baca JUGA ini", "tidak"], ("juga",))
@example(["\u212aabar", "KABAR"], ("editor", "kabar"))
@example(["©", "PULA\u0130"], ("juga", "pula"))
def test_a_case_blind_search_agrees_with_str_lower_on_any_text(texts: list[str], words: tuple[str, ...]) -> None:
    doc = Doc.parse("".join(f"<p>{escape(t)}</p>" for t in texts))
    found = [(owner.mem_id, text) for owner, text in doc.search(words, ignore_case=True)]
    assert found == _searched_by_hand(doc, words)


def test_text_of_leaves_out_skipped_subtrees_and_comments_but_keeps_what_follows() -> None:
    doc = Doc.parse("<div>a<!-- c --><span>b<i>x</i></span>c<em>d</em>e</div>")
    div = doc.elements_of("div")[0]
    assert text_of(div) == "abxcde"
    assert text_of(div, set(doc.elements_of("span"))) == "acde"


@pytest.mark.parametrize("page", [b"", b"   ", "\x00", b"\xff\xfe<p>x</p>", "<p>caf\u00e9</p>", b"no markup at all"])
def test_any_input_parses_to_a_document(page: str | bytes) -> None:
    doc = Doc.parse(page)
    assert doc.root.tag == "html"
    assert doc.css("p, html")


def test_invalid_utf8_keeps_the_text_after_the_bad_byte() -> None:
    doc = Doc.parse(b"<p>awal \xff akhir</p>")
    assert text_of(doc.elements_of("p")[0]) == "awal \ufffd akhir"


# --- bounded reads: a prefix of the text decides what the whole text would ----------------------

_PIECES = st.one_of(
    st.sampled_from(["Baca", " juga", "Baca Juga: ", "BACA JUGA", "  ", "\n", "\xa0", "▶ ", "Simak juga ", "x" * 30,
                     "Editor: Budi", "Sumber: Antara", "pula", "lihat  juga"]),
    st.text(alphabet="ab ,.:\n", max_size=40),
)


def _element(pieces: list[str], split: int) -> Element:
    # The pieces spread over nested inline elements, as a CMS writes them.
    inner = "".join(f"<b>{escape(p)}</b>" if i % 3 == 1 else escape(p) for i, p in enumerate(pieces[split:]))
    head = "".join(escape(p) for p in pieces[:split])
    return Doc.parse(f"<div>{head}<span>{inner}</span></div>").elements_of("div")[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14), st.integers(min_value=0, max_value=14))
@example(["▶ baca", " " * 70, "juga"], 3)  # the lead is cut by a long run of whitespace
@example(["▶ baca", " " * 300, "juga"], 3)  # longer than the first read
def test_a_blocks_opening_decides_a_lead_as_its_whole_text_would(pieces: list[str], split: int) -> None:
    el = _element(pieces, split)
    assert body._is_lead(body._opening(el)) == body._is_lead(fold(text_of(el)))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14), st.integers(min_value=0, max_value=14), st.integers(min_value=1, max_value=80))
def test_a_short_text_is_read_whole_and_a_long_one_not_at_all(pieces: list[str], split: int, limit: int) -> None:
    el = _element(pieces, split)
    whole = fold(text_of(el))
    assert article._short_text(el, limit) == (whole if len(whole) < limit else None)


# --- the spider's use: bytes as they came, freed at once ------------------------------------------

SAMPLE = [TESTS / p for p in PAGES] + sorted(REALWORLD.glob("**/*.html"))


@pytest.mark.parametrize("path", SAMPLE[::9], ids=[p.name for p in SAMPLE[::9]])
def test_a_page_is_freed_as_soon_as_its_extraction_is_done(path: Path) -> None:
    # No reference cycles: a page's tree (megabytes on a real portal) goes when the spider drops it,
    # not whenever the garbage collector next runs, so memory stays flat over a long crawl.
    body = read_page(path)
    gc.collect()
    gc.disable()
    try:
        for profile in all_profiles():
            doc = Doc.parse(body)
            article.extract_article(doc, "https://portal.example.id/read/1/judul", profile)
            del doc
        assert gc.collect() == 0
    finally:
        gc.enable()


@pytest.mark.parametrize("path", SAMPLE[::4], ids=[p.name for p in SAMPLE[::4]])
def test_a_utf8_page_read_from_its_bytes_is_the_page_read_from_its_text(path: Path) -> None:
    # The spider hands lexbor a UTF-8 body as it came (no decoding to str and back): what is
    # extracted must be what the decoded text gives.
    body = read_page(path)
    response = HtmlResponse("https://portal.example.id/read/1/judul", body=body,
                            headers={"Content-Type": "text/html; charset=utf-8"})
    source = page_source(response)
    assert isinstance(source, bytes) or body.startswith(codecs.BOM_UTF8)
    for profile in (get_profile("prmn"), get_profile("generic")):
        from_bytes = article.extract_article(Doc.parse(source), response.url, profile)
        from_text = article.extract_article(Doc.parse(response.text), response.url, profile)
        assert from_bytes == from_text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<p>Kota Banggai \u2014 caf\u00e9</p>".encode("cp1252"), "text/html; charset=windows-1252"),
        (codecs.BOM_UTF8 + "<p>caf\u00e9</p>".encode(), "text/html; charset=utf-8"),
    ],
)
def test_a_page_in_another_charset_or_with_a_bom_is_parsed_from_its_text(body: bytes, content_type: str) -> None:
    response = HtmlResponse("https://portal.example.id/", body=body, headers={"Content-Type": content_type})
    assert page_source(response) == response.text
    assert "caf\u00e9" in text_of(Doc.parse(page_source(response)).root)


_MERGED = ("paragraphs", "related_urls", "tags", "tag_urls", "image_caption", "editor", "source", "title", "url")


@pytest.mark.parametrize("path", SAMPLE[::2], ids=[p.name for p in SAMPLE[::2]])
def test_a_later_page_gives_what_merging_takes_as_a_full_extraction_does(path: Path) -> None:
    # The spider reads a later page of an article with extract_later_page (no dates, pager, authors...).
    body = read_page(path)
    for profile in all_profiles():
        url = "https://portal.example.id/read/1/judul?page=2"
        full = article.extract_article(Doc.parse(body), url, profile)
        later = article.extract_later_page(Doc.parse(body), url, profile)
        assert {name: getattr(later, name) for name in _MERGED} == {name: getattr(full, name) for name in _MERGED}
        assert later.routes.get("tags") == full.routes.get("tags")


_MARKUP = st.lists(
    st.sampled_from(["<a>", "</a>", "<p>", "</p>", "<br>", "<b>", "</b>", "<!-- c -->", "<script>x</script>", "<h1>",
                     "</h1>", "<div>", "</div>", "<span>", "</span>", "<td>", "&nbsp;", "\u200b"])
    | st.text(alphabet="ab ,.:\n\t", max_size=12),
    max_size=16,
)


@settings(max_examples=400, deadline=None)
@given(_MARKUP)
def test_an_elements_text_is_its_blocks_joined_whatever_it_holds(pieces: list[str]) -> None:
    # element_text reads an element of text only (no child element or comment) from lexbor directly.
    doc = Doc.parse(f"<body><section>{''.join(pieces)}</section></body>")
    for el in doc.elements_of("section, section *"):
        assert element_text(el) == fold(" ".join(block_texts(el))), el.html


_WORDY = st.text(alphabet=st.sampled_from(list("aAİı _-.,!\u0307\u00a0Zz9")), max_size=20)


@settings(max_examples=500, deadline=None)
@given(_WORDY, _WORDY)
def test_a_paragraph_repeats_the_title_exactly_when_their_words_fold_alike(paragraph: str, title: str) -> None:
    # _repeats looks at the paragraph's first word before folding all of it.
    key = article._fold_key(title)
    assert article._repeats(paragraph, key) == (article._fold_key(paragraph) == key)
    assert article._repeats(title, key)


@pytest.mark.parametrize(
    "page",
    [
        # Nested boxes, a box that is itself a link, links before, between and after them.
        ("<a>0</a><div class=x><a>1</a><div class=x><a>2</a></div><a>3</a></div><a class=x>4<a>5</a></a>"
        "<span class=x><b><a>6</a></b></span><a>7</a>"),
        "<div class=x></div><p><a>no box</a></p>",
        "",
    ],
)
@pytest.mark.parametrize("query", [".x a", "div.x a", "[class=x] a", ".x:first-child a", ".x b"])
def test_a_tag_inside_a_box_is_found_as_lexbor_finds_it_whole(page: str, query: str) -> None:
    # The page asks "A tag" as the tags inside each A (doc._select_page); lexbor answers it whole.
    doc = Doc.parse(page)
    whole = Doc.parse(page).root.css(query)
    assert [el.html for el in doc.elements_of(query)] == [el.html for el in whole]


def test_a_search_outside_the_body_is_never_read_off_the_bodys_walk() -> None:
    # The <title> says what the headline says: the head, searched after the page, finds the title's node.
    doc = Doc.parse("<head><title>Banjir di Luwuk</title></head><body><h1>Banjir di Luwuk</h1><p>Editor: A</p></body>")
    assert doc.search(("Editor",))  # the body's text nodes walked first
    head = doc.css("head")[0]
    assert isinstance(head, Element)
    assert [owner.tag for owner, _ in doc.search(("Luwuk",), scope=head)] == ["title"]


_WALKED_IN_PARTS = (
    "<html><head><title>Judul</title></head><body><p>Editor: A</p><div><p>satu</p><article><p>Baca juga:"
    " <a>x</a></p><p>Sumber: B</p></article><p>tengah</p></div><footer><p>akhir Editor</p><script>var juga;</script>"
    "</footer></body></html>"
)


@pytest.mark.parametrize(
    "order",
    [
        [("Editor",), ("akhir",), ("satu",)],  # the first hit, then the last node, then one walked already
        [("satu",), ("Sumber",), ("tengah",), ("akhir",)],  # the walk extended bit by bit
        [("Editor",), ("juga",)],  # the article's search slices a walk that has not reached its end
        [("juga",), ("Editor",)],  # the article walked on its own, then the page from its start
    ],
)
def test_searches_in_any_order_find_what_a_fresh_page_finds(order: list[tuple[str, ...]]) -> None:
    # A run's text nodes are walked only as far as a search needs: later searches walk on, a part of
    # the page reads its nodes off the page's walk, and every answer is what a fresh page gives.
    doc = Doc.parse(_WALKED_IN_PARTS)
    for words in order:
        for scoped in (False, True):
            fresh = Doc.parse(_WALKED_IN_PARTS)
            scope = doc.elements_of("article")[0] if scoped else None
            fresh_scope = fresh.elements_of("article")[0] if scoped else None
            expected = [(owner.html, text) for owner, text in fresh.search(words, ignore_case=True, scope=fresh_scope)]
            found = doc.search(words, ignore_case=True, scope=scope)
            assert [(owner.html, text) for owner, text in found] == expected
    assert [owner.tag for owner, _ in doc.search(("Editor",))] == ["p", "p"]


@pytest.mark.parametrize("page", PAGES)
def test_each_of_finds_what_the_queries_find_one_after_another(page: str) -> None:
    # One pass of lexbor for a family's fallback chain (its date selectors): the same elements, in
    # the same order, repeats kept, as asking each selector in turn.
    doc = Doc.parse(read_page(TESTS / page))
    for profile in all_profiles():
        for name in SELECTOR_FIELDS:
            queries = getattr(profile, name)
            plain = [el.mem_id for q in queries for el in doc.elements_of(q)]
            assert [el.mem_id for el in doc.each_of(queries)] == plain, (profile.name, name)


@pytest.mark.parametrize("page", PAGES)
def test_a_subtree_ends_where_its_elements_counted_say(page: str) -> None:
    # last_position goes down the last children; counting the subtree's elements must say the same.
    doc = Doc.parse(read_page(TESTS / page))
    for el in doc.elements[::7]:
        assert doc.last_position(el) == doc.position(el) + len(el.css("*")) - 1, el.tag


def test_a_template_ends_where_its_elements_counted_say() -> None:
    doc = Doc.parse("<body><div><p>a</p><template><p>b</p><i>c</i></template></div><div>d</div></body>")
    for el in doc.elements:
        assert doc.last_position(el) == doc.position(el) + len(el.css("*")) - 1, el.tag


def test_a_hit_whose_walked_node_holds_other_text_is_refused() -> None:
    # The walk stops at the last hit, so a disagreement between lexbor's text and its walk could
    # hide beyond it: every hit's node is checked to hold the hit's text instead.
    doc = Doc.parse("<body><p>Editor: A</p><p>Sumber: B</p></body>")
    assert doc.search(("Sumber",))  # the page's runs walked to their second node
    run = doc._runs_of(None)[-1]
    run.walked.reverse()  # the walk now disagrees with the text
    with pytest.raises(AssertionError, match="disagree"):
        doc.search(("Editor",))


# --- document order filled as far as asked; a container's head read from its first texts ---------


@pytest.mark.parametrize("page", PAGES[::6])
def test_a_position_within_a_bound_is_the_position_or_none_in_any_order_of_asking(page: str) -> None:
    for stride, share in ((5, 3), (-3, 2), (11, 1)):
        doc = Doc.parse(read_page(TESTS / page))  # a fresh order, filled by this order of asking
        truth = {el.mem_id: i for i, el in enumerate(doc.elements)}
        bound = (len(doc.elements) - 1) // share
        for el in doc.elements[::stride]:
            want = truth[el.mem_id]
            assert doc.position_within(el, bound) == (want if want <= bound else None), el.tag
            assert doc.position(el) == want


def test_an_element_of_another_page_has_no_position() -> None:
    doc, other = Doc.parse("<p>a</p><p>b</p>"), Doc.parse("<p>a</p><p>b</p><p>c</p>")
    assert doc.position_within(other.elements_of("p")[2], 10) is None
    assert doc.position(other.elements_of("p")[2]) == 0


def _head_from_whole_text(el: Element, limit: int) -> tuple[str, bool]:
    # What text_head answered before containers were read from their first texts: from el.text().
    raw, size = el.text(), limit * 4
    while size < len(raw):
        head = fold(raw[:size])
        if len(head) >= limit:
            return head, False
        size *= 4
    return fold(raw), True


@pytest.mark.parametrize("path", SAMPLE[::5], ids=lambda p: p.name)
def test_a_containers_head_is_the_head_of_its_whole_text(path: Path) -> None:
    doc = Doc.parse(read_page(path))
    for el in doc.elements[::3]:
        for limit in (1, 16, 64, 240):
            want = _head_from_whole_text(el, limit)
            assert _head_of_container(el, limit) == want, (el.tag, limit)
            assert text_head(el, limit) == want, (el.tag, limit)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14), st.integers(min_value=0, max_value=14), st.integers(min_value=1, max_value=80))
@example(["x" * 30, "x" * 30], 1, 15)  # exactly as long as the first read: read whole
def test_a_containers_head_is_read_as_its_whole_text_would_be(pieces: list[str], split: int, limit: int) -> None:
    el = _element(pieces, split)
    assert text_head(el, limit) == _head_from_whole_text(el, limit)


def test_a_search_with_a_filter_finds_what_filtering_its_finds_leaves() -> None:
    page = "<body><p>juga di awal</p><script>juga</script><p>Baca juga: x</p><p>Di tengah kalimat ada juga</p></body>"
    kept = ("juga", "Baca")
    wanted = [(owner.tag, text) for owner, text in Doc.parse(page).search(("juga",)) if text.startswith(kept)]
    doc = Doc.parse(page)
    found = doc.search(("juga",), where=lambda text: text.startswith(kept))
    assert [(owner.tag, text) for owner, text in found] == wanted == [("p", "juga di awal"), ("p", "Baca juga: x")]
    assert doc._runs_of(None)[-1].walked[-1].text_content == "Baca juga: x"  # walked no further than the last kept


_OLD_BOXES = ", ".join(sorted(body._BOXES))


@pytest.mark.parametrize("path", SAMPLE[::4], ids=lambda p: p.name)
def test_the_blocks_holding_a_bodys_links_come_in_document_order(path: Path) -> None:
    # The boxes and cards a body may lose are its link holders of a block tag, in document order:
    # what lexbor's pass over the body's blocks, kept if they hold a link, gave before.
    doc = Doc.parse(read_page(path))
    for node in doc.elements_of("article, main, section, div, a")[::3]:  # a link itself: its own holders are none
        anchors = node.css("a")
        dead = {x for a in anchors[1::3] for x in a.traverse()}  # some links left out
        holders = body._holding_links(node, anchors, dead)
        in_order = [el for el in node.css("*") if el in holders and not same(el, node)]
        assert [el.mem_id for el in holders] == [el.mem_id for el in in_order]
        blocks = [el.mem_id for el in holders if el.tag in body._BOXES]
        assert blocks == [el.mem_id for el in node.css(_OLD_BOXES) if el in holders]
