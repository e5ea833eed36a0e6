"""Texts written for the syndication site (tests/sites/syndication/portals.py): look-alikes and edits.

Made up for these tests, in the style of regional news: the same events reported independently by
two newsrooms (their own sentences, the same names, numbers and one quote), a series' shared intro,
a portal's own wrapper paragraphs that no boilerplate rule removes, and paragraphs that a
republishing portal adds to a copy. People and places are invented.
"""

from __future__ import annotations

# The same event, written twice by different newsrooms: they must never join one story.
INDEPENDENT: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "kebakaran-pasar-sukamaju",
        (
            ("Api melalap puluhan kios di Pasar Sukamaju, Kecamatan Lembah Hijau, Selasa dini hari. Petugas pemadam "
             "kebakaran baru bisa menjinakkan api sekitar pukul 04.30 setelah mengerahkan tujuh unit mobil pemadam."),
            ("Kepala Dinas Pemadam Kebakaran, Hendra Saputra, memperkirakan 46 kios pakaian dan sembako hangus. "
             "Tidak ada korban jiwa dalam peristiwa itu, namun kerugian pedagang ditaksir mencapai miliaran rupiah."),
            '"Dugaan awal api berasal dari korsleting listrik di salah satu kios pakaian," kata Hendra di lokasi.',
            ("Para pedagang yang kiosnya terbakar berharap pemerintah daerah segera menyediakan tempat berjualan "
             "sementara. Sebagian dari mereka sudah menggelar dagangan di tepi jalan depan pasar pada pagi harinya."),
            ("Polisi telah memasang garis pengaman dan memeriksa sejumlah saksi, termasuk penjaga malam pasar yang "
             "pertama kali melihat kepulan asap dari bagian belakang bangunan."),
        ),
        (
            ("Sedikitnya 46 kios di Pasar Sukamaju ludes terbakar pada Selasa (12/3/2024). Kebakaran yang terjadi "
             "menjelang subuh itu membuat ratusan pedagang kehilangan barang dagangan mereka."),
            ("Menurut Hendra Saputra, Kepala Dinas Pemadam Kebakaran, tujuh armada diturunkan ke lokasi. Api "
             "membesar dengan cepat karena sebagian besar kios menjual kain dan pakaian yang mudah terbakar."),
            ('"Dugaan awal api berasal dari korsleting listrik di salah satu kios pakaian," ujar Hendra kepada '
             "wartawan."),
            ("Siti Aminah, salah seorang pedagang, mengaku tidak sempat menyelamatkan apa pun. Ia baru mendapat "
             "kabar dari tetangga ketika api sudah merambat ke deretan kios tempatnya berjualan beras dan minyak."),
            ("Bupati Lembah Hijau dijadwalkan meninjau pasar siang ini untuk mendata kerugian dan menyiapkan "
             "relokasi sementara bagi para pedagang terdampak."),
        ),
    ),
    (
        "jembatan-kali-bening-putus",
        (
            ("Jembatan gantung penghubung Desa Kali Bening dan Desa Watu Lanang putus diterjang arus sungai yang "
             "meluap setelah hujan deras sejak Minggu sore. Akibatnya, sekitar 300 kepala keluarga terisolasi."),
            ("Warga kini harus memutar sejauh 12 kilometer melalui jalan kabupaten untuk menuju pasar dan sekolah. "
             "Anak-anak sekolah dasar dari Watu Lanang terpaksa diliburkan selama dua hari."),
            ('"Kami sudah mengajukan pembangunan jembatan permanen sejak tiga tahun lalu," kata Kepala Desa Kali '
             "Bening, Suparman."),
            ("Dinas Pekerjaan Umum menyatakan akan membangun jembatan darurat dari rangka baja dalam waktu satu "
             "pekan, sambil menunggu anggaran perbaikan pada tahun depan."),
        ),
        (
            ("Sekitar 300 kepala keluarga di Desa Watu Lanang tidak bisa lagi menyeberang ke desa tetangga. Jembatan "
             "gantung satu-satunya di wilayah itu hanyut terbawa banjir pada Minggu (17/3/2024) malam."),
            ("Suparman, Kepala Desa Kali Bening, menuturkan jembatan sepanjang 40 meter itu sudah lama rapuh. Kayu "
             "lantainya beberapa kali diganti secara swadaya oleh warga."),
            ('"Kami sudah mengajukan pembangunan jembatan permanen sejak tiga tahun lalu," ujarnya saat ditemui '
             "di tepi sungai."),
            ("Pemerintah kabupaten berjanji memasang jembatan darurat. Selama itu, warga diminta tidak nekat "
             "menyeberangi sungai yang arusnya masih deras dan membawa batang-batang kayu dari hulu."),
        ),
    ),
    (
        "operasi-pasar-beras-tanjung-sari",
        (
            ("Pemerintah Kabupaten Tanjung Sari menggelar operasi pasar beras di lima kecamatan mulai Senin. "
             "Langkah ini diambil setelah harga beras medium di pasar tradisional menembus Rp 14.500 per kilogram."),
            ("Dalam operasi pasar itu, beras dijual Rp 10.900 per kilogram dengan batas pembelian 10 kilogram per "
             "orang. Stok yang disiapkan sebanyak 50 ton dari gudang Bulog setempat."),
            '"Kami ingin harga kembali stabil sebelum bulan puasa," kata Kepala Dinas Perdagangan, Rina Marlina.',
            ("Antrean warga sudah mengular sejak pagi di halaman kantor Kecamatan Sumber Rejo, salah satu lokasi "
             "operasi pasar pertama."),
        ),
        (
            ("Warga Tanjung Sari kini bisa membeli beras lebih murah. Dinas Perdagangan setempat membuka operasi "
             "pasar yang menjual beras Bulog seharga Rp 10.900 per kilogram, jauh di bawah harga pasar."),
            ("Rina Marlina, Kepala Dinas Perdagangan, menjelaskan kenaikan harga dipicu berkurangnya pasokan dari "
             "daerah sentra produksi akibat mundurnya musim panen."),
            '"Kami ingin harga kembali stabil sebelum bulan puasa," tuturnya.',
            ("Sejumlah ibu rumah tangga yang ditemui di lokasi mengaku terbantu. Mereka berharap operasi pasar "
             "digelar lebih lama, tidak hanya sepekan seperti yang direncanakan pemerintah daerah."),
        ),
    ),
)

