"""Build tests/sites/families/<family>/: one tiny offline portal per network family, in its current markup.

Each site has a home page (with the family's asset hosts, as real home pages have) linking to two
articles: a short one, and a long one split into two pages whose whole text only the family's
single-page view (``?page=all``, ``?single=1``) or the page chain gives. Pages use ``{{BASE}}``
for the origin (see serve.py). The markup follows what is known of each family's 2024-26 pages
(tests/fixtures/PROVENANCE.md); the text is written for these tests. Run to regenerate:

    python tests/sites/build_families.py
"""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "families"

P1 = [
    "Pemerintah daerah menyiapkan 12 posko pengungsian setelah banjir merendam ratusan rumah warga sejak Senin.",
    "Kepala pelaksana badan penanggulangan bencana mengatakan ketinggian air di beberapa desa mencapai satu meter.",
    "Petugas gabungan mengevakuasi warga lanjut usia dan anak-anak menggunakan perahu karet sejak pagi.",
]
P2 = [
    "Dapur umum didirikan di halaman kantor kecamatan untuk melayani sekitar 900 pengungsi tiga kali sehari.",
    "Dinas kesehatan menurunkan tim medis untuk memeriksa warga yang mulai mengeluhkan gatal dan demam.",
    "Bupati meminta warga tetap waspada karena hujan deras diperkirakan masih turun hingga akhir pekan.",
]
SHORT = [
    "Harga cabai rawit di pasar tradisional naik menjadi Rp 80.000 per kilogram dalam sepekan terakhir.",
    "Pedagang menyebut pasokan dari sentra produksi berkurang karena cuaca buruk dan gagal panen di beberapa daerah.",
    "Dinas perdagangan berencana menggelar operasi pasar di lima kecamatan mulai pekan depan.",
]


@dataclass(frozen=True)
class Article:
    path: str
    title: str
    iso: str  # datePublished as the family's JSON-LD writes it
    shown: str  # the date as the page shows it
    dateline: str
    paragraphs: list[str]
    more: list[str]  # text of page 2 ("" = one page)


def _jsonld(a: Article, author: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title, "datePublished": a.iso,
            "author": {"@type": "Person", "name": author}}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def _head(a: Article, author: str, extra: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{html.escape(a.title)}</title>'
            f'<meta property="og:title" content="{html.escape(a.title)}">'
            f'<link rel="canonical" href="{{{{BASE}}}}{a.path}">{_jsonld(a, author)}{extra}</head><body>')


def _ps(paragraphs: list[str], baca: str = "") -> str:
    out = [f"<p>{html.escape(p)}</p>" for p in paragraphs]
    if baca:
        out.insert(1, baca)
    return "".join(out)


def _write(site: Path, path: str, name: str, text: str) -> None:
    folder = site / path.strip("/")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def _home(site: Path, links: list[Article], assets: str) -> None:
    items = "".join(f'<li class="item"><a href="{a.path}">{html.escape(a.title)}</a></li>' for a in links)
    site.mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text(
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Beranda</title>{assets}</head>'
        f'<body><h2>Berita Terkini</h2><ul class="latest">{items}</ul></body></html>', encoding="utf-8")


def _first(a: Article) -> list[str]:
    return [f"{a.dateline} - {a.paragraphs[0]}", *a.paragraphs[1:]]


# --- families ----------------------------------------------------------------------------------


def prmn_like(site: Path, articles: list[Article], assets: str) -> None:
    """PRMN and Radar: read__* template, pages chained with ?page=N, Editor/Sumber closing page 1..N."""
    for a in articles:
        pager = ""
        if a.more:
            pager = ('<div class="paging paging--article"><div class="paging__wrap">'
                     f'<a class="paging__link paging__link--active" href="{a.path}">1</a>'
                     f'<a class="paging__link" href="{a.path}?page=2">2</a></div></div>')
        def page(body: str, a: Article = a, pager: str = pager) -> str:
            return (_head(a, "Dede Supriadi", assets) + f'<h1 class="read__title">{html.escape(a.title)}</h1>'
                    '<div class="read__info"><div class="read__info__author"><a href="/author/dede">Dede Supriadi</a>'
                    f'</div><div class="read__info__date">- {a.shown}</div></div>'
                    f'<article class="read__content">{body}</article>{pager}'
                    '<section class="read__tagging"><ul class="tag__list"><li><h4><a href="/tag/banjir">banjir</a>'
                    '</h4></li></ul></section></body></html>')
        baca = ('<p><strong class="read__others">Baca Juga: <a href="/nasional/pr-0100000001/berita-lain">'
                'Berita Lain</a></strong></p>')
        last = "<p>Editor: Rany Puspitasari</p>" if not a.more else ""
        _write(site, a.path, "index.html", page(_ps(_first(a), baca) + last))
        if a.more:
            _write(site, a.path, "page-2.html", page(_ps(a.more) + "<p>Editor: Rany Puspitasari</p>"))
    _home(site, articles, assets)


