"""Boilerplate out of article bodies: the pure function that applies the rules of `boilerplate_rules`.

The extractor hands over the paragraphs a page shows; `clean` removes what the rules name (and
moves credits into their fields), takes the dateline out of the first paragraph and drops the
paragraph that repeats the image's caption. This module must never drop a paragraph that no rule
names: unknown text stays in the body.

Cleaning runs on every article: a paragraph no rule can read is found by one test per length of
paragraph (`_Reading.quiet`), and the dateline and caption are looked for only where they can be.
These only save time; tests/test_fastpaths.py holds them to the plain way, rule by rule.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from newscrawl.extract.boilerplate_rules import RULES, Action, Rule, fold_case

__all__ = ["RULES", "Action", "Cleaned", "Rule", "clean", "fold_case", "split_dateline"]


# A dateline opens the first paragraph: "KLIK BANGGAI - ", "TRIBUNSOLO.COM, JAKARTA -- ",
# "JAKARTA, KOMPAS.com - ", "Jakarta - ", "Suara.com - ".
_DATELINE = re.compile(
    r"^(?P<dateline>[A-Za-z0-9][\w.,'()/&\- ]{0,58}?[\w.)])(?:\s*(?:-{2,3}|–|—)\s*|\s*-\s+)(?P<rest>\S.*)$",
    re.DOTALL,
)
# A first paragraph that is only a dateline ("Jakarta -"): the article text follows in the next block.
_DATELINE_ALONE = re.compile(r"^(?P<dateline>[A-Za-z0-9][\w.,'()/&\- ]{0,58}?[\w.)])\s*(?:-{1,3}|–|—)$")
_DOMAIN = re.compile(r"\.(?:com|id|co|net|news|org)\b", re.IGNORECASE)
# The dashes a dateline ends with, and its longest length: both patterns above read at most 60 characters before them.
_WIDE_DASHES = ("\u2013", "\u2014")  # and "-"
_ALONE_ENDS = ("-", *_WIDE_DASHES)  # the last character of a dateline alone ("$": before a final newline, if any)
_DATELINE_LONGEST = 60


def _dateline_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """``pattern.match(text)`` for `_DATELINE` and `_DATELINE_ALONE`, ruled out without them on most paragraphs.

    Both need a dateline of at most 60 characters that ends in neither a space nor a dash, then
    spaces only, then a dash. So the first dash of `text` has at most 60 characters before it once
    the spaces before it are cut: the dash the match ends the dateline with is it, or comes later
    with the first one inside the dateline.
    """
    dash = text.find("-")
    if not text.isascii():
        for other in _WIDE_DASHES:
            at = text.find(other)
            if at >= 0 and (dash < 0 or at < dash):
                dash = at
    if dash < 0 or len(text[:dash].rstrip()) > _DATELINE_LONGEST:
        return None
    return pattern.match(text)


def _dateline_alone(text: str) -> re.Match[str] | None:
    """``_DATELINE_ALONE.match(text)``, ruled out without it unless `text` ends with a dash (or one and a newline)."""
    if not text.removesuffix("\n").endswith(_ALONE_ENDS):
        return None
    return _dateline_match(_DATELINE_ALONE, text)


@lru_cache(maxsize=1024)  # a portal opens every article with the same few datelines
def _is_dateline(candidate: str) -> bool:
    letters = [c for c in candidate if c.isalpha()]
    if not letters:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    if upper >= 0.7 or _DOMAIN.search(candidate):
        return True
    words = [w.strip("()") for w in candidate.replace(",", " ").split()]
    # "ISTANBUL, 23 Februari 2016 (Antara/PRNewswire)": an upper-case place opens a dateline.
    if len(words[0]) >= 3 and words[0].isupper() and "," in candidate[: len(words[0]) + 2]:
        return True
    # A short run of capitalised words is a place name ("Jakarta", "Kota Bandung", "Jakarta (ANTARA News)").
    return len(words) <= 4 and all(w and (w[0].isupper() or w[0].isdigit()) for w in words)


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """'KLIK BANGGAI - Kelompok ...' -> ('KLIK BANGGAI', 'Kelompok ...')."""
    match = _dateline_match(_DATELINE, paragraph)
    if not match:
        return None, paragraph
    dateline, rest = match.group("dateline").strip().removesuffix("."), match.group("rest")
    if not _is_dateline(dateline):
        return None, paragraph
    # The rest must not open with another dateline, so that cleaning twice changes nothing.
    again = _dateline_match(_DATELINE, rest)
    if again and _is_dateline(again.group("dateline")):
        return None, paragraph
    return dateline, rest


@dataclass(slots=True)
class Cleaned:
    """The result of cleaning an article body."""

    paragraphs: list[str]
    dateline: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    fired: Counter[str] = field(default_factory=Counter)


_NON_WORD = re.compile(r"\W+")
_FIRST_WORD = re.compile(r"\W*(\w+)")


def _fold_key(text: str) -> str:
    return _NON_WORD.sub(" ", text).strip().lower()


class _Caption:
    """The image's caption, which a paragraph that folds (`_fold_key`) to the same text repeats.

    Most paragraphs are told apart by their first word alone: the fold of a text opens with its
    first run of word characters, lower-cased (folding turns every non-word run into one space and
    lower-casing a word does not depend on what follows a space), so a paragraph whose first word
    does not open the caption's (`first`) cannot fold to it. The caption itself is folded on the
    first paragraph that could.
    """

    __slots__ = ("first", "key", "text")

    def __init__(self, text: str, first: str) -> None:
        self.text = text
        self.first = first
        self.key: str | None = None

    @classmethod
    def of(cls, caption: str | None) -> _Caption | None:
        """The caption to look for, None when there is none or it folds to nothing (no word character)."""
        first = _FIRST_WORD.match(caption) if caption else None
        return cls(caption, first.group(1).lower()) if caption and first else None

    def repeated_by(self, text: str) -> bool:
        """Whether `text` folds to the caption's fold."""
        head = text[:1]
        # Most paragraphs open with a word character: their first word starts there.
        if (head.isalnum() or head == "_") and not self.first.startswith(head.lower()):
            return False
        first = _FIRST_WORD.match(text)
        if first is None or not self.first.startswith(first.group(1).lower()):
            return False
        if self.key is None:
            self.key = _fold_key(self.text)
        return _fold_key(text) == self.key


