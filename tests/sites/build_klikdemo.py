"""Build the offline demo portal ``tests/sites/klikdemo`` (Klik Banggai Demo) and its oracle.

This file is the single source of truth: the ARTICLES below hold every article's metadata and
paragraphs; ``render_site()`` turns them into the HTML/XML/TXT/PNG files of the site and into
``expected.json``.  The ``body`` in expected.json is joined from the paragraph data here, never
read back from the HTML, so it is an independent oracle for the extractor.

Markup copies a live PRMN article page (zonajakarta.pikiran-rakyat.com, 2020, see
/work/shared/realworld/SOURCES.md) and PRMN's own 2019 front-end mock-ups (home, kanal, tag, AMP).
All ``<a href>`` are root-relative except the article pager, whose links are absolute like on the
real page; absolute URLs are written with the host placeholder ``{{BASE}}``, which
``tests/sites/serve.py`` replaces with the request's origin at serve time.

Usage::

    python tests/sites/build_klikdemo.py          # (re)write tests/sites/klikdemo
    python tests/sites/build_klikdemo.py --check  # exit 1 if the committed files differ

Article text format (``Article.text``): pages are separated by a line ``--- halaman ---``;
blocks by blank lines; a block ``>> key`` is a "Baca Juga" link to the article with that key;
any other block is one paragraph (its lines joined with single spaces).  Inside a paragraph
``[[Tag]]`` / ``[[label|Tag]]`` is an inline link to ``/tag/Tag`` and ``**x**`` is bold; both
render as plain text in the oracle.  The dateline ("KLIK BANGGAI - ") and the closing "***" are
NOT in the text: they are added when rendering page 1 / the last paragraph.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import struct
import sys
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

SITE_DIR = Path(__file__).resolve().with_name("klikdemo")
SITE_NAME = "Klik Banggai Demo"
BASE = "{{BASE}}"
# The day the demo site "is" on: shown in the header like the real page's <date>.
SITE_TODAY = datetime(2022, 7, 5, 8, 0, tzinfo=timezone(timedelta(hours=7)))
TAG_PAGE_SIZE = 4
# The real PRMN page (page 2 of 3) shows "Editor:"/"Sumber:" on a non-last page, i.e. on every
# page.  Set to False to show them on the last page only.
EDITOR_ON_EVERY_PAGE = True

ZONES = {"WIB": timezone(timedelta(hours=7)), "WITA": timezone(timedelta(hours=8))}
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
SECTIONS = {"nasional": "Nasional", "internasional": "Internasional", "banggai": "Banggai"}
STATIC_PAGES = {
    "about-us": ("Tentang Kami", (
        (
            "Klik Banggai Demo adalah portal berita contoh untuk pengujian perayap newscrawl. "
            "Tampilannya meniru portal jaringan Pikiran Rakyat Media Network (PRMN)."
        ),
        "Seluruh isi portal ini, kecuali satu artikel contoh, adalah teks rekaan.",
    )),
    "redaksi": ("Redaksi", (
        "Pemimpin Redaksi: Laode Iman Firmansyah",
        "Redaktur: Fitriani Kadir, Moh. Ikbal Lamatenggo",
        "Reporter: Rahmat Lanusu, Sri Wahyuni Tomboelu, Andi Fadli Mappiare, Nurhayati Saleh",
    )),
    "pedoman-media-siber": ("Pedoman Pemberitaan Media Siber", (
        (
            "Kemerdekaan berpendapat, kemerdekaan berekspresi, dan kemerdekaan pers adalah hak "
            "asasi manusia yang dilindungi Pancasila, Undang-Undang Dasar 1945, dan Deklarasi "
            "Universal Hak Asasi Manusia PBB."
        ),
    )),
    "kontak": ("Kontak", (
        "Jalan Contoh No. 1, Luwuk, Kabupaten Banggai, Sulawesi Tengah",
        "Email: redaksi@klikbanggai.invalid",
    )),
}
NETWORK = (  # the real page's "Network" menu: other PRMN portals (off-site links)
    ("Pikiran Rakyat", "https://www.pikiran-rakyat.com"),
    ("iNSulteng", "https://insulteng.pikiran-rakyat.com"),
    ("Jurnal Palopo", "https://jurnalpalopo.pikiran-rakyat.com"),
    ("Fix Makassar", "https://fixmakassar.pikiran-rakyat.com"),
    ("Portal Sulut", "https://portalsulut.pikiran-rakyat.com"),
    ("Zona Jakarta", "https://zonajakarta.pikiran-rakyat.com"),
)


@dataclass(frozen=True)
class Para:
    text: str  # with [[..]] / **..** markers


@dataclass(frozen=True)
class BacaJuga:
    key: str


Block = Para | BacaJuga


@dataclass(frozen=True)
class Article:
    key: str
    pr: int
    section: str
    title: str
    author: str
    editor: str
    published: str  # "2022-06-24 15:44" local time in `zone`
    zone: str  # "WIB" or "WITA": shown on the page; decides the offset
    date_style: str  # "short": "- 24 Juni 2022, 15:44 WIB"; "long": "- Jumat, 24 Juni 2022 | ..."
    caption: str  # main photo caption, credit included
    photo: str  # "2022/06/24/2417195412"
    tags: tuple[str, ...]
    reachable_via: str  # "home", "baca_juga", "tag" or "sitemap"
    text: str
    source: str | None = None
    dateline: str | None = "KLIK BANGGAI"
    end_mark: bool = True  # last paragraph ends with "***"
    json_ld: bool = True  # False: no JSON-LD, no article:published_time (only the visible date)
    baca_juga_style: str = "p_strong"  # or "read_others"
    rekomendasi: str = "Artikel Rekomendasi"  # or "Artikel Pilihan"
    nbsp: bool = False  # &nbsp; around inline links and an empty <p>&nbsp;</p> (real quirk)
    inline_photo: tuple[str, str] | None = None  # (photo, caption) at the top of page 2
    amp: bool = False  # also published at /<section>/amp/pr-N/<slug>
    in_sitemap: bool = False
    pages: list[list[Block]] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pages", parse_text(self.text))

    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def path(self) -> str:
        return f"/{self.section}/pr-{self.pr}/{self.slug}"

    @property
    def amp_path(self) -> str:
        return f"/{self.section}/amp/pr-{self.pr}/{self.slug}"

    @property
    def when(self) -> datetime:
        naive = datetime.strptime(self.published, "%Y-%m-%d %H:%M")  # noqa: DTZ007
        return naive.replace(tzinfo=ZONES[self.zone])

    @property
    def paragraphs(self) -> list[str]:
        return [plain(b.text) for page in self.pages for b in page if isinstance(b, Para)]

    @property
    def related(self) -> list[str]:
        return [b.key for page in self.pages for b in page if isinstance(b, BacaJuga)]

    @property
    def image(self) -> str:
        return f"/assets/photo/{self.photo}.png"

    @property
    def caption_text(self) -> str:
        """The caption without its trailing credit ("... Israel. /Reuters/" -> "... Israel.")."""
        return re.sub(r"\s*/[^/]+/?$", "", self.caption)


def parse_text(text: str) -> list[list[Block]]:
    pages: list[list[Block]] = []
    for chunk in re.split(r"^--- halaman ---$", text.strip(), flags=re.MULTILINE):
        blocks: list[Block] = []
        for raw in re.split(r"\n\s*\n", chunk.strip()):
            joined = " ".join(line.strip() for line in raw.strip().splitlines())
            if joined.startswith(">> "):
                blocks.append(BacaJuga(joined[3:].strip()))
            elif joined:
                blocks.append(Para(joined))
        pages.append(blocks)
    return pages


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("'", "")).strip("-")


INLINE = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]|\*\*(.+?)\*\*")


def plain(text: str) -> str:
    return INLINE.sub(lambda m: m.group(1) or m.group(3), text)


def tag_href(tag: str) -> str:
    return "/tag/" + quote(tag, safe="")


def inline_html(text: str, *, nbsp: bool) -> str:
    out: list[str] = []
    pos = 0
    for m in INLINE.finditer(text):
        out.append(html.escape(text[pos : m.start()], quote=False))
        if m.group(3):
            out.append(f"<strong>{html.escape(m.group(3), quote=False)}</strong>")
        else:
            label, tag = m.group(1), m.group(2) or m.group(1)
            if nbsp and out[-1].endswith(" "):
                out[-1] = out[-1][:-1] + "&nbsp;"
            out.append(f'<a href="{tag_href(tag)}">{html.escape(label, quote=False)}</a>')
            if nbsp and text[m.end() : m.end() + 1] == " ":
                out.append("&nbsp;")
                pos = m.end() + 1
                continue
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


# --------------------------------------------------------------------------------------------
# The articles.  Keys are short handles; BacaJuga blocks refer to them.
# --------------------------------------------------------------------------------------------

ARTICLES: tuple[Article, ...] = (
    Article(
        key="hamas",
        pr=13894521,
        section="internasional",
        title=(
            "Hamas Palestina dan Hizbullah Lebanon Akan Bersatu Lawan Israel, "
            "Mulai Bahas Persiapan Pergerakan"
        ),
        author="Laode Iman Firmansyah",
        editor="Laode Iman Firmansyah",
        source="Press TV",
        published="2022-06-24 15:44",
        zone="WIB",
        date_style="short",
        caption=(
            "Ilustrasi - Pasukan Hamas dan Hizbullah akan bersatu menghadapi rezim Israel. /Reuters/"
        ),
        photo="2022/06/24/2417195412",
        tags=("Hamas", "Hizbullah", "Israel", "Palestina", "Lebanon"),
        reachable_via="home",
        in_sitemap=True,
        text="""
