"""The fast paths of `boilerplate.clean` and of the URL helpers give exactly what the plain code gave.

`_reference_*` below are frozen copies of the implementations as they were before the fast paths
(rule hints, cached and short-cut URL parsing) were added. Every test compares the module's output
with the reference's on a large corpus: every paragraph and link of the golden pages, the saved
sites and the benchmark portal, the rule lines of tests/test_boilerplate.py, hand-written edge
cases, and generated text built from the rules' trigger words. Any difference fails.
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from parsel import Selector

from newscrawl.extract import boilerplate, links
from newscrawl.extract.article import extract_article
from newscrawl.networks import all_profiles, get_profile
from tests.test_boilerplate import FIRES, FIRST, KEPT, LAST

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from golden import FIXTURES, goldens

if TYPE_CHECKING:
    from newscrawl.networks.base import Profile

SITES = Path(__file__).resolve().parent / "sites"
# The families, and profiles with page parameters that parse_qsl has to decode.
PROFILES = (
    *all_profiles(),
    replace(get_profile("generic"), name="odd-page", page_param="hal aman"),
    replace(get_profile("prmn"), name="empty-page", page_param="", keep_query=("id", "utm_source")),
    replace(get_profile("tribun"), name="percent-page", page_param="p%", amp_rewrite=()),
)
GENERATED = settings(deadline=None, max_examples=600, suppress_health_check=[HealthCheck.too_slow])


# --- Frozen reference: newscrawl/extract/boilerplate.py before the fast paths --------------------------------------


class _Action:
    DROP = "drop"
    CUT = "cut"
    FIELD = "field"
    STRIP = "strip"


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    action: str
    field: str | None = None
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

_REFERENCE_RULES: tuple[_Rule, ...] = (
    _Rule(
        "baca_juga",
        _re(r"^\W{0,3}(?:baca\s*juga|baca\s+pula|simak\s+juga|simak\s+video|lihat\s+juga|baca\s+berita\s+lainnya|"
            r"read\s+also|"
            r"artikel\s+terkait|berita\s+terkait|baca\s+selengkapnya)\b\s*[:>»\-–]?.*$"),
        _Action.DROP,
        max_len=300,
    ),
    _Rule("editor", _re(r"^(?:editor|redaktur|penyunting)\s*:\s*(?P<value>.{2,100})$"), _Action.FIELD, "editor"),
    _Rule("source", _re(r"^sumber(?: berita)?\s*:\s*(?P<value>.{2,150})$"), _Action.FIELD, "source"),
    _Rule(
        "author_line",
        _re(r"^(?:penulis|reporter|pewarta|kontributor|wartawan|laporan wartawan)\s*:\s*(?P<value>.{2,150})$"),
        _Action.FIELD,
        "author",
    ),
    _Rule("end_blocks", _re(rf"^(?:{_HEADINGS}|simak [\w ]{{0,30}} lainnya)\s*[:!]*$"), _Action.CUT, max_len=60),
    _Rule("copyright", _re(r"^(?:copyright|hak cipta)\b.*$|^©.*$"), _Action.CUT, max_len=200),
    _Rule("tags_line", _re(r"^tags?\s*:\s*.*$"), _Action.CUT, max_len=600),
    _Rule("stars", re.compile(r"(?:\s*\*{3,})+\s*$"), _Action.STRIP),
    _Rule(
        "css_leak",
        re.compile(r"(?:\s*[.#][\w-]+(?:[ >][\w.#:-]+)*\s*\{[^{}]*\})+\s*$"),
        _Action.STRIP,
        max_len=100_000,
    ),
    _Rule(
        "initials",
        re.compile(r"(?:\s*\(\s*[a-z]{2,5}(?:\s*/\s*[a-z]{2,5})+\s*\)|(?<=[.!?\"”])\s+\([a-z]{2,4}\))\s*$"),
        _Action.STRIP,
        max_len=100_000,
    ),
    _Rule(
        "initials_line",
        re.compile(r"^[(\[]\s*[A-Za-z]{2,5}(?:\s*/\s*[A-Za-z]{2,5})*\s*[)\]]$"),
        _Action.DROP,
        max_len=30,
    ),
    _Rule("comments_count", _re(r"^\d+\s+(?:komentar|comments?)$"), _Action.CUT, max_len=30),
    _Rule(
        "date_line",
        _re(r"^(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)\s*,?\s*\d{1,2}[ /-]\w+[ /-]\d{2,4}"
            r"(?:\s*[|,-]?\s*\d{1,2}[:.]\d{2}(?:\s*(?:wib|wita|wit))?)?$"),
        _Action.DROP,
        max_len=80,
    ),
    _Rule(
        "republished",
        _re(r"^(?:artikel|berita) ini (?:telah|sudah)? ?(?:tayang|terbit|dimuat|diterbitkan)\b.*$"),
        _Action.CUT,
        max_len=600,
    ),
    _Rule("embed_marker", _re(r"^\[(?:gambas|video|embed)\s*:[^\]]*\]$"), _Action.DROP, max_len=120),
    _Rule(
        "pager",
        _re(r"^(?:halaman\s*:?\s*(?:\d+\s*)+(?:selanjutnya|berikutnya)?|halaman\s+\d+\s*(?:/|dari)\s*\d+|"
            r"(?:halaman\s+)?(?:selanjutnya|sebelumnya|berikutnya)|next|prev(?:ious)?|"
            r"\d+(?:\s+\d+)+\s*(?:selanjutnya|berikutnya)?|tampilkan semua|lihat semua halaman|"
            r"show all|baca dalam satu halaman)$"),
        _Action.DROP,
        max_len=80,
    ),
    _Rule(
        "share",
        _re(rf"^(?:(?:share|bagikan|sebarkan)(?: artikel| berita)?\s*:?\s*)?(?:(?:{_SHARE_WORDS})\b\s*[:|/,]?\s*)+$"),
        _Action.DROP,
        max_len=120,
    ),
    _Rule(
        "ads",
        _re(r"^(?:advertisement|scroll to continue with content|scroll to resume content|iklan|ads|"
            r"sponsored|konten sponsor|konten berbayar|adv|baca artikel \S+, .* selengkapnya)$"),
        _Action.DROP,
        max_len=200,
    ),
    _Rule(
        "promo",
        _re(r"^.{0,120}(?:google news|whatsapp channel|saluran whatsapp|channel whatsapp|"
            r"telegram channel|grup telegram|unduh aplikasi|download aplikasi|follow (?:us|kami)|"
            r"install aplikasi whatsapp)\b.{0,200}$"),
        _Action.DROP,
        max_len=320,
    ),
    _Rule(
        "follow_us",
        _re(r"^(?:ikuti|simak|dapatkan|cek|pantau|gabung)\b.{0,160}\b(?:google news|whatsapp|telegram|instagram|"
            r"tiktok|youtube|saluran|channel|aplikasi|berita terkini|update berita)\b.*$"),
        _Action.DROP,
        max_len=400,
    ),
    _Rule(
        "caption",
        _re(r"^(?:\(?(?:foto|ilustrasi|dok\.?|dokumentasi|sumber foto|sumber gambar|image|photo|"
            r"tangkapan layar|screenshot)(?:\s*[:|]|\s+[-–]\s).*|.{3,300}\s/\s?[A-Za-z][\w .&@,'-]{1,40}/?|"
            r".{3,250}[.,]\s*\(?(?:foto|photo|dok|ilustrasi)\s*:\s*[\w .&@/,'-]{1,40}\)?\.?)$"),
        _Action.DROP,
        max_len=320,
    ),
)

_DATELINE = re.compile(
    r"^(?P<dateline>[A-Za-z0-9][\w.,'()/& ]{0,58}?[\w.)])(?:\s*(?:-{2,3}|–|—)\s*|\s*-\s+)(?P<rest>\S.*)$",
    re.DOTALL,
)
_DATELINE_ALONE = re.compile(r"^(?P<dateline>[A-Za-z0-9][\w.,'()/& ]{0,58}?[\w.)])\s*(?:-{1,3}|–|—)$")
_DOMAIN = re.compile(r"\.(?:com|id|co|net|news|org)\b", re.IGNORECASE)


def _reference_is_dateline(candidate: str) -> bool:
    letters = [c for c in candidate if c.isalpha()]
    if not letters:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    if upper >= 0.7 or _DOMAIN.search(candidate):
        return True
    words = [w.strip("()") for w in candidate.replace(",", " ").split()]
    if len(words[0]) >= 3 and words[0].isupper() and "," in candidate[: len(words[0]) + 2]:
        return True
    return len(words) <= 4 and all(w and (w[0].isupper() or w[0].isdigit()) for w in words)


def _reference_split_dateline(paragraph: str) -> tuple[str | None, str]:
    match = _DATELINE.match(paragraph)
    if not match:
        return None, paragraph
    dateline, rest = match.group("dateline").strip().removesuffix("."), match.group("rest")
    if not _reference_is_dateline(dateline) or (
        _DATELINE.match(rest) and _reference_is_dateline(_DATELINE.match(rest).group("dateline"))  # type: ignore[union-attr]
    ):
        return None, paragraph
    return dateline, rest


@dataclass
class _ReferenceCleaned:
    paragraphs: list[str]
    dateline: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    fired: Counter[str] = field(default_factory=Counter)


def _reference_fold_key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _reference_apply_rules(
    text: str, index: int, rules: tuple[_Rule, ...], out: _ReferenceCleaned,
) -> tuple[str | None, bool]:
    for rule in rules:
        if len(text) > rule.max_len:
            continue
        if rule.action == _Action.STRIP:
            stripped = rule.pattern.sub("", text)
            if stripped != text:
                out.fired[rule.name] += 1
                text = stripped.strip()
            continue
        match = rule.pattern.match(text)
        if not match or (rule.action == _Action.CUT and index == 0):
            continue
        out.fired[rule.name] += 1
        if rule.action == _Action.FIELD and rule.field:
            out.fields.setdefault(rule.field, match.group("value").strip())
        return None, rule.action == _Action.CUT
    return text, False


def _reference_clean_paragraph(
    text: str, index: int, caption_key: str | None, rules: tuple[_Rule, ...], out: _ReferenceCleaned,
) -> str | None:
    while text:
        if caption_key and _reference_fold_key(text) == caption_key:
            out.fired["caption"] += 1
            return ""
        after, cut = _reference_apply_rules(text, index, rules, out)
        if cut:
            return None
        if after is None or after == text:
            return after or ""
        text = after
    return ""


def _reference_clean(
    paragraphs: list[str], *, caption: str | None = None, rules: tuple[_Rule, ...] = _REFERENCE_RULES,
) -> _ReferenceCleaned:
    out = _ReferenceCleaned(paragraphs=[])
    caption_key = _reference_fold_key(caption) if caption else None
    for index, paragraph in enumerate(paragraphs):
        text = _reference_clean_paragraph(paragraph.strip(), index, caption_key, rules, out)
        if text is None:
            break
        if text:
            out.paragraphs.append(text)
    while out.paragraphs:
        alone = _DATELINE_ALONE.match(out.paragraphs[0]) if len(out.paragraphs) > 1 else None
        merged = bool(alone and _reference_is_dateline(alone.group("dateline")))
        if merged and alone:
            out.paragraphs[:2] = [f"{alone.group('dateline')} - {out.paragraphs[1]}"]
        dateline, rest = _reference_split_dateline(out.paragraphs[0])
        if dateline:
            out.fired["dateline"] += 1
            out.dateline = out.dateline or dateline
            text = _reference_clean_paragraph(rest, 0, caption_key, rules, out)
        elif merged:
            text = _reference_clean_paragraph(out.paragraphs[0], 0, caption_key, rules, out)
        else:
            break
        out.paragraphs[:1] = [text] if text else []
    return out


# --- Frozen reference: newscrawl/extract/links.py before the fast paths --------------------------------------------

_TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_[ce]id|_ga|_gl|ref|ref_src|source|src|"
    r"from|amp|amp_js_v|usqp|outputType|_gac|igshid|s_cid|cmpid|wt_mc|spm)$",
    re.IGNORECASE,
)
_SCHEMES = ("http", "https")
_MAX_URL = 2048


def _reference_absolute(href: str | None, base: str) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#") or len(href) > _MAX_URL:
        return None
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        return None
    path = quote(unquote(parts.path), safe="/%:@!$&'()*+,;=~-._")
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, parts.query, ""))


def _reference_host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _reference_path_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _reference_page_number(url: str, profile: Profile) -> int:
    for key, value in parse_qsl(urlsplit(url).query):
        if key == profile.page_param and value.isdigit():
            return max(1, int(value))
    return 1


def _reference_rewrite_amp(path: str, profile: Profile) -> str:
    while True:
        new = next((n for p, r in profile.amp_res if (n := p.sub(r, path, count=1)) != path), path)
        if len(new) >= len(path):
            return path
        path = new


def _reference_canonical_url(url: str, profile: Profile) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    path = _reference_rewrite_amp(parts.path or "/", profile) or "/"
    kept = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k in profile.keep_query and not _TRACKING_PARAMS.match(k)
    ]
    netloc = parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(kept), ""))


# --- Corpus ----------------------------------------------------------------------------------------------------------

BENCH_BASE = "http://127.0.0.1:1"


@cache
def _bench_site() -> Any:
    from bench_site import build_site  # noqa: PLC0415 - benchmarks/ is on the path only for these tests

    return build_site(60, BENCH_BASE)


@cache
def _bodies() -> tuple[tuple[tuple[str, ...], str | None], ...]:
    """(paragraphs, image caption) of every golden page and benchmark article as extracted, and the golden bodies."""
    out: list[tuple[tuple[str, ...], str | None]] = []
    for golden in goldens():
        page = extract_article(golden.html(), golden.url, get_profile(golden.family))
        out.append((tuple(page.paragraphs), page.image_caption))
        if golden.expected:
            out.append((tuple(golden.expected["body"].split("\n\n")), None))
    site = _bench_site()
    for target in site.article_pages:
        page = extract_article(site.pages[target], BENCH_BASE + target, get_profile("prmn"))
        out.append((tuple(page.paragraphs), page.image_caption))
    out.append(((FIRST, *(line for _, line, _ in FIRES), *KEPT, LAST), None))
    return tuple(out)


@cache
def _paragraphs() -> tuple[str, ...]:
    """Every distinct paragraph and caption of `_bodies`."""
    seen = {p for paragraphs, _ in _bodies() for p in paragraphs}
    seen.update(caption for _, caption in _bodies() if caption)
    return tuple(sorted(seen))


def _pages() -> list[tuple[str, bytes]]:
    """(URL, HTML) of every saved page: golden pages, saved home pages, the test sites, benchmark pages."""
    pages = [(golden.url, golden.html()) for golden in goldens()]
    for name, url in (("beritamanado_2020_home", "https://beritamanado.com/"),
                      ("merdeka_2020_home", "https://www.merdeka.com/")):
        pages.append((url, gzip.decompress((FIXTURES / "listings" / f"{name}.html.gz").read_bytes())))
    for path in sorted(SITES.rglob("*.html")):
        relative = path.relative_to(SITES).as_posix().removesuffix("index.html")
        pages.append((f"http://127.0.0.1:8123/{relative}", path.read_bytes()))
    pages += list(_bench_site().pages.items())[:40]
    return [(url if url.startswith("http") else BENCH_BASE + url, body) for url, body in pages]


# Links that take each short cut, the general path, or give no URL.
EDGE_HREFS: tuple[str, ...] = (
    "", " ", "#", "#top", "  #x", "/", "//", "///", "?", "?page=2", "??", "?#", "/?", "/#", "/x?", "/x?#y", "/x#",
    "/x?hal+aman=2", "/x?hal%20aman=3", "/x?p%25=4", "/x?=5", "/x?page=%32", "/x?page=\u00b2",
    "a", "./a", "../a", "../../../a", "/a/./b", "/a/../b", "/a/b/..", "/a/b/.", "/.", "/..", "a/..", ".", "..",
    "/a//b", "/a/b/", "//example.com", "//example.com/a b", "//EXAMPLE.com:8080/x?y#z", "///x",
    "http://example.com", "http://example.com/", "HTTP://Example.COM/A", "Http://x.id/a", "Https://X.ID",
    "hTtPs://x.id/a?b=c#d", "http:/x", "http:x", "https://", "https:///x", "http://:80/", "http://@x/",
    "http://u:p@x.id/a", "http://x.id:/a", "http://x.id:0/", "http://x.id:65535/", "http://x.id:65536/",
    "http://x.id:99999/", "http://x.id:-1/", "http://x.id:\uff18\uff10/", "http://x.id:8a/", "http://[::1]/a",
    "http://[::1]:8080/a", "http://[::1/a", "http://::1]/a", "http://[zz]/a", "http://x.id/a;b", "http://x.id/a;",
    "http://x.id/a;b?c;d", "/a;b", "/a;", "http://x.id/%41%2f%2F%20%zz%", "/tag/Donald Trump", "/tag/Donald%20Trump",
    "/tag/Donald+Trump", "/tag/donald%2Btrump", "/tag/Donald Trump?q=a b#c d", "/a /b ", "/\u00e9", "/%C3%A9",
    "/%E9", "http://ex\u00e4mple.id/a", "http://x.id/a\tb", "http://x.id/a\nb", "\thttp://x.id/a", "http://x.id/a\r",
    "\x00http://x.id/", "http://x.id/\x00", "http://x.id/a b?c d#e f", "http://x.id/a\\b", "/a\\b",
    'http://x.id/a|b^c`d{e}f<g>h"i', "http://x.id/?q=a b", "http://x.id/?q=%zz&x=\u00e9", "http://x.id/~user/_-.",
    "http://x.id/!$&'()*+,=:@", "http://x.id/a/../b/./c", "javascript:void(0)", "JavaScript:alert(1)",
    "mailto:x@y.id", "tel:+62123", "data:image/png;base64,AAAA", "ftp://x.id/a", "file:///etc/passwd", "ws://x.id/",
    "x:y", "1http://x.id/", "java\nscript:x", "\x00javascript:x", "http://x.id/" + "a" * 2100, "/" + "a" * 2047,
    "/" + "a" * 2048, "http://x.id/\u2100", "http://\u2100.id/", "http://x.id\u3002com/", "http://x.id/#/hash/route",
    "http://x.id/a?b#c?d", "http://x.id?x", "http://x.id#x", "http://x.id?", "http://X.ID.:80/A",
    "http://x.id/a?b\nc", "http://x.id/?q=a\tb#x", "http://x.id/a#b\nc", "http://x.id:80abc/", "http://x.id:/a?b",
)
BASES: tuple[str, ...] = (
    "https://zonajakarta.pikiran-rakyat.com/internasional/pr-18808737/walau-kena?page=2#x",
    "http://127.0.0.1:1/artikel/1", "http://127.0.0.1:1", "HTTPS://Example.COM:8080/a/b/", "https://example.id",
    "https://example.id/a/b?c#d", "https://u:p@example.id/a/", "http://[::1]:8080/x/", "", " ", "/relative/base",
    "mailto:x@y.id", "ftp://example.com/dir/", "http://[::1", "http://a:99999/", "http://a:x/", "http:///x",
    "http://\u2100.id/", "\thttp://example.id/a",
)


@cache
def _hrefs() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every distinct href and src of the saved pages, and EDGE_HREFS; every page URL)."""
    hrefs: set[str] = set(EDGE_HREFS)
    urls: list[str] = []
    for url, body in _pages():
        urls.append(url)
        sel = Selector(body=body, type="html", encoding="utf-8")
        hrefs.update(sel.xpath("//@href | //@src | //@data-src").getall())
    return tuple(sorted(hrefs)), tuple(urls)


