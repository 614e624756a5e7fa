"""A seeded mutation fuzzer of the loader and ``lint --fix``.

Run ``python benchmarks/fuzz.py`` (``--mutations N``, ``--seed S``; the test
suite runs a quick pass of a few hundred).  Each mutation takes a shipped data
file, changes it one to three times (cuts, duplicated or swapped lines, hostile
tokens such as ``!!bool maybe``, ``1:1:1``, 5,000-digit numbers, ``yes:``,
control and bidirectional characters, a BOM, ``%YAML 1.2``), puts it in a copy
of the data folder and

* loads the folder: the load must succeed or raise ``DataError``, and a
  refusal must take under a second of process CPU time;
* runs ``lint --fix`` on it: it must return problems rather than raise, and
  a file it rewrites must read back as the same data with the same comments.

Anything else is reported with the mutation that caused it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import myofascial_graph as mg
from myofascial_graph import lint
from myofascial_graph.loading import DATA_FILES
from myofascial_graph.yamlio import parse_yaml

TOKENS = [
    "!!bool maybe", '!!int ""', '!!float ""', "!!timestamp x", "!!str", "!!binary aGk=",
    "!!python/object:os.system", "1:1:1", "1:30.5", "0x" + "f" * 5000, "9" * 5000, "1e400",
    ".nan", ".inf", "-.inf", "0.00001", "010", "0b101", "1_000", "yes", "no", "on", "~",
    "null", "true", "2020-01-01", "2020-13-45", "{}", "[]", "{", "[", "]", "}", ": ", "- ",
    "? ", "&a", "*a", "<<: *a", "#", " # c", "\t", "\x00", "\x07", "\x1b[31m", "\x85",
    "\u2028", "\u202e", "\ufeff", "\ufffe", "\r", "\r\n", '"', "'", "\\", '"\\0"', '"\\u202e"',
    "%YAML 1.2\n---\n", "---\n", "...\n", "|\n", ">-\n", "\u0430", "é", "[" * 200,
    "x" * 10_000, " label: x", "replace: true", "id: x", "weight: 5", "weight: yes",
    "bilateral: false", "part_of: [buttock]",
]  # fmt: skip
"""Fragments a mutation may insert: tags, numbers and words YAML 1.1 misreads, syntax,
and characters that have broken the reader, the linter or the exports."""


@dataclass
class Report:
    """What a run found."""

    mutations: int = 0
    loaded: int = 0
    refused: int = 0
    rewritten: int = 0
    worst_refusal: float = 0.0
    worst_case: str = ""
    unexpected: list[str] = field(default_factory=list)
    by_file: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        return [
            f"mutations: {self.mutations:,} over {len(self.by_file)} files",
            f"loaded: {self.loaded:,}; refused with DataError: {self.refused:,}",
            f"lint --fix rewrites checked: {self.rewritten:,}",
            f"worst refusal: {self.worst_refusal * 1000:.0f} ms CPU ({self.worst_case})",
            f"unexpected: {len(self.unexpected)}",
            *self.unexpected[:20],
        ]


def mutate(raw: bytes, rng: random.Random) -> bytes:
    """``raw`` changed one to three times."""
    text = raw.decode("utf-8")
    for _ in range(rng.randint(1, 3)):
        text = rng.choice(_MUTATIONS)(text, rng)
    return text.encode("utf-8", "surrogatepass")


def _insert(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(TOKENS) + text[at:]


def _replace_value(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    number = rng.randrange(len(lines))
    head, colon, _ = lines[number].partition(": ")
    lines[number] = f"{head}{colon or ': '}{rng.choice(TOKENS)}"
    return "\n".join(lines)


def _cut(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + text[at + rng.randint(1, 200) :]


def _lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    choice = rng.randrange(4)
    if choice == 0:
        lines.insert(j, lines[i])  # a duplicated line
    elif choice == 1:
        lines[i], lines[j] = lines[j], lines[i]
    elif choice == 2:
        lines[i] = " " * rng.choice((1, 2, 3, 4, 8)) + lines[i]
    else:
        lines[i] = lines[i].lstrip()
    return "\n".join(lines)


def _byte(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    char = chr(rng.choice((rng.randrange(32, 127), rng.randrange(0x10FFFF))))
    return text[:at] + char + text[at:]


_MUTATIONS: list[Callable[[str, random.Random], str]] = [
    _insert, _insert, _replace_value, _replace_value, _cut, _lines, _byte,
]  # fmt: skip


def run(mutations: int, seed: int = 0, lint_too: bool = True) -> Report:
    """Fuzz ``mutations`` mutants, spread evenly over every shipped data file."""
    rng = random.Random(seed)
    shipped = mg.data_dir()
    names = list(DATA_FILES)
    originals = {name: (shipped / name).read_bytes() for name in names}
    report = Report()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "data"
        shutil.copytree(shipped, base)
        for number in range(mutations):
            name = names[number % len(names)]
            mutant = mutate(originals[name], rng)
            case = f"{name} #{number} (seed {seed})"
            _check(base, name, mutant, case, report, lint_too)
            (base / name).write_bytes(originals[name])
    return report


def _check(base: Path, name: str, mutant: bytes, case: str, report: Report, lint_too: bool) -> None:
    report.mutations += 1
    report.by_file[name] += 1
    path = base / name
    path.write_bytes(mutant)
    start = time.process_time()
    try:
        mg.load(base=base)
        report.loaded += 1
    except mg.DataError:
        spent = time.process_time() - start
        report.refused += 1
        if spent > report.worst_refusal:
            report.worst_refusal, report.worst_case = spent, case
        if spent > 1.0:
            report.unexpected.append(f"{case}: refusal took {spent:.2f} s")
    except Exception as err:  # what the fuzzer is for
        report.unexpected.append(f"{case}: load raised {type(err).__name__}: {err!s:.200}")
    if lint_too:
        _check_lint(path, mutant, case, report)


def _check_lint(path: Path, mutant: bytes, case: str, report: Report) -> None:
    try:
        lint.lint_files([path], fix=True)
    except Exception as err:
        report.unexpected.append(f"{case}: lint raised {type(err).__name__}: {err!s:.200}")
        return
    after = path.read_bytes()
    if after == mutant:
        return
    report.rewritten += 1
    try:
        before_text = mutant.decode("utf-8-sig")
        after_text = after.decode("utf-8")
        same = lint._typed(parse_yaml(after_text, "x").data or {}) == lint._typed(
            parse_yaml(before_text, "x").data or {}
        )
        if not same or lint._comment_texts(after_text) != lint._comment_texts(before_text):
            report.unexpected.append(f"{case}: lint --fix changed the data or comments")
    except Exception as err:
        report.unexpected.append(f"{case}: lint --fix output unreadable: {err!s:.200}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mutations", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    report = run(args.mutations, args.seed)
    print("\n".join(report.lines()))
    print(f"took {time.perf_counter() - start:.0f} s")
    return 1 if report.unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
