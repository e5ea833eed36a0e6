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
    r"topik pilihan|rekomendasi berita|populer hari ini|news update|jangan lewatkan|read also|read more|"
    r"see also|artikel menarik lainnya|berita menarik lainnya|baca artikel lainnya"
)
_SHARE_WORDS = (
    r"facebook|twitter|whatsapp|telegram|line|linkedin|pinterest|email|e-mail|copy(?: link)?|"
    r"salin(?: tautan| link)?|x|fb|wa|share|bagikan|sebarkan|kirim"
)

RULES: tuple[Rule, ...] = (
    Rule(
        "baca_juga",
        _re(r"^\W{0,3}(?:baca\s*juga|baca\s+pula|simak\s+juga|simak\s+video|lihat\s+juga|baca\s+berita\s+lainnya|"
            r"read\s+also|"
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
    Rule("end_blocks", _re(rf"^(?:{_HEADINGS}|simak [\w ]{{0,30}} lainnya)\s*[:!]*$"), Action.CUT, max_len=60),
    Rule("copyright", _re(r"^(?:copyright|hak cipta)\b.*$|^©.*$"), Action.CUT, max_len=200),
    Rule("tags_line", _re(r"^tags?\s*:\s*.*$"), Action.CUT, max_len=600),
    Rule("stars", re.compile(r"(?:\s*\*{3,})+\s*$"), Action.STRIP),
    # CSS that leaked into the text of a page saved without its <style> tag.
    Rule(
        "css_leak",
        re.compile(r"(?:\s*[.#][\w-]+(?:[ >][\w.#:-]+)*\s*\{[^{}]*\})+\s*$"),
        Action.STRIP,
        max_len=100_000,
    ),
    # Editor initials closing a paragraph: "(bgs/rul)", "(asp/asp)", or one lower-case code after a sentence.
    Rule(
        "initials",
        re.compile(r"(?:\s*\(\s*[a-z]{2,5}(?:\s*/\s*[a-z]{2,5})+\s*\)|(?<=[.!?\"”])\s+\([a-z]{2,4}\))\s*$"),
        Action.STRIP,
        max_len=100_000,
    ),
    # ... or standing alone, in any case and brackets: "(FHM)", "[ian]", "(ren)".
    Rule(
        "initials_line",
        re.compile(r"^[(\[]\s*[A-Za-z]{2,5}(?:\s*/\s*[A-Za-z]{2,5})*\s*[)\]]$"),
        Action.DROP,
        max_len=30,
    ),
    Rule("comments_count", _re(r"^\d+\s+(?:komentar|comments?)$"), Action.CUT, max_len=30),
    # A bare date line repeated inside the body ("Kamis, 05 November 2015 | 11:13 WIB").
    Rule(
        "date_line",
        _re(r"^(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)\s*,?\s*\d{1,2}[ /-]\w+[ /-]\d{2,4}"
            r"(?:\s*[|,-]?\s*\d{1,2}[:.]\d{2}(?:\s*(?:wib|wita|wit))?)?$"),
        Action.DROP,
        max_len=80,
    ),
    Rule(
        "republished",
        _re(r"^(?:artikel|berita) ini (?:telah|sudah)? ?(?:tayang|terbit|dimuat|diterbitkan)\b.*$"),
        Action.CUT,
        max_len=600,
    ),
    Rule("embed_marker", _re(r"^\[(?:gambas|video|embed)\s*:[^\]]*\]$"), Action.DROP, max_len=120),
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
            r"telegram channel|grup telegram|unduh aplikasi|download aplikasi|follow (?:us|kami)|"
            r"install aplikasi whatsapp)\b.{0,200}$"),
        Action.DROP,
        max_len=320,
    ),
    Rule(
        "follow_us",
        _re(r"^(?:ikuti|simak|dapatkan|cek|pantau|gabung)\b.{0,160}\b(?:google news|whatsapp|telegram|instagram|"
            r"tiktok|youtube|saluran|channel|aplikasi|berita terkini|update berita)\b.*$"),
        Action.DROP,
        max_len=400,
    ),
    Rule(
        "caption",
        _re(r"^(?:\(?(?:foto|ilustrasi|dok\.?|dokumentasi|sumber foto|sumber gambar|image|photo|"
            r"tangkapan layar|screenshot)(?:\s*[:|]|\s+[-–]\s).*|.{3,300}\s/\s?[A-Za-z][\w .&@,'-]{1,40}/?|"
            r".{3,250}[.,]\s*\(?(?:foto|photo|dok|ilustrasi)\s*:\s*[\w .&@/,'-]{1,40}\)?\.?)$"),
        Action.DROP,
        max_len=320,
    ),
)

