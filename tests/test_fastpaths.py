"""The fast paths of `boilerplate.clean` and of the URL helpers give exactly what the plain code gave.

tests/reference/fastpaths.json.gz stores what the module gave, when its outputs were last reviewed,
on a large fixed corpus: every paragraph, body and link of the golden pages, the saved sites and the
benchmark portal, the rule lines of tests/test_boilerplate.py, hand-written edge cases, and a
seeded generated set built from the rules' words (tests/fastpaths_reference.py). The first test
replays the stored inputs, one kind of input at a time: any different output fails and names the
first differing calls. A rule change that is meant is reviewed and stored with
scripts/regen_reference.py.

The other tests check the fast paths themselves: a rule's precondition admits every paragraph its
pattern matches, rules without their preconditions clean alike, case folding agrees with
IGNORECASE, the rules a paragraph is read by are found group by group as rule by rule, a
dateline or a caption is ruled out only where the plain way fails, and the URL short cuts give
what the general path and urllib give.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newscrawl.extract import boilerplate, candidates, links
from newscrawl.extract.text import fold
from tests import fastpaths_reference as ref
from tests.test_boilerplate import FIRES, FIRST, LAST

REFERENCE: dict[str, Any] = ref.load()
CONSTANTS: dict[str, Any] = REFERENCE["constants"]
GENERATED = settings(deadline=None, max_examples=600, suppress_health_check=[HealthCheck.too_slow])
# The module's rules without their preconditions: the plain way of applying them.
PLAIN_RULES = tuple(replace(rule, starts=(), hints=(), ends=()) for rule in boilerplate.RULES)
SHOWN = 10


# --- The stored outputs -----------------------------------------------------------------------------------------------


def test_the_reference_holds_every_kind_of_input_and_rule() -> None:
    stale = f"{ref.REFERENCE.name} is not the module's: `{ref.REGENERATE}`, review, then again with --write"
    assert set(REFERENCE["kinds"]) == set(ref.KINDS), stale
    assert CONSTANTS["rules"] == [rule.name for rule in boilerplate.RULES], stale


@pytest.mark.parametrize("kind", list(ref.KINDS))
def test_the_module_gives_the_stored_outputs(kind: str) -> None:
    stored = REFERENCE["kinds"][kind]
    found: list[ref.Difference] = []
    for value, row in zip(stored["inputs"], stored["rows"], strict=True):
        found += ref.differences(kind, value, row, CONSTANTS)
    shown = "\n".join(str(difference) for difference in found[:SHOWN])
    assert not found, (
        f"{len(found)} calls on {kind} ({ref.KINDS[kind].about}) differ from {ref.REFERENCE.name}; the first:\n"
        f"{shown}\nIf a rule change means them: `{ref.REGENERATE}`, review, then again with --write."
    )


# --- boilerplate.clean: preconditions only save time ------------------------------------------------------------------


@cache
def _bodies() -> list[tuple[list[str], str | None]]:
    return [(paragraphs, caption) for paragraphs, caption in REFERENCE["kinds"]["clean_bodies"]["inputs"]]


def _result(cleaned: boilerplate.Cleaned) -> tuple[Any, ...]:
    return cleaned.paragraphs, cleaned.dateline, cleaned.fields, dict(cleaned.fired)


def _same_without_preconditions(paragraphs: list[str], caption: str | None = None) -> None:
    got = boilerplate.clean(list(paragraphs), caption=caption)
    plain = boilerplate.clean(list(paragraphs), caption=caption, rules=PLAIN_RULES)
    assert _result(got) == _result(plain), (paragraphs, caption)


@pytest.mark.parametrize("rule", boilerplate.RULES, ids=[r.name for r in boilerplate.RULES])
def test_a_rule_admits_every_paragraph_its_pattern_matches(rule: boilerplate.Rule) -> None:
    """The precondition on its own: never False where the pattern matches (or, for STRIP, finds)."""
    lines = [*REFERENCE["kinds"]["clean_paragraphs"]["inputs"], *(line for _, line, _ in FIRES)]
    lines += [
        ref.VARIANTS[variant](template.format(w=word))
        for word in ref.pattern_words(rule)
        for template in CONSTANTS["templates"]
        for variant in CONSTANTS["variants"]
    ]
    matched = 0
    for text in lines:
        found = rule.pattern.search(text) if rule.action is boilerplate.Action.STRIP else rule.pattern.match(text)
        if found:
            matched += 1
            assert rule.admits(text, boilerplate.fold_case(text)), text
    assert matched


def test_rules_without_preconditions_clean_every_body_alike() -> None:
    for paragraphs, caption in _bodies():
        _same_without_preconditions(paragraphs, caption)
        _same_without_preconditions(paragraphs)


def test_a_custom_rule_without_preconditions_is_always_tried() -> None:
    pattern = re.compile(r"^.*\bhapus\b.*$", re.IGNORECASE)
    custom = boilerplate.Rule("hapus", pattern, boilerplate.Action.DROP)
    cleaned = boilerplate.clean([FIRST, "Tolong HAPUS baris ini.", LAST], rules=(custom,))
    assert (cleaned.paragraphs, dict(cleaned.fired)) == ([FIRST, LAST], {"hapus": 1})
    note = boilerplate.Rule("note", re.compile(r"\s*\[\d+\]$"), boilerplate.Action.STRIP)
    cleaned = boilerplate.clean([FIRST, "Kalimat dengan catatan [12]", LAST], rules=(note,))
    assert (cleaned.paragraphs, dict(cleaned.fired)) == ([FIRST, "Kalimat dengan catatan", LAST], {"note": 1})
    # A custom tuple of the module's rules, in another order, reads as those rules without preconditions do.
    reordered, plain = tuple(reversed(boilerplate.RULES)), tuple(reversed(PLAIN_RULES))
    for paragraphs, caption in _bodies()[:20]:
        got = boilerplate.clean(list(paragraphs), caption=caption, rules=reordered)
        want = boilerplate.clean(list(paragraphs), caption=caption, rules=plain)
        assert _result(got) == _result(want), paragraphs


def test_a_precondition_that_could_fail_a_match_is_refused() -> None:
    drop = boilerplate.Action.DROP
    with pytest.raises(ValueError, match="lower-case"):
        boilerplate.Rule("x", re.compile("Foo", re.IGNORECASE), drop, hints=("Foo",))
    with pytest.raises(ValueError, match="lower-case"):
        boilerplate.Rule("x", re.compile("foo"), drop, starts=("",))
    # Greek mu: IGNORECASE also matches the micro sign, which folding leaves apart.
    with pytest.raises(ValueError, match="lower-case"):
        boilerplate.Rule("x", re.compile("\u03bc", re.IGNORECASE), drop, hints=("\u03bc",))
    with pytest.raises(ValueError, match="STRIP"):
        boilerplate.Rule("x", re.compile("foo"), drop, ends=("o",))


def test_folding_agrees_with_ignorecase_for_every_allowed_character() -> None:
    """Under IGNORECASE an ASCII letter also matches others: U+0130 and U+0131 for i, U+017F for s, U+212A for k.

    Starts and hints are looked for in `fold_case` text, so every character they may hold (lower-case
    ASCII, or without case) must come out of folding as itself from every character the regular
    expression engine lets it match. Ends are compared with the raw text: only the character itself
    may match them.
    """
    everything = "".join(map(chr, range(0x110000)))
    allowed = {c for c in map(chr, range(128)) if c.lower() == c} | {"©", "«", "»", "–", "—", "“", "”", "•"}
    words = {c for rule in boilerplate.RULES for word in (*rule.starts, *rule.hints) for c in word}
    ends = {c for rule in boilerplate.RULES for word in rule.ends for c in word}
    assert words <= allowed
    for char in sorted(allowed | ends):
        for match in re.finditer(re.escape(char), everything, re.IGNORECASE):
            assert boilerplate.fold_case(match.group()) == char, (char, hex(ord(match.group())))
            if char in ends or not char.isascii():
                assert match.group() == char, (char, hex(ord(match.group())))


# Rule words, lines as pages write them, and separators.
TRIGGERS: tuple[str, ...] = (
    *sorted({w for rule in boilerplate.RULES for w in ref.pattern_words(rule)}),
    *(line for _, line, _ in FIRES),
    *ref.TRIGGER_EXTRAS,
)
CASES = st.sampled_from((*ref.VARIANTS.values(), str.lower, str.swapcase))
PARAGRAPH = st.one_of(
    st.text(max_size=120),
    st.tuples(CASES, st.lists(st.one_of(st.sampled_from(TRIGGERS), st.text(max_size=6)), max_size=16))
    .map(lambda cased: cased[0]("".join(cased[1]))),
    st.tuples(st.sampled_from(TRIGGERS), st.text(max_size=300), st.sampled_from(TRIGGERS)).map("".join),
)


@GENERATED
@given(st.lists(PARAGRAPH, max_size=8), st.none() | PARAGRAPH)
@example(["Jakarta -", "Baca juga: x", "Isi berita."], None)
@example(["L\u0130HAT JUGA: x", "\u017fimak juga y", "\u0130kuti kami di Google News"], None)
@example(["\u039f\u0394\u039f\u03a3 kota", "Kalimat."], "\u03bf\u03b4\u03bf\u03c2 kota")
@example(["\u039f\u0394\u039f\u03a3", "x"], "\u039f\u0394\u039f\u03a3!")
def test_rules_without_preconditions_clean_generated_text_alike(paragraphs: list[str], caption: str | None) -> None:
    _same_without_preconditions(paragraphs, caption)
    for paragraph in paragraphs:
        _same_without_preconditions([FIRST, paragraph], caption=paragraph)


@GENERATED
@given(PARAGRAPH)
def test_each_rule_alone_reads_generated_text_as_without_its_precondition(text: str) -> None:
    for rule, plain in zip(boilerplate.RULES, PLAIN_RULES, strict=True):
        got = boilerplate.clean([FIRST, text], rules=(rule,))
        assert _result(got) == _result(boilerplate.clean([FIRST, text], rules=(plain,))), (rule.name, text)
        found = rule.pattern.search(text) if rule.action is boilerplate.Action.STRIP else rule.pattern.match(text)
        assert not found or rule.admits(text, boilerplate.fold_case(text))


def _readings(rules: tuple[boilerplate.Rule, ...]) -> list[tuple[Any, list[tuple[int, boilerplate.Rule]]]]:
    """Each reading of the plan of `rules`, with the rules (and their positions) it stands for."""
    plan = boilerplate._plan(rules)
    sizes = [*plan.lengths, plan.lengths[-1] + 1]
    return [
        (reading, [(n, rule) for n, rule in enumerate(rules) if rule.max_len >= size])
        for reading, size in zip(plan.by_length, sizes, strict=True)
    ]


CUSTOM_RULES = (
    *boilerplate.RULES,
    # A global inline flag cannot stand inside another pattern; verbose and ASCII are not scoped flags.
    boilerplate.Rule("inline", re.compile(r"(?i)^catatan:.*$"), boilerplate.Action.DROP),
    boilerplate.Rule("verbose", re.compile(r"^ iklan \s* $", re.VERBOSE), boilerplate.Action.DROP),
    boilerplate.Rule("ascii", re.compile(r"^\w+!$", re.ASCII | re.IGNORECASE), boilerplate.Action.DROP),
    boilerplate.Rule("multiline", re.compile(r"^x$", re.MULTILINE | re.DOTALL), boilerplate.Action.DROP),
    boilerplate.Rule("note", re.compile(r"\s*\[\d+\]$"), boilerplate.Action.STRIP),
)
RULE_SETS = {"module": boilerplate.RULES, "plain": PLAIN_RULES, "custom": CUSTOM_RULES}


def _finds(rule: boilerplate.Rule, text: str) -> bool:
    """Whether `rule`'s pattern reads `text`: found anywhere (STRIP rules) or matched from the start."""
    return bool(rule.pattern.search(text) if rule.action is boilerplate.Action.STRIP else rule.pattern.match(text))