Kelompok [[Hizbullah]], Lebanon dan [[Hamas]], Palestina akan bersatu melawan rezim Israel.

Kedua pimpinan kelompok negara itu bahkan telah mengadakan pertemuan dalam membahas sejumlah hal
terkait isu Israel.

Pertemuan antara pemimpin puncak Hizbullah dan Hamas telah berlangsung Beirut.

>> zelensky

Dalam pertemuan itu, para pemimpin saling bertukar pendapat tentang bagaimana cara
mengkampanyekan poros perlawanan regional terhadap Israel.
--- halaman ---
Isu tentang bagaimana menggagalkan ancaman yang ditimbulkan oleh penjajah juga tak luput dari
pembahasan.

Sekretaris Jenderal Hizbullah, Sayyid Hassan Nasrallah dan Ismail Haniyeh, kepala biro politik
Hamas, membahas perkembangan terbaru di Palestina, Lebanon, dan seluruh wilayah dalam pertemuan
di ibukota Lebanon.

Hal itu sebagaimana disampaikan oleh hubungan masyarakat Hizbullah pada Kamis pekan ini.

>> senjata

Kedua pejabat tinggi perlawanan itu mengadakan pembicaraan seputar isu-isu memperkuat poros
perlawanan, termasuk tentang peluang untuk merebut kemenangan.
--- halaman ---
“Mereka menekankan perlunya kerja sama di semua bidang perlawanan untuk melayani tujuan utamanya,
mempromosikan perjuangan Palestina melawan pendudukan Israel, termasuk pembebasan al-Quds dan
kesucian Islam," tambah laporan tersebut melansir dari Press TV.

Haniyeh juga bertemu dengan Mufti Besar Lebanon Sheikh Abdul Latif Derian pada hari Rabu. Dia
memuji sikapnya terhadap al-Quds, bangsa Palestina, dan perjuangan mereka.

Keduanya juga berbicara tentang rencana rezim Israel untuk mengubah status quo Masjid al-Aqsha.

>> perang-dingin

Haniyeh lebih lanjut menyuarakan solidaritasnya dengan Lebanon sehubungan dengan haknya atas
sumber daya alam.
""",
    ),
    Article(
        key="zelensky",
        pr=13893840,
        section="internasional",
        title=(
            "Pasukan Zelensky Tinggalkan Severodonetsk, Rusia Mengamuk Setelah UE Nyatakan "
            "Dukungan Kuat untuk Ukraina"
        ),
        author="Andi Fadli Mappiare",
        editor="Laode Iman Firmansyah",
        source="Reuters",
        published="2022-06-24 10:12",
        zone="WIB",
        date_style="short",
        caption="Ilustrasi - Kendaraan militer Ukraina di wilayah Luhansk. /Reuters/",
        photo="2022/06/24/1630284417",
        tags=("Severodonetsk", "Uni Eropa", "Volodymyr Zelensky"),
        reachable_via="baca_juga",
        text="""
Pasukan Ukraina diperintahkan mundur dari kota [[Severodonetsk]] di wilayah Luhansk setelah
berminggu-minggu bertahan dari gempuran artileri Rusia.

Gubernur Luhansk mengatakan bahwa mempertahankan posisi yang telah hancur selama berbulan-bulan
tidak lagi masuk akal secara militer.

Keputusan itu muncul sehari setelah para pemimpin [[Uni Eropa]] (UE) sepakat memberikan status
kandidat anggota kepada Ukraina dan Moldova.

>> senjata

Langkah UE tersebut disambut Kyiv sebagai kemenangan politik, namun memicu reaksi keras dari
Moskow.

Pejabat Rusia menilai keputusan itu sebagai bentuk campur tangan Barat yang hanya akan
memperpanjang konflik di Ukraina timur.

Sementara itu, Presiden Volodymyr Zelensky dalam pidato malamnya menyebut status kandidat UE
sebagai momen bersejarah bagi bangsanya.

Para analis memperkirakan pertempuran akan bergeser ke kota tetangga Lysychansk yang terletak
di seberang Sungai Donets.
""",
    ),
    Article(
        key="senjata",
        pr=13891275,
        section="internasional",
        title=(
            "AS Terus Pasok Senjata ke Ukraina, Pejabat Kyiv Harapkan Kematian Terhadap "
            "Pasukan Rusia"
        ),
        author="Andi Fadli Mappiare",
        editor="Laode Iman Firmansyah",
        source="Reuters",
        published="2022-06-23 19:30",
        zone="WIB",
        date_style="long",
        caption="Ilustrasi - Sistem roket artileri buatan Amerika Serikat. /Reuters/",
        photo="2022/06/23/3318406652",
        tags=("Amerika Serikat", "Kyiv", "senjata"),
        reachable_via="home",
        nbsp=True,
        end_mark=False,
        rekomendasi="Artikel Pilihan",
        text="""
[[Amerika Serikat]] (AS) kembali mengumumkan paket bantuan militer baru untuk Ukraina di tengah
pertempuran sengit di wilayah Donbas.

Paket senilai 450 juta dolar AS itu mencakup tambahan sistem roket artileri, amunisi, serta kapal
patroli untuk mengamankan wilayah pesisir.

Bantuan tersebut menambah daftar panjang pasokan [[senjata]] dari Washington sejak invasi Rusia
dimulai pada akhir Februari lalu.

Seorang pejabat di [[Kyiv]] menyatakan harapan agar persenjataan baru itu dapat menimbulkan
kerugian besar bagi pasukan Rusia di garis depan.

Pernyataan itu disampaikan di tengah laporan bahwa pasukan Ukraina kalah jumlah artileri di
sejumlah titik pertempuran.

Pemerintah Rusia sebelumnya berulang kali memperingatkan bahwa pengiriman senjata dari
negara-negara Barat hanya akan memperpanjang konflik.

Hingga kini belum ada tanda-tanda perundingan damai antara kedua negara akan kembali digelar
dalam waktu dekat.
""",
    ),
    Article(
        key="perang-dingin",
        pr=13887502,
        section="internasional",
        title=(
            "Rusia dan China Mampu Kalahkan AS dalam 'Perang Dingin Baru' Kata Mantan Diplomat "
            "Amerika"
        ),
        author="Nurhayati Saleh",
        editor="Fitriani Kadir",
        source="Global Times",
        published="2022-06-22 08:05",
        zone="WIB",
        date_style="short",
        caption="Ilustrasi - Bendera Rusia dan China. /Pixabay/",
        photo="2022/06/22/907735120",
        tags=("Perang Dingin", "China", "diplomat"),
        reachable_via="baca_juga",
        dateline=None,
        json_ld=False,
        end_mark=False,
        text="""
Seorang mantan diplomat Amerika Serikat menilai Rusia dan [[China]] memiliki kemampuan untuk
mengungguli Washington dalam apa yang disebutnya sebagai 'Perang Dingin Baru'.

Menurutnya, kedekatan Moskow dan Beijing dalam bidang energi, perdagangan, dan teknologi militer
semakin sulit dibendung oleh sanksi negara-negara Barat.

Ia juga menyoroti ketergantungan banyak negara berkembang terhadap investasi China dan pasokan
energi dari Rusia.

"Amerika tidak lagi bisa berasumsi bahwa dunia akan otomatis berpihak kepadanya," ujarnya dalam
sebuah wawancara.

Pandangan tersebut muncul di tengah meningkatnya ketegangan antara AS dan China terkait Taiwan
serta perang di Ukraina.

Meski demikian, sejumlah pengamat lain menilai kekuatan ekonomi dan aliansi militer AS masih
jauh lebih besar dibandingkan gabungan kedua negara tersebut.
""",
    ),
    Article(
        key="cengkeh",
        pr=13931006,
        section="banggai",
        title="Harga Cengkeh di Luwuk Naik, Petani Banggai Sambut Panen Raya",
        author="Rahmat Lanusu",
        editor="Moh. Ikbal Lamatenggo",
        published="2022-07-04 09:15",
        zone="WITA",
        date_style="long",
        caption="Petani menjemur cengkeh di halaman rumahnya di Kecamatan Bunta. /Klik Banggai/",
        photo="2022/07/04/2771904356",
        tags=("Banggai", "cengkeh", "Luwuk", "harga komoditas"),
        reachable_via="home",
        json_ld=False,
        baca_juga_style="read_others",
        in_sitemap=True,
        text="""
Harga [[cengkeh]] kering di tingkat pengepul di Kota Luwuk, Kabupaten Banggai, Sulawesi Tengah,
terus merangkak naik dalam sepekan terakhir.