# Flags an anchored pattern may carry into `_Reading.screen`, each as its scoped inline flag.
_SCOPED_FLAGS = ((re.IGNORECASE, "i"), (re.DOTALL, "s"), (re.MULTILINE, "m"))
_KNOWN_FLAGS = re.UNICODE | re.IGNORECASE | re.DOTALL | re.MULTILINE


def _branch(rule: Rule) -> str | None:
    """`rule`'s pattern as a branch of a `_Reading.screen`, under its own flags; None if it cannot be one.

    A branch is read from the paragraph's start (no STRIP rule), has no groups (their numbers and
    names would change or clash), no flags but the scoped ones, and compiles on its own (a global
    inline flag, "(?i)", cannot stand inside another pattern).
    """
    pattern = rule.pattern
    if rule.action is Action.STRIP or pattern.groups or pattern.flags & ~_KNOWN_FLAGS:
        return None
    branch = "(?" + "".join(c for flag, c in _SCOPED_FLAGS if pattern.flags & flag) + ":" + pattern.pattern + ")"
    try:
        re.compile(branch)
    except re.error:
        return None
    return branch


class _Reading:
    """The rules that read paragraphs of one length range, and a test that most paragraphs pass at once.

    Most paragraphs are article text that no rule reads. Rather than each rule's precondition in
    turn, `quiet` looks once for every start, hint and end of the rules here, and matches one
    `screen` for the rules without preconditions that read from the paragraph's start (their
    patterns' alternation). Only a paragraph that fails it is read rule by rule (`admitted`).
    """

    __slots__ = ("always", "ends", "entries", "hints", "leads", "screen")

    def __init__(self, entries: tuple[tuple[int, Rule], ...]) -> None:
        self.entries = entries
        free = [rule for _, rule in entries if not (rule.starts or rule.hints or rule.ends)]
        branches = [branch for rule in free if (branch := _branch(rule)) is not None]
        # The alternation matches where one of its branches does: regular expressions backtrack into each.
        self.screen = re.compile("|".join(branches)) if branches else None
        # A rule without preconditions outside the screen reads every paragraph.
        self.always = len(branches) < len(free)
        self.leads = tuple(word for _, rule in entries if not rule.ends for word in rule.starts)
        self.hints = tuple(dict.fromkeys(word for _, rule in entries if not rule.ends for word in rule.hints))
        self.ends = tuple(word for _, rule in entries for word in rule.ends)

    def quiet(self, text: str, folded: str) -> bool:
        """True when no rule here can read `text` (`folded`: it case-folded): none admits it, or matches it."""
        if self.always or folded.startswith(self.leads):
            return False
        if self.screen is not None and self.screen.match(text):
            return False
        if self.ends and text.rstrip().endswith(self.ends):
            return False
        for hint in self.hints:  # noqa: SIM110 - a plain loop: all() over a generator costs a third more here
            if hint in folded:
                return False
        return True

    def admitted(self, text: str, folded: str) -> list[tuple[int, Rule]]:
        """The rules (with positions, in order) whose preconditions `text` (`folded`: it case-folded) passes.

        None when it is `quiet`: then the rules it would pass (only rules without preconditions) cannot match it.
        """
        if self.quiet(text, folded):
            return []
        return [entry for entry in self.entries if entry[1].admits(text, folded)]


