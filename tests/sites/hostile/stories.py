"""The articles of the hostile demo portal "Warta Uji": their text, and which fault each one carries.

Plain data, read by ``server.py`` to render PRMN-style pages. The expected crawl output (cleaned
bodies, ISO dates, stat keys) is written separately, by hand, in ``expected.json``: this module says
what the server sends, ``expected.json`` says what the crawler must make of it.

Paragraphs are as the CMS writes them: the first opens with the dateline, some are "Baca Juga"
boxes (written ``BACA:<story id>``, rendered as a link to that story), so the crawler's cleaning
has real work to do.
"""

from __future__ import annotations

from dataclasses import dataclass

PORTAL_NAME = "Warta Uji"
DATELINE = "WARTA UJI - "


@dataclass(frozen=True)
class Story:
    """One article as the portal publishes it; ``fault`` names how the server mistreats it."""

    id: int
    section: str
    slug: str
    title: str
    date: str  # visible date as the CMS prints it, without the leading "- "
    iso: str | None  # article:published_time, None when the page carries no machine date
    author: str
    tags: tuple[str, ...]
    pages: tuple[tuple[str, ...], ...]
    fault: str = ""
    # Linked from the home page (False: only reachable another way, e.g. from a tag page).
    on_home: bool = True

    @property
    def path(self) -> str:
        """The canonical path: ``/<section>/pr-<id>/<slug>``."""
        return f"/{self.section}/pr-{self.id}/{self.slug}"