Pantauan di sejumlah gudang pengepul di Kelurahan Keraton, Senin pagi, cengkeh kering dihargai
Rp115.000 per kilogram, naik dari Rp98.000 pada akhir Juni lalu.

>> banjir

Kenaikan harga itu disambut gembira petani yang tengah memasuki masa panen raya di wilayah
Kecamatan Bunta, Nuhon, dan Pagimana.

"Tahun ini buahnya lebat, harganya juga bagus. Kami berharap bisa bertahan sampai panen
selesai," kata Usman, petani cengkeh asal Kecamatan Bunta.

Menurut Usman, dalam kondisi normal satu pohon cengkeh dewasa bisa menghasilkan 8 hingga 10
kilogram cengkeh kering.
--- halaman ---
Sementara itu, salah seorang pengepul, Hendra, mengatakan permintaan cengkeh dari pabrik rokok di
Pulau Jawa meningkat sejak awal Juli.

Ia menyebut pasokan dari Banggai saat ini dikirim melalui Pelabuhan Luwuk menuju Surabaya setiap
pekan.

>> pelabuhan

Pemerintah daerah mencatat kebun cengkeh rakyat tersebar di hampir seluruh kecamatan di wilayah
daratan Kabupaten Banggai.

Petani diimbau tidak memetik cengkeh sebelum matang demi menjaga kualitas dan harga jual.
""",
    ),
    Article(
        key="banjir",
        pr=13924418,
        section="banggai",
        title="Banjir Rendam Puluhan Rumah di Toili, BPBD Banggai Dirikan Posko Darurat",
        author="Sri Wahyuni Tomboelu",
        editor="Moh. Ikbal Lamatenggo",
        published="2022-07-01 21:05",
        zone="WIB",
        date_style="long",
        caption="Banjir merendam permukiman warga di Kecamatan Toili. /Dok. BPBD Banggai/",
        photo="2022/07/01/1187420935",
        tags=("Banggai", "banjir", "Toili", "BPBD"),
        reachable_via="home",
        baca_juga_style="read_others",
        rekomendasi="Artikel Pilihan",
        end_mark=False,
        in_sitemap=True,
        inline_photo=(
            "2022/07/01/4120387766",
            "Warga menyelamatkan barang dari rumah yang terendam banjir. /Dok. BPBD Banggai/",
        ),
        text="""
[[Banjir|banjir]] merendam puluhan rumah warga di Kecamatan [[Toili]], Kabupaten Banggai, setelah hujan
deras mengguyur wilayah itu sejak Jumat siang.

Air setinggi 50 sentimeter hingga satu meter masuk ke permukiman di Desa Singkoyo dan Desa Piondo
setelah sungai di wilayah itu meluap.

Badan Penanggulangan Bencana Daerah ([[BPBD]]) Banggai langsung menurunkan tim reaksi cepat ke
lokasi untuk membantu evakuasi warga.

>> festival

Petugas BPBD mencatat sedikitnya 74 kepala keluarga terdampak dan sebagian di antaranya mengungsi
ke rumah kerabat.

"Kami sudah mendirikan posko darurat di balai desa dan menyalurkan bantuan makanan siap saji,"
ujar salah seorang petugas saat dihubungi Jumat malam.
--- halaman ---
Hingga Jumat malam, hujan dengan intensitas sedang masih turun di wilayah hulu sehingga warga
diminta tetap waspada.

Petugas gabungan dari TNI, Polri, dan relawan juga membantu memindahkan warga lanjut usia serta
anak-anak ke tempat yang lebih aman.

Selain permukiman, banjir turut merendam puluhan hektare sawah yang baru memasuki masa tanam.

BPBD Banggai mengimbau masyarakat yang tinggal di bantaran sungai untuk segera mengungsi apabila
debit air kembali naik.
""",
    ),
    Article(
        key="festival",
        pr=13919873,
        section="banggai",
        title=(
            "Festival Teluk Lalong 2022 Kembali Digelar, Pelaku UMKM Banggai Diajak Ramaikan"
        ),
        author="Rahmat Lanusu",
        editor="Moh. Ikbal Lamatenggo",
        published="2022-06-30 14:00",
        zone="WITA",
        date_style="short",
        caption="Suasana kawasan Teluk Lalong, Kota Luwuk, pada sore hari. /Klik Banggai/",
        photo="2022/06/30/2208451193",
        tags=("Banggai", "Luwuk", "UMKM", "Festival Teluk Lalong"),
        reachable_via="home",
        text="""
Pemerintah Kabupaten Banggai kembali menggelar [[Festival Teluk Lalong]] setelah dua tahun absen
akibat pandemi Covid-19.

Festival yang dipusatkan di kawasan Teluk Lalong, Kota [[Luwuk]], itu akan berlangsung selama
lima hari mulai pertengahan Juli 2022.

Panitia menyiapkan lebih dari 100 stan bagi pelaku [[UMKM]] untuk memamerkan produk olahan hasil
laut, kerajinan tangan, hingga kuliner khas Banggai.

>> pelabuhan

"Ini momentum kebangkitan ekonomi warga. Kami ingin UMKM lokal menjadi tuan rumah di daerahnya
sendiri," kata salah seorang panitia.

Selain pameran, festival juga akan diisi lomba perahu hias, pentas seni budaya, serta pertunjukan
musik oleh musisi daerah.

Pengunjung dari luar daerah diperkirakan meningkat karena festival digelar bertepatan dengan
libur sekolah.
""",
    ),
    Article(
        key="pelabuhan",
        pr=13915220,
        section="banggai",
        title="Pelabuhan Luwuk Ramai Jelang Libur Sekolah, Penumpang Kapal Naik 30 Persen",
        author="Sri Wahyuni Tomboelu",
        editor="Fitriani Kadir",
        published="2022-06-29 16:20",
        zone="WIB",
        date_style="long",
        caption="Penumpang menunggu kapal di Pelabuhan Luwuk. /Klik Banggai/",
        photo="2022/06/29/3905517284",
        tags=("Banggai", "Luwuk", "pelabuhan", "libur sekolah"),
        reachable_via="home",
        baca_juga_style="read_others",
        text="""
Aktivitas di [[Pelabuhan Luwuk|pelabuhan]], Kabupaten Banggai, meningkat tajam menjelang libur
kenaikan kelas tahun ajaran 2021/2022.

Sejak sepekan terakhir, jumlah penumpang kapal yang berangkat dari pelabuhan itu naik sekitar 30
persen dibandingkan hari-hari biasa.

>> minyak

Sebagian besar penumpang merupakan warga yang hendak berlibur atau pulang kampung ke Kabupaten
Banggai Kepulauan dan Banggai Laut.

Petugas pelabuhan menambah jam layanan loket dan memperketat pemeriksaan tiket untuk mencegah
penumpukan penumpang di ruang tunggu.

"Kami imbau penumpang datang lebih awal dan memastikan tiket sudah dibeli sebelum hari
keberangkatan," kata salah seorang petugas.

Pihak operator kapal juga menyiapkan pelayaran tambahan pada akhir pekan untuk rute Luwuk–Salakan
dan Luwuk–Banggai.
""",
    ),
    Article(
        key="kakao",
        pr=13904731,
        section="banggai",
        title="Pemkab Banggai Salurkan Bantuan Bibit Kakao untuk Petani di Pagimana",
        author="Rahmat Lanusu",
        editor="Fitriani Kadir",
        published="2022-06-27 10:40",
        zone="WIB",
        date_style="short",
        caption="Bibit kakao siap dibagikan kepada kelompok tani. /Klik Banggai/",
        photo="2022/06/27/1472093385",
        tags=("Banggai", "kakao", "Pagimana"),
        reachable_via="tag",
        text="""
Pemerintah Kabupaten Banggai menyalurkan 25.000 batang bibit [[kakao]] kepada kelompok tani di
Kecamatan [[Pagimana]], Senin.

Bantuan tersebut merupakan bagian dari program peremajaan kebun kakao rakyat yang
produktivitasnya terus menurun dalam beberapa tahun terakhir.

Bibit yang dibagikan merupakan jenis unggul hasil sambung pucuk yang diklaim lebih tahan terhadap
serangan hama penggerek buah.

Salah seorang ketua kelompok tani, Arifin, mengatakan banyak tanaman kakao milik warga sudah
berusia lebih dari 20 tahun.

"Pohon-pohon tua itu buahnya sedikit dan sering kena penyakit. Bibit baru ini sangat membantu
kami," katanya.

Penyuluh pertanian setempat dijadwalkan mendampingi petani selama masa tanam hingga tanaman mulai
berbuah.
""",
    ),
    Article(
        key="minyak",
        pr=13900462,
        section="nasional",
        title="Pemerintah Pastikan Stok Minyak Goreng Curah Aman Jelang Iduladha",
        author="Nurhayati Saleh",
        editor="Fitriani Kadir",
        source="Kemendag",
        published="2022-06-26 13:25",
        zone="WIB",
        date_style="short",
        caption="Ilustrasi - Minyak goreng curah di pasar tradisional. /Antara/",
        photo="2022/06/26/2964817720",
        tags=("minyak goreng", "Iduladha", "Kemendag"),
        reachable_via="home",
        amp=True,
        text="""