class _Plan:
    """`rules` by paragraph length: the rules that read a paragraph of a given length, in order.

    Most paragraphs are longer than most rules' `max_len`; looking the rules up by length spares
    going through every rule for every paragraph.
    """

    __slots__ = ("by_length", "lengths", "rules")

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self.lengths = sorted({rule.max_len for rule in rules})
        # The rules whose max_len is at least lengths[i]; none past the longest.
        self.by_length: tuple[_Reading, ...] = (
            *(_Reading(tuple((n, r) for n, r in enumerate(rules) if r.max_len >= size)) for size in self.lengths),
            _Reading(()),
        )

    def quiet(self, text: str) -> bool:
        """True when no rule can read `text` (`_Reading.quiet`)."""
        return self.by_length[bisect_left(self.lengths, len(text))].quiet(text, fold_case(text))

    def reading(self, length: int) -> _Reading:
        """The rules that read a paragraph of `length` characters."""
        return self.by_length[bisect_left(self.lengths, length)]


# By id(rules); each plan holds its tuple, so an id is not reused while its plan is here.
_PLANS: dict[int, _Plan] = {}


def _plan(rules: tuple[Rule, ...]) -> _Plan:
    plan = _PLANS.get(id(rules))
    if plan is None or plan.rules is not rules:
        if len(_PLANS) >= 32:  # callers with rule tuples of their own; RULES comes straight back
            _PLANS.clear()
        plan = _PLANS[id(rules)] = _Plan(rules)
    return plan


def _apply_rules(text: str, index: int, plan: _Plan, out: Cleaned) -> tuple[str | None, bool]:
    """One pass of the rules over a paragraph: (the text left, None when removed; whether to cut here)."""
    folded = fold_case(text)
    start = 0  # rules before this position have read the paragraph in this pass
    while True:
        for position, rule in plan.reading(len(text)).admitted(text, folded):
            if position < start:
                continue
            if rule.action is Action.STRIP:
                stripped = rule.pattern.sub("", text)
                if stripped != text:
                    out.fired[rule.name] += 1
                    text, start = stripped.strip(), position + 1
                    folded = fold_case(text)
                    # The pass goes on with the next rule, over the shorter text: rules that the
                    # old length ruled out may read it now.
                    break
                continue
            match = rule.pattern.match(text)
            if not match or (rule.action is Action.CUT and index == 0):
                continue
            out.fired[rule.name] += 1
            if rule.action is Action.FIELD and rule.field:
                out.fields.setdefault(rule.field, match.group("value").strip())
            return None, rule.action is Action.CUT
        else:
            return text, False


def _clean_paragraph(
    text: str, index: int, caption: _Caption | None, plan: _Plan, out: Cleaned,
) -> str | None:
    """Apply the rules to one paragraph until none changes it; "" when it is removed, None to cut here.

    Repeating matters: a STRIP rule can uncover text that an earlier rule removes, and cleaning
    must be idempotent (a cleaned body, cleaned again, is unchanged).
    """
    # Most paragraphs are article text that no rule reads: kept as they are, as the rules would keep them.
    if text and plan.quiet(text) and not (caption and caption.repeated_by(text)):
        return text
    while text:
        if caption and caption.repeated_by(text):
            out.fired["caption"] += 1
            return ""
        after, cut = _apply_rules(text, index, plan, out)
        if cut:
            return None
        if after is None or after == text:
            return after or ""
        text = after
    return ""


def clean(paragraphs: list[str], *, caption: str | None = None, rules: tuple[Rule, ...] = RULES) -> Cleaned:
    """Apply `rules` to `paragraphs`; move credits to fields and the dateline out of the text."""
    out = Cleaned(paragraphs=[])
    plan = _plan(rules)
    looked_for = _Caption.of(caption)
    for index, paragraph in enumerate(paragraphs):
        text = _clean_paragraph(paragraph.strip(), index, looked_for, plan, out)
        if text is None:
            break
        if text:
            out.paragraphs.append(text)
    # What follows a dateline is read by the rules again, and may open with nothing left but
    # boilerplate: repeat until the first paragraph opens with no dateline.
    while out.paragraphs:
        alone = _dateline_alone(out.paragraphs[0]) if len(out.paragraphs) > 1 else None
        merged = bool(alone and _is_dateline(alone.group("dateline")))
        if merged and alone:
            out.paragraphs[:2] = [f"{alone.group('dateline')} - {out.paragraphs[1]}"]
        dateline, rest = split_dateline(out.paragraphs[0])
        if dateline:
            out.fired["dateline"] += 1
            out.dateline = out.dateline or dateline
            text = _clean_paragraph(rest, 0, looked_for, plan, out)  # never cuts: CUT rules skip index 0
        elif merged:
            # Joined, but no dateline after all: the joined paragraph is read by the rules like any other.
            text = _clean_paragraph(out.paragraphs[0], 0, looked_for, plan, out)
        else:
            break
        out.paragraphs[:1] = [text] if text else []
    return out
