"""The boilerplate rules for article bodies, as data: what each removes, and when it cannot match.

`newscrawl.extract.boilerplate` applies them. The extractor hands over the paragraphs a page shows;
these rules name what is not the article's own text (Baca Juga lines, captions, credits, pager and
share text, trailing blocks) and the credits to move into their fields. Each rule has a name
(counted in the crawl stats as ``newscrawl/boilerplate/<name>``) and a test that shows it firing.

Cleaning runs on every article, so a rule can also carry a cheap precondition (`Rule.starts`,
`Rule.hints`, `Rule.ends`) that holds whenever its pattern can match: most paragraphs are plain
article text and skip most patterns without running them. A precondition only saves time; it never
changes a result. Nothing here reads a body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Action(Enum):
    """What a rule does to a paragraph it matches."""

    DROP = "drop"  # remove the paragraph
    CUT = "cut"  # remove the paragraph and everything after it (end-of-article blocks)
    FIELD = "field"  # move the named group "value" into a field, remove the paragraph
    STRIP = "strip"  # remove the matched text, keep the rest of the paragraph


# IGNORECASE lets a pattern's "i" match the dotted capital and the dotless small i (U+0130,
# U+0131) and its "s" the long s (U+017F); str.lower() keeps the last two and makes the first two
# characters. Folding them first keeps every text a pattern can match holding the pattern's ASCII
# letters, one for one. tests/test_fastpaths.py checks this against every code point.
_CASE_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold_case(text: str) -> str:
    """`text` lower-cased so that a hint found by ``in`` agrees with an IGNORECASE pattern."""
    return text.lower() if text.isascii() else text.translate(_CASE_TWINS).lower()


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule: a pattern over a whole paragraph (or its end, for STRIP).

    `starts`, `hints` and `ends` only make cleaning fast and must never decide anything: every
    paragraph `pattern` can match must pass them (`admits`). A paragraph passes `starts` and
    `hints` when, case-folded, it opens with one of `starts` or contains one of `hints`; these are
    written in lower-case ASCII or characters without case ("©"), for which folding agrees with
    IGNORECASE. It passes `ends` (STRIP rules) when it ends with one of them, trailing whitespace
    aside. A rule without them is tried on every paragraph.
    """

    name: str
    pattern: re.Pattern[str]
    action: Action
    field: str | None = None
    # Longer paragraphs are article text even if they start like boilerplate.
    max_len: int = 400
    starts: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    ends: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A word that folding never produces would silently switch the rule off; a cased non-ASCII
        # character may have IGNORECASE twins that folding does not map to it.
        words = (*self.starts, *self.hints)
        if any(not word or fold_case(word) != word for word in words) or not all(
            c.isascii() or c.lower() == c.upper() == c for word in words for c in word
        ):
            raise ValueError(f"rule {self.name}: starts and hints must be lower-case ASCII or uncased characters")
        # Only a STRIP pattern is anchored at the paragraph's end; the others read it from its start.
        if self.ends and (self.action is not Action.STRIP or not all(self.ends)):
            raise ValueError(f"rule {self.name}: ends are for STRIP rules and must be non-empty: {self.ends!r}")

    def admits(self, text: str, folded: str) -> bool:
        """Whether `text` (`folded`: it case-folded) passes the precondition: False only if `pattern` cannot match."""
        if self.ends and not text.rstrip().endswith(self.ends):
            return False
        if folded.startswith(self.starts):
            return True
        for hint in self.hints:
            if hint in folded:
                return True
        return not (self.starts or self.hints)


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
    r"salin(?: tautan| link)?|x|fb|wa|share|bagikan|sebarkan|kirim|tweet|be sociable"
)

