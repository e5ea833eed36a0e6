"""Generate the portal registry (newscrawl/portals.toml) from the shared portal list.

Reads shared/portals/portals.tsv (one real host a row) and writes one [[portal]] entry per row:
the extraction family from the TSV network label, the timezone normalised to WIB/WITA/WIT, and
notes such as "(name inferred)" moved out of the name. Judgement calls (mixed-zone portals) are
data in the tables below, and every one of them, like every row whose explicit zone disagrees with
the province table, is reported on stderr so a human reviews it.

It must never invent a host, drop a row, or guess silently: a row it cannot map (a new network
label, an unknown name annotation, a mixed zone without a decision) stops the run with the row's
host, and the output is byte-for-byte reproducible so tests/test_registry.py can catch drift.

    python scripts/portals_from_tsv.py --out newscrawl/portals.toml
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TSV = REPO / "scripts" / "portals.tsv"  # a copy of shared/portals/portals.tsv
DEFAULT_OUT = REPO / "newscrawl" / "portals.toml"

# TSV network label -> extraction family (newscrawl.networks.NETWORK_NAMES). The labels that are
# media groups rather than one CMS go to the generic extractor. The dict's value order is also the
# order of the families in the output file.
FAMILY_OF_GROUP: dict[str, str] = {
    "prmn": "prmn",
    "tribun": "tribun",
    "suara": "suara",
    "detik": "detik",
    "kompas": "kompas",
    "radar": "radar",
    "antara": "generic",
    "jawapos-group": "generic",
    "independent": "generic",
}
FAMILY_ORDER: tuple[str, ...] = tuple(dict.fromkeys(FAMILY_OF_GROUP.values()))

# Indonesia's three zones follow province borders exactly, so a province fixes the zone.
PROVINCE_ZONES: dict[str, str] = {
    **dict.fromkeys(
        (
            "Aceh",
            "Sumatera Utara",
            "Sumatera Barat",
            "Riau",
            "Kepulauan Riau",
            "Jambi",
            "Sumatera Selatan",
            "Bangka Belitung",
            "Bengkulu",
            "Lampung",
            "DKI Jakarta",
            "Banten",
            "Jawa Barat",
            "Jawa Tengah",
            "DI Yogyakarta",
            "Jawa Timur",
            "Kalimantan Barat",
            "Kalimantan Tengah",
        ),
        "WIB",
    ),
    **dict.fromkeys(
        (
            "Bali",
            "Nusa Tenggara Barat",
            "Nusa Tenggara Timur",
            "Kalimantan Selatan",
            "Kalimantan Timur",
            "Kalimantan Utara",
            "Sulawesi Utara",
            "Gorontalo",
            "Sulawesi Tengah",
            "Sulawesi Barat",
            "Sulawesi Selatan",
            "Sulawesi Tenggara",
        ),
        "WITA",
    ),
    **dict.fromkeys(
        (
            "Maluku",
            "Maluku Utara",
            "Papua",
            "Papua Barat",
            "Papua Barat Daya",
            "Papua Tengah",
            "Papua Pegunungan",
            "Papua Selatan",
        ),
        "WIT",
    ),
}
ZONES = ("WIB", "WITA", "WIT")
NATIONAL_ZONE = "WIB (national)"  # a national desk in Jakarta: its clock is WIB
UNKNOWN_ZONE = "unknown"
MIXED_ZONES = ("mixed", "WIB/WITA (mixed)")

# Portals whose coverage spans zones: the zone their own timestamps are most likely in, and why.
# A mixed row missing from this table stops the run.
ZONE_DECISIONS: dict[str, tuple[str, str]] = {
    "regional.kompas.com": (
        "WIB",
        (
            "region is mixed (national regional desk covering every province); WIB because the"
            " desk works from Jakarta and Kompas.com labels its times WIB"
        ),
    ),
    "www.detik.com/kalimantan": (
        "WITA",
        (
            "region is mixed (all five Kalimantan provinces; Kalbar and Kalteng are WIB); WITA"
            " because the desk's coverage centres on Kaltim/IKN, Kalsel and Kaltara (three of five"
            " provinces) - unverified: check the zone printed on a dated article"
        ),
    ),
}
# A portal whose region is unknown gets the zone most of the TSV is in, flagged for checking.
UNKNOWN_REGION_ZONE = "WIB"
UNKNOWN_REGION_NOTE = (
    "region unknown; WIB assumed (the network's home zone) - check a dated article"
)

# Annotations the TSV puts in parentheses after a name: they become notes, the name keeps the
# brand. Patterns first, then exact texts; an annotation matching neither stops the run.
NAME_NOTE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"name inferred"), "name inferred"),
    (re.compile(r"older (?:domain )?(?P<hosts>.+)"), "older domain: {hosts}"),
    (re.compile(r"also (?P<hosts>.+)"), "also published as {hosts}"),
)
NAME_NOTES: dict[str, str] = {
    "brand 'Suarajogja.id'": "brand 'Suarajogja.id'; the old suarajogja.id host is its own entry",
    "dateline": "name as printed in article datelines",
    "flagship": "network flagship",
    "print edition site": "print edition site",
    "news": "news subdomain",
    "Disway": "Disway network",
    "Kaltim Post group": "Kaltim Post group",
    "Promedia": "Promedia network",
    "Solopos": "Solopos group",
    "news-watch 'kaltimpost' slug": "listed under the 'kaltimpost' slug in news-watch",
}
# What a maintainer should know about a host that the TSV says outside the name column.
HOST_NOTES: dict[str, str] = {
    # From the TSV's latest_seen cell: "brand still used 2026; host now jogja.suara.com".
    "suarajogja.id": "old brand domain: the site now lives at jogja.suara.com (its own entry)",
}
_ANNOTATION = re.compile(r"\s*\(([^()]*)\)")

HEADER = """\
# The portal registry: every regional news portal the `kabar` spider knows, one [[portal]] table
# each, sorted by network, then group, then id. newscrawl/registry.py loads and validates it.
#
# Adding a portal is one entry: add its row to scripts/portals.tsv and regenerate this file
# (tests/test_registry.py fails when this file and the generator's output differ):
#     python scripts/portals_from_tsv.py --out newscrawl/portals.toml
# Where each host was seen is in that TSV's seen_in column; this file stays lean.
#
# Keys:
#   id          the host; host + path for a portal living under a path ("www.detik.com/jatim")
#   name        what the portal calls itself; omitted when unknown (the id stands in)
#   network     extraction family: prmn, tribun, suara, detik, kompas, radar or generic
#   group       the media group, as the TSV labels it (prmn, antara, jawapos-group, independent...)
#   region      province, or "national"
#   timezone    WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9): the clock of the portal's timestamps
#   start_urls  optional: start pages replacing the family defaults, on the portal's own hosts
#   hosts       optional: further hosts the portal serves pages from
#   render      optional: "js" to fetch through a browser (default "http")
#   note        optional: what a maintainer should know (inferred name, old domain, zone decision)
"""


class RowError(ValueError):
    """A TSV row the generator cannot map without a human decision."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One registry entry, in the order its keys are written."""

    id: str
    name: str | None
    network: str
    group: str
    region: str
    timezone: str
    notes: tuple[str, ...]