def _same_clean(paragraphs: list[str], caption: str | None = None) -> None:
    got = boilerplate.clean(list(paragraphs), caption=caption)
    want = _reference_clean(list(paragraphs), caption=caption)
    assert (got.paragraphs, got.dateline, got.fields, dict(got.fired)) == (
        want.paragraphs, want.dateline, want.fields, dict(want.fired),
    ), (paragraphs, caption)


def _same_rules(lines: list[str], rules: tuple[boilerplate.Rule, ...], reference: tuple[_Rule, ...]) -> None:
    got = boilerplate.clean(lines, rules=rules)
    want = _reference_clean(lines, rules=reference)
    assert (got.paragraphs, got.dateline, got.fields, dict(got.fired)) == (
        want.paragraphs, want.dateline, want.fields, dict(want.fired),
    ), (lines, [r.name for r in rules])


def _pattern_words(rule: _Rule | boilerplate.Rule) -> list[str]:
    """The literal words of a frozen pattern ("editor", "sumber foto", "google news", "©"), and EXTRA_WORDS."""
    source = re.sub(r"\\.", "|", rule.pattern.pattern)  # escapes: \s, \b, \[, ...
    source = re.sub(r"\(\?P<\w+>|\{\d*,?\d*\}|\[[^\]]*\]", "|", source)  # group names, counts, classes
    words = {w.strip() for w in re.split(r"[|()?*+^$.\\:]+", source)}
    return sorted(w for w in words if w and not w.isdigit()) + list(EXTRA_WORDS)


