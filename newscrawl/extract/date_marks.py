"""What an element's markup says of a date it holds: its role, its machine date, whose date it is.

What it is for
    The questions `extract.candidates` asks one element while collecting a page's dates (and
    `extract.article` while reading its writers, whether it stands in a comment): the
    role its class or itemprop names ("entry-date published", "datePublished", "updated"), the
    machine date its attributes hold (``time@datetime``, ``abbr@title``, ``itemprop@content``),
    whether its names say it holds a date ("tanggal", "post-date"), and whether it stands where
    other dates than the article's stand (another article's card, a comment, a table or a list).

What it must never do
    Read text into a date, walk the page (only the element and a few of its ancestors are
    looked at), or decide which date is the article's (that is `extract.published`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal

from newscrawl.extract.doc import lineage

if TYPE_CHECKING:
    from newscrawl.extract.date_lines import Role
    from newscrawl.extract.doc import Element

__all__ = [
    "MAX_ATTR",
    "date_named",
    "in_card",
    "in_comment",
    "in_table_or_list",
    "machine_date",
    "named_machine",
    "named_role",
    "role_of",
]

# A longer attribute value is not a date (a title attribute holding a sentence).
MAX_ATTR: Final = 40
_MODIFIED_WORDS: Final = ("updated", "modified")
_PUBLISHED_WORDS: Final = ("published", "entry-date", "post-date", "pubdate")
# Cells and items: a date alone in one is a schedule's or a list's, not the article's.
_ROWS: Final = frozenset({"td", "th", "li", "dd", "dt", "table", "tr"})
# What an element that holds a date is called, in its class or id ("tanggal", "post-date").
_DATE_NAMES: Final = ("date", "tanggal", "tgl", "time", "waktu", "publish", "posted")
# What a comment's block is called: its dates are the comments'.
_COMMENT_NAMES: Final = ("comment", "komentar", "respon", "reply", "balas")
# A comment's block is named within so many levels of its date or name; a schema.org Comment a little further up.
_COMMENT_LEVELS: Final = 4


def role_of(el: Element, default: Role = "published") -> Role:
    """The role `el` names (`named_role`), else `default`."""
    return named_role(el) or default


def named_role(el: Element) -> Role | None:
    """The role `el`'s class or itemprop names ("entry-date published", "datePublished", "updated"), if any."""
    attrs = el.attributes
    names = " ".join(filter(None, (attrs.get("class"), attrs.get("itemprop")))).lower()
    if any(w in names for w in _PUBLISHED_WORDS) or "datepublished" in names or "datecreated" in names:
        return "published"
    if any(w in names for w in _MODIFIED_WORDS) or "datemodified" in names:
        return "modified"
    return None


def machine_date(el: Element) -> tuple[str, Literal["time", "attr"]] | None:
    """The machine date `el` holds: time@datetime, abbr@title, itemprop@content|datetime (not too long).

    With the source a candidate of it has: "time" for a ``<time>``, "attr" for the others.
    """
    attrs = el.attributes
    tag = el.tag
    raw: str | None
    source: Literal["time", "attr"]
    if tag == "time":
        raw, source = attrs.get("datetime"), "time"
    elif tag == "abbr":
        raw, source = attrs.get("title"), "attr"
    elif "itemprop" in attrs:
        raw, source = attrs.get("content") or attrs.get("datetime"), "attr"
    else:
        return None
    return (raw, source) if raw and len(raw) <= MAX_ATTR else None


def named_machine(el: Element) -> tuple[str, Literal["time", "attr"], Role] | None:
    """The machine date of `el` (`machine_date`) if its role is named."""
    role = named_role(el)
    if role is None:
        return None
    found = machine_date(el)
    return (found[0], found[1], role) if found is not None else None


def in_table_or_list(el: Element) -> bool:
    """Whether `el` is, or stands within a few levels of, a table's cell or a list's item."""
    return any(node.tag in _ROWS for node in lineage(el, 4))


def _names(el: Element) -> str:
    return _names_of(el.attributes)


def _names_of(attrs: dict[str, str | None]) -> str:
    """An element's class and id, lower case: what it is called."""
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()


def date_named(el: Element) -> bool:
    """Whether `el`'s class or id says it holds a date ("date", "tanggal", "post-time")."""
    names = _names(el)
    return any(word in names for word in _DATE_NAMES)


def in_comment(el: Element) -> bool:
    """Whether `el` or a block around it, as far as a comment's own block, is a comment's.

    Named so (class or id: "comment-author", "komentar"), or a schema.org ``Comment`` (WordPress
    themes mark each comment's author and time so, ``itemtype="https://schema.org/Comment"``).
    """
    for level, node in enumerate(lineage(el, 6)):
        attrs = node.attributes  # built afresh at each access: once per element
        if (attrs.get("itemtype") or "").endswith("/Comment"):
            return True
        names = _names_of(attrs)
        if level < _COMMENT_LEVELS and any(word in names for word in _COMMENT_NAMES):
            return True
    return False


def in_card(el: Element) -> bool:
    """Whether `el` stands beside a link in its parent: another article's card ("Judul lain · 6 Des 2026")."""
    parent = el.parent
    return parent is not None and parent.css_first("a") is not None