Pemerintah memastikan stok [[minyak goreng]] curah di pasaran dalam kondisi aman menjelang Hari
Raya [[Iduladha]] 1443 Hijriah.

Kementerian Perdagangan ([[Kemendag]]) menyebut pasokan minyak goreng curah ke pasar-pasar
tradisional terus dipantau melalui sistem distribusi berbasis aplikasi.

Harga minyak goreng curah di sejumlah daerah juga dilaporkan mulai turun mendekati harga eceran
tertinggi (HET) sebesar Rp14.000 per liter.

Meski demikian, pemerintah meminta masyarakat tidak melakukan pembelian berlebihan yang dapat
memicu kelangkaan di tingkat pengecer.

Pengawasan distribusi akan diperketat bersama pemerintah daerah dan aparat penegak hukum hingga
setelah hari raya.

Masyarakat yang menemukan penjualan minyak goreng curah di atas HET diminta melapor melalui
layanan pengaduan konsumen.
""",
    ),
    Article(
        key="cpns",
        pr=13908154,
        section="nasional",
        title="Jadwal dan Syarat Pendaftaran CPNS 2022, Simak Informasi Terbarunya",
        author="Nurhayati Saleh",
        editor="Fitriani Kadir",
        published="2022-06-28 07:30",
        zone="WIB",
        date_style="long",
        caption="Ilustrasi - Peserta mengikuti seleksi CPNS. /Antara/",
        photo="2022/06/28/1830675521",
        tags=("CPNS", "ASN", "BKN"),
        reachable_via="tag",
        dateline=None,
        json_ld=False,
        end_mark=False,
        text="""
Informasi mengenai pembukaan seleksi calon pegawai negeri sipil ([[CPNS]]) tahun 2022 masih terus
dinantikan masyarakat, terutama para lulusan baru.

Hingga akhir Juni 2022, pemerintah belum mengumumkan jadwal resmi pendaftaran CPNS melalui portal
Seleksi Calon Aparatur Sipil Negara (SSCASN).

Badan Kepegawaian Negara ([[BKN]]) mengimbau masyarakat hanya merujuk pada informasi yang
disampaikan melalui kanal resmi pemerintah.

Berdasarkan ketentuan seleksi sebelumnya, pelamar wajib berusia paling rendah 18 tahun dan paling
tinggi 35 tahun pada saat melamar.

Pelamar juga harus memiliki kualifikasi pendidikan sesuai persyaratan jabatan serta tidak pernah
dipidana penjara dua tahun atau lebih.

Dokumen yang umumnya disiapkan antara lain **kartu tanda penduduk, ijazah, transkrip nilai**,
dan pasfoto terbaru dengan latar belakang merah.

Masyarakat diminta mewaspadai penipuan yang menjanjikan kelulusan seleksi dengan imbalan sejumlah
uang.
""",
    ),
    Article(
        key="honorer",
        pr=13927750,
        section="nasional",
        title=(
            "Honorer Dihapus Tahun 2023, Ribuan Tenaga Non-ASN di Daerah Cemaskan Nasib Mereka"
        ),
        author="Andi Fadli Mappiare",
        editor="Moh. Ikbal Lamatenggo",
        source="KemenPAN-RB",
        published="2022-07-02 11:00",
        zone="WIB",
        date_style="short",
        caption="Ilustrasi - Tenaga honorer menggelar aksi di depan kantor bupati. /Antara/",
        photo="2022/07/02/2519940387",
        tags=("honorer", "ASN", "CPNS"),
        reachable_via="home",
        rekomendasi="Artikel Pilihan",
        text="""
Rencana pemerintah menghapus tenaga [[honorer]] di instansi pemerintah pada November 2023 memicu
kekhawatiran ribuan tenaga non-ASN di daerah.

Kebijakan itu tertuang dalam surat edaran Menteri Pendayagunaan Aparatur Negara dan Reformasi
Birokrasi yang terbit pada akhir Mei 2022.

Dalam surat edaran tersebut, instansi pemerintah diminta memetakan tenaga non-ASN di lingkungan
masing-masing dan menyusun langkah penyelesaian.

>> pelabuhan

Di sejumlah kabupaten, tenaga honorer selama ini mengisi posisi penting seperti guru, tenaga
kesehatan, hingga staf administrasi di kantor kecamatan.
--- halaman ---
Salah seorang guru honorer di sebuah sekolah dasar di Luwuk mengaku sudah mengabdi lebih dari
sepuluh tahun dengan honor yang jauh di bawah upah minimum.

"Kami hanya berharap ada jalan keluar, misalnya diangkat menjadi PPPK, bukan diberhentikan begitu
saja," ujarnya.

Pemerintah pusat menyebut tenaga honorer masih berpeluang mengikuti seleksi pegawai pemerintah
dengan perjanjian kerja (PPPK) sesuai kebutuhan instansi.

>> minyak

Namun, sejumlah kepala daerah mengkhawatirkan kemampuan anggaran daerah untuk menggaji PPPK dalam
jumlah besar.
--- halaman ---
Asosiasi pemerintah kabupaten meminta pemerintah pusat memberikan masa transisi yang cukup agar
pelayanan publik tidak terganggu.

Mereka juga mengusulkan agar tenaga honorer yang telah lama mengabdi mendapat prioritas dalam
seleksi [[ASN]] berikutnya.

Hingga kini, pemerintah masih melakukan pendataan tenaga non-ASN di seluruh instansi pusat dan
daerah sebagai dasar penyusunan kebijakan lanjutan.
""",
    ),
    Article(
        key="cuaca",
        pr=13934587,
        section="nasional",
        title=(
            "BMKG Prakirakan Sebagian Wilayah Sulawesi Tengah Masih Diguyur Hujan Sepekan "
            "ke Depan"
        ),
        author="Sri Wahyuni Tomboelu",
        editor="Moh. Ikbal Lamatenggo",
        source="BMKG",
        published="2022-07-05 06:45",
        zone="WIB",
        date_style="short",
        caption="Ilustrasi - Awan mendung menggantung di atas Kota Luwuk. /Klik Banggai/",
        photo="2022/07/05/3377120459",
        tags=("BMKG", "cuaca", "Sulawesi Tengah"),
        reachable_via="sitemap",
        in_sitemap=True,
        text="""
Badan Meteorologi, Klimatologi, dan Geofisika ([[BMKG]]) memprakirakan sebagian wilayah
[[Sulawesi Tengah]] masih akan diguyur hujan dengan intensitas sedang hingga lebat dalam sepekan
ke depan.

Wilayah yang berpotensi mengalami hujan lebat antara lain Kabupaten Banggai, Morowali, Tojo
Una-Una, dan Poso.

Kondisi tersebut dipengaruhi oleh masih hangatnya suhu muka laut di perairan sekitar Sulawesi
yang memicu pertumbuhan awan hujan.

Masyarakat diimbau mewaspadai potensi banjir, tanah longsor, dan angin kencang, terutama di
daerah aliran sungai dan lereng perbukitan.

Nelayan juga diminta berhati-hati karena tinggi gelombang di perairan Teluk Tolo diperkirakan
dapat mencapai 2,5 meter.
""",
    ),
)

BY_KEY = {a.key: a for a in ARTICLES}
UTM_KEY = "banjir"  # the home page's Terpopuler links this article with utm_* parameters
UTM_QUERY = "?utm_source=terpopuler&utm_medium=referral&utm_campaign=home"
AMP_IN_TERKINI = "minyak"  # Terkini blocks link this article's AMP variant


def newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: a.when, reverse=True)


HOME = newest_first([a for a in ARTICLES if a.reachable_via == "home"])
TAGS = sorted({t for a in ARTICLES for t in a.tags}, key=str.lower)

# --------------------------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def visible_date(a: Article) -> str:
    d = a.when
    if a.date_style == "long":
        return (
            f"- {DAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year} | "
            f"{d:%H:%M} {a.zone}"
        )
    return f"- {d.day} {MONTHS[d.month - 1]} {d.year}, {d:%H:%M} {a.zone}"


def listing_date(a: Article) -> str:
    d = a.when
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}, {d:%H:%M} {a.zone}"


def header_date() -> str:
    d = SITE_TODAY
    return f"{DAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year}"


def summary(a: Article) -> str:
    first = a.paragraphs[0]
    return " " + first.split(". ")[0].rstrip(".")


def img(path: str) -> str:
    return f"{BASE}{path}"


# --------------------------------------------------------------------------------------------
# Page chrome: head, header, footer, sidebar
# --------------------------------------------------------------------------------------------

GPT_HEAD = """        <script data-ad-client="ca-pub-0000000000000000" async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js"></script>
        <!-- Start GPT Tag -->
