"""Regenerate the golden expectations from the current extractor, for a human to review.

Writes ``<name>.json.new`` beside each golden page whose extraction differs from its reviewed
``<name>.json`` (or that has no expectation yet) and prints a unified diff of the changed fields.
It never overwrites a reviewed file: accept a change by reading the diff, checking the page, and
moving the ``.new`` file over the old one yourself.

    python scripts/regen_golden.py            # every page
    python scripts/regen_golden.py tribun     # pages of one family (or family/name)
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from golden import extract_fields, goldens


def _lines(fields: dict[str, object]) -> list[str]:
    return json.dumps(fields, ensure_ascii=False, indent=1).splitlines(keepends=True)


def main(argv: list[str]) -> int:
    """Write .json.new files for changed pages; return 1 when any changed."""
    wanted = argv[1:]
    changed = 0
    for golden in goldens():
        if wanted and not any(w in (golden.id, golden.family) for w in wanted):
            continue
        got = extract_fields(golden)
        if got == golden.expected:
            continue
        changed += 1
        data = json.loads(golden.json_path.read_text(encoding="utf-8"))
        data["expected"] = got
        new_path = golden.json_path.with_name(golden.json_path.name + ".new")
        new_path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        diff = difflib.unified_diff(
            _lines(golden.expected or {}), _lines(got), f"{golden.id} (reviewed)", f"{golden.id} (now)",
        )
        sys.stdout.writelines(diff)
        print(f"-> wrote {new_path}\n")
    print(f"{changed} page(s) differ from their reviewed expectation")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
