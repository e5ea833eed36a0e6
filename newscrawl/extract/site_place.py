"""Where a site says it is: the zone of a site no one registered, read from its region and names.

What it is for
    A regional portal names its region: its host ("kaltimpost…", "radarbali…", "sulsel.…"), its
    own name ("Pos Kupang", "TribunKaltim.com"), or the local-SEO tags it writes
    (``<meta name="geo.region" content="ID-SN">``, ``geo.placename`` "Makassar"). `place_zone`
    turns those into the zone of the region's clock (WIB, WITA, WIT), for a site of unknown zone
    whose article states none and whose other clocks (`extract.site_clock`) print none:
    `extract.clean.set_dates` reads its dates in that zone instead of the default WIB.

    The places are data (`PROVINCES` by ISO 3166-2:ID code, `PLACES` by zone): the provinces,
    their usual short names (Sulsel, Kaltim, NTB) and the main cities and regencies of the
    provinces outside WIB. Names that span two zones ("Kalimantan", "Borneo", "Timor"), are
    common words ("Timur", "Seram", "Bone") or also name a place in another zone ("Bulungan" and
    "Manggarai" in Jakarta, "Kotabaru" in Yogyakarta) are not places here.

What it must never do
    Decide from two signs that disagree (a site named for Bali whose tags say Jakarta gets no
    zone), read a place in the article's text (a dateline says where a story was filed, not
    where the site's clock stands), or match a short name inside another word ("Palu" in
    "Paluta", North Sumatra): names of fewer than five letters must be a whole word or host
    label, except the few in `_AT_EDGE` that may also begin or end one ("radarbali").
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final

from newscrawl.extract.links import host_of

if TYPE_CHECKING:
    from collections.abc import Iterable

# ISO 3166-2:ID province codes (as written in geo.region, "ID-SN") and the zone of each. The
# geographical units (ID-SL Sulawesi, ID-NU Nusa Tenggara, ID-ML Maluku, ID-PP Papua, ID-JW
# Java, ID-SM Sumatra) are one zone each; ID-KA (Kalimantan) spans two and is left out.
PROVINCES: Final[dict[str, str]] = {
    **dict.fromkeys(("AC", "SU", "SB", "RI", "KR", "JA", "SS", "BB", "BE", "LA", "SM"), "WIB"),
    **dict.fromkeys(("JK", "JB", "BT", "JT", "YO", "JI", "JW", "KB", "KT"), "WIB"),
    **dict.fromkeys(("KS", "KI", "KU", "BA", "NB", "NT", "NU"), "WITA"),
    **dict.fromkeys(("SA", "ST", "SN", "SG", "GO", "SR", "SL"), "WITA"),
    **dict.fromkeys(("MA", "MU", "ML", "PA", "PB", "PD", "PE", "PS", "PT", "PP"), "WIT"),
}

# Place names, lower case, by the zone of their clock. Several words are one name ("nusa
# tenggara"); in a host they are read run together ("papuabarat").
PLACES: Final[dict[str, tuple[str, ...]]] = {
    "WIB": (
        # Provinces of Sumatra, Java and West and Central Kalimantan, and their short names.
        "aceh", "sumatera utara", "sumut", "sumatera barat", "sumbar", "riau", "kepulauan riau", "kepri",
        "jambi", "sumatera selatan", "sumsel", "bangka belitung", "babel", "bengkulu", "lampung",
        "jakarta", "jawa barat", "jabar", "banten", "jawa tengah", "jateng", "yogyakarta", "jogja",
        "jawa timur", "jatim", "mataraman", "sumatera", "sumatra", "kalimantan barat", "kalbar",
        "kalimantan tengah", "kalteng", "pontianak", "palangkaraya", "palangka raya",
    ),
    "WITA": (
        # South, East and North Kalimantan.
        "kalimantan selatan", "kalsel", "banjarmasin", "banjarbaru", "tanah bumbu", "tabalong",
        "kalimantan timur", "kaltim", "balikpapan", "samarinda", "bontang", "kutai", "berau", "penajam",
        "kalimantan utara", "kaltara", "tarakan", "nunukan", "malinau",
        # Bali, West and East Nusa Tenggara.
        "bali", "denpasar", "buleleng", "singaraja", "gianyar", "tabanan", "karangasem", "klungkung",
        "jembrana", "nusa tenggara", "nusa tenggara barat", "ntb", "lombok", "mataram", "sumbawa", "bima",
        "dompu", "nusa tenggara timur", "ntt", "kupang", "flores", "maumere", "labuan bajo",
        "sumba",
        # Sulawesi.
        "sulawesi", "celebes", "sulawesi utara", "sulut", "manado", "bitung", "tomohon", "minahasa",
        "bolaang mongondow", "bolmong", "kotamobagu", "sangihe", "talaud", "gorontalo",
        "sulawesi tengah", "sulteng", "palu", "poso", "donggala", "banggai", "luwuk", "tolitoli",
        "morowali", "buol", "sulawesi selatan", "sulsel", "makassar", "gowa", "maros", "parepare",
        "palopo", "toraja", "bulukumba", "pinrang", "sidrap", "luwu", "takalar", "jeneponto", "bantaeng",
        "selayar", "enrekang", "sulawesi tenggara", "sultra", "kendari", "baubau", "kolaka", "konawe",
        "buton", "wakatobi", "sulawesi barat", "sulbar", "mamuju", "majene", "polewali",
    ),
    "WIT": (
        # Maluku, North Maluku and the Papua provinces.
        "maluku", "ambon", "tual", "masohi", "maluku utara", "malut", "ternate", "tidore", "halmahera",
        "sofifi", "morotai", "papua", "jayapura", "sentani", "papua barat", "manokwari", "fakfak",
        "kaimana", "papua barat daya", "sorong", "raja ampat", "papua pegunungan", "wamena", "jayawijaya",
        "papua selatan", "merauke", "papua tengah", "timika", "mimika", "nabire", "biak",
    ),
}

# Names of fewer than five letters that may begin or end a longer word or label ("radarbali",
# "haluanntt"): few words begin or end with them.
_AT_EDGE: Final = frozenset({"bali", "ntb", "ntt"})
# Words that begin or end with a place's name and are not that place: "balik" (to turn), "balita"
# (toddler), "baliho" (billboard), "balitbang" (a government's research office), "kembali"
# (again), "sumbang" (to donate), "alternate"; Balige is in North Sumatra. A run of letters
# beginning (ending) with one of them does not begin (end) with the place.
_NOT_PLACES: Final = ("balik", "balita", "baliho", "balitbang", "balige", "kembali", "sumbang", "alternate")
# Host labels that say nothing about a place.
_GENERIC_LABELS: Final = frozenset({"www", "m", "amp", "mobile"})
# A name's words, a capital starting a new one ("TribunKaltim" is "Tribun", "Kaltim").
_WORDS: Final = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_RUNS: Final = re.compile(r"[a-z0-9]+")
_GEO_CODE: Final = re.compile(r"^\s*ID-([A-Z]{2})\s*$", re.IGNORECASE)


def _zone_of() -> dict[str, str]:
    table: dict[str, str] = {}
    for zone, names in PLACES.items():
        for name in names:
            if table.setdefault(name.replace(" ", ""), zone) != zone:
                raise ValueError(f"place {name!r} is in two zones")
    return table


# Each place's name run together ("nusatenggara") and its zone.
_ZONE_OF: Final = _zone_of()
# The places that may begin or end a longer run of letters, longest first ("sumbar" before "sumba").
_AT_EDGES: Final = tuple(sorted((p for p in _ZONE_OF if len(p) >= 5 or p in _AT_EDGE), key=len, reverse=True))


@functools.lru_cache(maxsize=4096)  # a crawl reads the same host and site name on every page
def _run_zone(run: str) -> str | None:
    """The zone of the place a run of letters names: itself, or one it begins or ends with ("kaltimpost")."""
    if run in _ZONE_OF:
        return _ZONE_OF[run]
    for place in _AT_EDGES:
        if len(run) <= len(place):
            continue
        if run.startswith(place) and not any(run.startswith(w) and w.startswith(place) for w in _NOT_PLACES):
            return _ZONE_OF[place]
        if run.endswith(place) and not any(run.endswith(w) and w.endswith(place) for w in _NOT_PLACES):
            return _ZONE_OF[place]
    return None


def _name_zones(name: str) -> set[str]:
    """The zones of the places a name gives: in its words, two or three of them together, or its runs."""
    words = [word.lower() for word in _WORDS.findall(name)]
    joined = {"".join(words[i : i + size]) for size in (1, 2, 3) for i in range(len(words) - size + 1)}
    zones = {_ZONE_OF[token] for token in joined if token in _ZONE_OF}
    zones.update(zone for run in _RUNS.findall(name.lower()) if (zone := _run_zone(run)))
    return zones


def _host_zones(url: str) -> set[str]:
    """The zones of the places a host's labels name ("kaltim.prokal.co", "radar-bali.com")."""
    labels = host_of(url).split(".")[:-1]  # the last label is a top-level domain
    runs = (run for label in labels if label not in _GENERIC_LABELS for run in label.split("-"))
    return {zone for run in runs if (zone := _run_zone(run))}


def place_zone(
    urls: Iterable[str], site_name: str | None, *, region: str | None = None, placename: str | None = None,
) -> str | None:
    """The zone ("WIB", "WITA", "WIT") of the region the site says it is in, when every sign agrees.

    The signs: the hosts of `urls` (the page's own and the ones it says are its own), `site_name`,
    and the local-SEO tags ``geo.region`` (`region`, an ISO 3166-2:ID code) and ``geo.placename``
    (`placename`; both read by `extract.structured`). None when no sign names a place, or two
    name places of different zones.
    """
    zones: set[str] = set()
    if region and (code := _GEO_CODE.match(region)) and code.group(1).upper() in PROVINCES:
        zones.add(PROVINCES[code.group(1).upper()])
    for name in (placename, site_name):
        if name:
            zones |= _name_zones(name)
    for url in urls:
        zones |= _host_zones(url)
    return zones.pop() if len(zones) == 1 else None