def _same_admitted(text: str) -> None:
    """A reading's rules are found as going through them and their preconditions finds them.

    `quiet` (and so `admitted`) may only leave out rules without preconditions whose pattern does not match.
    """
    folded = boilerplate.fold_case(text)
    for name, rules in RULE_SETS.items():
        for reading, entries in _readings(rules):
            each = [(n, rule) for n, rule in entries if rule.admits(text, folded)]
            admitted = reading.admitted(text, folded)
            assert admitted == ([] if reading.quiet(text, folded) else each), (name, text)
            if not admitted:
                assert not [rule.name for _, rule in each if _finds(rule, text)], (name, text)


def _same_dateline(text: str) -> None:
    for pattern in (boilerplate._DATELINE, boilerplate._DATELINE_ALONE):
        fast, plain = boilerplate._dateline_match(pattern, text), pattern.match(text)
        assert (fast and fast.groupdict()) == (plain and plain.groupdict()), text
    alone, plain = boilerplate._dateline_alone(text), boilerplate._DATELINE_ALONE.match(text)
    assert (alone and alone.groupdict()) == (plain and plain.groupdict()), text


def _same_caption(text: str, caption: str) -> None:
    """A paragraph repeats the caption exactly when both fold (`_fold_key`) to the same text, not empty."""
    looked_for = boilerplate._Caption.of(caption)
    key = boilerplate._fold_key(caption)
    assert bool(looked_for and looked_for.repeated_by(text)) == bool(key and boilerplate._fold_key(text) == key), (
        text, caption,
    )


