"""Each boilerplate rule fires on real lines from the golden pages, and spares text that only resembles it.

FIRES lists, per rule, lines seen on real pages (or in the families' current markup) and what
`boilerplate.clean` must leave of an article made of an ordinary first paragraph, that line and
an ordinary last paragraph. KEPT lists article sentences that look like a rule and must survive
untouched. A rule without a firing line here fails `test_every_rule_has_a_firing_line`.
"""

from __future__ import annotations

import pytest

from newscrawl.extract.boilerplate import RULES, clean, split_dateline

FIRST = "Pemerintah Kota Bogor menambah titik uji emisi kendaraan gratis menjelang musim kemarau."
LAST = "Warga cukup membawa STNK dan datang pada jam layanan yang ditentukan."

# (rule, line as the page shows it, what remains of the line: None = removed, or the kept text,
#  and for CUT rules the LAST paragraph is gone too)
FIRES: list[tuple[str, str, str | None]] = [
    ("baca_juga", "Baca Juga: Pesan Nunung Setelah Sembuh dari Covid-19", None),
    ("baca_juga", "BACA JUGA: Jalan Pajajaran Ditutup Sementara untuk Perbaikan Saluran Air", None),
    ("baca_juga", "Read also: Charleston shooting suspect identified as 21-yr-old Dylann Roof", None),
    ("baca_juga", 'Simak Video "Banjir Rendam Ratusan Rumah di Demak"', None),
    ("editor", "Editor: Rany Puspitasari", None),
    ("source", "Sumber: Daily Mail", None),
    ("author_line", "Penulis: Glery Lazuardi", None),
    ("end_blocks", "Tags", "CUT"),
    ("end_blocks", "Artikel Pilihan", "CUT"),
    ("end_blocks", "JANGAN LEWATKAN!!!", "CUT"),
    ("end_blocks", "Simak Lifestyle Populer Lainnya", "CUT"),
    ("copyright", "COPYRIGHT © ANTARA 2016", "CUT"),
    ("tags_line", "Tags: uji emisi, Kota Bogor, DLH", "CUT"),
    ("stars", "Jadi para pemain, secara mental harus lebih kuat dari tahun kemarin,” katanya.***",
     "Jadi para pemain, secara mental harus lebih kuat dari tahun kemarin,” katanya."),
    # The closing stars at the end of a last paragraph longer than every other rule's length cap.
    ("stars", "Pemerintah kota menambah titik uji emisi gratis. " * 12 + "***",
     ("Pemerintah kota menambah titik uji emisi gratis. " * 12).strip()),
    ("script_leak", "googletag.cmd.push(function(){googletag.display(‘div-gpt-ad-1477642290967-0’);});", None),
    ("related_tail", ("Dan kami memprediksikan 2-0 untuk kemenangan tuan rumah dalam laga nanti. Simak Juga : Piala "
     "Presiden 2017 : 20 Tim Akan Bersaing di Pramusim Liga Indonesia. [om_brew-WartaSolo.com]"),
     "Dan kami memprediksikan 2-0 untuk kemenangan tuan rumah dalam laga nanti."),
    ("share", "Be Sociable, Share!", None),
    ("reporter_byline", "Laporan Wartawan Tribun Timur, Hasim Arfah", None),
    ("share", "Tweet", None),
    ("source", "Source: bola okezone", None),
    ("css_leak", ("gol ke gawang PSS Sleman pada pertandingan perdana Bali Island Cup. "
     ".title-patnership{width:100%;height:auto;text-align:right;} .title-patnership img{border:none;}"),
     "gol ke gawang PSS Sleman pada pertandingan perdana Bali Island Cup."),
    ("initials", 'Ke depan kami akan kembangkan robot untuk terapi bagian tubuh lainnya," pungkas Nabil. (bgs/rul)',
     'Ke depan kami akan kembangkan robot untuk terapi bagian tubuh lainnya," pungkas Nabil.'),
    ("initials", "In August 2012, six people were shot dead at a Sikh temple in Wisconsin by a neo-Nazi. (dmr)",
     "In August 2012, six people were shot dead at a Sikh temple in Wisconsin by a neo-Nazi."),
    ("initials_line", "(FHM)", None),
    ("initials_line", "[ian]", None),
    ("comments_count", "0 Komentar", "CUT"),
    ("date_line", "Kamis, 05 November 2015 | 11:13 WIB", None),
    ("republished", "Artikel ini telah tayang di Tribunnews.com dengan judul Protokol Kesehatan 3M", "CUT"),
    ("embed_marker", "[Gambas:Video 20detik]", None),
    ("pager", "Halaman selanjutnya", None),
    ("pager", "Halaman 1/2", None),
    ("share", "Bagikan: Facebook Twitter WhatsApp", None),
    ("ads", "ADVERTISEMENT", None),
    ("ads", "SCROLL TO CONTINUE WITH CONTENT", None),
    ("promo", ("Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu akses "
     "berita Kompas.com WhatsApp Channel : https://www.whatsapp.com/channel/0029VaFPbedBPzjZrk13HO3D."), None),
    ("follow_us", "Ikuti update berita Radar Bogor lewat akun Instagram @radarbogor", None),
    ("caption", "Taylor Swift memberikan standing ovation untuk Joey Alexander. Foto: Grammy", None),
    ("caption", "Petugas DLH memeriksa emisi kendaraan di Jalan Pajajaran. /Radar Bogor/", None),
]