<script async src='https://www.googletagservices.com/tag/js/gpt.js'></script>
<script>
  var sub_adunit = "";
  window.googletag = window.googletag || {cmd: []};
  googletag.cmd.push(function() {
  googletag.defineSlot('/0000000/klik_banggai_demo/'+sub_adunit, [[728, 90],[970, 90]], 'div-gpt-ad-TopDetail').setTargeting('Position', ['TopDetail']).addService(googletag.pubads());
  googletag.defineSlot('/0000000/klik_banggai_demo/'+sub_adunit, [[300, 250],[300, 600]], 'div-gpt-ad-MR1Detail').setTargeting('Position', ['MR1Detail']).addService(googletag.pubads());
  googletag.defineSlot('/0000000/klik_banggai_demo/'+sub_adunit, [[1, 1],[528, 248],[300, 250]], 'div-gpt-ad-InsideMR').setTargeting('Position', ['InsideMR']).addService(googletag.pubads());
    googletag.pubads().enableSingleRequest();
    googletag.pubads().collapseEmptyDivs();
    googletag.enableServices();
  });
</script>
<!-- End GPT Tag -->
"""  # noqa: E501 - copied ad markup


def ad_box(slot: str) -> str:
    return f"""<div class="ads mt3 clearfix">
    <div class="ads__box">
        <div id='div-gpt-ad-{slot}'>
            <script>
                googletag.cmd.push(function() {{ googletag.display('div-gpt-ad-{slot}'); }});
            </script>
        </div>
    </div>
</div>"""


def head(title: str, description: str, extra: str = "", *, robots: str = "index,follow") -> str:
    return f"""<!DOCTYPE html>
<html lang="id" prefix="og: https://ogp.me/ns#">
    <head itemscope itemtype="https://schema.org/WebSite">
        <meta name="base" content="{BASE}/" />
        <meta charset="utf-8">
        <meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="shortcut icon" href="{img("/assets/images/favicon.png")}">
        <link rel="stylesheet" href="https://assets.pikiran-rakyat.com/www/network/desktop/css/style.min.css?v=155" type="text/css">
        <title itemprop="name">{esc(title)}</title>
        <meta itemprop="description" name="description" content="{esc(description)}">
        <meta name="author" content="{SITE_NAME}">
        <meta name="robots" content="{robots}" />
        <meta name="googlebot-news" content="{robots}" />
        <meta name="language" content="id" />
        <meta name="geo.country" content="id" />
        <meta http-equiv="content-language" content="In-Id" />
        <meta name="geo.placename" content="Indonesia" />
{extra}
        <script type="text/javascript">
        var __base_url="{BASE}/";
        </script>
{GPT_HEAD}    </head>
"""  # noqa: E501 - copied head markup


def site_header() -> str:
    network = "\n".join(
        f'    <li><a href="{url}" target="_blank">{esc(name)}</a></li>' for name, url in NETWORK
    )
    nav = "\n".join(
        f'                    <li><a href="/{slug}">{name}</a></li>'
        for slug, name in SECTIONS.items()
    )
    return f"""<body>
    <!-- header -->
    <header class="header">
        <div class="header__middle">
            <div class="row container clearfix">
                <div class="col-offset-fluid clearfix">
                    <div class="col-bs12-5">
                        <div class="logo">
                            <a href="/">
                                <img src="{img("/assets/images/logo_klik_banggai_demo.png")}" alt="Pikiran Rakyat Media Network">
                            </a>
                        </div>
                    </div>
                    <div class="col-bs12-7">
                        <ul class="network__menu">
                            <li>
                                <date >{header_date()}</date>
                            </li>
                            <li>
                                <a href="#">Network</a>
                                <ul class="network__menu--more">
{network}
                                </ul>
                            </li>
                            <li>
                                <a href="#"><span class="icon icon-search"></span></a>
                                <ul class="text-center w-200">
                                    <li class="network__menu__search">
                                        <form action="{BASE}/search" class="search__bar">
                                            <input type="text" placeholder="Cari" name="q" id="search" class="search__input">
                                            <input type="submit" class="search__submit">
                                        </form>
                                    </li>
                                </ul>
                            </li>
                            <li>
                                <div class="social social--header clearfix">
                                    <div class="social__item">
                                        <a href="https://facebook.com/klikbanggaidemo" target="_blank" class="social__link social__link--facebook"><span class="icon icon-facebook"></span></a>
                                    </div>
                                    <div class="social__item">
                                        <a href="https://twitter.com/klikbanggaidemo" target="_blank" class="social__link social__link--twitter"><span class="icon icon-twitter"></span></a>
                                    </div>
                                    <div class="social__item">
                                        <a href="https://www.instagram.com/klikbanggaidemo" target="_blank" class="social__link social__link--instagram"><span class="icon icon-instagram"></span></a>
                                    </div>
                                </div>
                            </li>
                        </ul>
                    </div>
                </div>
            </div>
        </div>
        <div class="header__bottom">
            <div class="row container clearfix">
                <div class="col-offset-fluid clearfix">
                    <div class="col-bs10-10">
                        <nav class="nav">
                            <div class="nav__home">
                                <a href="/" title="Home"><span class="icon icon-home"></span></a>
                            </div>
    <ul class="nav__wrap">
{nav}
                    <li><a href="/indeks">Indeks</a></li>
    </ul>
                        </nav>
                    </div>
                </div>
            </div>
        </div>
    </header>
"""  # noqa: E501 - copied header markup


def site_footer() -> str:
    menu = "\n".join(
        f"""                <div class="footer__item">
                <a href="/{slug}" class="footer__link">{name}</a>
            </div>"""
        for slug, name in SECTIONS.items()
    )
    bottom = "\n".join(
        f"""                        <div class="footer__item">
                            <a href="/{slug}" class="footer__link">{esc(name if slug != "pedoman-media-siber" else "Pedoman Pemberitaan")}</a>
                        </div>"""  # noqa: E501
        for slug, (name, _) in STATIC_PAGES.items()
    )
    return f"""    <!-- footer -->
    <footer class="footer">
        <div class="row footer__top container clearfix">
            <div class="col-offset-fluid clearfix">
                <div class="col-bs10-4">
                    <div class="footer__logo clearfix">
                        <a href="/"><img src="{img("/assets/images/logo_klik_banggai_demo.png")}" alt="{SITE_NAME}"></a>
                    </div>
                    <div class="footer__contact">
                        <p>Luwuk, Kabupaten Banggai <br> Sulawesi Tengah <br> Email : redaksi@klikbanggai.invalid</p>
                    </div>
                </div>
                <div class="col-bs10-6">
                    <div class="footer__menu">
{menu}
                    </div>
                </div>
                <div class="footer__network col-bs10-10">
                    <span>Part of</span>
                    <a href="https://www.pikiran-rakyat.com">Pikiran Rakyat Media Network</a>
                </div>
            </div>
        </div>
        <div class="row footer__bottom container clearfix">
            <div class="footer__menu inline clearfix">
{bottom}
            </div>
            <div class="footer__copyright">
                <p>&copy;2022 Pikiran Rakyat Media Network</p>
            </div>
        </div>
    </footer>
    <script src="https://assets.pikiran-rakyat.com/www/network/desktop/js/main.js?v=155"></script>
</body>
</html>
"""


def most_block(*, utm: bool = False) -> str:
    keys = ("hamas", "banjir", "senjata", "cengkeh", "minyak", "honorer")
    items = []
    for n, key in enumerate(keys, 1):
        a = BY_KEY[key]
        href = a.path + (UTM_QUERY if utm and key == UTM_KEY else "")
        items.append(f"""        <div class="most__item">
            <div class="most__number">{n}</div>
            <div class="most__right">
                <a href="{esc(href)}" class="most__link">
                    <h2 class="most__title">{esc(a.title)}</h2>
                </a>
            </div>
        </div>""")
    return f"""<!-- most -->
<section class="most mt2 clearfix">
    <h3 class="title"><span>Terpopuler</span></h3>
    <div class="most__wrap">
{chr(10).join(items)}
    </div>
</section>
"""


def latest_item(a: Article, href: str | None = None, *, subtitle: bool = True) -> str:
    href = href or a.path
    sub = (
        f'\n                        <h4 class="latest__subtitle"><a href="/{a.section}">'
        f"{SECTIONS[a.section]}</a></h4>"
        if subtitle
        else ""
    )
    return f"""                <div class="latest__item">
                    <div class="latest__img">
                        <a href="{esc(href)}">
                            <img src="{img(a.image)}" alt="{esc(a.title)}">
                        </a>
                    </div>
                    <div class="latest__right">{sub}
                        <h2 class="latest__title">
                            <a href="{esc(href)}" class="latest__link">{esc(a.title)}</a>
                        </h2>
                        <date class="latest__date">{listing_date(a)}</date>
                    </div>
                </div>"""


def page_layout(main: str, *, sidebar: str, below: str = "") -> str:
    return f"""    <div class="row clearfix">
        <div class="container clearfix">
            <div class="col-offset-fluid clearfix">
                <div class="col-bs12-12">
                    <!-- ads top -->
<div class="ads__top">
   <div id='div-gpt-ad-TopDetail'>
      <script>
        googletag.cmd.push(function() {{ googletag.display('div-gpt-ad-TopDetail'); }});
      </script>
    </div>
