"""Rebuild the corpus of tests/test_fastpaths.py and check, or rewrite, its stored outputs.

tests/reference/fastpaths.json.gz holds what `newscrawl.extract.boilerplate.clean` and the URL
helpers of `newscrawl.extract.links` (absolute, host_of, path_query, page_number, canonical_url)
gave on a fixed corpus: every paragraph, body and link of the golden pages (tests/fixtures), the
saved sites (tests/sites) and the benchmark portal, the rule lines of tests/test_boilerplate.py,
hand-written edge cases, and a seeded generated set built from the rules' words. The test replays
the stored inputs, so that a fast path that changes an output fails it.

This script builds the corpus from those sources, computes the module's outputs now, and prints
how they differ from the stored file: inputs added or removed, and each call whose output changed,
stored -> now. It exits 1 when anything differs. It never overwrites the file unless asked:

    python scripts/regen_reference.py            # check: exit 0 when the file is current, else 1
    python scripts/regen_reference.py --write    # rewrite it, after review

(It reads the newscrawl and tests of its own checkout, whatever the current directory.)

An intentional rule change (a boilerplate rule, a family's amp_rewrite or keep_query, a new golden
page) means: run it, review every difference it prints (each must be what the change intends),
run it with --write, and commit the new file with a line in the commit message saying which
rule changed and what the differences were.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_site import build_site
from golden import FIXTURES, goldens
from parsel import Selector

from newscrawl.extract import boilerplate, links
from newscrawl.extract.article import extract_article
from newscrawl.networks import get_profile
from tests import fastpaths_reference as ref
from tests.fastpaths_reference import conclude
from tests.test_boilerplate import FIRES, FIRST, KEPT, LAST

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "tests" / "sites"
BENCH_BASE = "http://127.0.0.1:1"
SEED = 2024
# How many generated lines and links: as many as each property test they replace drew (600); fewer bodies,
# each several lines long, to keep the stored file small.
GENERATED = 600
GENERATED_BODIES = 400

# Links that take each short cut of `links.absolute`, its general path, or give no URL.
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

# Lines around a trigger word: where the rules look for it (opening, after a colon, after a slash, ...).
TEMPLATES: tuple[str, ...] = (
    "{w}", "0 {w}", "{w}: Rany Puspitasari", "{w} : Rany", "  {w} - Rany", "({w}) Rany", "({w}: Rany)", "[{w}:x]",
    "Taylor Swift memberikan standing ovation. {w}: Grammy", "Petugas memeriksa emisi {w} /Radar Bogor/",
    "Ikuti {w} kami di Google News", "Simak {w} lainnya", "Baca juga {w}", "{w} ini telah tayang di Tribunnews.com",
    "{w} juga: Jalan Pajajaran", "Kamis, 05 {w} 2015 | 11:13 WIB", "Warga diminta membaca {w}",
    "Dapatkan update berita pilihan di {w} sekarang", "Akses berita {w} channel: https://x.id",
    "Kalimat penutup berita.*** {w}", "Kalimat penutup,” katanya. {w}", ".{w}{{width:100%}}",
)
# Hand-written cases the generated set always holds (found by the property tests it replaces).
BODY_EXAMPLES: tuple[tuple[list[str], str | None], ...] = (
    (["Jakarta -", "Baca juga: x", "Isi berita."], None),
    (["L\u0130HAT JUGA: x", "\u017fimak juga y", "\u0130kuti kami di Google News"], None),
    (["\u039f\u0394\u039f\u03a3 kota", "Kalimat."], "\u03bf\u03b4\u03bf\u03c2 kota"),
    (["\u039f\u0394\u039f\u03a3", "x"], "\u039f\u0394\u039f\u03a3!"),
)
URL_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("/a b", "http://127.0.0.1:1"),
    ("http://x.id:08/", "http://y.id/"),
    ("http://x.id/a;", "http://y.id/"),
    ("http://x.id/a;", "https://y.id/"),
    ("/?hal+aman=3&hal%20aman=4", "http://x.id/"),
)
# The rules' words when the generated set was drawn (pattern_words of every rule). Fixed, so that a rule edit
# does not redraw the generated set: the rules' current words are read by rule_words.
WORDS = (
    "(bgs/rul)", "(dmr)", ")", "***", ",", "/", "<=", "ads", "adv", "advertisement", "ahad", "also", "aplikasi",
    "artikel", "artikel ini", "artikel menarik lainnya", "artikel pilihan", "artikel rekomendasi", "artikel terkait",
    "at", "baca", "baca artikel", "baca artikel lainnya", "baca berita lainnya", "baca dalam satu halaman",
    "baca juga", "baca juga berita lainnya", "bagikan", "berikutnya", "berita", "berita ini", "berita lainnya",
    "berita menarik lainnya", "berita rekomendasi", "berita terkait", "berita terkini", "cek", "channel",
    "channel whatsapp", "comments", "copy", "copyright", "dapatkan", "dari", "dimuat", "diterbitkan", "dok", "dok.",
    "dokumentasi", "download aplikasi", "e-mail", "editor", "email", "embed", "facebook", "fb", "follow",
    "follow kami", "follow us", "foto", "gabung", "gambas", "google news", "grup telegram", "hak cipta", "halaman",
    "iklan", "ikuti", "ilustrasi", "image", "ini", "instagram", "install aplikasi whatsapp", "ious", "jangan lewatkan",
    "juga", "jum'", "jum'at", "jumat", "kabar daerah", "kami", "kamis", "kirim", "komentar", "konten berbayar",
    "konten sponsor", "kontributor", "lainnya", "laporan wartawan", "lihat", "lihat semua", "lihat semua halaman",
    "line", "link", "linkedin", "minggu", "most popular", "news update", "next", "pantau", "penulis", "penyunting",
    "pewarta", "photo", "pilihan editor", "pilihan redaksi", "pinterest", "populer", "populer hari ini", "prev",
    "pula", "rabu", "read", "read also", "read more", "redaktur", "rekomendasi", "rekomendasi berita", "reporter",
    "sabtu", "salin", "saluran", "saluran whatsapp", "screenshot", "scroll to continue with content",
    "scroll to resume content", "sebarkan", "sebelumnya", "see also", "selanjutnya", "selasa", "selengkapnya", "senin",
    "share", "show all", "simak", "simak video", "sponsored", "sudah", "sumber", "sumber berita", "sumber foto",
    "sumber gambar", "tag", "tag terkait", "tags", "tampilkan semua", "tangkapan layar", "tautan", "tayang", "telah",
    "telegram", "telegram channel", "terbit", "terkait", "terkini", "terpopuler", "tiktok", "title-x", "topik",
    "topik pilihan", "trending", "tulis komentar", "twitter", "unduh aplikasi", "untuk anda", "update berita", "us",
    "video", "video pilihan", "wa", "wartawan", "whatsapp", "whatsapp channel", "wib", "wit", "wita", "x", "youtube",
    "}", "©",
)
# What generated text is drawn from: mostly ASCII, and characters the rules and folding treat apart.
ALPHABET = (
    list("aeiknrstuy AEIKSX0189.,:;-/()[]{}*#'\"|>»") * 3
    + list("\t\n\r\x00\x0b\u00a0\u2028\u00e9\u00df\u0130\u0131\u017f\u212a\u03a3\u03c3\u03c2\u00b5\u03bc“”–—©«•")
    + [chr(c) for c in (0x410, 0x627, 0x4E2D, 0x1F600, 0xFB01, 0x2100, 0xFF18, 0x3002, 0x0300)]
)


# --- The sources ------------------------------------------------------------------------------------------------------


def _bodies() -> list[tuple[list[str], str | None]]:
    """(paragraphs, image caption) of every golden page and benchmark article as extracted, and the golden bodies."""
    out: list[tuple[list[str], str | None]] = []
    for golden in goldens():
        page = extract_article(golden.html(), golden.url, get_profile(golden.family))
        out.append((list(page.paragraphs), page.image_caption))
        if golden.expected:
            out.append((golden.expected["body"].split("\n\n"), None))
    site = build_site(60, BENCH_BASE)
    for target in site.article_pages:
        page = extract_article(site.pages[target], BENCH_BASE + target, get_profile("prmn"))
        out.append((list(page.paragraphs), page.image_caption))
    out.append(([FIRST, *(line for _, line, _ in FIRES), *KEPT, LAST], None))
    return out


def _pages() -> list[tuple[str, bytes]]:
    """(URL, HTML) of every saved page: golden pages, saved home pages, the test sites, benchmark pages."""
    pages = [(golden.url, golden.html()) for golden in goldens()]
    for name, url in (("beritamanado_2020_home", "https://beritamanado.com/"),
                      ("merdeka_2020_home", "https://www.merdeka.com/")):
        pages.append((url, gzip.decompress((FIXTURES / "listings" / f"{name}.html.gz").read_bytes())))
    for path in sorted(SITES.rglob("*.html")):
        relative = path.relative_to(SITES).as_posix().removesuffix("index.html")
        pages.append((f"http://127.0.0.1:8123/{relative}", path.read_bytes()))
    pages += list(build_site(60, BENCH_BASE).pages.items())[:40]
    return [(url if url.startswith("http") else BENCH_BASE + url, body) for url, body in pages]


# --- The seeded generated set -----------------------------------------------------------------------------------------


def _text(rng: random.Random, size: int) -> str:
    """Up to `size` characters, short more often than long."""
    return "".join(rng.choices(ALPHABET, k=int(size * rng.random() ** 2)))


def _paragraph(rng: random.Random, triggers: list[str]) -> str:
    """Text, trigger words and text in a case variant, or text between two triggers."""
    shape = rng.randrange(3)
    if shape == 0:
        return _text(rng, 120)
    if shape == 1:
        case = rng.choice([*ref.VARIANTS.values(), str.lower, str.swapcase])
        pieces = (rng.choice(triggers) if rng.random() < 0.6 else _text(rng, 6) for _ in range(rng.randint(0, 16)))
        return case("".join(pieces))
    return rng.choice(triggers) + _text(rng, 300) + rng.choice(triggers)


def _url(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return _text(rng, 80)
    return "".join(rng.choices(ref.URL_TOKENS, k=rng.randint(0, 20)))


def _generated() -> dict[str, list[Any]]:
    """Bodies, lines and links drawn from WORDS, TRIGGER_EXTRAS, TEMPLATES and URL_TOKENS with a fixed seed."""
    rng = random.Random(SEED)  # noqa: S311 - a reproducible corpus, not secrets
    triggers = [*WORDS, *ref.TRIGGER_EXTRAS, *TEMPLATES]
    bodies: list[Any] = [[paragraphs, caption] for paragraphs, caption in BODY_EXAMPLES]
    for _ in range(GENERATED_BODIES):
        paragraphs = [_paragraph(rng, triggers) for _ in range(int(9 * rng.random() ** 2))]
        bodies.append([paragraphs, _paragraph(rng, triggers) if rng.random() < 0.5 else None])
    urls: list[Any] = [list(pair) for pair in URL_EXAMPLES]
    urls += [[_url(rng), rng.choice(BASES) if rng.random() < 0.5 else _url(rng)] for _ in range(GENERATED)]
    return {
        "generated_bodies": bodies,
        "generated_lines": [_paragraph(rng, triggers) for _ in range(GENERATED)],
        "generated_urls": urls,
    }


# --- The corpus, and the reference computed over it -------------------------------------------------------------------


def corpus() -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """(constants, inputs by kind) built from the sources."""
    bodies = _bodies()
    # Every distinct paragraph and caption; the rule lines of tests/test_boilerplate.py are one of the bodies.
    paragraphs = sorted({p for lines, _ in bodies for p in lines} | {c for _, c in bodies if c})
    # Every link of every saved page (and the edge cases), with the pages (positions in `urls`) whose href or src it is.
    on_pages: dict[str, list[int]] = {href: [] for href in EDGE_HREFS}
    urls = []
    for position, (url, body) in enumerate(_pages()):
        urls.append(url)
        selector = Selector(body=body, type="html", encoding="utf-8")
        for href in selector.xpath("//@href | //@src | //@data-src").getall():
            on_pages.setdefault(href, [])
        for href in dict.fromkeys(selector.xpath("//@href | //@src").getall()):
            on_pages[href].append(position)
    hrefs = sorted(on_pages)
    resolved = {links.absolute(h, b) for b in (urls[0], BASES[0], BASES[3]) for h in hrefs}
    constants = {
        "first": FIRST,
        "last": LAST,
        "rules": [rule.name for rule in boilerplate.RULES],
        "templates": list(TEMPLATES),
        "variants": list(ref.VARIANTS),
        "bases": [*BASES, *urls[::15]],
        "pages": urls,
        "profiles": ref.profile_names(),
    }
    inputs = {
        "clean_bodies": [[lines, caption] for lines, caption in bodies],
        "clean_paragraphs": paragraphs,
        "rule_words": [[rule.name, word] for rule in boilerplate.RULES for word in ref.pattern_words(rule)],
        "links": [[href, on_pages[href]] for href in hrefs],
        "urls": sorted({*urls, *BASES, *(url for url in resolved if url)} - set(hrefs)),
        **_generated(),
    }
    return constants, inputs


def compute(constants: dict[str, Any], inputs: dict[str, list[Any]]) -> dict[str, Any]:
    """The reference file's content: the corpus and what the module gives for it now."""
    kinds = {
        kind: {"inputs": values, "rows": [ref.pack(ref.outputs(kind, value, constants)[1]) for value in values]}
        for kind, values in inputs.items()
    }
    return {"constants": constants, "kinds": kinds}


