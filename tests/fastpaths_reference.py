"""The stored outputs of `boilerplate.clean` and the URL helpers, and how the current ones are computed.

tests/reference/fastpaths.json.gz holds a fixed corpus of inputs (every paragraph, body and link of
the golden pages, the saved sites and the benchmark portal, the rule lines of
tests/test_boilerplate.py, hand-written edge cases and a seeded generated set) and what the module
gave for each when the file was last reviewed. tests/test_fastpaths.py replays the inputs and
compares; scripts/regen_reference.py builds the corpus and, with --write, rewrites the file
(`dump`). This module reads, computes and compares: it never builds the corpus and never decides
on its own to write the file.

The file (gzipped JSON, sorted keys): ``{"constants": {...}, "kinds": {kind: {"inputs": [...],
"rows": [...]}}}``. The constants are what the calls share (FIRST and LAST lines, rule and profile
names, templates, bases, page URLs). Each input of a kind stands for several calls (`KINDS`); its
row is the one output all of them gave, or ``[indices, output, output, ...]``: the distinct
outputs, and a string with one character per call, "0" for the first distinct output, "1" for the
next... An output is never a JSON list, so the two forms cannot be confused:
- a cleaning result: ``true`` when no rule fired and the paragraphs came back as given (stripped),
  else ``{"paragraphs", "dateline", "fields", "fired"}``, or ``"no such rule"``;
- a URL helper's result: ``true`` when it is the URL or link given, else its return value, or
  ``{"raises": "ValueError"}``.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newscrawl.extract import boilerplate, links
from newscrawl.networks import all_profiles, get_profile

if TYPE_CHECKING:
    from newscrawl.networks.base import Profile

REFERENCE = Path(__file__).resolve().parent / "reference" / "fastpaths.json.gz"
REGENERATE = "python scripts/regen_reference.py"

Output = Any  # a JSON value other than a list
_ZERO = ord("0")  # a row's indices: "0" for its first distinct output
Call = tuple[Callable[..., Output], tuple[Any, ...]]


# --- What is called: each function returns the output as stored -------------------------------------------------------


@cache
def _profiles() -> dict[str, Profile]:
    """The families' profiles, and profiles with page parameters that parse_qsl has to decode."""
    profiles = (
        *all_profiles(),
        replace(get_profile("generic"), name="odd-page", page_param="hal aman"),
        replace(get_profile("prmn"), name="empty-page", page_param="", keep_query=("id", "utm_source")),
        replace(get_profile("tribun"), name="percent-page", page_param="p%", amp_rewrite=()),
    )
    return {profile.name: profile for profile in profiles}


def profile_names() -> list[str]:
    return list(_profiles())


def profile(name: str) -> Profile:
    """The profile `name` of the stored reference."""
    try:
        return _profiles()[name]
    except KeyError:
        raise KeyError(f"profile {name!r} of the stored reference is gone: run {REGENERATE}") from None


def clean(paragraphs: list[str], caption: str | None = None, rules: tuple[str, ...] | None = None) -> Output:
    """`boilerplate.clean`, with `rules` (module rules by name) instead of the default."""
    chosen = boilerplate.RULES
    if rules is not None:
        by_name = {rule.name: rule for rule in boilerplate.RULES}
        if not set(rules) <= set(by_name):
            return "no such rule"
        chosen = tuple(by_name[name] for name in rules)
    got = boilerplate.clean(list(paragraphs), caption=caption, rules=chosen)
    if not (got.fired or got.fields or got.dateline) and got.paragraphs == [s for p in paragraphs if (s := p.strip())]:
        return True
    return {
        "paragraphs": got.paragraphs,
        "dateline": got.dateline,
        "fields": got.fields,
        "fired": dict(sorted(got.fired.items())),
    }


def absolute(href: str | None, base: str) -> Output:
    url = links.absolute(href, base)
    return True if url == href else url


def host_of(url: str) -> Output:
    return links.host_of(url)


def path_query(url: str) -> Output:
    try:
        got = links.path_query(url)
    except ValueError:
        return {"raises": "ValueError"}
    return True if got == url else got


def canonical_url(url: str, profile_name: str) -> Output:
    got = links.canonical_url(url, profile(profile_name))
    return True if got == url else got


def page_number(url: str, profile_name: str) -> Output:
    try:
        return links.page_number(url, profile(profile_name))
    except ValueError:
        return {"raises": "ValueError"}


# Case variants, including the letters IGNORECASE matches to ASCII ones (dotted I, long s, Kelvin sign).
VARIANTS: dict[str, Callable[[str], str]] = {
    "as is": str,
    "upper": str.upper,
    "title": str.title,
    "dotted I": lambda s: s.replace("i", "\u0130"),
    "long s": lambda s: s.replace("s", "\u017f"),
    "Kelvin, dotless i": lambda s: s.replace("k", "\u212a").replace("I", "\u0131"),
}


# Words the pattern reading below splits or cannot see: optional parts, alternatives inside a phrase, STRIP ends.
EXTRA_WORDS = (
    "follow us", "follow kami", "tag", "sumber berita", "baca juga", "simak video", "read also", "artikel ini",
    "berita ini", "jum'at", "jumat", "dok.", "***", "©", "}", ")", "(dmr)", "(bgs/rul)", "title-x",
)