</div>
                </div>
                <div class="col-bs12-8">
{main}
                </div>
                <div class="col-bs12-4">
{ad_box("MR1Detail")}
{sidebar}
                </div>
            </div>
        </div>
    </div>
{below}"""


# --------------------------------------------------------------------------------------------
# Article pages
# --------------------------------------------------------------------------------------------


def json_ld(a: Article) -> str:
    url = BASE + a.path
    image = BASE + a.image
    stamp = a.when.strftime("%Y-%m-%dT%H:%M:%S%z")  # +0700: no colon, as on PRMN
    headline = json.dumps(f"{a.title} - {SITE_NAME}", ensure_ascii=False)
    desc = json.dumps(summary(a), ensure_ascii=False)
    author = json.dumps(a.author, ensure_ascii=False)
    section_name = SECTIONS[a.section]
    return f"""                    <script type="application/ld+json">
                {{
                    "@context": "https://schema.org",
                    "@type": "WebPage",
                    "headline": {headline},
                    "url": "{url}",
                    "datePublished": "{stamp}",
                    "image": "{image}",
                    "thumbnailUrl" : "{image}"
                }}
            </script>
                    <script type="application/ld+json">
                {{
                  "@context": "https://schema.org",
                  "@type": "NewsArticle",
                  "mainEntityOfPage": {{
                    "@type": "WebPage",
                    "@id": "{str(a.pr)[-6:]}"
                  }},
                  "headline": {headline},
                  "image": {{
                    "@type": "ImageObject",
                    "url": "{image}",
                    "height": 600,
                    "width": 1200
                  }},
                  "datePublished": "{stamp}",
                  "dateModified": "{stamp}",
                  "author": {{
                    "@type": "Person",
                    "name": {author}
                  }},
                   "publisher": {{
                    "@type": "Organization",
                    "name": "{SITE_NAME}",
                    "logo": {{
                      "@type": "ImageObject",
                      "url": "{BASE}/assets/images/logo_klik_banggai_demo.png",
                      "width": 255,
                      "height": 55
                    }}
                  }},
                  "description": {desc}
                }}
            </script>
                    <script type="application/ld+json">
                {{
                    "@context": "https://schema.org",
                    "@type": "BreadcrumbList",
                    "itemListElement":
                    [
                        {{
                            "@type": "ListItem",
                            "position": 1,
                            "item":
                            {{
                                "@id": "{BASE}/",
                                "name": "Home"
                            }}
                        }},
                        {{
                            "@type": "ListItem",
                            "position": 2,
                            "item":
                            {{
                                "@id": "{BASE}/{a.section}",
                                "name": "{section_name}"
                            }}
                        }}
                    ]
                }}
                </script>
"""


def article_head(a: Article) -> str:
    url = BASE + a.path
    full = f"{a.title} - {SITE_NAME}"
    desc = summary(a)
    amp = f'\n        <link rel="amphtml" href="{BASE}{a.amp_path}">' if a.amp else ""
    dable = (
        f"""        <!-- DableAds -->
        <meta property="dable:item_id" content="{str(a.pr)[-6:]}">
        <meta property="dable:author" content="{esc(a.author)}">
        <meta property="article:section" content="{SECTIONS[a.section]}">
        <meta property="article:published_time" content="{a.when.isoformat()}">
        <!-- End DableAds -->
"""
        if a.json_ld
        else ""
    )
    datalayer = f"""        <script>
          dataLayer = [{{
                "published_date": "{a.when:%Y-%m-%d %H:%M:%S}",
                "rubrik": "{SECTIONS[a.section]}",
                "penulis": {json.dumps(a.author)},
                "editor": {json.dumps(a.editor)},
                "id": "{str(a.pr)[-6:]}",
                "type": "Standard",
                "source": {json.dumps(a.source or "")},
                "tag": {json.dumps(", ".join(a.tags))}
          }}];
        </script>"""
    extra = f"""        <meta itemprop="keywords" name="keywords" content="{esc(", ".join(a.tags))}">
        <link itemprop="image" href="{BASE}{a.image}" />
        <link rel="alternate" href="{url}" hreflang="x-default" />
        <!-- s: fb meta -->
        <meta property="og:type" content="article" />
        <meta property="og:url" content="{url}" />
        <meta property="og:title" content="{esc(full)}" />
        <meta property="og:description" content="{esc(desc)}" />
        <meta property="og:image" content="{BASE}{a.image}" />
        <meta property="og:site_name" content="{SITE_NAME}" />
        <!-- e: fb meta -->
        <meta name="twitter:card" content="summary_large_image" />
        <meta name="twitter:title" content="{esc(full)}" />
        <meta name="twitter:image" content="{BASE}{a.image}" />{amp}
{dable}{datalayer}
{json_ld(a) if a.json_ld else ""}"""
    return head(full, desc, extra)


def baca_juga(a: Article, key: str) -> str:
    target = BY_KEY[key]
    link = f'<a href="{target.path}">{esc(target.title)}</a>'
    if a.baca_juga_style == "read_others":
        return f'<p><strong class="read__others">Baca Juga: {link}</strong></p>'
    return f"<p><strong>Baca Juga: {link}</strong></p>"


def photo_html(path: str, caption: str, alt: str) -> str:
    return f"""<div class="photo">
                    <div class="photo__img">
                        <img src="{img(path)}" alt="{esc(alt)}">
                    </div>
                    <div class="photo__caption">{esc(caption)}</div>
                    </div>"""


INLINE_AD = """<center>
<!-- ads square -->
<div class="ads mt3 clearfix">
    <div class="ads__box">
        <div id='div-gpt-ad-InsideMR'>
            <script>
                googletag.cmd.push(function() { googletag.display('div-gpt-ad-InsideMR'); });
            </script>
        </div>
    </div>
</div>
</center>
"""


def article_content(a: Article, n: int) -> str:
    """The inside of article.read__content for page ``n`` (1-based)."""
    blocks = a.pages[n - 1]
    last_para = max(i for i, b in enumerate(blocks) if isinstance(b, Para))
    is_last_page = n == len(a.pages)
    parts: list[str] = []
    if n == 2 and a.inline_photo:
        photo, cap = a.inline_photo
        parts.append(f"<p> {photo_html(f'/assets/photo/{photo}.png', cap, cap)} </p>")
    first_para = True
    for i, block in enumerate(blocks):
        if isinstance(block, BacaJuga):
            parts.append(baca_juga(a, block.key))
            continue
        body = inline_html(block.text, nbsp=a.nbsp)
        if n == 1 and first_para and a.dateline:
            body = f"{a.dateline} - {body}"
        if is_last_page and i == last_para and a.end_mark:
            body += "***"
        first_para = False
        parts.append(f"<p>{body}</p>")
        if i == 2:
            parts.append(INLINE_AD)
    if a.nbsp:
        parts.append("<p>&nbsp;</p>")
    return " ".join(parts)


def pager(a: Article, n: int) -> str:
    total = len(a.pages)
    if total == 1:
        return ""
    url = BASE + a.path
    items = []
    for i in range(1, total + 1):
        if i == n:
            link = f'<a href="#" class="paging__link paging__link--active">{i}</a>'
        elif i == 1:
            link = (
                f'<a href="{url}" class="paging__link" data-ci-pagination-page="1" '
                f'rel="start">1</a>'
            )
        else:
            link = (
                f'<a href="{url}?page={i}" class="paging__link" '
                f'data-ci-pagination-page="{i}">{i}</a>'
            )
        items.append(f'<div class="paging__item">{link}</div>')
    if n < total:
        items.append(
            f'<div class="paging__all"><a href="{url}?page={n + 1}" class="paging__link" '
            f'data-ci-pagination-page="{n + 1}" rel="next">Selanjutnya</a></div>'
        )
    return (
        '<div class="paging paging--article clearfix"><div class="paging__teaser">Halaman: '
        f'</div><div class="paging__wrap clearfix">{"".join(items)}</div></div>'
    )


def credits_html(a: Article, n: int) -> str:
    if not EDITOR_ON_EVERY_PAGE and n != len(a.pages):
        return ""
    out = f"""        <p>
        Editor: <a>{esc(a.editor)}</a>
        </p>
"""
    if a.source:
        out += f"        <p>Sumber: {esc(a.source)}</p>\n"
    return out


def share(a: Article) -> str:
    url = BASE + a.path
    title = esc(a.title)
    return f"""        <div class="social social--article clearfix">
            <strong><span style="margin:10px;display:block;">SHARE: </span></strong>
            <div class="social__item">
                <a href="javascript:void(0)" onclick='fb_share("{title}", "{url}")' class="social__link social__link--facebook">
                    <span class="icon icon-facebook"></span>
                </a>
            </div>
            <div class="social__item">
            <a target="_blank" href="https://api.whatsapp.com/send?text={title} {url}" class="social__link social__link--whatsapp">
                <span class="icon icon-whatsapp"></span>
            </a>
            </div>
            <div class="social__item">
                <a href="javascript:void(0)" onclick='tweet_share("{title} {url}")' class="social__link social__link--twitter">
                    <span class="icon icon-twitter"></span>
                </a>
            </div>
        </div>
"""  # noqa: E501 - copied share markup


def tags_block(a: Article) -> str:
    items = "\n".join(
        f"""                    <li>
                        <h4><a href="{tag_href(t)}">{esc(t)}</a></h4>
                    </li>"""
        for t in a.tags
    )
    return f"""        <section class="read__tagging mt3 clearfix">
            <h3 class="title6"><span>Tags</span></h3>
            <div class="tag tag--article clearfix">
                <ul class="tag__list">
{items}
                </ul>
            </div>
        </section>