STORIES: tuple[Story, ...] = (
    # --- good articles, served correctly -----------------------------------------------------
    Story(
        7100001, "daerah", "banjir-bandang-terjang-tiga-desa-di-kecamatan-toili",
        "Banjir Bandang Terjang Tiga Desa di Kecamatan Toili",
        "24 Juni 2022, 15:44 WIB", "2022-06-24T15:44:00+07:00", "Rahmat Hidayat", ("banjir", "Toili"),
        ((
            DATELINE + "Banjir bandang menerjang tiga desa di Kecamatan Toili setelah hujan deras mengguyur "
            "wilayah itu sejak Kamis sore.",
            ("Kepala Pelaksana BPBD setempat mengatakan air mulai naik sekitar pukul 21.00 dan merendam "
            "puluhan rumah warga di bantaran sungai."),
            "BACA:7100003",
            ("Warga yang rumahnya terendam sementara mengungsi ke balai desa dan rumah kerabat yang berada "
            "di dataran lebih tinggi."),
            ("Petugas gabungan masih mendata kerugian, termasuk sawah dan kebun kakao yang rusak diterjang "
            "arus."),
        ),),
    ),
    Story(
        7100002, "nasional", "pemerintah-umumkan-jadwal-seleksi-pppk-guru-tahun-ini",
        "Pemerintah Umumkan Jadwal Seleksi PPPK Guru Tahun Ini",
        "25 Juni 2022, 09:10 WIB", "2022-06-25T09:10:00+07:00", "Siti Aminah", ("PPPK", "guru"),
        (
            (
                DATELINE + "Pemerintah mengumumkan jadwal seleksi Pegawai Pemerintah dengan Perjanjian Kerja "
                "(PPPK) untuk guru tahun ini.",
                "Pendaftaran dibuka secara daring dan peserta diminta menyiapkan dokumen sejak jauh hari.",
            ),
            (
                "Seleksi kompetensi akan digelar di sejumlah titik lokasi ujian di setiap provinsi.",
                "Pelamar disarankan memantau pengumuman resmi agar tidak tertipu informasi palsu.",
            ),
        ),
    ),
    Story(
        7100003, "daerah", "harga-cengkeh-naik-petani-sambut-panen-raya",
        "Harga Cengkeh Naik, Petani Sambut Panen Raya",
        "23 Juni 2022, 08:00 WIB", "2022-06-23T08:00:00+07:00", "Andi Mappiare", ("cengkeh",),
        ((
            DATELINE + "Harga cengkeh kering di tingkat petani naik menjelang panen raya bulan depan.",
            ("Sejumlah pedagang pengumpul mengaku stok di gudang menipis sehingga mereka berani membeli "
            "dengan harga lebih tinggi."),
            "Petani berharap kenaikan harga bertahan sampai seluruh hasil panen terjual.",
        ),),
        on_home=False,
    ),
    Story(
        7100004, "nasional", "stok-minyak-goreng-curah-dipastikan-aman",
        "Stok Minyak Goreng Curah Dipastikan Aman",
        "26 Juni 2022, 13:25 WIB", "2022-06-26T13:25:00+07:00", "Dewi Lestari", ("minyak goreng",),
        ((
            DATELINE + "Kementerian Perdagangan memastikan stok minyak goreng curah aman hingga akhir tahun.",
            "Distribusi ke pasar tradisional terus dipantau agar harga eceran tidak melonjak.",
            "Pedagang diminta melapor bila pasokan dari distributor terlambat lebih dari tiga hari.",
        ),),
        fault="variants",
    ),
    Story(
        7100005, "nasional", "bmkg-ingatkan-potensi-gelombang-tinggi-di-perairan-selatan",
        "BMKG Ingatkan Potensi Gelombang Tinggi di Perairan Selatan",
        "27 Juni 2022, 06:30 WIB", "2022-06-27T06:30:00+07:00", "Budi Santoso", ("cuaca",),
        ((
            DATELINE + "BMKG mengingatkan potensi gelombang setinggi empat meter di perairan selatan.",
            "Nelayan dengan kapal kecil diminta tidak melaut sampai peringatan dicabut.",
        ),),
        fault="error_500_once",
    ),
    Story(
        7100006, "daerah", "pasar-murah-digelar-jelang-iduladha",
        "Pasar Murah Digelar Jelang Iduladha",
        "28 Juni 2022, 10:00 WIB", "2022-06-28T10:00:00+07:00", "Rahmat Hidayat", ("Iduladha",),
        ((
            DATELINE + "Pemerintah kabupaten menggelar pasar murah di lima kecamatan menjelang Iduladha.",
            "Beras, gula dan minyak goreng dijual di bawah harga pasar selama tiga hari.",
        ),),
        fault="error_503_once",
    ),
    Story(
        7100007, "daerah", "jembatan-darurat-selesai-dibangun-warga-kembali-beraktivitas",
        "Jembatan Darurat Selesai Dibangun, Warga Kembali Beraktivitas",
        "29 Juni 2022, 16:20 WIB", "2022-06-29T16:20:00+07:00", "Siti Aminah", ("jembatan",),
        ((
            DATELINE + "Jembatan darurat yang menghubungkan dua desa selesai dibangun dalam waktu sepekan.",
            "Anak-anak kini bisa kembali bersekolah tanpa harus menyeberangi sungai dengan rakit.",
        ),),
        fault="slow_once",
    ),
    Story(
        7100008, "nasional", "vaksinasi-booster-diperluas-ke-puskesmas",
        "Vaksinasi Booster Diperluas ke Puskesmas",
        "30 Juni 2022, 11:45 WIB", "2022-06-30T11:45:00+07:00", "Dewi Lestari", ("vaksinasi",),
        ((
            DATELINE + "Layanan vaksinasi dosis penguat kini tersedia di seluruh puskesmas.",
            "Warga cukup membawa kartu identitas dan tidak perlu mendaftar lebih dahulu.",
        ),),
        fault="drop_once",
    ),
    Story(
        7100009, "daerah", "festival-kuliner-hadirkan-kafe-dan-pedagang-lokal",
        "Festival Kuliner “Rasa Daerah” Hadirkan Kafé dan Pedagang Lokal",
        "1 Juli 2022, 19:00 WIB", "2022-07-01T19:00:00+07:00", "Andi Mappiare", ("kuliner",),
        ((
            DATELINE + "Festival kuliner “Rasa Daerah” menghadirkan puluhan kafé dan pedagang lokal – "
            "mulai dari kopi hingga kue tradisional.",
            "‘Kami ingin pengunjung mengenal rasa asli daerah,’ kata ketua panitia… sambil tersenyum.",
        ),),
        fault="cp1252_as_utf8",
    ),
    Story(
        7100010, "daerah", "pelajar-raih-medali-olimpiade-sains",
        "Pelajar Raih Medali Olimpiade Sains — Sekolah Gelar Syukuran",
        "2 Juli 2022, 08:30 WIB", "2022-07-02T08:30:00+07:00", "Budi Santoso", ("pendidikan",),
        ((
            DATELINE + "Dua pelajar meraih medali perak pada olimpiade sains tingkat nasional “OSN 2022”.",
            ("Sekolah menggelar syukuran sederhana — kepala sekolah berharap prestasi itu memotivasi adik "
            "kelas mereka."),
        ),),
        fault="utf8_as_cp1252",
    ),
    Story(
        7100011, "daerah", "warga-gotong-royong-bersihkan-saluran-air",
        "Warga Gotong Royong Bersihkan Saluran Air",
        "3 Juli 2022, 07:15 WIB", "2022-07-03T07:15:00+07:00", "Rahmat Hidayat", ("lingkungan",),
        ((
            DATELINE + "Ratusan warga bergotong royong membersihkan saluran air di pusat kota.",
            "Sampah plastik dan lumpur yang menyumbat saluran diangkut dengan truk milik dinas.",
            ("Lurah setempat berencana menggelar kegiatan serupa setiap bulan, terutama [[CUT]]menjelang "
            "musim hujan yang diperkirakan datang lebih awal."),
        ),),
        fault="truncated",
    ),
    Story(
        7100012, "nasional", "harga-tiket-pesawat-turun-jelang-libur-sekolah",
        "Harga Tiket Pesawat Turun Jelang Libur Sekolah",
        "4 Juli 2022, 12:00 WIB", None, "Siti Aminah", ("transportasi",),
        ((
            DATELINE + "Harga tiket pesawat rute domestik turun menjelang libur sekolah.",
            "Maskapai menambah frekuensi penerbangan untuk mengantisipasi lonjakan penumpang.",
        ),),
        fault="jsonld_broken",
    ),
    Story(
        7100013, "daerah", "jadwal-pemadaman-listrik-bergilir-diumumkan",
        "Jadwal Pemadaman Listrik Bergilir Diumumkan",
        "24 Juni 2099, 15:44 WIB", "2099-06-24T15:44:00+07:00", "Budi Santoso", ("listrik",),
        ((
            DATELINE + "Perusahaan listrik mengumumkan jadwal pemadaman bergilir untuk perawatan gardu.",
            "Warga diimbau menyiapkan penerangan cadangan selama pemadaman berlangsung.",
        ),),
        fault="future_date",
    ),
    Story(
        7100014, "nasional", "kurikulum-baru-mulai-diterapkan-di-sekolah-penggerak",
        "Kurikulum Baru Mulai Diterapkan di Sekolah Penggerak",
        "5 Juli 2022, 09:00 WIB", "2022-07-05T09:00:00+07:00", "Dewi Lestari", ("pendidikan",),
        (
            (
                DATELINE + "Kurikulum baru mulai diterapkan di sekolah penggerak pada tahun ajaran ini.",
                "Guru mendapat pelatihan singkat sebelum kegiatan belajar dimulai.",
            ),
            (
                "Halaman kedua ini tidak pernah sampai: server selalu gagal mengirimnya.",
            ),
        ),
        fault="page2_fails",
    ),
    Story(
        7100015, "daerah", "dermaga-baru-siap-layani-kapal-penumpang",
        "Dermaga Baru Siap Layani Kapal Penumpang",
        "6 Juli 2022, 14:10 WIB", "2022-07-06T14:10:00+07:00", "Andi Mappiare", ("pelabuhan",),
        ((
            DATELINE + "Dermaga baru di pelabuhan kota siap melayani kapal penumpang mulai pekan depan.",
            "Pengelola menyiapkan ruang tunggu yang lebih luas dan loket tiket daring.",
        ),),
        fault="moved",
    ),
    # --- bad pages: never delivered ------------------------------------------------------------
    Story(7200001, "nasional", "server-selalu-gagal", "Server Selalu Gagal", "7 Juli 2022, 08:00 WIB",
          None, "Redaksi", (), (("Tidak pernah terkirim.",),), fault="error_500_always"),
    Story(7200002, "nasional", "berita-sudah-dihapus", "Berita Sudah Dihapus", "7 Juli 2022, 08:05 WIB",
          None, "Redaksi", (), (("Tidak pernah terkirim.",),), fault="not_found"),
    Story(7200003, "daerah", "server-tak-pernah-menjawab", "Server Tak Pernah Menjawab",
          "7 Juli 2022, 08:10 WIB", None, "Redaksi", (), (("Tidak pernah terkirim.",),), fault="slow_always"),
    Story(7200004, "daerah", "koneksi-selalu-putus", "Koneksi Selalu Putus", "7 Juli 2022, 08:15 WIB",
          None, "Redaksi", (), (("Tidak pernah terkirim.",),), fault="drop_always"),
    Story(7200005, "nasional", "halaman-raksasa-dengan-panjang", "Halaman Raksasa", "7 Juli 2022, 08:20 WIB",
          None, "Redaksi", (), (("Tidak pernah terkirim.",),), fault="huge_sized"),
    Story(7200006, "nasional", "halaman-raksasa-mengalir", "Halaman Raksasa Mengalir", "7 Juli 2022, 08:25 WIB",
          None, "Redaksi", (), (("Tidak pernah terkirim.",),), fault="huge_streamed"),
    Story(7200007, "daerah", "putaran-a", "Putaran", "7 Juli 2022, 08:30 WIB",
          None, "Redaksi", (), (("Tidak pernah terkirim.",),), fault="redirect_loop"),
    Story(7200008, "daerah", "ke-diri-sendiri", "Ke Diri Sendiri", "7 Juli 2022, 08:35 WIB",
          None, "Redaksi", (), (("Tidak pernah terkirim.",),), fault="redirect_self"),
    Story(7200009, "daerah", "rantai-tanpa-ujung", "Rantai Tanpa Ujung", "7 Juli 2022, 08:40 WIB",
          None, "Redaksi", (), (("Tidak pernah terkirim.",),), fault="redirect_chain"),
    Story(7200010, "nasional", "pindah-ke-situs-lain", "Pindah ke Situs Lain", "7 Juli 2022, 08:45 WIB",
          None, "Redaksi", (), (("Tidak pernah terkirim.",),), fault="redirect_offsite"),
    Story(
        7200011, "nasional", "berita-tanpa-judul", "", "7 Juli 2022, 08:50 WIB", None, "Redaksi", (),
        ((
            DATELINE + "Halaman ini punya isi tetapi judulnya kosong karena kesalahan CMS.",
            "Tanpa judul, artikel ini tidak dapat dikirim ke pelanggan.",
        ),),
        fault="no_title",
    ),
    Story(7200012, "nasional", "berita-tanpa-isi", "Berita Tanpa Isi", "7 Juli 2022, 08:55 WIB", None,
          "Redaksi", (), ((),), fault="no_body"),
    Story(7200013, "daerah", "halaman-kosong", "Halaman Kosong", "7 Juli 2022, 09:00 WIB", None,
          "Redaksi", (), (("Tidak pernah terkirim.",),), fault="empty_200"),
    Story(7200015, "nasional", "laporan-dalam-pdf", "Laporan dalam PDF", "7 Juli 2022, 09:10 WIB", None,
          "Redaksi", (), (("Tidak pernah terkirim.",),), fault="binary"),
    Story(
        7200014, "rahasia", "dokumen-internal-redaksi", "Dokumen Internal Redaksi", "7 Juli 2022, 09:05 WIB",
        None, "Redaksi", (), (("Robots.txt melarang halaman ini dibaca oleh perayap.",),), fault="robots",
    ),
)

BY_ID: dict[int, Story] = {s.id: s for s in STORIES}