# A dateline opens the first paragraph: "KLIK BANGGAI - ", "TRIBUNSOLO.COM, JAKARTA -- ",
# "JAKARTA, KOMPAS.com - ", "Jakarta - ", "Suara.com - ".
_DATELINE = re.compile(
    r"^(?P<dateline>[A-Za-z0-9][\w.,'()/& ]{0,58}?[\w.)])(?:\s*(?:-{2,3}|–|—)\s*|\s*-\s+)(?P<rest>\S.*)$",
    re.DOTALL,
)
# A first paragraph that is only a dateline ("Jakarta -"): the article text follows in the next block.
_DATELINE_ALONE = re.compile(r"^(?P<dateline>[A-Za-z0-9][\w.,'()/& ]{0,58}?[\w.)])\s*(?:-{1,3}|–|—)$")
_DOMAIN = re.compile(r"\.(?:com|id|co|net|news|org)\b", re.IGNORECASE)


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
    match = _DATELINE.match(paragraph)
    if not match:
        return None, paragraph
    dateline, rest = match.group("dateline").strip().removesuffix("."), match.group("rest")
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


def _apply_rules(text: str, index: int, rules: tuple[Rule, ...], out: Cleaned) -> tuple[str | None, bool]:
    """One pass of `rules` over a paragraph: (the text left, None when removed; whether to cut here)."""
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
        if not match or (rule.action is Action.CUT and index == 0):
            continue
        out.fired[rule.name] += 1
        if rule.action is Action.FIELD and rule.field:
            out.fields.setdefault(rule.field, match.group("value").strip())
        return None, rule.action is Action.CUT
    return text, False


def _clean_paragraph(
    text: str, index: int, caption_key: str | None, rules: tuple[Rule, ...], out: Cleaned,
) -> str | None:
    """Apply `rules` to one paragraph until none changes it; "" when it is removed, None to cut here.

    Repeating matters: a STRIP rule can uncover text that an earlier rule removes, and cleaning
    must be idempotent (a cleaned body, cleaned again, is unchanged).
    """
    while text:
        if caption_key and _fold_key(text) == caption_key:
            out.fired["caption"] += 1
            return ""
        after, cut = _apply_rules(text, index, rules, out)
        if cut:
            return None
        if after is None or after == text:
            return after or ""
        text = after
    return ""


def clean(paragraphs: list[str], *, caption: str | None = None, rules: tuple[Rule, ...] = RULES) -> Cleaned:
    """Apply `rules` to `paragraphs`; move credits to fields and the dateline out of the text."""
    out = Cleaned(paragraphs=[])
    caption_key = _fold_key(caption) if caption else None
    for index, paragraph in enumerate(paragraphs):
        text = _clean_paragraph(paragraph.strip(), index, caption_key, rules, out)
        if text is None:
            break
        if text:
            out.paragraphs.append(text)
    # What follows a dateline is read by the rules again, and may open with nothing left but
    # boilerplate: repeat until the first paragraph opens with no dateline.
    while out.paragraphs:
        alone = _DATELINE_ALONE.match(out.paragraphs[0]) if len(out.paragraphs) > 1 else None
        merged = bool(alone and _is_dateline(alone.group("dateline")))
        if merged and alone:
            out.paragraphs[:2] = [f"{alone.group('dateline')} - {out.paragraphs[1]}"]
        dateline, rest = split_dateline(out.paragraphs[0])
        if dateline:
            out.fired["dateline"] += 1
            out.dateline = out.dateline or dateline
            text = _clean_paragraph(rest, 0, caption_key, rules, out)  # never cuts: CUT rules skip index 0
        elif merged:
            # Joined, but no dateline after all: the joined paragraph is read by the rules like any other.
            text = _clean_paragraph(out.paragraphs[0], 0, caption_key, rules, out)
        else:
            break
        out.paragraphs[:1] = [text] if text else []
    return out
