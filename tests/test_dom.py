"""The parsed page (`extract.dom`): its CSS answers are parsel's, its text searches find what is there.

`Doc.css` answers selectors from an index instead of XPath. Parsel (cssselect's translation, run
by libxml2) is the reference: every selector of every profile, plus the ones the extractor and
spider use, must select the same elements, in the same order, on every page we hold (golden
fixtures, the test sites, the shared real-world pages).
"""

from __future__ import annotations

import codecs
import gc
import gzip
from functools import cache
from html import escape
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse

from newscrawl.extract import article
from newscrawl.extract.article import ALWAYS_DROP
from newscrawl.extract.dom import Doc, Element, compile_css, parse_html, text_of
from newscrawl.extract.text import fold
from newscrawl.networks import all_profiles, get_profile
from newscrawl.spiders.kabar import page_source

TESTS = Path(__file__).resolve().parent
REALWORLD = TESTS.parent.parent / "shared" / "realworld"

# Profile fields that hold CSS selectors.
_SELECTOR_FIELDS = (
    "detect", "title", "author", "date", "modified", "body", "body_drop", "image", "caption", "tags",
    "section", "editor", "source", "related", "pager", "listing_next", "listing_date",
)
# Selectors the code asks besides the profiles', and forms the profiles do not use yet.
_EXTRA = (
    "h1, h2, h3, [class*=judul], [class*=title]", 'link[rel="canonical"]::attr(href)',
    'script[type="application/ld+json"]::text', "a::attr(href)", "a", "*", "div > p", "ul li:first-child a",
    "li:last-child", "p:first-of-type", "div a:last-of-type", "[class~=paging__link]", "[class$=__date]",
    "[class^=read]", "meta[content]::attr(content)", "div.read__content p a, h1", "body > div > div",
    "#penulis", "[id]", "a[href*='/tag/']", "[class*='']",
    # Outside the subset: answered through parsel's XPath translation.
    "h1 + div", "li ~ li", "a:not(.next)", "p:nth-child(2)", "[lang|=id]", "div:empty",
)


def _selectors() -> list[str]:
    found: dict[str, None] = {}
    for profile in all_profiles():
        for name in _SELECTOR_FIELDS:
            found.update(dict.fromkeys(getattr(profile, name)))
    found.update(dict.fromkeys(ALWAYS_DROP))
    found.update(dict.fromkeys(_EXTRA))
    return list(found)


def _pages() -> list[Path]:
    pages = sorted(TESTS.glob("fixtures/**/*.html.gz")) + sorted(TESTS.glob("sites/**/*.html"))
    return pages + sorted(REALWORLD.glob("**/*.html"))


@cache
def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _key(node: object) -> object:
    # Elements of the two trees are compared by where they stand in their document.
    if isinstance(node, etree._Element):
        return node.getroottree().getpath(node)
    return str(node)


PAGES = _pages()
SELECTORS = _selectors()


def test_the_corpus_is_there() -> None:
    # The equivalence test below means little on a handful of pages.
    assert len(PAGES) >= 100
    assert len(SELECTORS) >= 300


@pytest.mark.parametrize("path", PAGES, ids=[str(p.relative_to(p.parents[2])) for p in PAGES])
def test_css_selects_what_parsel_selects(path: Path) -> None:
    body = _read(path)
    doc = Doc.parse(body)
    reference = Selector(root=parse_html(body))
    for css in SELECTORS:
        ours = [_key(n) for n in doc.css(css)]
        theirs = [_key(n.root) for n in reference.css(css)]
        assert ours == theirs, css


@pytest.mark.parametrize("path", PAGES[::7], ids=[str(p.relative_to(p.parents[2])) for p in PAGES[::7]])
def test_scoped_css_selects_what_parsel_selects(path: Path) -> None:
    body = _read(path)
    doc = Doc.parse(body)
    reference = Selector(root=doc.root)
    scopes = [el for el in doc.elements if el.tag in ("article", "div", "section", "main")][:40]
    for scope in scopes:
        scoped = Selector(root=scope)
        for css in (*ALWAYS_DROP, "a", "p a", ".read__others a", "div > p", "[class*=caption]", "li:last-child a"):
            assert [_key(n) for n in doc.css(css, scope)] == [_key(n.root) for n in scoped.css(css)], css
            assert doc.matching((css,), scope) == {n.root for n in scoped.css(css) if not isinstance(n.root, str)}
    assert reference.css("a")  # the sample pages have links, so the scoped checks above compared something