# Words the extraction above splits or cannot see: optional parts, alternatives inside a phrase, STRIP ends.
EXTRA_WORDS = (
    "follow us", "follow kami", "tag", "sumber berita", "baca juga", "simak video", "read also", "artikel ini",
    "berita ini", "jum'at", "jumat", "dok.", "***", "©", "}", ")", "(dmr)", "(bgs/rul)", "title-x",
)
# Lines around a trigger word: where the rules look for it (opening, after a colon, after a slash, ...).
TEMPLATES: tuple[str, ...] = (
    "{w}", "0 {w}", "{w}: Rany Puspitasari", "{w} : Rany", "  {w} - Rany", "({w}) Rany", "({w}: Rany)", "[{w}:x]",
    "Taylor Swift memberikan standing ovation. {w}: Grammy", "Petugas memeriksa emisi {w} /Radar Bogor/",
    "Ikuti {w} kami di Google News", "Simak {w} lainnya", "Baca juga {w}", "{w} ini telah tayang di Tribunnews.com",
    "{w} juga: Jalan Pajajaran", "Kamis, 05 {w} 2015 | 11:13 WIB", "Warga diminta membaca {w}",
    "Dapatkan update berita pilihan di {w} sekarang", "Akses berita {w} channel: https://x.id",
    "Kalimat penutup berita.*** {w}", "Kalimat penutup,” katanya. {w}", ".{w}{{width:100%}}",
)
# Case variants, including the letters IGNORECASE matches to ASCII ones (dotted I, long s, Kelvin sign).
VARIANTS = (str, str.upper, str.title, lambda s: s.replace("i", "\u0130"), lambda s: s.replace("s", "\u017f"),
            lambda s: s.replace("k", "\u212a").replace("I", "\u0131"))