def _caption_kept_in_view(text: str) -> None:
    for caption in (text, text.upper(), text.lower(), text[1:], re.sub(r"\W", "!", text), "x", ""):
        _same_caption(text, caption)


def test_readings_and_datelines_read_every_stored_line_as_the_plain_way() -> None:
    lines = [*REFERENCE["kinds"]["clean_paragraphs"]["inputs"], *REFERENCE["kinds"]["generated_lines"]["inputs"]]
    for text in lines:
        for variant in (text, text[-60:], text.upper()):
            _same_admitted(variant)
            _same_dateline(variant)
            _caption_kept_in_view(variant)


def test_rules_that_cannot_join_a_screen_are_tried_alone() -> None:
    own = CUSTOM_RULES[len(boilerplate.RULES) :]
    assert [rule.name for rule in own if boilerplate._branch(rule) is None] == ["inline", "verbose", "ascii", "note"]
    assert all(reading.always for reading, entries in _readings(own) if entries)
    assert not any(reading.always for reading, _ in _readings(boilerplate.RULES))
    cleaned = boilerplate.clean([FIRST, "CATATAN: x", " iklan", "X!", "x", "Kalimat [3]", LAST], rules=own)
    assert cleaned.paragraphs == [FIRST, "Kalimat", LAST]
    assert dict(cleaned.fired) == {"inline": 1, "verbose": 1, "ascii": 1, "multiline": 1, "note": 1}