_CAPTION_WORDS = (
    "foto", "ilustrasi", "dok", "sumber foto", "sumber gambar", "image", "photo", "tangkapan layar", "screenshot",
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
    Rule(
        "editor",
        _re(r"^(?:editor|redaktur|penyunting)\s*:\s*(?P<value>.{2,100})$"),
        Action.FIELD,
        "editor",
        starts=("editor", "redaktur", "penyunting"),
    ),
    Rule(
        "source",
        _re(r"^(?:sumber(?: berita)?|source)\s*:\s*(?P<value>.{2,150})$"),
        Action.FIELD,
        "source",
        starts=("sumber", "source"),
    ),
    # "Laporan Wartawan Tribun Timur, Hasim Arfah": the byline that opens a Tribun regional body.
    Rule(
        "reporter_byline",
        _re(r"^laporan (?:wartawan|reporter) [\w .\-]{2,40}, (?P<value>[^,]{2,60})$"),
        Action.FIELD,
        "author",
        max_len=120,
        starts=("laporan wartawan", "laporan reporter"),
    ),
    Rule(
        "author_line",
        _re(r"^(?:penulis|reporter|pewarta|kontributor|wartawan|laporan wartawan)\s*:\s*(?P<value>.{2,150})$"),
        Action.FIELD,
        "author",
        starts=("penulis", "reporter", "pewarta", "kontributor", "wartawan", "laporan wartawan"),
    ),
    Rule("end_blocks", _re(rf"^(?:{_HEADINGS}|simak [\w ]{{0,30}} lainnya)\s*[:!]*$"), Action.CUT, max_len=60),
    Rule(
        "copyright",
        _re(r"^(?:copyright|hak cipta)\b.*$|^©.*$"),
        Action.CUT,
        max_len=200,
        starts=("copyright", "hak cipta", "©"),
    ),
    Rule("tags_line", _re(r"^tags?\s*:\s*.*$"), Action.CUT, max_len=600, starts=("tag",)),
    # Ad-slot script that leaked into the text (a theme printing it as a paragraph).
    Rule(
        "script_leak",
        _re(r"^(?:googletag\.|\(adsbygoogle|document\.write\().*$"),
        Action.DROP,
        max_len=600,
        starts=("googletag.", "(adsbygoogle", "document.write("),
    ),
    # A "Simak juga: <headline>" link that closes a paragraph, with the writer's tag after it.
    Rule(
        "related_tail",
        _re(r"\s+(?:baca|simak|lihat)\s+(?:juga|pula)\s*:[^:]{0,40}:?[^:]{0,160}?(?:\s*\[[^\]\s]{1,60}\])?$"),
        Action.STRIP,
        max_len=100_000,
        # The colon the pattern needs: one fast look, where its words would cost a search each.
        hints=(":",),
    ),
    # The closing stars end a paragraph of any length: the pattern only reads its end.
    Rule("stars", re.compile(r"(?:\s*\*{3,})+\s*$"), Action.STRIP, max_len=100_000, ends=("***",)),
    # CSS that leaked into the text of a page saved without its <style> tag.
    Rule(
        "css_leak",
        re.compile(r"(?:\s*[.#][\w-]+(?:[ >][\w.#:-]+)*\s*\{[^{}]*\})+\s*$"),
        Action.STRIP,
        max_len=100_000,
        ends=("}",),
    ),
    # Editor initials closing a paragraph: "(bgs/rul)", "(asp/asp)", or one lower-case code after a sentence.
    Rule(
        "initials",
        re.compile(r"(?:\s*\(\s*[a-z]{2,5}(?:\s*/\s*[a-z]{2,5})+\s*\)|(?<=[.!?\"”])\s+\([a-z]{2,4}\))\s*$"),
        Action.STRIP,
        max_len=100_000,
        ends=(")",),
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
        starts=("artikel ini", "berita ini"),
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
        _re(rf"^(?:(?:share|bagikan|sebarkan)(?: artikel| berita)?\s*:?\s*)?(?:(?:{_SHARE_WORDS})\b\s*[:|/,!]?\s*)+$"),
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
        hints=(
            "google news", "whatsapp", "telegram", "unduh aplikasi", "download aplikasi", "follow us", "follow kami",
        ),
    ),
    Rule(
        "follow_us",
        _re(r"^(?:ikuti|simak|dapatkan|cek|pantau|gabung)\b.{0,160}\b(?:google news|whatsapp|telegram|instagram|"
            r"tiktok|youtube|saluran|channel|aplikasi|berita terkini|update berita)\b.*$"),
        Action.DROP,
        max_len=400,
        starts=("ikuti", "simak", "dapatkan", "cek", "pantau", "gabung"),
    ),
    Rule(
        "caption",
        _re(r"^(?:\(?(?:foto|ilustrasi|dok\.?|dokumentasi|sumber foto|sumber gambar|image|photo|"
            r"tangkapan layar|screenshot)(?:\s*[:|]|\s+[-–]\s).*|.{3,300}\s/\s?[A-Za-z][\w .&@,'-]{1,40}/?|"
            r".{3,250}[.,]\s*\(?(?:foto|photo|dok|ilustrasi)\s*:\s*[\w .&@/,'-]{1,40}\)?\.?)$"),
        Action.DROP,
        max_len=320,
        # A credit opening the line, after a slash (" /Radar Bogor/"), or after a colon ("Foto: Grammy").
        starts=tuple(f"{bracket}{word}" for bracket in ("", "(") for word in _CAPTION_WORDS),
        hints=("/", ":"),
    ),
)