# Article sentences that resemble a rule and must stay exactly as they are.
KEPT: list[str] = [
    ("Baca juga buku panduan yang dibagikan petugas di posko sebelum mengisi formulir, kata dia kepada wartawan "
    "yang menunggu sejak pagi di depan kantor kecamatan, sambil menunjukkan contoh formulir yang sudah diisi "
    "lengkap oleh warga lain dan menjelaskan satu per satu kolom yang sering keliru diisi, mulai dari nomor "
    "induk kependudukan hingga alamat domisili terakhir yang harus sesuai dengan kartu keluarga."),
    "Editor senior itu mengatakan redaksi tidak pernah menerima permintaan tersebut.",
    "Tags dan label pada produk impor wajib berbahasa Indonesia, kata Kepala Dinas Perdagangan.",
    "Menurut Badan Pusat Statistik (BPS), inflasi Februari tercatat 0,2 persen (yoy).",
    "Amerika Serikat (AS) dan China sepakat melanjutkan perundingan dagang pekan depan di Jenewa (Swiss).",
    "Warga diminta ikuti berita resmi dari pemerintah daerah dan tidak mudah percaya kabar bohong.",
    "Halaman sekolah itu terendam banjir setinggi 50 sentimeter sejak Senin pagi.",
    "Foto-foto kerusakan itu diunggah warga ke media sosial dan dibagikan ribuan kali.",
]


def _clean_around(line: str) -> list[str]:
    return clean([FIRST, line, LAST]).paragraphs


@pytest.mark.parametrize(("rule", "line", "left"), FIRES, ids=[f"{r}:{ln[:30]}" for r, ln, _ in FIRES])
def test_rule_fires_on_real_line(rule: str, line: str, left: str | None) -> None:
    cleaned = clean([FIRST, line, LAST])
    assert cleaned.fired[rule] >= 1
    if left == "CUT":
        assert cleaned.paragraphs == [FIRST]
    elif left is None:
        assert cleaned.paragraphs == [FIRST, LAST]
    else:
        assert cleaned.paragraphs == [FIRST, left, LAST]


def test_every_rule_has_a_firing_line() -> None:
    assert {rule.name for rule in RULES} <= {rule for rule, _, _ in FIRES}


@pytest.mark.parametrize("line", KEPT, ids=[k[:30] for k in KEPT])
def test_article_text_that_resembles_a_rule_is_kept(line: str) -> None:
    cleaned = clean([FIRST, line, LAST])
    assert cleaned.paragraphs == [FIRST, line, LAST]
    assert not cleaned.fired


def test_credit_lines_fill_fields() -> None:
    cleaned = clean([FIRST, "Editor: Rany Puspitasari", "Sumber: Radar Bogor"])
    assert cleaned.fields == {"editor": "Rany Puspitasari", "source": "Radar Bogor"}


@pytest.mark.parametrize(
    ("paragraph", "dateline", "rest"),
    [
        ("TRIBUNSOLO.COM, JAKARTA --Hingga kini masyarakat masih menunggu.", "TRIBUNSOLO.COM, JAKARTA",
         "Hingga kini masyarakat masih menunggu."),
        ("BANDUNG, (PR).- Pelatih Persib Bandung menyatakan timnya siap.", "BANDUNG, (PR)",
         "Pelatih Persib Bandung menyatakan timnya siap."),
        ("KUTA, KOMPAS.com — Penyerang anyar Persib Bandung bertekad tampil baik.", "KUTA, KOMPAS.com",
         "Penyerang anyar Persib Bandung bertekad tampil baik."),
        ("Jakarta (ANTARA News) - PT Astra Otoparts Tbk meluncurkan ban baru.", "Jakarta (ANTARA News)",
         "PT Astra Otoparts Tbk meluncurkan ban baru."),
        ("Suara.com - Kapolda Bali mengungkapkan empat alat bukti.", "Suara.com",
         "Kapolda Bali mengungkapkan empat alat bukti."),
        ("Harga cabai naik - pedagang mengeluh sepi pembeli.", None,
         "Harga cabai naik - pedagang mengeluh sepi pembeli."),
    ],
)
def test_dateline(paragraph: str, dateline: str | None, rest: str) -> None:
    assert split_dateline(paragraph) == (dateline, rest)


def test_dateline_alone_in_its_own_block() -> None:
    cleaned = clean(["Jakarta -", "Galaxy S6 Edge adalah smartphone jagoan Samsung.", LAST])
    assert cleaned.dateline == "Jakarta"
    assert cleaned.paragraphs == ["Galaxy S6 Edge adalah smartphone jagoan Samsung.", LAST]


def test_cleaning_twice_changes_nothing() -> None:
    once = clean([FIRST, *[line for _, line, _ in FIRES], LAST]).paragraphs
    assert clean(once).paragraphs == once