DATELINE_PIECES = st.sampled_from(
    ("JAKARTA", "Kota Bandung", "KOMPAS.com", "x" * 57, " ", "  ", "\u00a0", "\t", "-", "--", "---", "\u2013",
     "\u2014", ",", ".", "(ANTARA)", "Isi berita.", "\n", "\n\n", "\u0130", "\u00e9", "a"),
)


@GENERATED
@given(st.one_of(PARAGRAPH, st.lists(DATELINE_PIECES, max_size=12).map("".join)))
@example("x" * 59 + " - Isi")
@example("x" * 60 + " - Isi")
@example("x" * 60 + "\u00a0 \u2014Isi")
@example("A" + " " * 70 + "- Isi")
@example("Kota - Bandung -- Isi")
@example("Jakarta -\n")
@example("Jakarta -\n\n")
@example("Jakarta \u2014")
@example("\u03a3 kota")
@example("\u0130stanbul")
@example("_x")
def test_readings_and_datelines_read_generated_text_as_the_plain_way(text: str) -> None:
    _same_admitted(text)
    _same_dateline(text)
    _caption_kept_in_view(text)


@GENERATED
@given(PARAGRAPH, PARAGRAPH)
@example("\u0130 kota", "i")
@example("i kota", "\u0130")
@example("\u03a3\u03a3 x", "\u03c3\u03c2 x")
def test_a_caption_is_found_as_folding_both_finds_it(text: str, caption: str) -> None:
    _same_caption(text, caption)
    _same_caption(caption, text)


# --- links: the short cuts give what the general path gives -----------------------------------------------------------


def _split_by_urllib(url: str) -> tuple[str, ...] | None:
    try:
        return tuple(urlsplit(url)[:4])
    except ValueError:
        return None


def _same_absolute(href: str, base: str) -> str | None:
    """`absolute`, and its general path for every link it reads at all."""
    url = links.absolute(href, base)
    stripped = href.strip()
    read = bool(stripped) and not stripped.startswith("#") and len(stripped) <= 2048  # else no URL at all
    assert url == (links._resolve(stripped, base) if read else None), (href, base)
    return url


def _netloc_by_urllib(url: str) -> str:
    """`links.netloc` the general way: urlsplit's host and port."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    return f"{host}:{port}" if port and port not in (80, 443) else host


def _same_helpers(url: str) -> None:
    """The URL helpers' short cuts against urllib, and remembered canonical URLs against computed ones."""
    split = _split_by_urllib(url)
    try:
        assert links._split(url) == split, url
    except ValueError:
        assert split is None, url
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    assert links.host_of(url) == host, url
    assert links.netloc(url) == _netloc_by_urllib(url), url
    for name in CONSTANTS["profiles"]:
        profile = ref.profile(name)
        assert links.canonical_url(url, profile) == links._canonical_url(url, profile), (url, name)