def pattern_words(rule: boilerplate.Rule) -> list[str]:
    """The literal words of a rule's pattern ("editor", "sumber foto", "google news", "©"), and EXTRA_WORDS.

    Read from the pattern, not from the rule's preconditions, so that a word a precondition leaves
    out is found.
    """
    source = re.sub(r"\\.", "|", rule.pattern.pattern)  # escapes: \s, \b, \[, ...
    source = re.sub(r"\(\?P<\w+>|\{\d*,?\d*\}|\[[^\]]*\]", "|", source)  # group names, counts, classes
    words = {w.strip() for w in re.split(r"[|()?*+^$.\\:]+", source)}
    return sorted(w for w in words if w and not w.isdigit()) + list(EXTRA_WORDS)


# Separators and lines as pages write them, which generated text is built from with the rules' words.
TRIGGER_EXTRAS = (
    "BACA JUGA >> ", "Lihat Juga :", "* * *", ".x{a:b}", " #id > p.c{}", "JAKARTA, KOMPAS.com - ", "Jakarta -",
    "KLIK BANGGAI - ", "TRIBUNSOLO.COM, SOLO -- ", "\u0130", "\u0131", "\u017f", "\u212a", "\u03a3", "\u00df", "“", "”",
    "–", "—", "\u00a0", "\n", "\t", " ", ".", ",", ":", "/", "(", ")", "[", "]", "{", "}", "*", "-", "warga", "desa",
)
# Pieces of links that take each short cut of the URL helpers, the general path, or give no URL.
URL_TOKENS = (
    "http://", "https://", "HTTP://", "Http://", "hTtPs://", "//", "javascript:", "mailto:", "tel:", "ftp://", "[",
    "]", "::1", "localhost", "LocalHost", "www.", "amp.", "m.", "portal.example", "x.id", ":", "80", "8080", "65536",
    "99999999", "-1", "@", "/", "/", "/", "./", "../", ".", "..", "?", "?", "#", "&", "=", ";", "+", "utm_source",
    "page", "page=", "page=2", "page=all", "hal aman=3", "p%=2", "amp", "/amp/", "/amp", "single=1", "p=1234", "%",
    "%zz", "%2F", "%20", "%41", "pr-123", "tag", " ", "\t", "\n", "\x00", "\u00e9", "\u0130", "\u2100", "\u00a0", "a",
    "B", "0", "~", "!", "$", "'", "(", ")", "*", ",",
)


# --- The kinds of input, and the calls each input stands for ----------------------------------------------------------


def _body_calls(body: list[Any], _: dict[str, Any]) -> list[Call]:
    """A whole body, with its caption, without, and with paragraphs in turn as the caption (the caption rule)."""
    paragraphs, caption = body
    return [
        (clean, (paragraphs, caption)),
        (clean, (paragraphs, None)),
        *((clean, (paragraphs, paragraph)) for paragraph in paragraphs[:6]),
    ]


def _paragraph_calls(paragraph: str, constants: dict[str, Any]) -> list[Call]:
    first, last = constants["first"], constants["last"]
    return [
        # First (where the dateline is read and CUT rules never cut) and in the middle.
        (clean, ([paragraph, last], None)),
        (clean, ([first, paragraph, last], None)),
        # As its own caption, and as captions that fold, or nearly fold, to it.
        (clean, ([first, paragraph], paragraph)),
        (clean, ([first, paragraph], re.sub(r"\W", "!", paragraph).upper())),
        (clean, ([first, paragraph], paragraph[1:])),
        # Its end alone: the STRIP rules read paragraph ends, which long paragraphs keep from other rules.
        (clean, ([first, paragraph[-60:], last], None)),
        # One rule at a time, so that no other rule covers for a precondition that is too strict.
        *(
            (clean, ([first, text], None, (rule,)))
            for rule in constants["rules"]
            for text in (paragraph, paragraph.upper(), paragraph.lower())
        ),
    ]


def _word_calls(rule_word: list[str], constants: dict[str, Any]) -> list[Call]:
    """A literal word of a rule's pattern, in lines around it and in case variants, read by that rule alone."""
    rule, word = rule_word
    return [
        (clean, ([constants["first"], VARIANTS[variant](template.format(w=word))], None, (rule,)))
        for template in constants["templates"]
        for variant in constants["variants"]
    ]


def _generated_body_calls(body: list[Any], constants: dict[str, Any]) -> list[Call]:
    paragraphs, caption = body
    return [
        (clean, (paragraphs, caption)),
        *((clean, ([constants["first"], paragraph], paragraph)) for paragraph in paragraphs),
    ]


def _generated_line_calls(line: str, constants: dict[str, Any]) -> list[Call]:
    return [(clean, ([constants["first"], line], None, (rule,))) for rule in constants["rules"]]


def _link_calls(link: list[Any], constants: dict[str, Any]) -> list[Call]:
    """A link against the fixed bases, against each page it is on (as the crawl resolves it), and as a URL."""
    href, pages = link
    return [
        *((absolute, (href, base)) for base in constants["bases"]),
        *((absolute, (href, constants["pages"][page])) for page in pages),
        *_url_calls(href, constants),
    ]