# --- Review -----------------------------------------------------------------------------------------------------------


def _key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def report(stored: dict[str, Any], now: dict[str, Any], shown: int) -> int:
    """Print how `now` differs from `stored`, up to `shown` calls per kind; return how many things differ."""
    count = 0
    if stored["constants"] != now["constants"]:
        count += 1
        for name in sorted(set(stored["constants"]) | set(now["constants"])):
            before, after = stored["constants"].get(name), now["constants"].get(name)
            if before != after:
                print(f"constants.{name}: {json.dumps(before, ensure_ascii=False)[:300]}")
                print(f"        -> {json.dumps(after, ensure_ascii=False)[:300]}")
    for kind in sorted(set(stored["kinds"]) | set(now["kinds"])):
        old = stored["kinds"].get(kind, {"inputs": [], "rows": []})
        new = now["kinds"].get(kind, {"inputs": [], "rows": []})
        old_rows = {_key(v): r for v, r in zip(old["inputs"], old["rows"], strict=True)}
        new_rows = {_key(v): (v, r) for v, r in zip(new["inputs"], new["rows"], strict=True)}
        added = [k for k in new_rows if k not in old_rows]
        removed = [k for k in old_rows if k not in new_rows]
        changed = [k for k in new_rows if k in old_rows and new_rows[k][1] != old_rows[k]]
        order_changed = not (added or removed) and list(old_rows) != list(new_rows)
        if not (added or removed or changed or order_changed):
            continue
        print(f"\n== {kind} ({ref.KINDS[kind].about if kind in ref.KINDS else 'no longer a kind'}): "
              f"{len(added)} inputs added, {len(removed)} removed, {len(changed)} with changed outputs"
              + (", order changed" if order_changed else ""))
        count += len(added) + len(removed) + len(changed) + order_changed
        for label, keys in (("added", added), ("removed", removed)):
            for k in keys[:shown]:
                print(f"  {label}: {k[:200]}")
        differences = [
            d for k in changed for d in ref.differences(kind, new_rows[k][0], old_rows[k], now["constants"])
        ]
        for difference in differences[:shown]:
            print(f"  {difference}")
        if len(differences) > shown:
            print(f"  ... and {len(differences) - shown} more calls")
    return count


def main(argv: list[str]) -> int:
    """Check the stored reference against the module (1 when it differs); --write rewrites it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the stored file (after reviewing the diff)")
    parser.add_argument("--show", type=int, default=20, help="differing calls shown per kind (default: 20)")
    args = parser.parse_args(argv)
    now = compute(*corpus())
    stored = ref.load() if ref.REFERENCE.exists() else {"constants": {}, "kinds": {}}
    code, last = conclude(now, report(stored, now, args.show), write=args.write, path=ref.REFERENCE)
    print(last)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