def province_zone(region: str) -> str | None:
    """Return the zone a region's province(s) fix, or None when the region names no province."""
    parts = _ANNOTATION.sub("", region).split("/")
    zones = {PROVINCE_ZONES.get(part.strip()) for part in parts}
    if len(zones) == 1:
        return zones.pop()
    return None


def split_name(raw: str, host: str) -> tuple[str | None, list[str]]:
    """Split a TSV name into the brand and the notes its parenthesised annotations carry."""
    if raw.strip() == "-":
        return None, []
    notes = [_annotation_note(annotation.strip(), host) for annotation in _ANNOTATION.findall(raw)]
    name = " ".join(_ANNOTATION.sub(" ", raw).split())
    if not name:
        raise RowError(f"{host}: name {raw!r} has no brand left once annotations are removed")
    return name, notes


def _annotation_note(annotation: str, host: str) -> str:
    for pattern, template in NAME_NOTE_PATTERNS:
        match = pattern.fullmatch(annotation)
        if match:
            hosts = match.groupdict().get("hosts") or ""
            return template.format(hosts=", ".join(h.strip() for h in hosts.split("/")))
    if annotation in NAME_NOTES:
        return NAME_NOTES[annotation]
    raise RowError(f"{host}: name annotation ({annotation}) is unknown; add it to NAME_NOTES")


