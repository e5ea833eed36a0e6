"""Properties of the pure extraction code that must hold for any input, not only for the fixtures.

The boilerplate stripper never raises and is idempotent (cleaning a cleaned body changes nothing);
the extractor and family detection never raise on arbitrary bytes or HTML-ish text, for every
family profile; the URL rules never raise on arbitrary strings. Date properties live in
tests/test_dates_property.py.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.extract import boilerplate
from newscrawl.extract.article import extract_article
from newscrawl.extract.clean import clean_body
from newscrawl.extract.detect import detect_profile
from newscrawl.extract.links import absolute, canonical_url, dedup_key, listing_url, netloc, unusable_link
from newscrawl.extract.text import fold
from newscrawl.networks import all_profiles

PROFILES = tuple(all_profiles())
# lxml and dateparser have one-off start-up costs that a per-example deadline would mistake for slowness.
FAST = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow])

# Pieces of real article bodies: datelines, Baca Juga boxes, credits, end-of-article headings,
# pager and share text, captions, separators, and plain words, in Indonesian as the portals write them.
TOKENS = (
    "KLIK BANGGAI - ", "JAKARTA, KOMPAS.com - ", "TRIBUNSOLO.COM, SOLO -- ", "Jakarta - ", "Suara.com - ",
    "Bandung — ", "WARTA UJI – ", "Baca Juga:", "Baca juga: ", "BACA JUGA >> ", "Simak juga", "Lihat Juga :",
    "Editor: ", "Editor : Moh. Ikbal", "Sumber: Antara", "Penulis: Andi, Budi dan Citra", "Reporter :",
    "***", " ***", "* * *", "Berita Terkait", "Tags:", "Tag :", "Topik Terkait", "Terpopuler", "Halaman",
    "Halaman 1 2 3 Selanjutnya", "1 2 3", "Selanjutnya", "Share:", "Facebook Twitter WhatsApp", "Bagikan",
    "Foto: Dok. Humas", "Ilustrasi - ", " /Antara/", " /Dok. Warta Uji/", "Advertisement",
    "Scroll to continue with content", "Google News", "WhatsApp Channel", "Kamis (24/6/2022)", "pukul 15.44 WIB",
    "warga", "desa", "pemerintah", "banjir", "mengatakan", "Rp 5.000", "“kutipan”", "‘ya’", "…", ".", ",", ":",
    "-", "–", "—", "/", "(", ")", "|", ">>", "#", " ", "  ", "\t", "\u00a0", "\u200b", "\n",
)
REALISTIC_PARAGRAPH = st.lists(st.sampled_from(TOKENS), max_size=14).map("".join)
PARAGRAPHS = st.lists(st.one_of(st.text(max_size=200), REALISTIC_PARAGRAPH), max_size=12)

HTML_TOKENS = (
    "<html>", "</html>", "<head>", "</head>", "<body>", "<p>", "</p>", "<div>", "</div>", "<br>", "<br/>",
    '<h1 class="read__title">', "</h1>", '<article class="read__content">', "</article>", "<script>",
    "</script>", '<script type="application/ld+json">', '{"@type": "NewsArticle", "headline": ',
    '"datePublished": "2022-06-24T15:44:00+07:00"', "}", "]", "[", '<meta property="og:title" content="',
    '<meta property="article:published_time" content="', '">', '<link rel="canonical" href="',
    '<a href="', "</a>", '<div class="read__info__date">', "- 24 Juni 2022, 15:44 WIB", "javascript:",
    "http://[::1", "https://", "/tag/", "?page=2", "#", "&amp;", "&#0;", "&#xD800;", "<!--", "-->",
    "<![CDATA[", "]]>", "<?xml version='1.0'?>", '<time datetime="', "Baca Juga:", "Editor: ", "\x00", "\ufffd",
    "Halaman 1 dari 3", '<div class="paging paging--article"><a class="paging__link" href="?page=99999999999">',
    "<table><tr><td>", "</td></tr></table>", "<svg>", "<math>", "<template>", "<iframe>", "<noscript>",
)
HTML_ISH = st.one_of(st.text(max_size=400), st.lists(st.sampled_from(HTML_TOKENS + TOKENS), max_size=40).map("".join))


@FAST
@given(PARAGRAPHS, st.none() | st.text(max_size=80) | REALISTIC_PARAGRAPH)
def test_boilerplate_clean_never_raises_and_is_idempotent(paragraphs: list[str], caption: str | None) -> None:
    once = boilerplate.clean(paragraphs, caption=caption)
    twice = boilerplate.clean(once.paragraphs, caption=caption)
    assert twice.paragraphs == once.paragraphs
    assert twice.dateline is None
    assert all(p and p == p.strip() for p in once.paragraphs)


@FAST
@given(PARAGRAPHS, st.none() | st.text(max_size=80))
def test_clean_body_never_raises_and_is_idempotent(paragraphs: list[str], caption: str | None) -> None:
    fields: dict[str, Any] = {"body": "\n\n".join(paragraphs), "image_caption": caption}
    clean_body(fields)
    first = dict(fields)
    clean_body(fields)
    assert fields == first


@THOROUGH
@given(st.binary(max_size=2000), st.sampled_from(PROFILES))
def test_extractor_never_raises_on_arbitrary_bytes(data: bytes, profile: Any) -> None:
    page = extract_article(data, "https://portal.example/nasional/pr-1234/judul", profile)
    assert page.url.startswith("https://")


@THOROUGH
@given(HTML_ISH, st.sampled_from(PROFILES))
def test_extractor_never_raises_on_html_ish_text(text: str, profile: Any) -> None:
    page = extract_article(text, "https://portal.example/nasional/pr-1234/judul?page=2", profile)
    assert page.page >= 1
    assert page.last_page >= page.page or not page.page_urls


@FAST
@given(HTML_ISH)
def test_detect_profile_never_raises(text: str) -> None:
    assert detect_profile(text) in PROFILES


URLISH = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from((
        "http://", "https://", "//", "HTTP://", "javascript:", "mailto:", "tel:", "[", "]", "::1", "localhost",
        "LocalHost", "www.", "amp.", "m.", "portal.example", ":", "80", "99999999", "-1", "@", "/", "?", "#", "&",
        "=", "utm_source", "page", "amp", "%", "%zz", "%2F", "pr-123", "/amp/", " ", "\t", "\n", "\x00", "é",
    )), max_size=20).map("".join),
)


@THOROUGH
@given(URLISH, URLISH)
def test_url_rules_never_raise(href: str, base: str) -> None:
    url = absolute(href, base)
    if url is None:
        assert unusable_link(href) in (None, "not_http_link", "malformed_link")
    for candidate in (href, base, url or ""):
        for profile in PROFILES:
            canonical_url(candidate, profile)
        dedup_key(candidate)
        listing_url(candidate)
        netloc(candidate)


@THOROUGH
@given(URLISH, URLISH)
def test_resolved_urls_are_stable(href: str, base: str) -> None:
    """A URL `absolute` gives resolves to itself, and its canonical form is canonical."""
    url = absolute(href, base)
    if url is None:
        return
    assert absolute(url, base) == url
    for profile in PROFILES:
        canonical = canonical_url(url, profile)
        assert canonical_url(canonical, profile) == canonical
        assert dedup_key(canonical) == dedup_key(canonical_url(canonical, profile))


_SPACES = st.sampled_from(
    [" ", "  ", "\n", "\t", "\r", "\xa0", "\u200b", "\u2060", "\ufeff", "\u3000", "\u2009", "\x85"],
)


@given(st.lists(st.one_of(_SPACES, st.text(max_size=6)), max_size=12).map("".join))
def test_fold_collapses_every_whitespace_run_into_one_space(text: str) -> None:
    folded = fold(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert not any(ch.isspace() and ch != " " for ch in folded)
    assert not any(ch in folded for ch in "\u200b\u2060\ufeff")
    # Only whitespace changed: the other characters are all there, in order.
    assert [ch for ch in folded if ch != " "] == [
        ch for ch in text if not (ch.isspace() or ch in "\u200b\u200c\u200d\u2060\ufeff")
    ]
