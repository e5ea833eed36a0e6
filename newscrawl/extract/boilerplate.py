"""Boilerplate rules for article bodies, as data, and the pure function that applies them.

The extractor hands over the paragraphs a page shows; these rules remove what is not the article's
own text (Baca Juga lines, datelines, captions, credits, pager and share text, trailing blocks) and
move credits into their fields. Each rule has a name (counted in the crawl stats as
``newscrawl/boilerplate/<name>``) and a test that shows it firing. This module must never drop a
paragraph that no rule names: unknown text stays in the body.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum


class Action(Enum):
    """What a rule does to a paragraph it matches."""

    DROP = "drop"  # remove the paragraph
    CUT = "cut"  # remove the paragraph and everything after it (end-of-article blocks)
    FIELD = "field"  # move the named group "value" into a field, remove the paragraph
    STRIP = "strip"  # remove the matched text, keep the rest of the paragraph


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule: a pattern over a whole paragraph (or its end, for STRIP)."""

    name: str
    pattern: re.Pattern[str]
    action: Action
    field: str | None = None
    # Longer paragraphs are article text even if they start like boilerplate.
    max_len: int = 400


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_HEADINGS = (
    r"tags?|tag terkait|topik(?: terkait)?|artikel rekomendasi|artikel pilihan|rekomendasi(?: untuk anda)?|"
    r"(?:berita )?terkini|terpopuler|(?:berita )?populer|kabar daerah|berita terkait|artikel terkait|"
    r"baca berita lainnya|berita lainnya|video pilihan|pilihan editor|pilihan redaksi|most popular|"
    r"trending|lihat semua|komentar|tulis komentar|berita rekomendasi|baca juga berita lainnya|"
    r"topik pilihan|rekomendasi berita|populer hari ini|news update"
)
_SHARE_WORDS = (
    r"facebook|twitter|whatsapp|telegram|line|linkedin|pinterest|email|e-mail|copy(?: link)?|"
    r"salin(?: tautan| link)?|x|fb|wa|share|bagikan|sebarkan|kirim"
)

RULES: tuple[Rule, ...] = (
    Rule(
        "baca_juga",
        _re(r"^\W{0,3}(?:baca\s*juga|baca\s+pula|simak\s+juga|lihat\s+juga|baca\s+berita\s+lainnya|"
            r"artikel\s+terkait|berita\s+terkait|baca\s+selengkapnya)\b\s*[:>»\-–]?.*$"),
        Action.DROP,
        max_len=300,
    ),
    Rule("editor", _re(r"^(?:editor|redaktur|penyunting)\s*:\s*(?P<value>.{2,100})$"), Action.FIELD, "editor"),
    Rule("source", _re(r"^sumber(?: berita)?\s*:\s*(?P<value>.{2,150})$"), Action.FIELD, "source"),
    Rule(
        "author_line",
        _re(r"^(?:penulis|reporter|pewarta|kontributor|wartawan|laporan wartawan)\s*:\s*(?P<value>.{2,150})$"),
        Action.FIELD,
        "author",
    ),
    Rule("end_blocks", _re(rf"^(?:{_HEADINGS})\s*:?$"), Action.CUT, max_len=60),
    Rule("tags_line", _re(r"^tags?\s*:\s*.*$"), Action.CUT, max_len=600),
    Rule("stars", re.compile(r"(?:\s*\*{3,})+\s*$"), Action.STRIP),
    Rule(
        "pager",
        _re(r"^(?:halaman\s*:?\s*(?:\d+\s*)+(?:selanjutnya|berikutnya)?|halaman\s+\d+\s*(?:/|dari)\s*\d+|"
            r"(?:halaman\s+)?(?:selanjutnya|sebelumnya|berikutnya)|next|prev(?:ious)?|"
            r"\d+(?:\s+\d+)+\s*(?:selanjutnya|berikutnya)?|tampilkan semua|lihat semua halaman|"
            r"show all|baca dalam satu halaman)$"),
        Action.DROP,
        max_len=80,
    ),
    Rule(
        "share",
        _re(rf"^(?:(?:share|bagikan|sebarkan)(?: artikel| berita)?\s*:?\s*)?(?:(?:{_SHARE_WORDS})\b\s*[:|/,]?\s*)+$"),
        Action.DROP,
        max_len=120,
    ),
    Rule(
        "ads",
        _re(r"^(?:advertisement|scroll to continue with content|scroll to resume content|iklan|ads|"
            r"sponsored|konten sponsor|konten berbayar|adv|baca artikel \S+, .* selengkapnya)$"),
        Action.DROP,
        max_len=200,
    ),
    Rule(
        "promo",
        _re(r"^.{0,120}(?:google news|whatsapp channel|saluran whatsapp|channel whatsapp|"
            r"telegram channel|unduh aplikasi|download aplikasi|follow (?:us|kami))\b.{0,200}$"),
        Action.DROP,
        max_len=320,
    ),
    Rule(
        "caption",
        _re(r"^(?:\(?(?:foto|ilustrasi|dok\.?|dokumentasi|sumber foto|sumber gambar|image|photo|"
            r"tangkapan layar|screenshot)\s*[:\-–|].*|.{3,300}\s/\s?[A-Za-z][\w .&@,'-]{1,40}/?)$"),
        Action.DROP,
        max_len=320,
    ),
)