def tribun(site: Path, articles: list[Article], assets: str) -> None:
    """Tribun: h1#arttitle, time[datetime], div.side-article.txt-article, "Halaman 1/2", ?page=all."""
    for a in articles:
        def page(body: str, pager: str, a: Article = a) -> str:
            return (_head(a, "Rahdyan Trijoko", assets) + '<div id="article">'
                    f'<h1 id="arttitle">{html.escape(a.title)}</h1><div id="penulis">Penulis: <a href="/penulis/r">'
                    'Rahdyan Trijoko</a></div><div id="editor">Editor: <a href="/editor/x">Muhammad Olies</a></div>'
                    f'<div class="grey bdr3 pb10 pt10"><time datetime="{a.iso[:19].replace("T", " ")}">'
                    f'<span>{a.shown}</span></time></div>'
                    f'<div class="side-article txt-article multi-fontsize">{body}</div>{pager}'
                    '<div class="tagcloud3"><a href="/tag/banjir">banjir</a></div></div></body></html>')
        baca = f'<p class="baca">Baca juga: <a href="{a.path}-lain">Berita lain</a></p>'
        text = _ps([f"{a.dateline} -- {a.paragraphs[0]}", *a.paragraphs[1:]], baca)
        if a.more:
            pager = (f'<div class="paging"><a id="pagecurrent" href="{a.path}">1</a><a href="{a.path}?page=2">2</a>'
                     f'<a href="{a.path}?page=all">Tampilkan semua</a></div><div class="mb10">Halaman 1/2</div>')
            _write(site, a.path, "index.html", page(text, pager))
            _write(site, a.path, "page-2.html", page(_ps(a.more), pager.replace("Halaman 1/2", "Halaman 2/2")))
            _write(site, a.path, "page-all.html", page(text + _ps(a.more), ""))
        else:
            _write(site, a.path, "index.html", page(text, ""))
    _home(site, articles, assets)


def detik(site: Path, articles: list[Article], assets: str) -> None:
    """detik: article.detail, detail__body-text, linksisip, parallax ads, ?single=1."""
    for a in articles:
        def page(body: str, nav: str, a: Article = a) -> str:
            stamp = a.iso[:19].replace("-", "/").replace("T", " ")
            return (_head(a, "Afzal Nur Iman", assets + f'<meta name="dtk:publishdate" content="{stamp}">')
                    + f'<article class="detail"><h1 class="detail__title">{html.escape(a.title)}</h1>'
                    '<div class="detail__author">Afzal Nur Iman - detikJateng</div>'
                    f'<div class="detail__date">{a.shown}</div>'
                    f'<div class="detail__body-text itp_bodycontent">{body}{nav}'
                    '<div class="detail__body-tag"><a class="nav__item" href="/tag/banjir">banjir</a></div>'
                    '</div></article></body></html>')
        ads = ('<div class="parallaxindetail"><p>ADVERTISEMENT</p><p>SCROLL TO CONTINUE WITH CONTENT</p></div>'
               '<table class="linksisip"><tr><td><div class="lihatjg">Baca juga:</div>'
               '<a href="/jateng/berita/d-7000001/berita-lain">Berita lain</a></td></tr></table>')
        text = f"<strong>{a.dateline}</strong> - " + _ps(a.paragraphs[:1]) + ads + _ps(a.paragraphs[1:])
        tail = "<p>(apu/apu)</p>"
        if a.more:
            nav = (f'<div class="detail__long-nav"><a class="detail__anchor-numb" href="{a.path}?page=2">2</a>'
                   f'<a href="{a.path}?single=1">Tampilkan semua</a></div>')
            _write(site, a.path, "index.html", page(text, nav))
            _write(site, a.path, "page-2.html", page(_ps(a.more) + tail, nav))
            _write(site, a.path, "single.html", page(text + _ps(a.more) + tail, ""))
        else:
            _write(site, a.path, "index.html", page(text + tail, ""))
    _home(site, articles, assets)


