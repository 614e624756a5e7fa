"""Write the table of edge kinds from the metagraph into README.md and docs/data.md.

Run ``python docs/make_tables.py`` after changing the metagraph; a test checks
that both files hold the table the metagraph gives.
"""

from __future__ import annotations

import re
from pathlib import Path

import myofascial_graph as mg

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- edge kinds: from mg.METAGRAPH.table() -->", "<!-- end of edge kinds -->"


def main() -> None:
    block = f"{START}\n{mg.METAGRAPH.table()}\n{END}"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    for name in ("README.md", "docs/data.md"):
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        if START not in text:
            raise SystemExit(f"{name} has no {START!r} marker")
        path.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