# A series: every part opens with the same two paragraphs (the rest of each part is other text).
SERIES_INTRO: tuple[str, ...] = (
    ("Redaksi menurunkan laporan berseri tentang perkara suap yang menyeret seorang mantan penyidik kepolisian. "
     "Laporan ini disusun dari catatan wartawan kami yang mengikuti persidangan sejak awal."),
    ("Setiap bagian merangkum keterangan saksi dan fakta yang terungkap di ruang sidang pada pekan itu. Bagian "
     "berikutnya terbit setiap Senin."),
)

# A portal wraps every article in these paragraphs (no boilerplate rule removes them).
WRAPPER_OPEN = (
    "Portal Warta Pesisir hadir menyajikan kabar terkini dari desa dan kecamatan di wilayah pesisir utara. "
    "Seluruh berita disusun oleh jurnalis warga yang telah mengikuti pelatihan redaksi kami."
)
WRAPPER_CLOSE = (
    "Warta Pesisir membuka ruang bagi pembaca untuk mengirimkan kabar dari lingkungan masing-masing. Setiap "
    "kiriman diperiksa redaksi sebelum diterbitkan, dan penulis bertanggung jawab atas kebenaran isinya."
)

# Paragraphs a republishing portal adds to a copy (local context).
ADDED: tuple[str, ...] = (
    ("Di wilayah kami, kabar ini mendapat perhatian luas. Sejumlah warga yang dihubungi mengaku mengikuti "
     "perkembangannya melalui media sosial dan berharap ada kejelasan dalam waktu dekat."),
    ("Pemerintah daerah setempat belum memberikan tanggapan resmi. Redaksi masih berupaya menghubungi pejabat "
     "terkait untuk meminta keterangan tambahan."),
    ("Sebagai informasi, peristiwa serupa pernah terjadi beberapa tahun lalu dan menjadi bahan pembicaraan di "
     "berbagai forum warga maupun kalangan akademisi."),
    ("Pembaca dapat mengikuti perkembangan terbaru kabar ini di kanal berita daerah kami yang diperbarui setiap "
     "hari oleh tim redaksi."),
)

# A short press note republished word for word: too short to join a story on text alone.
SHORT_NOTE: tuple[str, ...] = (
    ("Layanan perekaman KTP elektronik di kantor Dinas Kependudukan tutup sementara pada Jumat karena pemeliharaan "
     "jaringan. Layanan dibuka kembali pada Senin pukul 08.00."),
)