def resolve_zone(host: str, region: str, tsv_zone: str, report: list[str]) -> tuple[str, list[str]]:
    """Return a row's zone (WIB/WITA/WIT) and any note; explain every judgement in `report`."""
    by_province = province_zone(region)
    if tsv_zone in MIXED_ZONES:
        if host not in ZONE_DECISIONS:
            raise RowError(f"{host}: timezone {tsv_zone!r} needs a decision in ZONE_DECISIONS")
        zone, note = ZONE_DECISIONS[host]
        report.append(f"{host}: TSV timezone {tsv_zone!r}, region {region!r} -> {zone} (decided)")
        return zone, [note]
    if tsv_zone == UNKNOWN_ZONE:
        if by_province:
            report.append(f"{host}: TSV timezone unknown, region {region!r} -> {by_province}")
            return by_province, [f"timezone taken from the province ({region})"]
        report.append(f"{host}: TSV timezone and region unknown -> {UNKNOWN_REGION_ZONE} (assumed)")
        return UNKNOWN_REGION_ZONE, [UNKNOWN_REGION_NOTE]
    zone = "WIB" if tsv_zone == NATIONAL_ZONE else tsv_zone
    if zone not in ZONES:
        raise RowError(f"{host}: timezone {tsv_zone!r} is none of {', '.join(ZONES)}")
    if by_province and by_province != zone:
        # A single-province region cannot be in another zone: the TSV value is a clear error.
        report.append(f"{host}: TSV says {zone} but {region} is {by_province} -> {by_province}")
        return by_province, [f"TSV said {zone}; {region} is {by_province}"]
    return zone, []


def entry_from_row(row: dict[str, str], report: list[str]) -> Entry:
    """Map one TSV row to a registry entry."""
    host = row["host"].strip()
    group = row["network"].strip()
    if group not in FAMILY_OF_GROUP:
        raise RowError(f"{host}: network {group!r} has no family in FAMILY_OF_GROUP")
    name, notes = split_name(row["name"], host)
    region = row["region"].strip()
    timezone, zone_notes = resolve_zone(host, region, row["timezone"].strip(), report)
    host_note = HOST_NOTES.get(host)
    return Entry(
        id=host.lower(),
        name=name,
        network=FAMILY_OF_GROUP[group],
        group=group,
        region=region,
        timezone=timezone,
        notes=(*notes, *zone_notes, *([host_note] if host_note else [])),
    )


def read_entries(tsv: Path, report: list[str]) -> list[Entry]:
    """Read every TSV row as an entry, sorted the way the registry file lists them."""
    with tsv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    entries = [entry_from_row(row, report) for row in rows]
    duplicates = sorted(i for i, count in Counter(e.id for e in entries).items() if count > 1)
    if duplicates:
        raise RowError(f"hosts listed twice in {tsv}: {', '.join(duplicates)}")
    stale = sorted((ZONE_DECISIONS.keys() | HOST_NOTES.keys()) - {e.id for e in entries})
    if stale:
        # A decision about a host no longer listed would silently outlive its reason.
        raise RowError(f"ZONE_DECISIONS/HOST_NOTES name hosts not in {tsv}: {', '.join(stale)}")
    return sorted(entries, key=lambda e: (FAMILY_ORDER.index(e.network), e.group, e.id))


def _toml_string(value: str) -> str:
    # A JSON string literal is a valid TOML basic string: same quote, same escapes.
    return json.dumps(value, ensure_ascii=False)


def render(entries: list[Entry]) -> str:
    """Return the registry file's text for `entries` (already sorted)."""
    counts = Counter(e.network for e in entries)
    lines = [HEADER]
    network = None
    for entry in entries:
        if entry.network != network:
            network = entry.network
            lines.append(f"# ---- {network}: {counts[network]} portals ----\n")
        lines.append("[[portal]]")
        lines.append(f"id = {_toml_string(entry.id)}")
        if entry.name is not None:
            lines.append(f"name = {_toml_string(entry.name)}")
        lines.append(f"network = {_toml_string(entry.network)}")
        lines.append(f"group = {_toml_string(entry.group)}")
        lines.append(f"region = {_toml_string(entry.region)}")
        lines.append(f"timezone = {_toml_string(entry.timezone)}")
        if entry.notes:
            lines.append(f"note = {_toml_string('; '.join(entry.notes))}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write the registry; report judgement calls on stderr; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tsv", type=Path, default=DEFAULT_TSV, help="the shared portal TSV")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"output file (default: stdout; usually {DEFAULT_OUT})",
    )
    args = parser.parse_args(argv)
    report: list[str] = []
    try:
        entries = read_entries(args.tsv, report)
    except (RowError, OSError) as exc:
        sys.stderr.write(f"portals_from_tsv: {exc}\n")
        return 1
    text = render(entries)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8", newline="\n")
    for line in report:
        sys.stderr.write(f"check: {line}\n")
    sys.stderr.write(f"{len(entries)} portals from {args.tsv}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