# --- boilerplate.clean -----------------------------------------------------------------------------------------------


def test_reference_rules_are_the_module_rules() -> None:
    """The frozen copy holds the same patterns, so a comparison tests the fast paths, not a rule edit."""
    frozen = [(r.name, r.pattern.pattern, r.pattern.flags, r.action, r.field, r.max_len) for r in _REFERENCE_RULES]
    current = [
        (r.name, r.pattern.pattern, r.pattern.flags, r.action.value, r.field, r.max_len) for r in boilerplate.RULES
    ]
    assert current == frozen


def test_clean_matches_reference_on_whole_bodies() -> None:
    bodies = _bodies()
    assert len(bodies) > 100
    for paragraphs, caption in bodies:
        _same_clean(list(paragraphs), caption)
        _same_clean(list(paragraphs))
        # Paragraphs in turn as the caption, so that the caption rule fires inside the body.
        for paragraph in paragraphs[:6]:
            _same_clean(list(paragraphs), paragraph)


def test_clean_matches_reference_on_every_paragraph() -> None:
    paragraphs = _paragraphs()
    assert len(paragraphs) > 1000
    for paragraph in paragraphs:
        # First (where the dateline is read and CUT rules never cut) and in the middle.
        _same_clean([paragraph, LAST])
        _same_clean([FIRST, paragraph, LAST])
        # As its own caption, and as captions that fold, or nearly fold, to it.
        _same_clean([FIRST, paragraph], paragraph)
        _same_clean([FIRST, paragraph], re.sub(r"\W", "!", paragraph).upper())
        _same_clean([FIRST, paragraph], paragraph[1:])
        # Its end alone: the STRIP rules read paragraph ends, which long paragraphs keep from other rules.
        _same_clean([FIRST, paragraph[-60:], LAST])


