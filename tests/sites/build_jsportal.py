"""Build the offline JavaScript-only portal ``tests/sites/jsportal`` (Warta Lembah Demo) and its oracle.

Every page is an empty shell until ``/assets/app.js`` runs: the home page's article list is fetched
from ``/api/terbaru-N.json`` (page 1 at load, later pages by the "Muat lebih banyak" button), the
section ``/kanal/daerah`` appends ``/api/daerah-N.json`` as the reader scrolls (a lazy list behind an
IntersectionObserver), tag pages list ``/api/tag-<slug>-1.json``, and an article's body is fetched
from ``/api/artikel/<slug>.json`` or, for one article, read from JSON inlined in the page. The raw
HTML of a page holds no link to any article, so a crawler without a browser finds nothing.

The ARTICLES below are the single source of truth: ``expected.json`` is written from them, never
read back from HTML, so it checks extraction independently. Images and the web font are referenced
from ``/media/``, which does not exist: a browser that blocks them never asks for it.

Usage::

    python tests/sites/build_jsportal.py          # (re)write tests/sites/jsportal
    python tests/sites/build_jsportal.py --check  # exit 1 if the committed files differ

``build(articles, feeds)`` is also used by benchmarks/bench_render.py to generate larger portals.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

SITE_DIR = Path(__file__).resolve().with_name("jsportal")
SITE_NAME = "Warta Lembah Demo"
DATELINE = "WARTALEMBAH.ID, SALATIGA"
WIB = timezone(timedelta(hours=7))
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
PAGE_SIZE = 4


@dataclass(frozen=True)
class Article:
    slug: str
    published: str  # "2022-10-03 14:30", WIB
    title: str
    author: str
    section: str
    tags: tuple[str, ...]
    caption: str
    paragraphs: tuple[str, ...]
    reachable_via: str  # "home", "load_more", "scroll", "baca_juga", "tag"
    baca_juga: str | None = None  # slug of the article linked after the second paragraph
    inline: bool = False  # body inlined in the page as JSON instead of fetched
    delay_ms: int = 0  # the body appears this long after the page loaded (a "loading" spinner first)
    date_style: str = "long"  # "long": "Senin, 3 Oktober 2022 14:30 WIB"; "pipe": "... | 14:30 WIB"

    @property
    def path(self) -> str:
        when = datetime.fromisoformat(self.published)
        return f"/berita/{when:%Y/%m/%d}/{self.slug}"

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.published).replace(tzinfo=WIB)

    @property
    def visible_date(self) -> str:
        w = self.when
        day = f"{DAYS[w.weekday()]}, {w.day} {MONTHS[w.month - 1]} {w.year}"
        sep = " | " if self.date_style == "pipe" else " "
        return f"{day}{sep}{w:%H:%M} WIB"


def _a(head: tuple[str, str, str, str], tags: tuple[str, ...], via: str, paragraphs: tuple[str, ...],
       **extra: object) -> Article:
    slug, published, title, author = head
    caption = f"Suasana terkait {title.lower()}. /Warta Lembah/"
    return Article(slug, published, title, author, "Daerah", tags, caption, paragraphs, via, **extra)  # type: ignore[arg-type]


ARTICLES: tuple[Article, ...] = (
    _a(("pasar-raya-salatiga-dibuka-kembali-setelah-renovasi-dua-tahun", "2022-10-03 14:30",
       "Pasar Raya Salatiga Dibuka Kembali Setelah Renovasi Dua Tahun", "Dwi Handayani"),
       ("Salatiga", "pasar", "banjir"), "home", (
           "Pasar Raya Salatiga kembali dibuka untuk umum pada Senin setelah direnovasi selama dua tahun.",
           "Sebanyak 640 pedagang menempati kios dan los baru yang kini dilengkapi saluran air lebih lebar.",
           "Wali Kota meminta pedagang menjaga kebersihan agar pasar tidak lagi tergenang saat hujan deras.",
           "Renovasi itu menelan anggaran Rp48 miliar dari dana bantuan provinsi dan APBD kota.",
       )),
    _a(("festival-kopi-merbabu-hadirkan-40-petani-lereng-gunung", "2022-10-02 09:15",
       "Festival Kopi Merbabu Hadirkan 40 Petani Lereng Gunung", "Yusuf Pratama"),
       ("kopi", "Merbabu"), "home", (
           "Sebanyak 40 petani kopi dari lereng Gunung Merbabu memamerkan hasil panen mereka di alun-alun.",
           "Pengunjung dapat mencicipi kopi arabika dan robusta yang diolah langsung oleh kelompok tani.",
           "Panitia menyebut festival tahun ini menjadi yang terbesar sejak pertama digelar pada 2017.",
       ), delay_ms=900),
    _a(("jembatan-kali-taman-ditutup-sementara-untuk-perbaikan", "2022-10-01 16:45",
       "Jembatan Kali Taman Ditutup Sementara untuk Perbaikan", "Dwi Handayani"),
       ("Salatiga", "jembatan"), "home", (
           "Jembatan Kali Taman ditutup sementara mulai Sabtu sore karena lantai jembatan retak.",
           "Dinas Pekerjaan Umum memasang rambu pengalihan arus melalui Jalan Diponegoro.",
           "Perbaikan ditargetkan selesai dalam tiga pekan apabila cuaca mendukung.",
       ), inline=True, date_style="pipe"),
    _a(("siswa-smk-rakit-mobil-listrik-untuk-lomba-nasional", "2022-09-30 10:05",
       "Siswa SMK Rakit Mobil Listrik untuk Lomba Nasional", "Rina Wulandari"),
       ("pendidikan", "mobil listrik"), "home", (
           "Lima siswa SMK negeri di Salatiga merakit mobil listrik untuk mengikuti lomba tingkat nasional.",
           "Mobil itu menggunakan baterai bekas sepeda motor listrik yang dirangkai ulang.",
           "Guru pembimbing mengatakan siswa mengerjakan rangka mobil selama empat bulan.",
       )),
    _a(("harga-cabai-rawit-turun-menjelang-musim-hujan", "2022-09-29 08:20",
       "Harga Cabai Rawit Turun Menjelang Musim Hujan", "Yusuf Pratama"),
       ("harga pangan", "pasar"), "load_more", (
           "Harga cabai rawit di pasar tradisional turun menjadi Rp32.000 per kilogram.",
           "Pedagang menyebut pasokan dari Boyolali dan Magelang melimpah sejak pekan lalu.",
           "Dinas Perdagangan memperkirakan harga kembali naik ketika musim hujan tiba.",
       ), baca_juga="petani-tembakau-beralih-tanam-sayur-organik"),
    _a(("puskesmas-keliling-layani-warga-desa-terpencil", "2022-09-28 13:40",
       "Puskesmas Keliling Layani Warga Desa Terpencil", "Rina Wulandari"),
       ("kesehatan",), "load_more", (
           "Puskesmas keliling mulai melayani warga di tiga desa yang jauh dari fasilitas kesehatan.",
           "Layanan meliputi pemeriksaan ibu hamil, imunisasi anak, dan pengobatan umum.",
           "Kepala puskesmas berharap jadwal layanan dapat ditambah menjadi dua kali sepekan.",
       )),
    _a(("relawan-bersihkan-sungai-senjoyo-dari-sampah-plastik", "2022-09-27 07:30",
       "Relawan Bersihkan Sungai Senjoyo dari Sampah Plastik", "Dwi Handayani"),
       ("lingkungan", "banjir"), "load_more", (
           "Ratusan relawan membersihkan aliran Sungai Senjoyo dari sampah plastik pada Selasa pagi.",
           "Mereka mengumpulkan lebih dari dua ton sampah dalam waktu empat jam.",
           "Komunitas pecinta sungai berencana menggelar kegiatan serupa setiap bulan.",
       )),
    _a(("perpustakaan-daerah-buka-layanan-hingga-malam-hari", "2022-09-26 19:10",
       "Perpustakaan Daerah Buka Layanan hingga Malam Hari", "Rina Wulandari"),
       ("pendidikan",), "load_more", (
           "Perpustakaan daerah kini buka hingga pukul 21.00 setiap hari kerja.",
           "Perpanjangan jam layanan dilakukan karena banyak pelajar dan pekerja datang selepas sore.",
           "Pengunjung juga dapat meminjam buku digital melalui aplikasi perpustakaan.",
       )),
    _a(("umkm-batik-salatiga-tembus-pasar-ekspor-jepang", "2022-09-25 11:00",
       "UMKM Batik Salatiga Tembus Pasar Ekspor Jepang", "Yusuf Pratama"),
       ("UMKM", "batik"), "load_more", (
           "Sebuah usaha batik rumahan di Salatiga mengirim 500 lembar kain batik ke Jepang.",
           "Pemilik usaha mengatakan pesanan datang setelah mengikuti pameran daring tahun lalu.",
           "Motif yang paling diminati pembeli adalah motif tumbuhan kopi khas lereng Merbabu.",
       )),
    _a(("lomba-lari-10k-diikuti-2000-peserta-dari-berbagai-daerah", "2022-09-24 06:50",
       "Lomba Lari 10K Diikuti 2.000 Peserta dari Berbagai Daerah", "Dwi Handayani"),
       ("olahraga",), "load_more", (
           "Sebanyak 2.000 pelari mengikuti lomba lari 10 kilometer yang melintasi jalan utama kota.",
           "Peserta datang dari Semarang, Solo, Yogyakarta, hingga Jakarta.",
           "Panitia menutup sebagian ruas jalan sejak pukul 05.00 hingga 09.00.",
       )),
    _a(("warga-desa-kopeng-gelar-merti-dusun-tahunan", "2022-09-23 15:25",
       "Warga Desa Kopeng Gelar Merti Dusun Tahunan", "Yusuf Pratama"),
       ("budaya", "Merbabu"), "scroll", (
           "Warga Desa Kopeng menggelar tradisi merti dusun sebagai ungkapan syukur atas hasil panen.",
           "Arak-arakan gunungan sayur dan buah diarak keliling dusun sebelum dibagikan.",
           "Tradisi itu rutin digelar setiap tahun pada bulan Sapar penanggalan Jawa.",
       )),
    _a(("terminal-tingkir-tambah-armada-bus-antarkota", "2022-09-22 12:15",
       "Terminal Tingkir Tambah Armada Bus Antarkota", "Rina Wulandari"),
       ("transportasi",), "scroll", (
           "Terminal Tingkir menambah 12 armada bus antarkota untuk rute Salatiga menuju Semarang.",
           "Penambahan armada dilakukan karena jumlah penumpang naik sejak awal September.",
           "Petugas terminal mengimbau penumpang membeli tiket di loket resmi.",
       )),
    _a(("kampung-tematik-warna-warni-jadi-destinasi-wisata-baru", "2022-09-21 17:35",
       "Kampung Tematik Warna-warni Jadi Destinasi Wisata Baru", "Dwi Handayani"),
       ("wisata",), "scroll", (
           "Sebuah kampung di tepi kota dicat warna-warni dan kini ramai dikunjungi wisatawan.",
           "Warga menyediakan lahan parkir dan warung makanan untuk menambah penghasilan.",
           "Pengelola berencana membuka jalur jalan kaki menuju mata air di ujung kampung.",
       )),
    _a(("petani-tembakau-beralih-tanam-sayur-organik", "2022-09-20 09:45",
       "Petani Tembakau Beralih Tanam Sayur Organik", "Yusuf Pratama"),
       ("pertanian",), "baca_juga", (
           "Sejumlah petani tembakau di lereng Merbabu beralih menanam sayur organik.",
           "Mereka menilai harga sayur organik lebih stabil dibandingkan harga tembakau.",
           "Kelompok tani mendapat pendampingan dari penyuluh pertanian selama satu musim tanam.",
       )),
    _a(("tanggul-darurat-dibangun-di-kelurahan-kutowinangun", "2022-09-19 18:05",
       "Tanggul Darurat Dibangun di Kelurahan Kutowinangun", "Rina Wulandari"),
       ("banjir",), "tag", (
           "Warga bersama petugas membangun tanggul darurat dari karung pasir di Kelurahan Kutowinangun.",
           "Tanggul itu dibangun setelah air sungai meluap dan menggenangi 30 rumah warga.",
           "Pemerintah kota berjanji membangun tanggul permanen pada tahun anggaran berikutnya.",
       )),
)

# Which articles each JS-built list shows, page by page.
FEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "terbaru": (
        tuple(a.slug for a in ARTICLES[0:4]),
        tuple(a.slug for a in ARTICLES[4:8]),
        tuple(a.slug for a in ARTICLES[8:10]),
    ),
    "daerah": (
        (ARTICLES[1].slug, ARTICLES[10].slug),
        (ARTICLES[11].slug,),
        (ARTICLES[12].slug,),
    ),
}

APP_JS = r"""(function () {
  "use strict";
  var esc = function (s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  };
  var getJSON = function (url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(url + " " + r.status); }
      return r.json();
    });
  };
  var card = function (a) {
    return '<article class="post-card"><img class="thumb" src="' + a.image + '" alt="">' +
      '<h3 class="post-card__title"><a href="' + a.url + '">' + esc(a.title) + '</a></h3>' +
      '<span class="date">' + esc(a.date) + '</span></article>';
  };
  function listing(body) {
    var list = document.getElementById("list");
    var more = document.getElementById("muat");
    var sentinel = document.getElementById("sentinel");
    var next = "/api/" + body.dataset.feed + "-1.json";
    var busy = false;
    function load() {
      if (!next || busy) { return Promise.resolve(); }
      busy = true;
      return getJSON(next).then(function (data) {
        list.insertAdjacentHTML("beforeend", data.items.map(card).join(""));
        next = data.next;
        busy = false;
        if (more) { more.hidden = !next; }
      });
    }
    load().then(function () {
      if (body.dataset.more === "button" && more) {
        more.addEventListener("click", function () {
          var label = more.textContent;
          more.textContent = "Memuat...";
          setTimeout(function () { load().then(function () { more.textContent = label; }); }, 400);
        });
      } else if (body.dataset.more === "scroll" && sentinel) {
        new IntersectionObserver(function (entries) {
          if (entries[0].isIntersecting) { load(); }
        }).observe(sentinel);
      }
    });
  }
  function article(body) {
    var inline = document.getElementById("data-artikel");
    var slug = location.pathname.replace(/\/+$/, "").split("/").pop();
    var got = inline ? Promise.resolve(JSON.parse(inline.textContent))
                     : getJSON("/api/artikel/" + slug + ".json");
    var delay = Number(body.dataset.delay || 0);
    var later = function (a) {
      return new Promise(function (done) { setTimeout(function () { done(a); }, delay); });
    };
    (delay ? got.then(later) : got).then(function (a) {
      document.title = a.title + " - Warta Lembah";
      var paras = a.paragraphs.map(function (p) { return "<p>" + p + "</p>"; }).join("");
      var tags = a.tags.map(function (t) {
        return '<a rel="tag" href="' + t.url + '">' + esc(t.name) + "</a>";
      }).join(" ");
      document.getElementById("app").innerHTML =
        '<article class="post">' +
        '<div class="breadcrumbs"><a href="/">Beranda</a> <a rel="category tag" href="/kanal/daerah">' +
        esc(a.section) + "</a></div>" +
        '<h1 class="entry-title">' + esc(a.title) + "</h1>" +
        '<div class="post-meta"><span class="author-name">' + esc(a.author) + "</span> " +
        '<span class="post-date">' + esc(a.date) + "</span></div>" +
        '<figure class="wp-caption"><img src="' + a.image + '" alt="">' +
        '<figcaption class="wp-caption-text">' + esc(a.caption) + "</figcaption></figure>" +
        '<div class="entry-content">' + paras + "</div>" +
        (tags ? '<div class="post-tags">Tags: ' + tags + "</div>" : "") +
        "</article>";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var body = document.body;
    if (body.dataset.page === "article") { article(body); }
    if (body.dataset.page === "listing") { listing(body); }
  });
})();
"""

SITE_CSS = """@font-face { font-family: "Lembah"; src: url("/media/lembah.woff2") format("woff2"); }
body { font-family: "Lembah", sans-serif; margin: 0 auto; max-width: 960px; }
.post-card { min-height: 420px; border-bottom: 1px solid #ddd; }
.post-card .thumb { width: 100%; height: 300px; background: #eee; }
#sentinel { height: 1px; }
"""


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def tag_slug(tag: str) -> str:
    return tag.lower().replace(" ", "-")


def tag_path(tag: str) -> str:
    return f"/tag/{tag_slug(tag)}"


def shell(title: str, body_attrs: str, main: str, head_extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="stylesheet" href="/assets/site.css">
<link rel="icon" href="/media/favicon.png">
<script src="/assets/app.js" defer></script>{head_extra}
</head>
<body {body_attrs}>
<header class="site-header">
<a class="logo" href="/"><img src="/media/logo-warta-lembah.png" alt="{SITE_NAME}"></a>
<nav class="menu"><a href="/">Beranda</a> <a href="/kanal/daerah">Daerah</a> <a href="/redaksi">Redaksi</a></nav>
</header>
<main id="app">
{main}
<noscript>Aktifkan JavaScript untuk membaca {SITE_NAME}.</noscript>
</main>
<footer class="site-footer">&copy; 2022 {SITE_NAME}. Seluruh isi adalah teks rekaan untuk pengujian.</footer>
</body>
</html>
"""


def listing_shell(title: str, heading: str, feed: str, more: str) -> str:
    control = {
        "button": '<button id="muat" class="load-more" type="button" hidden>Muat lebih banyak</button>',
        "scroll": '<div id="sentinel"></div>',
        "none": "",
    }[more]
    main = (
        f'<section class="latest">\n<h2>{esc(heading)}</h2>\n'
        f'<div id="list" class="post-list"></div>\n{control}\n</section>'
    )
    return shell(title, f'data-page="listing" data-feed="{feed}" data-more="{more}"', main)


def article_data(a: Article, by_slug: dict[str, Article]) -> dict[str, object]:
    paragraphs = [esc(p) for p in a.paragraphs]
    paragraphs[0] = f"{esc(DATELINE)} - {paragraphs[0]}"
    if a.baca_juga:
        other = by_slug[a.baca_juga]
        paragraphs.insert(2, f'<strong>Baca Juga: <a href="{other.path}">{esc(other.title)}</a></strong>')
    return {
        "title": a.title,
        "author": a.author,
        "section": a.section,
        "date": a.visible_date,
        "image": f"/media/foto/{a.slug}.jpg",
        "caption": a.caption,
        "paragraphs": paragraphs,
        "tags": [{"name": t, "url": tag_path(t)} for t in a.tags],
    }


def article_shell(a: Article, by_slug: dict[str, Article]) -> str:
    extra = ""
    if a.inline:
        data = json.dumps(article_data(a, by_slug), ensure_ascii=False).replace("</", "<\\/")
        extra = f'\n<script type="application/json" id="data-artikel">{data}</script>'
    delay = f' data-delay="{a.delay_ms}"' if a.delay_ms else ""
    return shell(f"{SITE_NAME}", f'data-page="article"{delay}', '<p class="loading">Memuat berita...</p>', extra)


def card(a: Article) -> dict[str, str]:
    return {"url": a.path, "title": a.title, "date": a.visible_date, "image": f"/media/thumb/{a.slug}.jpg"}


def feed_files(name: str, pages: tuple[tuple[str, ...], ...], by_slug: dict[str, Article]) -> dict[str, str]:
    out = {}
    for n, slugs in enumerate(pages, 1):
        nxt = f"/api/{name}-{n + 1}.json" if n < len(pages) else None
        out[f"api/{name}-{n}.json"] = json.dumps(
            {"items": [card(by_slug[s]) for s in slugs], "next": nxt}, ensure_ascii=False, indent=1,
        )
    return out


def build(articles: tuple[Article, ...], feeds: dict[str, tuple[tuple[str, ...], ...]]) -> dict[str, str]:
    """Every file of a portal: path relative to the site root -> text."""
    by_slug = {a.slug: a for a in articles}
    files: dict[str, str] = {
        "assets/app.js": APP_JS,
        "assets/site.css": SITE_CSS,
        "robots.txt": "User-agent: *\nAllow: /\n",
        "index.html": listing_shell(
            f"{SITE_NAME} - Berita Salatiga dan Sekitarnya", "Berita Terbaru", "terbaru", "button",
        ),
        "kanal/daerah/index.html": listing_shell(f"Daerah - {SITE_NAME}", "Daerah", "daerah", "scroll"),
        "redaksi/index.html": shell(
            f"Redaksi - {SITE_NAME}", 'data-page="static"', "<h1>Redaksi</h1>\n<p>Pemimpin Redaksi: Dwi Handayani</p>",
        ),
    }
    for name, pages in feeds.items():
        files.update(feed_files(name, pages, by_slug))
    tags: dict[str, list[str]] = {}
    for a in articles:
        for t in a.tags:
            tags.setdefault(t, []).append(a.slug)
        files[a.path.lstrip("/") + "/index.html"] = article_shell(a, by_slug)
        if not a.inline:
            files[f"api/artikel/{a.slug}.json"] = json.dumps(article_data(a, by_slug), ensure_ascii=False, indent=1)
    for t, slugs in tags.items():
        feed = f"tag-{tag_slug(t)}"
        files[tag_path(t).lstrip("/") + "/index.html"] = listing_shell(f"{t} - {SITE_NAME}", f"Tag: {t}", feed, "none")
        files.update(feed_files(feed, (tuple(slugs),), by_slug))
    return files


def expected(articles: tuple[Article, ...]) -> dict[str, dict[str, object]]:
    """What a reader sees in each article, written from the data above."""
    by_slug = {a.slug: a for a in articles}
    return {
        a.path: {
            "title": a.title,
            "published_at": a.when.isoformat(),
            "author": [a.author],
            "dateline": DATELINE,
            "section": a.section,
            "tags": list(a.tags),
            "image_path": f"/media/foto/{a.slug}.jpg",
            "image_caption": a.caption,
            "related_urls": [by_slug[a.baca_juga].path] if a.baca_juga else [],
            "body": "\n\n".join(a.paragraphs),
            "reachable_via": a.reachable_via,
            "inline": a.inline,
            "delay_ms": a.delay_ms,
        }
        for a in articles
    }


def site_files() -> dict[str, str]:
    files = build(ARTICLES, FEEDS)
    files["expected.json"] = json.dumps(expected(ARTICLES), ensure_ascii=False, indent=2) + "\n"
    return files


def write(files: dict[str, str], root: Path) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed site differs")
    args = parser.parse_args(argv)
    files = site_files()
    if args.check:
        on_disk = {
            str(p.relative_to(SITE_DIR)): p.read_text(encoding="utf-8") for p in SITE_DIR.rglob("*") if p.is_file()
        }
        if on_disk != files:
            sys.stderr.write(f"{SITE_DIR} is out of date: run python {Path(__file__).name}\n")
            return 1
        return 0
    write(files, SITE_DIR)
    sys.stdout.write(f"wrote {len(files)} files to {SITE_DIR}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