def _url_calls(url: str, constants: dict[str, Any]) -> list[Call]:
    calls: list[Call] = [(host_of, (url,)), (path_query, (url,))]
    calls += [(canonical_url, (url, name)) for name in constants["profiles"]]
    calls += [(page_number, (url, name)) for name in constants["profiles"]]
    return calls


def _generated_url_calls(pair: list[str], constants: dict[str, Any]) -> list[Call]:
    href, base = pair
    url = links.absolute(href, base)
    calls: list[Call] = [(absolute, (href, base))]
    for candidate in (href, base, url or ""):
        calls += _url_calls(candidate, constants)
    return calls


@dataclass(frozen=True)
class Kind:
    """One kind of input: what it is, and the calls one input stands for."""

    about: str
    calls: Callable[[Any, dict[str, Any]], list[Call]]


KINDS: dict[str, Kind] = {
    "clean_bodies": Kind("whole bodies: golden pages, benchmark articles, the rule lines", _body_calls),
    "clean_paragraphs": Kind("every distinct paragraph and caption, in bodies and by each rule", _paragraph_calls),
    "rule_words": Kind("each rule's own words in lines around them, read by that rule alone", _word_calls),
    "generated_bodies": Kind("seeded generated bodies of trigger words and text", _generated_body_calls),
    "generated_lines": Kind("seeded generated lines, read by each rule alone", _generated_line_calls),
    "links": Kind("every saved link (with the pages it is on) and edge case", _link_calls),
    "urls": Kind("page URLs, bases and resolved links that are not saved links", _url_calls),
    "generated_urls": Kind("seeded generated links and bases", _generated_url_calls),
}


# --- Rows, the file, and differences ----------------------------------------------------------------------------------


def outputs(kind: str, value: Any, constants: dict[str, Any]) -> tuple[list[Call], list[Output]]:
    """The calls one input of `kind` stands for, and what each gives now."""
    calls = KINDS[kind].calls(value, constants)
    return calls, [function(*args) for function, args in calls]


def _identity(output: Output) -> tuple[str, Any]:
    """A hashable key for `output` that keeps True and 1 apart."""
    return (type(output).__name__, json.dumps(output, sort_keys=True) if isinstance(output, dict) else output)


def pack(outputs: list[Output]) -> Any:
    """The stored form of one input's outputs: the one output all calls gave, or [indices, *distinct outputs]."""
    distinct: dict[tuple[str, Any], int] = {}
    values: list[Output] = []
    indices = []
    for output in outputs:
        position = distinct.setdefault(_identity(output), len(values))
        if position == len(values):
            values.append(output)
        indices.append(chr(_ZERO + position))
    return values[0] if len(values) == 1 else ["".join(indices), *values]


def unpack(stored: Any, count: int) -> list[Output]:
    """The outputs of `count` calls from their stored form."""
    if not isinstance(stored, list):
        return [stored] * count
    indices, *values = stored
    return [values[ord(char) - _ZERO] for char in indices]


def load(path: Path = REFERENCE) -> dict[str, Any]:
    reference: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    return reference


def dump(reference: dict[str, Any], path: Path = REFERENCE) -> None:
    """Write `reference` byte for byte the same for the same content (sorted keys, no time stamp)."""
    text = json.dumps(reference, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def conclude(now: dict[str, Any], differing: int, *, write: bool, path: Path = REFERENCE) -> tuple[int, str]:
    """A regeneration script's end (scripts/regen_*reference.py): its exit code and last line.

    With `write`, `now` is stored at `path`; else the code is 1 when `differing`.
    """
    name = f"{path.relative_to(path.parents[2])}"
    if write:
        dump(now, path)
        return 0, f"\nwrote {name} ({path.stat().st_size:,} bytes); {differing} difference(s) above"
    if differing:
        return 1, f"\n{differing} difference(s) from {name}: review them, then run with --write and commit the file"
    return 0, f"{name} is current"


def _short(value: Any, size: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= size else f"{text[: size - 20]}...{text[-15:]} ({len(text)} chars)"


def describe(call: Call) -> str:
    function, args = call
    return f"{function.__name__}({', '.join(_short(arg) for arg in args)})"


@dataclass(frozen=True)
class Difference:
    """One call whose output is not the stored one."""

    call: str
    stored: Output
    now: Output

    def __str__(self) -> str:
        return f"{self.call}\n    stored: {_short(self.stored, 400)}\n    now:    {_short(self.now, 400)}"


def differences(kind: str, value: Any, stored: Any, constants: dict[str, Any]) -> list[Difference]:
    """The calls of one input whose output now differs from its stored row."""
    calls, now = outputs(kind, value, constants)
    if pack(now) == stored:
        return []
    return [
        Difference(describe(call), before, after)
        for call, before, after in zip(calls, unpack(stored, len(calls)), now, strict=False)
        if before != after
    ] or [Difference(f"{kind} {_short(value)}: {len(calls)} calls now", stored, pack(now))]