@pytest.mark.parametrize("reference", _REFERENCE_RULES, ids=[r.name for r in _REFERENCE_RULES])
def test_each_rule_alone_matches_reference(reference: _Rule) -> None:
    """One rule at a time, so that no other rule covers for a precondition that is too strict."""
    rule = next(r for r in boilerplate.RULES if r.name == reference.name)
    for line in (*_paragraphs(), *(line for _, line, _ in FIRES)):
        for text in (line, line.upper(), line.lower()):
            _same_rules([FIRST, text], (rule,), (reference,))


@pytest.mark.parametrize("reference", _REFERENCE_RULES, ids=[r.name for r in _REFERENCE_RULES])
def test_each_rule_alone_matches_reference_on_its_own_words(reference: _Rule) -> None:
    """Every literal word of a rule's pattern, in many lines and cases, gives what the reference gives.

    The words come from the frozen patterns, not from the rules' preconditions, so a word that a
    precondition leaves out is found.
    """
    rule = next(r for r in boilerplate.RULES if r.name == reference.name)
    fired = 0
    for word in _pattern_words(reference):
        for template in TEMPLATES:
            for variant in VARIANTS:
                text = variant(template.format(w=word))
                _same_rules([FIRST, text], (rule,), (reference,))
                fired += bool(_reference_clean([FIRST, text], rules=(reference,)).fired)
    assert fired, f"no line fired {reference.name}"