def kompas(site: Path, articles: list[Article], assets: str) -> None:
    """Kompas: read__title/read__time/read__content, inner Baca juga links, promo lines, ?page=all."""
    for a in articles:
        def page(body: str, pager: str, a: Article = a) -> str:
            return (_head(a, "Titis Anis Fauziyah", assets) + f'<h1 class="read__title">{html.escape(a.title)}</h1>'
                    f'<div class="read__time">Kompas.com, {a.shown}</div>'
                    f'<div class="read__content"><div class="clearfix">{body}</div></div>{pager}'
                    '<div class="read__credit"><div id="penulis">Penulis <a href="/p">Titis Anis Fauziyah</a></div>'
                    '<div id="editor">Editor <a href="/e">Gloria Setyvani Putri</a></div></div>'
                    '<ul class="tag__article__wrap"><li><a class="tag__article__link" href="/tag/banjir">banjir</a>'
                    '</li></ul></body></html>')
        baca = ('<p><strong>Baca juga: </strong><a class="inner-link-baca-juga" '
                'href="/read/2026/02/20/101000178/berita-lain">Berita Lain</a></p>')
        promo = ("<p>Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu "
                 "akses berita Kompas.com WhatsApp Channel : https://www.whatsapp.com/channel/0029VaFPbedBPzjZ. "
                 "Pastikan kamu sudah install aplikasi WhatsApp ya.</p>")
        text = _ps([f"{a.dateline}, KOMPAS.com - {a.paragraphs[0]}", *a.paragraphs[1:]], baca)
        if a.more:
            pager = (f'<div class="read__paging"><a class="paging__link" href="{a.path}?page=2">2</a>'
                     f'<a class="paging__link" href="{a.path}?page=all">Baca dalam satu halaman</a></div>')
            _write(site, a.path, "index.html", page(text, pager))
            _write(site, a.path, "page-2.html", page(_ps(a.more) + promo, pager))
            _write(site, a.path, "page-all.html", page(text + _ps(a.more) + promo, ""))
        else:
            _write(site, a.path, "index.html", page(text + promo, ""))
    _home(site, articles, assets)


def suara(site: Path, articles: list[Article], assets: str) -> None:
    """Suara: h1, author + time, article.detail-content with Baca Juga boxes, ?page=all."""
    for a in articles:
        def page(body: str, pager: str, a: Article = a) -> str:
            return (_head(a, "Galih Priatmojo", assets + '<meta property="og:site_name" content="SuaraJogja.id">')
                    + f'<div class="info"><h1>{html.escape(a.title)}</h1><div class="writer"><span>Galih Priatmojo'
                    f'</span></div><div class="date-article"><time>{a.shown}</time></div></div>'
                    f'<article class="detail-content">{body}</article>{pager}'
                    '<div class="tag-header"><a href="/tag/banjir">banjir</a></div></body></html>')
        baca = ('<div class="baca-juga-new">Baca Juga: <a href="/read/2026/02/20/101010/berita-lain">'
                'Berita Lain</a></div>')
        text = _ps([f"SuaraJogja.id - {a.paragraphs[0]}", *a.paragraphs[1:]], baca)
        if a.more:
            pager = (f'<div class="pagination"><a href="{a.path}?page=2">2</a>'
                     f'<a href="{a.path}?page=all">Tampilkan semua</a></div>')
            _write(site, a.path, "index.html", page(text, pager))
            _write(site, a.path, "page-2.html", page(_ps(a.more), pager))
            _write(site, a.path, "page-all.html", page(text + _ps(a.more), ""))
        else:
            _write(site, a.path, "index.html", page(text, ""))
    _home(site, articles, assets)


def generic(site: Path, articles: list[Article], assets: str) -> None:
    """A WordPress (JNews + Yoast) site: +00:00 times that are really local, a JNews Baca Juga box."""
    for a in articles:
        yoast = a.iso[:19] + "+00:00"
        meta = (f'<meta property="article:published_time" content="{yoast}">'
                '<meta name="generator" content="WordPress 6.4">')
        body = _ps(_first(a) + a.more, '<div class="jnews_inline_related_post"><p>Baca Juga: '
                   '<a href="/2026/02/20/berita-lain/">Berita lain</a></p></div>')
        _write(site, a.path, "index.html",
               f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{html.escape(a.title)}</title>'
               f'{meta}{assets}</head><body><h1 class="jeg_post_title">{html.escape(a.title)}</h1>'
               f'<div class="jeg_meta_date"><a href="{a.path}">{a.shown}</a></div>'
               f'<div class="jeg_meta_author">Oleh <a href="/author/sinta">Sinta Dewi</a></div>'
               f'<div class="content-inner">{body}<div class="jeg_share_button">Bagikan: Facebook Twitter WhatsApp'
               '</div></div><div class="jeg_post_tags"><a href="/tag/banjir/" rel="tag">banjir</a></div></body></html>')
    _home(site, articles, assets)