"""


def others(a: Article) -> list[Article]:
    return [o for o in HOME if o.key != a.key]


def related_block(a: Article) -> str:
    items = "\n".join(
        f"""                    <li>
                        <h2 class="related__title">
                            <a href="{o.path}" class="related__link">{esc(o.title)}</a>
                        </h2>
                    </li>"""
        for o in others(a)[:4]
    )
    return f"""        <section class="read__comment mt3 clearfix">
            <h3 class="title6"><span>{a.rekomendasi}</span></h3>
            <div class="read__related clearfix">
                <ul class="related__list clearfix">
{items}
                </ul>
            </div>
        </section>
"""


def terkini_block(a: Article) -> str:
    items = []
    for o in others(a)[:6]:
        href = o.amp_path if o.key == AMP_IN_TERKINI else o.path
        items.append(latest_item(o, href, subtitle=False))
    return f"""        <section class="latest latest--article mt3 clearfix">
            <h3 class="title6"><span>Terkini</span></h3>
            <div class="latest__wrap">
{ad_box("nativeMidCenter1Detail")}
{chr(10).join(items)}
            </div>
        </section>
"""


def kabar_daerah_block(a: Article) -> str:
    items = []
    for o in others(a):
        if o.section != "banggai":
            continue
        items.append(f"""                <div class="network__item">
                    <h4 class="network__city"><a href="/{o.section}">{SECTIONS[o.section]}</a></h4>
                    <div class="network__img">
                        <a href="{o.path}"><img src="{img(o.image)}" alt="{esc(o.title)}"></a>
                    </div>
                    <div class="network__box">
                        <h2 class="network__title">
                            <a href="{o.path}" class="network__link">{esc(o.title)}</a>
                        </h2>
                    </div>
                </div>""")
    return f"""    <div class="row clearfix">
        <div class="container clearfix">
            <section class="row mt2 clearfix">
                <h3 class="title5"><span>Kabar Daerah</span></h3>
                <div class="network__sidebar js--network-sidebar">
{chr(10).join(items)}
                </div>
            </section>
        </div>
    </div>
"""


def article_page(a: Article, n: int) -> str:
    section_name = SECTIONS[a.section]
    main = f"""                    <div class="breadcrumb clearfix">
	<ul class="breadcrumb__wrap">
		<li class="breadcrumb__item"><a class="breadcrumb__link" href="/">Home</a></li>
		<li class="breadcrumb__item"><a class="breadcrumb__link" href="/{a.section}">{section_name}</a></li>
	</ul>
</div>
<!-- header -->
<section class="clearfix">
    <div class="mt3 clearfix">

        <h1 class="read__title">{esc(a.title)}</h1>

        <div class="read__info">
                            <div class="read__info__author">
                    <a>{esc(a.author)}</a>
                </div>
                        <div class="read__info__date">
                {visible_date(a)}            </div>
        </div>

        <div class="photo">
            <div class="photo__img">
                    <img src="{img(a.image)}" alt="{esc(a.caption_text)}">
                    <div class="photo__caption">
                        {esc(a.caption)}
                    </div>
                </div>        </div>
    </div>
</section>

<div class="read__article clearfix js--tower-parent">
    <div class="col-bs12-9">

        <!-- content -->
        <article class="read__content clearfix" itemprop="articleBody">
             {article_content(a, n)}        </article>
        {pager(a, n)}
{credits_html(a, n)}
        <center>
        <!-- videoslider -->
{ad_box("videoslider")}
        </center>

        <hr>
{share(a)}{tags_block(a)}
        <!-- comment -->
        <section class="read__comment mt3 clearfix">
            <h3 class="title6"><span>Komentar</span></h3>
            <div class="read__comment clearfix">
                <div class="fb-comments" data-href="{BASE}{a.path}" data-numposts="5" data-width="450"></div>
            </div>
        </section>
{related_block(a)}{terkini_block(a)}
    </div>
</div>"""
    return (
        article_head(a)
        + site_header()
        + page_layout(main, sidebar=most_block(), below=kabar_daerah_block(a))
        + site_footer()
    )


def amp_page(a: Article) -> str:
    """The AMP variant (one page: the AMP article of a single-page article)."""
    texts = [inline_html(b.text, nbsp=False) for b in a.pages[0] if isinstance(b, Para)]
    if a.dateline:
        texts[0] = f"{a.dateline} - {texts[0]}"
    if a.end_mark:
        texts[-1] += "***"
    paras = "".join(f"<p>{t}</p>" for t in texts)
    tags = "\n".join(
        f'\t\t\t\t\t\t\t<li>\n\t\t\t\t\t\t\t\t<h4><a href="{tag_href(t)}">{esc(t)}</a></h4>'
        "\n\t\t\t\t\t\t\t</li>"
        for t in a.tags
    )
    latest = "\n".join(latest_item(o, subtitle=False) for o in others(a)[:5])
    return f"""<!doctype html>
<html ⚡ lang="id">
	<head>
		<meta charset="utf-8">
		<meta name="viewport" content="width=device-width,minimum-scale=1">
		<meta name="description" content="{esc(summary(a))}">
		<script async src="https://cdn.ampproject.org/v0.js"></script>
		<script async custom-element="amp-ad" src="https://cdn.ampproject.org/v0/amp-ad-0.1.js"></script>
		<script async custom-element="amp-social-share" src="https://cdn.ampproject.org/v0/amp-social-share-0.1.js"></script>
		<style amp-boilerplate>body{{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}}@keyframes -amp-start{{from{{visibility:hidden}}to{{visibility:visible}}}}</style><noscript><style amp-boilerplate>body{{-webkit-animation:none;animation:none}}</style></noscript>
		<link rel="canonical" href="{BASE}{a.path}">
		<meta property="og:url" content="{BASE}{a.path}" />
		<meta property="og:title" content="{esc(a.title)} - {SITE_NAME}" />
		<meta property="article:published_time" content="{a.when.isoformat()}">
{json_ld(a) if a.json_ld else ""}
		<title>{esc(a.title)} - {SITE_NAME}</title>
	</head>
	<body>
		<header class="header">
			<div class="header__top">
				<div class="logo">
					<a href="/">
						<amp-img src="{img("/assets/images/logo_klik_banggai_demo.png")}" alt="{SITE_NAME}" height="40" width="223"></amp-img>
					</a>
				</div>
			</div>
		</header>
		<div class="container">
				<div class="breadcrumb clearfix">
					<ul class="breadcrumb__wrap">
						<li class="breadcrumb__item"><a class="breadcrumb__link" href="/">Home</a></li>
						<li class="breadcrumb__item"><a class="breadcrumb__link" href="/{a.section}">{SECTIONS[a.section]}</a></li>
					</ul>
				</div>
				<div class="photo">
					<div class="photo__img">
						<amp-img src="{img(a.image)}" alt="{esc(a.caption_text)}" width="640" height="384" layout="responsive"></amp-img>
					</div>
					<div class="photo__caption">{esc(a.caption)}</div>
				</div>
				<section class="read__header clearfix">
					<h1 class="read__title">{esc(a.title)}</h1>
					<div class="read__info">
						<div class="read__info__author">
							<a>{esc(a.author)}</a>
						</div>
						<div class="read__info__date">
							{visible_date(a)}
						</div>
					</div>
					<div class="social social--article clearfix">
						<div class="social__item facebook">
							<amp-social-share class="rounded" width="29" height="29" type="facebook"></amp-social-share>
						</div>
						<div class="social__item twitter">
							<amp-social-share class="rounded" width="29" height="29" type="twitter"></amp-social-share>
						</div>
						<div class="social__item whatsapp">
							<amp-social-share class="rounded" width="29" height="29" type="whatsapp"></amp-social-share>
						</div>
					</div>
				</section>
				<article class="read__content clearfix">
					{paras}
				</article>
				<p>Editor: <a>{esc(a.editor)}</a></p>
				{f"<p>Sumber: {esc(a.source)}</p>" if a.source else ""}
				<div class="ads mt2 clearfix">
					<amp-ad width=300 height=250 type="doubleclick" data-slot="/0000000/klik_banggai_demo/amp"></amp-ad>
				</div>
				<section class="read__tagging mt2 clearfix">
					<h3 class="title6"><span>Tags</span></h3>
					<div class="tag tag--article clearfix">
						<ul class="tag__list">
{tags}
						</ul>
					</div>
				</section>
				<section class="latest latest--article mt2 clearfix">
					<h3 class="title6"><span>Terkini</span></h3>
					<div class="latest__wrap">
{latest}
					</div>
				</section>
		</div>
	</body>