# A dateline opens the first paragraph: "KLIK BANGGAI - ", "TRIBUNSOLO.COM, JAKARTA -- ",
# "JAKARTA, KOMPAS.com - ", "Jakarta - ", "Suara.com - ".
_DATELINE = re.compile(
    r"^(?P<dateline>[A-Za-z0-9][\w.,'()/& ]{0,58}?[\w.)])\s*(?:-{1,3}|–|—)\s+(?P<rest>\S.*)$",
    re.DOTALL,
)
_DOMAIN = re.compile(r"\.(?:com|id|co|net|news|org)\b", re.IGNORECASE)


def _is_dateline(candidate: str) -> bool:
    letters = [c for c in candidate if c.isalpha()]
    if not letters:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    if upper >= 0.7 or _DOMAIN.search(candidate):
        return True
    words = candidate.replace(",", " ").split()
    # A short run of capitalised words is a place name ("Jakarta", "Kota Bandung").
    return len(words) <= 3 and all(w[0].isupper() for w in words)


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """'KLIK BANGGAI - Kelompok ...' -> ('KLIK BANGGAI', 'Kelompok ...')."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None, paragraph
    dateline, rest = match.group("dateline").strip(), match.group("rest")
    # The rest must not open with another dateline, so that cleaning twice changes nothing.
    if not _is_dateline(dateline) or (_DATELINE.match(rest) and _is_dateline(_DATELINE.match(rest).group("dateline"))):  # type: ignore[union-attr]
        return None, paragraph
    return dateline, rest


@dataclass(slots=True)
class Cleaned:
    """The result of cleaning an article body."""

    paragraphs: list[str]
    dateline: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    fired: Counter[str] = field(default_factory=Counter)


def _fold_key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def clean(paragraphs: list[str], *, caption: str | None = None, rules: tuple[Rule, ...] = RULES) -> Cleaned:
    """Apply `rules` to `paragraphs`; move credits to fields and the dateline out of the text."""
    out = Cleaned(paragraphs=[])
    caption_key = _fold_key(caption) if caption else None
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.strip()
        if caption_key and _fold_key(text) == caption_key:
            out.fired["caption"] += 1
            continue
        cut = False
        keep = True
        for rule in rules:
            if len(text) > rule.max_len:
                continue
            if rule.action is Action.STRIP:
                stripped = rule.pattern.sub("", text)
                if stripped != text:
                    out.fired[rule.name] += 1
                    text = stripped.strip()
                continue
            match = rule.pattern.match(text)
            if not match:
                continue
            if rule.action is Action.CUT and index == 0:
                continue
            out.fired[rule.name] += 1
            if rule.action is Action.FIELD and rule.field:
                out.fields.setdefault(rule.field, match.group("value").strip())
            cut = rule.action is Action.CUT
            keep = False
            break
        if cut:
            break
        if keep and text:
            out.paragraphs.append(text)
    if out.paragraphs:
        dateline, rest = split_dateline(out.paragraphs[0])
        if dateline:
            out.fired["dateline"] += 1
            out.dateline = dateline
            out.paragraphs[0] = rest
    return out