FAMILIES = {
    "prmn": (prmn_like, "/nasional/pr-0123456789/banjir-rendam-ratusan-rumah",
             "/ekonomi/pr-0123456790/harga-cabai-naik",
             "2026-02-24T08:50:00+07:00", "Selasa, 24 Februari 2026 | 08:50 WIB", "KABAR DEMAK",
             ('<link rel="stylesheet" href="https://assets.pikiran-rakyat.com/css/app.css">'
             '<img src="https://assets.pikiran-rakyat.com/logo.png" alt="">')),
    "radar": (prmn_like, "/bogor/2145678901/banjir-rendam-ratusan-rumah", "/ekonomi/2145678902/harga-cabai-naik",
              "2026-02-24T08:50:00+07:00", "Selasa, 24 Februari 2026 | 08:50 WIB", "BOGOR",
              ('<meta property="og:site_name" content="Radar Bogor">'
              '<link rel="stylesheet" href="https://radarbogor.jawapos.com/css/app.css">')),
    "tribun": (tribun, "/2026/02/24/banjir-rendam-ratusan-rumah", "/2026/02/24/harga-cabai-naik",
               "2026-02-24T08:50:00+07:00", "Selasa, 24 Februari 2026 08:50 WIB", "TRIBUNJATENG.COM, DEMAK",
               ('<link rel="stylesheet" href="https://cdn-1.tstatic.net/css/app.css">'
               '<img src="https://cdn-2.tstatic.net/logo.png" alt="">')),
    "detik": (detik, "/jateng/berita/d-7123456/banjir-rendam-ratusan-rumah",
              "/jateng/berita/d-7123457/harga-cabai-naik",
              "2026-02-24T08:50:00+07:00", "Selasa, 24 Feb 2026 08:50 WIB", "Demak",
              ('<script src="https://cdn.detik.net.id/libs/app.js"></script>'
              '<img src="https://images.detik.com/logo.png" alt="">')),
    "kompas": (kompas, "/read/2026/02/24/085000178/banjir-rendam-ratusan-rumah",
               "/read/2026/02/24/090000178/harga-cabai-naik", "2026-02-24T08:50:00+07:00",
               "24 Februari 2026, 08:50 WIB", "DEMAK",
               ('<img src="https://asset.kompas.com/logo.png" alt="">'
                '<img src="https://assets.kompas.com/x.png" alt="">')),
    "suara": (suara, "/read/2026/02/24/085000/banjir-rendam-ratusan-rumah", "/read/2026/02/24/090000/harga-cabai-naik",
              "2026-02-24T08:50:00+07:00", "Selasa, 24 Februari 2026 | 08:50 WIB", "",
              ('<img src="https://media.suara.com/logo.png" alt="">'
              '<a href="https://www.suara.com/tag/banjir">suara.com</a>')),
    "generic": (generic, "/2026/02/24/banjir-rendam-ratusan-rumah/", "/2026/02/24/harga-cabai-naik-di-pasar/",
                "2026-02-24T08:50:00+07:00", "24 Februari 2026 08:50", "DEMAK", ""),
}


def build(root: Path = ROOT) -> dict[str, dict[str, dict[str, str]]]:
    """Write every family site under `root`; return what each article must come out as."""
    expected: dict[str, dict[str, dict[str, str]]] = {}
    for family, (writer, long_path, short_path, iso, shown, dateline, assets) in FAMILIES.items():
        site = root / family
        if site.exists():
            shutil.rmtree(site)
        long_ = Article(long_path, "Banjir Rendam Ratusan Rumah, 900 Warga Mengungsi", iso, shown, dateline, P1, P2)
        short_title = "Harga Cabai Rawit Naik Jadi Rp 80.000 per Kilogram"
        short = Article(short_path, short_title, iso, shown, dateline, SHORT, [])
        writer(site, [long_, short], assets)
        expected[family] = {
            long_.path: {"title": long_.title, "body": "\n\n".join(P1 + P2)},
            short.path: {"title": short.title, "body": "\n\n".join(SHORT)},
        }
    (root / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return expected


if __name__ == "__main__":
    build()