</html>
"""  # noqa: E501 - copied AMP markup


# --------------------------------------------------------------------------------------------
# Listing and other pages
# --------------------------------------------------------------------------------------------


def listing_page(title: str, heading: str, articles: list[Article], paging: str = "") -> str:
    items = "\n".join(latest_item(a) for a in articles)
    main = f"""                    <section class="page clearfix">
                        <h3 class="title"><span>{esc(heading)}</span></h3>
                        <div class="latest__wrap">
{items}
                        </div>
{paging}
                    </section>"""
    return (
        head(f"{title} - {SITE_NAME}", f"{title} - {SITE_NAME}")
        + site_header()
        + page_layout(main, sidebar=most_block())
        + site_footer()
    )


def tag_paging(tag: str, n: int, total: int) -> str:
    if total == 1:
        return ""
    base = tag_href(tag)

    def href(i: int) -> str:
        return base if i == 1 else f"{base}?page={i}"

    items = []
    if n > 1:
        items.append(f'<a class="paging__link paging__link--prev" href="{href(n - 1)}">Prev</a>')
    for i in range(1, total + 1):
        active = " paging__link--active" if i == n else ""
        items.append(f'<a class="paging__link{active}" href="{href(i)}">{i}</a>')
    if n < total:
        items.append(f'<a class="paging__link paging__link--next" href="{href(n + 1)}">Next</a>')
    inner = "\n".join(
        f'                                <div class="paging__item">\n'
        f"                                    {link}\n"
        f"                                </div>"
        for link in items
    )
    return f"""                        <div class="paging paging--page clearfix">
                            <div class="paging__wrap clearfix">
{inner}
                            </div>
                        </div>"""


def tag_pages(tag: str) -> dict[str, str]:
    tagged = newest_first([a for a in ARTICLES if tag in a.tags])
    chunks = [tagged[i : i + TAG_PAGE_SIZE] for i in range(0, len(tagged), TAG_PAGE_SIZE)]
    out = {}
    for n, chunk in enumerate(chunks, 1):
        name = "index.html" if n == 1 else f"page-{n}.html"
        out[f"tag/{tag}/{name}"] = listing_page(
            f"Berita Terkini Seputar {tag}", f"#{tag}", chunk, tag_paging(tag, n, len(chunks))
        )
    return out


def home_page() -> str:
    top = HOME[0]
    headline = f"""                    <section class="hl clearfix">
                        <div class="hl__big">
                            <div class="hl__b-item">
                                <div class="hl__b-img">
                                    <div class="hl__b-cat">Headline</div>
                                    <img src="{img(top.image)}" alt="{esc(top.title)}">
                                </div>
                                <div class="hl__b-box">
                                    <h4 class="hl__b-subtitle"><a class="hl__link" href="/{top.section}">{SECTIONS[top.section]}</a></h4>
                                    <h1 class="hl__b-title"><a class="hl__link" href="{top.path}">{esc(top.title)}</a></h1>
                                    <date class="hl__b-date">{listing_date(top)}</date>
                                </div>
                            </div>
                        </div>
                    </section>"""  # noqa: E501
    items = "\n".join(latest_item(a) for a in HOME[1:])
    main = f"""{headline}
                    <section class="latest mt3 clearfix">
                        <h3 class="title"><span>Berita Terkini</span></h3>
                        <div class="latest__wrap">
{items}
                        </div>
                    </section>"""
    title = f"{SITE_NAME} - Berita Terkini Banggai dan Sulawesi Tengah"
    extra = f"""        <meta property="og:type" content="website" />
        <meta property="og:url" content="{BASE}/" />
        <meta property="og:title" content="{title}" />
        <meta property="og:site_name" content="{SITE_NAME}" />"""
    return (
        head(title, "Berita terkini dari Banggai, Sulawesi Tengah, nasional, dan dunia.", extra)
        + site_header()
        + page_layout(main, sidebar=most_block(utm=True))
        + site_footer()
    )


def static_page(title: str, paragraphs: tuple[str, ...]) -> str:
    body = "\n".join(f"                            <p>{esc(p)}</p>" for p in paragraphs)
    main = f"""                    <section class="page clearfix">
                        <h1 class="page__title">{esc(title)}</h1>
                        <div class="page__content">
{body}
                        </div>
                    </section>"""
    return (
        head(f"{title} - {SITE_NAME}", title)
        + site_header()
        + page_layout(main, sidebar=most_block())
        + site_footer()
    )


def sitemap() -> str:
    urls = [
        f"""  <url>
    <loc>{BASE}{a.path}</loc>
    <news:news>
      <news:publication>
        <news:name>{SITE_NAME}</news:name>
        <news:language>id</news:language>
      </news:publication>
      <news:publication_date>{a.when.isoformat()}</news:publication_date>
      <news:title>{xml_escape(a.title)}</news:title>
      <news:keywords>{xml_escape(", ".join(a.tags))}</news:keywords>
    </news:news>
    <image:image>
      <image:loc>{BASE}{a.image}</image:loc>
    </image:image>
  </url>"""
        for a in newest_first([a for a in ARTICLES if a.in_sitemap])
    ]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
{chr(10).join(urls)}
</urlset>
"""


ROBOTS = f"""User-agent: *
Allow: /

Sitemap: {BASE}/sitemap-news.xml
"""


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG: placeholder for every photo (the crawler never needs real pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------------------------
# The oracle
# --------------------------------------------------------------------------------------------


def expected() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for a in sorted(ARTICLES, key=lambda a: a.path):
        alternates = []
        if a.amp:
            alternates.append(a.amp_path)
        if a.key == UTM_KEY:
            alternates.append(a.path + UTM_QUERY)
        out[a.path] = {
            "title": a.title,
            "published_at": a.when.isoformat(),
            "author": [a.author],
            "editor": a.editor,
            "source": a.source,
            "dateline": a.dateline,
            "section": SECTIONS[a.section],
            "tags": list(a.tags),
            "image_caption": a.caption,
            "pages": len(a.pages),
            "related_urls": [BY_KEY[k].path for k in a.related],
            "body": "\n\n".join(a.paragraphs),
            "reachable_via": a.reachable_via,
            "alternate_urls": alternates,
            "visible_date": visible_date(a),
            "has_json_ld": a.json_ld,
        }
    return out


def validate() -> None:
    """Fail loudly if the data breaks the site's promises (see README)."""
    for a in ARTICLES:
        for key in a.related:
            target = BY_KEY[key]  # KeyError: dangling Baca Juga
            if target.when >= a.when:
                raise ValueError(f"{a.key}: Baca Juga to a newer article {key}")
            if target.reachable_via == "tag":
                raise ValueError(f"{a.key}: Baca Juga to tag-only article {key}")
        for tag in re.findall(r"\[\[(?:[^\]|]+\|)?([^\]|]+)\]\]", a.text):
            if tag not in a.tags:
                raise ValueError(f"{a.key}: inline link to a tag it does not carry: {tag}")
        if not 5 <= len(a.paragraphs) <= 15:
            raise ValueError(f"{a.key}: {len(a.paragraphs)} paragraphs")
    if len({a.pr for a in ARTICLES}) != len(ARTICLES):
        raise ValueError("duplicate pr ids")


# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------


def render_site() -> dict[str, bytes]:
    """Every file of the site, relative path -> bytes (deterministic)."""
    validate()
    pages: dict[str, str] = {"index.html": home_page(), "robots.txt": ROBOTS}
    pages["sitemap-news.xml"] = sitemap()
    for a in ARTICLES:
        base = a.path.lstrip("/")
        for n in range(1, len(a.pages) + 1):
            name = "index.html" if n == 1 else f"page-{n}.html"
            pages[f"{base}/{name}"] = article_page(a, n)
        if a.amp:
            pages[f"{a.amp_path.lstrip('/')}/index.html"] = amp_page(a)
    for tag in TAGS:
        pages.update(tag_pages(tag))
    for slug, name in SECTIONS.items():
        arts = [a for a in HOME if a.section == slug]
        pages[f"{slug}/index.html"] = listing_page(name, name, arts)
    pages["indeks/index.html"] = listing_page("Indeks Berita", "Indeks Berita", HOME)
    for slug, (title, paras) in STATIC_PAGES.items():
        pages[f"{slug}/index.html"] = static_page(title, paras)
    pages["expected.json"] = json.dumps(expected(), ensure_ascii=False, indent=2) + "\n"
    files = {path: text.encode("utf-8") for path, text in pages.items()}
    files["assets/images/logo_klik_banggai_demo.png"] = png(255, 55, (0, 84, 166))
    files["assets/images/favicon.png"] = png(16, 16, (0, 84, 166))
    photos = [a.photo for a in ARTICLES] + [a.inline_photo[0] for a in ARTICLES if a.inline_photo]
    for i, photo in enumerate(photos):
        shade = 96 + (i * 11) % 128
        files[f"assets/photo/{photo}.png"] = png(75, 50, (shade, shade, shade))
    return dict(sorted(files.items()))


def on_disk(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write_site(files: dict[str, bytes], root: Path) -> None:
    for rel in set(on_disk(root)) - set(files) if root.exists() else ():
        (root / rel).unlink()
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    for d in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(d.iterdir()):
            d.rmdir()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SITE_DIR)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    files = render_site()
    if args.check:
        current = on_disk(args.out) if args.out.exists() else {}
        stale = sorted(k for k in files.keys() | current.keys() if files.get(k) != current.get(k))
        for rel in stale:
            sys.stderr.write(f"differs: {rel}\n")
        return 1 if stale else 0
    write_site(files, args.out)
    sys.stdout.write(f"wrote {len(files)} files to {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