@pytest.mark.parametrize("rule", boilerplate.RULES, ids=[r.name for r in boilerplate.RULES])
def test_a_rule_admits_every_paragraph_its_pattern_matches(rule: boilerplate.Rule) -> None:
    """The precondition on its own: never False where the pattern matches (or, for STRIP, finds)."""
    lines = [*_paragraphs(), *(line for _, line, _ in FIRES)]
    lines += [variant(template.format(w=word)) for word in _pattern_words(rule) for template in TEMPLATES
              for variant in VARIANTS]
    matched = 0
    for text in lines:
        found = rule.pattern.search(text) if rule.action is boilerplate.Action.STRIP else rule.pattern.match(text)
        if found:
            matched += 1
            assert rule.admits(text, boilerplate._fold_case(text)), text
    assert matched


def test_a_custom_rule_without_preconditions_is_always_tried() -> None:
    pattern = re.compile(r"^.*\bhapus\b.*$", re.IGNORECASE)
    custom = boilerplate.Rule("hapus", pattern, boilerplate.Action.DROP)
    lines = [FIRST, "Tolong HAPUS baris ini.", LAST]
    assert boilerplate.clean(lines, rules=(custom,)).paragraphs == [FIRST, LAST]
    _same_rules(lines, (custom,), (_Rule("hapus", pattern, _Action.DROP),))
    strip = re.compile(r"\s*\[\d+\]$")
    _same_rules(
        [FIRST, "Kalimat dengan catatan [12]", LAST],
        (boilerplate.Rule("note", strip, boilerplate.Action.STRIP),),
        (_Rule("note", strip, _Action.STRIP),),
    )
    # A custom tuple of the module's rules, in another order, reads as its reference does.
    reordered = tuple(reversed(boilerplate.RULES))
    for paragraphs, caption in _bodies()[:20]:
        got = boilerplate.clean(list(paragraphs), caption=caption, rules=reordered)
        want = _reference_clean(list(paragraphs), caption=caption, rules=tuple(reversed(_REFERENCE_RULES)))
        assert (got.paragraphs, got.fields, dict(got.fired)) == (want.paragraphs, want.fields, dict(want.fired))


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

    Starts and hints are looked for in `_fold_case` text, so every character they may hold (lower-case
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
            assert boilerplate._fold_case(match.group()) == char, (char, hex(ord(match.group())))
            if char in ends or not char.isascii():
                assert match.group() == char, (char, hex(ord(match.group())))


# Rule trigger words from the frozen patterns, lines as pages write them, and separators.
TRIGGERS: tuple[str, ...] = (
    *sorted({w for rule in _REFERENCE_RULES for w in _pattern_words(rule)}),
    *(line for _, line, _ in FIRES),
    "BACA JUGA >> ", "Lihat Juga :", "* * *", ".x{a:b}", " #id > p.c{}", "JAKARTA, KOMPAS.com - ", "Jakarta -",
    "KLIK BANGGAI - ", "TRIBUNSOLO.COM, SOLO -- ", "\u0130", "\u0131", "\u017f", "\u212a", "\u03a3", "\u00df", "“", "”",
    "–", "—", "\u00a0", "\n", "\t", " ", ".", ",", ":", "/", "(", ")", "[", "]", "{", "}", "*", "-", "warga", "desa",
)
CASES = st.sampled_from((*VARIANTS[:3], str.lower, str.swapcase))
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
def test_clean_matches_reference_on_generated_text(paragraphs: list[str], caption: str | None) -> None:
    _same_clean(paragraphs, caption)
    for paragraph in paragraphs:
        _same_clean([FIRST, paragraph], caption=paragraph)


@GENERATED
@given(PARAGRAPH)
def test_each_rule_alone_matches_reference_on_generated_text(text: str) -> None:
    for rule, reference in zip(boilerplate.RULES, _REFERENCE_RULES, strict=True):
        _same_rules([FIRST, text], (rule,), (reference,))
        found = rule.pattern.search(text) if rule.action is boilerplate.Action.STRIP else rule.pattern.match(text)
        assert not found or rule.admits(text, boilerplate._fold_case(text))


# --- links -----------------------------------------------------------------------------------------------------------


def test_absolute_matches_reference_on_every_saved_link() -> None:
    hrefs, urls = _hrefs()
    assert len(hrefs) > 5000
    for base in (*BASES, *urls[::15]):
        for href in hrefs:
            assert links.absolute(href, base) == _reference_absolute(href, base), (href, base)
    # Each page's links against the page itself, as the crawl resolves them.
    for url, body in _pages():
        for href in Selector(body=body, type="html", encoding="utf-8").xpath("//@href | //@src").getall():
            assert links.absolute(href, url) == _reference_absolute(href, url), (href, url)
    assert links.absolute(None, BASES[0]) is None


def _url_candidates() -> list[str]:
    hrefs, urls = _hrefs()
    resolved = {_reference_absolute(h, b) for b in (urls[0], BASES[0], BASES[3]) for h in hrefs}
    return sorted({*hrefs, *urls, *BASES, *(u for u in resolved if u)})


def _same_url_helpers(url: str) -> None:
    assert links.host_of(url) == _reference_host_of(url), url
    try:
        want = _reference_path_query(url)
    except ValueError:
        with pytest.raises(ValueError):
            links.path_query(url)
    else:
        assert links.path_query(url) == want, url
    for profile in PROFILES:
        assert links.canonical_url(url, profile) == _reference_canonical_url(url, profile), (url, profile.name)
        try:
            page = _reference_page_number(url, profile)
        except ValueError:
            with pytest.raises(ValueError):
                links.page_number(url, profile)
        else:
            assert links.page_number(url, profile) == page, (url, profile.name)


def test_url_helpers_match_reference_on_every_saved_link() -> None:
    candidates = _url_candidates()
    assert len(candidates) > 10000
    for url in candidates:
        _same_url_helpers(url)


URL_TOKENS = (
    "http://", "https://", "HTTP://", "Http://", "hTtPs://", "//", "javascript:", "mailto:", "tel:", "ftp://", "[",
    "]", "::1", "localhost", "LocalHost", "www.", "amp.", "m.", "portal.example", "x.id", ":", "80", "8080", "65536",
    "99999999", "-1", "@", "/", "/", "/", "./", "../", ".", "..", "?", "?", "#", "&", "=", ";", "+", "utm_source",
    "page", "page=", "page=2", "page=all", "hal aman=3", "p%=2", "amp", "/amp/", "/amp", "single=1", "p=1234", "%",
    "%zz", "%2F", "%20", "%41", "pr-123", "tag", " ", "\t", "\n", "\x00", "\u00e9", "\u0130", "\u2100", "\u00a0", "a",
    "B", "0", "~", "!", "$", "'", "(", ")", "*", ",",
)
URLISH = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(URL_TOKENS), max_size=20).map("".join))


@GENERATED
@given(URLISH, st.one_of(st.sampled_from(BASES), URLISH))
@example("/a b", "http://127.0.0.1:1")
@example("http://x.id:08/", "http://y.id/")
@example("http://x.id/a;", "http://y.id/")
@example("http://x.id/a;", "https://y.id/")
@example("/?hal+aman=3&hal%20aman=4", "http://x.id/")
def test_url_helpers_match_reference_on_generated_urls(href: str, base: str) -> None:
    url = links.absolute(href, base)
    assert url == _reference_absolute(href, base)
    for candidate in (href, base, url or ""):
        _same_url_helpers(candidate)
