"""Check, or rewrite, the stored sketches of tests/test_sketches.py (tests/reference/sketches.json.gz).

    python scripts/sketches_reference.py            # check: exit 0 when every stored sketch comes out the same
    python scripts/sketches_reference.py --write    # rewrite the file: ONLY with a new SketchParams.layout

The stored sketches are what the stores hold (tests/sketches_reference.py): rewriting the file to make
a changed sketch pass would hide that every story stored before can no longer be found. A new
layout (a new parameter, hash or scheme, refused by the stores of the old one) is the only reason.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newscrawl.delivery.stories.sketch import Sketcher
from tests import sketches_reference as ref


def main(argv: list[str]) -> int:
    """Compare the module with the stored file (1 when they differ); --write rewrites the file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the stored file (only with a new layout)")
    args = parser.parse_args(argv)
    sketcher = Sketcher()
    if args.write:
        rows = [ref.row(sketcher, body) for body in ref.corpus()]
        ref.dump(sketcher.params.layout, rows)
        print(f"wrote {ref.REFERENCE} ({len(rows)} sketches, layout {sketcher.params.layout})")
        return 0
    stored = ref.load()
    differing = [r for r in stored["rows"] if ref.row(sketcher, r["body"]) != r]
    for r in differing[:10]:
        print(f"  differs: {r['body'][:100]!r}")
    print(f"{len(stored['rows'])} stored sketches (layout {stored['layout']}), {len(differing)} differ")
    return int(bool(differing) or stored["layout"] != sketcher.params.layout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