@pytest.mark.parametrize(("url", "expected"), [
    ("http://Portal.Example.ID/berita/1", "portal.example.id"),
    ("http://portal.example.id:80/x", "portal.example.id"),
    ("https://portal.example.id:443/x", "portal.example.id"),
    ("http://portal.example.id:0443/x", "portal.example.id"),
    ("http://127.0.0.1:8080/x?page=2", "127.0.0.1:8080"),
    ("http://127.0.0.1:08080", "127.0.0.1:8080"),
    ("http://portal.example.id:/x", "portal.example.id"),
    ("http://portal.example.id:0/x", "portal.example.id"),
    ("http://portal.example.id:65535/x", "portal.example.id:65535"),
    ("http://portal.example.id:65536/x", ""),
    ("HTTP://User@Portal.example.id:81/x", "portal.example.id:81"),
    ("//portal.example.id/x", "portal.example.id"),
    ("/berita/1", ""),
])
def test_a_netloc_is_the_host_and_a_port_other_than_the_default(url: str, expected: str) -> None:
    assert links.netloc(url) == expected == _netloc_by_urllib(url)


def test_url_short_cuts_give_what_the_general_path_gives_on_every_saved_link() -> None:
    assert links.absolute(None, CONSTANTS["bases"][0]) is None
    pages = CONSTANTS["pages"]
    urls = {*pages, *REFERENCE["kinds"]["urls"]["inputs"]}
    for href, on_pages in REFERENCE["kinds"]["links"]["inputs"]:
        urls.add(href)
        urls.update(_same_absolute(href, pages[page]) or "" for page in on_pages)
    for url in sorted(urls):
        _same_helpers(url)


URLISH = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(ref.URL_TOKENS), max_size=20).map("".join))


@GENERATED
@given(URLISH, st.one_of(st.sampled_from(CONSTANTS["bases"]), URLISH))
@example("/a b", "http://127.0.0.1:1")
@example("http://x.id:08/", "http://y.id/")
@example("http://x.id/a;", "http://y.id/")
@example("http://x.id/a;", "https://y.id/")
@example("/?hal+aman=3&hal%20aman=4", "http://x.id/")
def test_url_short_cuts_give_what_the_general_path_gives_on_generated_links(href: str, base: str) -> None:
    url = _same_absolute(href, base)
    for candidate in (href, base, url or ""):
        _same_helpers(candidate)


_FOLDED = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff]+")  # what `text.fold` collapses


def _folded_by_regex(text: str) -> str:
    return _FOLDED.sub(" ", text).strip()


def test_folding_splits_on_every_character_the_regex_folds() -> None:
    # Text without a zero-width mark is folded by str.split: every white-space character, alone, in
    # runs and at either end, gives what the regex gives.
    spaces = [chr(c) for c in range(0x110000) if _FOLDED.fullmatch(chr(c))]
    assert len(spaces) >= 30
    for ch in spaces:
        for text in (f"a{ch}b", f"{ch}a{ch}{ch}b{ch}", f"a {ch} b\n", f"{ch}{ch}", f"\u200b{ch}a"):
            assert fold(text) == _folded_by_regex(text), hex(ord(ch))


@GENERATED
@given(st.lists(st.one_of(st.sampled_from(["\n", "  ", "\xa0", "\u200b", "\ufeff", "\u3000", "\x1c", "\t "]),
                          st.text(max_size=5)), max_size=10).map("".join))
def test_folding_any_text_gives_what_the_regex_gives(text: str) -> None:
    assert fold(text) == _folded_by_regex(text)
    # extract.density skips a text too short as read without folding it: folding never lengthens one.
    assert len(fold(text)) <= len(text)


def test_a_title_the_machine_date_pattern_reads_opens_with_a_digit() -> None:
    # Every character before a date, an epoch or ten of itself: where the pattern reads a date, the
    # cheap check lets it through (\s is what str.lstrip strips, \d what str.isdecimal accepts).
    for code in range(0x110000):
        ch = chr(code)
        for text in (f"{ch}2016-01-02", f"{ch}123456789", ch * 10):
            if candidates._MACHINE.match(text):
                assert candidates._opens_with_digit(text), hex(code)
    assert candidates._MACHINE.match("\u2003\n 2016-01-02T10:00")
    assert candidates._opens_with_digit("\u2003\n 2016-01-02T10:00")
    assert candidates._MACHINE.match("\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660")
    assert candidates._opens_with_digit("\u0661\u0662\u0663")


@GENERATED
@given(st.lists(st.one_of(st.sampled_from(["2016-01-02", "1234567890", " ", "\xa0", "\u2003", "T10:00", "\u0661"]),
                          st.text(max_size=4)), max_size=6).map("".join))
def test_any_title_the_machine_date_pattern_reads_opens_with_a_digit(text: str) -> None:
    if candidates._MACHINE.match(text):
        assert candidates._opens_with_digit(text)
