"""``lint --fix`` rewrites users' files: it must never lose a value, a type or a comment."""

from __future__ import annotations

import datetime

import pytest

from myofascial_graph import lint
from myofascial_graph.cli import main
from myofascial_graph.lint import canonical_text, lint_files
from myofascial_graph.yamlio import parse_yaml


def fixed(tmp_path, text: str, name: str = "regions.yaml") -> tuple[list[str], str]:
    """Run ``lint --fix`` on ``text``: the problems, and the file's text afterwards."""
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    problems = [f"{p.line}: {p.message}" for p in lint_files([path], fix=True)]
    return problems, path.read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("r:\n  label: x  # why x\n  sources: [a]\n", 2),  # a trailing comment
        ("r:\n  label: x\n# between two fields\n  sources: [a]\n", 3),  # column 0, inside
        ("r: # about r\n  label: x\n  sources: [a]\n", 1),
        ("r:\n  note: |  # a block scalar's header\n    text\n  label: x\n", 2),
        ("r: {label: x,  # in a flow mapping\n  sources: [a]}\n", 1),
    ],
    ids=["trailing", "column_0_inside", "after_key", "block_header", "inside_flow"],
)
def test_a_comment_that_cannot_be_placed_stops_the_rewrite(tmp_path, text, line) -> None:
    problems, after = fixed(tmp_path, text)
    assert f"{line}: comment inside a record; move it into a note" in problems
    assert after == text


def test_comments_between_records_are_kept_and_a_bom_does_not_hide_the_header(tmp_path) -> None:
    text = "\ufeff# header\n\nr: {label: x}\n  # about s\ns: {label: y}\n# the end\n"
    problems, after = fixed(tmp_path, text)
    assert problems == []
    assert after == "# header\n\nr:\n  label: x\n\n# about s\ns:\n  label: y\n\n# the end\n"


def test_a_hash_inside_a_string_is_not_a_comment(tmp_path) -> None:
    text = 'r:\n  label: "a # b"\n  note: \'c #d\'\n  synonyms: ["#e"]\n'
    problems, after = fixed(tmp_path, text)
    assert problems == []
    assert parse_yaml(after, "x").data == parse_yaml(text, "x").data


ODD_STRINGS = ["a\rb", "a\u2028b", "a\u2029b", "a\x85b", "a\x00b", "\ufeffa", "a\tb", " a", "yes"]


@pytest.mark.parametrize("value", ODD_STRINGS, ids=[ascii(v) for v in ODD_STRINGS])
def test_strings_that_need_quotes_or_escapes_read_back_the_same(tmp_path, value) -> None:
    data = {"r": {"label": value, "a: b": value, "synonyms": [value]}}
    text = lint.dump_records(data, "region")
    assert parse_yaml(text, "x").data == data
    assert "\r" not in text and "\x85" not in text and "\u2028" not in text


@pytest.mark.parametrize(
    "value",
    [0.00001, 1e300, 1e16, -0.0, float("inf"), float("-inf"), 12345678901234567890, 0.1 + 0.2],
)
def test_numbers_are_written_so_they_read_back_as_the_same_numbers(value) -> None:
    text = lint.dump_records({"r": {"weight": value, "items": [value]}}, "region")
    back = parse_yaml(text, "x").data["r"]
    assert type(back["weight"]) is type(value) and back["weight"] == value
    assert back["items"] == [value]


def test_nan_empty_mappings_and_dates_keep_their_types(tmp_path) -> None:
    text = "r:\n  a: .nan\n  b: {}\n  c: []\n  d: 2020-01-02\ns: {}\n"
    problems, after = fixed(tmp_path, text)
    assert problems == []
    data = parse_yaml(after, "x").data
    assert data["r"]["a"] != data["r"]["a"]  # nan
    assert data["r"]["b"] == {} and data["r"]["c"] == [] and data["s"] == {}
    assert data["r"]["d"] == datetime.date(2020, 1, 2)


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "7\n"])
def test_a_document_that_is_not_a_mapping_is_a_problem_not_a_crash(tmp_path, text) -> None:
    problems, after = fixed(tmp_path, text)
    assert len(problems) == 1 and problems[0].startswith("1: expected a mapping of region ids")
    assert after == text


def test_the_last_guard_refuses_a_rewrite_that_would_lose_data(tmp_path, monkeypatch) -> None:
    text = "r: {label: x}\ns: {label: y}\n"
    monkeypatch.setattr(lint, "dump_records", lambda data, kind, comments=None: "r:\n  label: x\n")
    problems, after = fixed(tmp_path, text)
    assert "None: lint --fix would change the data, so it leaves the file as it is" in problems
    assert after == text


def test_the_last_guard_refuses_a_rewrite_that_would_lose_a_comment(tmp_path, monkeypatch) -> None:
    text = "# keep me\nr: {label: x}\n"
    monkeypatch.setattr(lint, "_place_comments", lambda text: ({}, []))
    problems, after = fixed(tmp_path, text)
    assert "None: lint --fix would change the comments, so it leaves the file as it is" in problems
    assert after == text


def test_the_cli_does_not_say_ok_when_it_would_not_fix(tmp_path, capsys) -> None:
    path = tmp_path / "regions.yaml"
    path.write_text("r:\n  label: x  # why\n")
    assert main(["lint", "--fix", str(path)]) == 2
    captured = capsys.readouterr()
    assert "comment inside a record" in captured.err and "ok" not in captured.out


def test_canonical_text_of_a_quoted_key_reads_back() -> None:
    text = canonical_text('"a: b":\n  "c #d": 1\n', "region")
    assert parse_yaml(text, "x").data == {"a: b": {"c #d": 1}}