def test_the_subset_is_answered_from_the_index_and_the_rest_by_xpath() -> None:
    for css in ("div.read__content", "section.read__tagging ul.tag__list li a", "a[rel='next']", "#x > p::text",
                'meta[name="dtk:author"]::attr(content)', "li.breadcrumb__item:last-child a"):
        assert compile_css(css).xpath is None, css
    for css in ("h1 + div", "a:not(.next)", "p:nth-child(2)", "a::attr(href), b", "[lang|=id]"):
        assert compile_css(css).xpath is not None, css


def test_a_class_list_is_split_on_any_whitespace() -> None:
    doc = Doc.parse('<div class="  read__title\tbig\n x"><p class="read__title read__title">t</p></div>')
    assert [el.tag for el in doc.css(".read__title")] == ["div", "p"]
    assert [el.tag for el in doc.css(".big.x")] == ["div"]


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


def test_search_ignoring_case_survives_letters_whose_lower_case_is_longer() -> None:
    # "İ".lower() is two characters: offsets in the lower-cased text no longer line up.
    doc = Doc.parse("<p>İİİ</p><p>Baca JUGA ini</p><p>tidak</p>")
    assert [text for _, text in doc.search(("juga",), ignore_case=True)] == ["Baca JUGA ini"]


def test_text_of_leaves_out_skipped_subtrees_and_comments_but_keeps_tails() -> None:
    doc = Doc.parse("<div>a<!-- c --><span>b<i>x</i></span>c<em>d</em>e</div>")
    div = doc.elements_of("div")[0]
    assert text_of(div) == "abxcde"
    assert text_of(div, set(doc.elements_of("span"))) == "acde"


@pytest.mark.parametrize("page", [b"", b"   ", "\x00", b"\xff\xfe<p>x</p>", "<p>caf\u00e9</p>", b"no markup at all"])
def test_any_input_parses_to_a_document(page: str | bytes) -> None:
    doc = Doc.parse(page)
    assert doc.root is not None
    assert doc.css("p, html")


def test_invalid_utf8_keeps_the_text_after_the_bad_byte() -> None:
    doc = Doc.parse(b"<p>awal \xff akhir</p>")
    assert text_of(doc.elements_of("p")[0]) == "awal \ufffd akhir"


def test_a_doc_from_a_parsel_selector_reads_the_same_tree() -> None:
    sel = Selector(text="<html><body><h1 class='t'>Judul</h1></body></html>")
    assert [text_of(el) for el in Doc.of(sel).elements_of("h1.t")] == ["Judul"]


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
def test_a_blocks_opening_decides_a_lead_as_its_whole_text_would(pieces: list[str], split: int) -> None:
    el = _element(pieces, split)
    assert article._is_lead(article._opening(el)) == article._is_lead(fold(text_of(el)))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14), st.integers(min_value=0, max_value=14), st.integers(min_value=1, max_value=80))
def test_a_short_text_is_read_whole_and_a_long_one_not_at_all(pieces: list[str], split: int, limit: int) -> None:
    el = _element(pieces, split)
    whole = fold(text_of(el))
    assert article._short_text(el, limit) == (whole if len(whole) < limit else None)


@pytest.mark.parametrize("path", PAGES[::5], ids=[str(p.relative_to(p.parents[2])) for p in PAGES[::5]])
def test_a_page_is_freed_as_soon_as_its_extraction_is_done(path: Path) -> None:
    # No reference cycles: a page's tree (megabytes on a real portal) goes when the spider drops it,
    # not whenever the garbage collector next runs, so memory stays flat over a long crawl.
    body = _read(path)
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


@pytest.mark.parametrize("path", PAGES[::3], ids=[str(p.relative_to(p.parents[2])) for p in PAGES[::3]])
def test_a_utf8_page_read_from_its_bytes_is_the_page_read_from_its_text(path: Path) -> None:
    # The spider hands libxml2 a UTF-8 body as it came (no decoding to str and back): what is
    # extracted must be what the decoded text gives.
    body = _read(path)
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
