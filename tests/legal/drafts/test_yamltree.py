"""Field edits are written into the source YAML keeping everything else byte
for byte: comments, quoting, folded paragraphs, flow lists, blank lines."""

from __future__ import annotations

import copy
import difflib
from typing import Any

import pytest

from complaints_code.legal.drafts.yamltree import LayoutError, rewrite
from complaints_code.structure.source import parse_yaml


def data(text: str) -> Any:
    return parse_yaml(text, "test")[0]


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def edited(text: str, change: Any) -> str:
    old = data(text)
    new = copy.deepcopy(old)
    change(new)
    out = rewrite(text, old, new)
    assert data(out) == new
    return out


def test_a_changed_value_changes_only_its_own_line(source_text: str) -> None:
    def change(d: Any) -> None:
        d["contacts"][0]["value"] = "020 8545 8299"
        d["timescales"][0]["amount"] = 16
        d["metadata"]["effective_date"] = "2026-12-01"
    out = edited(source_text, change)
    assert changed_lines(source_text, out) == [
        "-  effective_date: 2026-11-25", "+  effective_date: 2026-12-01",
        "-    value: 020 8545 8200", "+    value: 020 8545 8299",
        "-    amount: 24", "+    amount: 16"]
    assert out.splitlines()[:10] == source_text.splitlines()[:10]  # the header comment


def test_a_changed_paragraph_stays_folded_and_is_wrapped_to_80_columns(source_text: str) -> None:
    words = ("We have written this Code as part of our obligations under the "
             "telecommunications regulations and in line with Ofcom requirements. It tells "
             "you how we handle complaints, clearly and openly.")
    out = edited(source_text, lambda d: d["sections"][0]["blocks"][0].update(paragraph=words))
    diff = changed_lines(source_text, out)
    assert all(line.startswith("-          ") for line in diff if line[0] == "-")
    added = [line[1:] for line in diff if line[0] == "+"]
    assert added and all(len(line) <= 80 and line.startswith(" " * 10) for line in added)
    assert " ".join(line.strip() for line in added) == words
    assert "      - paragraph: >-\n          We have written" in out


def test_an_item_added_at_the_end_keeps_the_blank_line_before_the_next_section(
        source_text: str) -> None:
    out = edited(source_text, lambda d: d["sections"][4]["blocks"].append(
        {"paragraph": "A new paragraph."}))
    assert ("contact time will be made and you will be updated regularly by us.\n"
            "      - paragraph: A new paragraph.\n\n  - id: stages\n") in out
    assert changed_lines(source_text, out) == ["+      - paragraph: A new paragraph."]


def test_items_matched_by_id_move_and_go_with_their_comments() -> None:
    text = ("contacts:\n  - id: a  # first\n    value: 1\n  - id: b\n    value: 2\n"
            "  - id: c\n    value: 3  # third\n\n# the sections\nsections: []\n")
    def change(d: Any) -> None:
        d["contacts"] = [d["contacts"][2], d["contacts"][0], d["contacts"][1]]
        d["contacts"][0]["value"] = 4
    out = edited(text, change)
    assert out == ("contacts:\n  - id: c\n    value: 4  # third\n  - id: a  # first\n"
                   "    value: 1\n  - id: b\n    value: 2\n\n# the sections\nsections: []\n")


def test_a_new_optional_key_and_a_new_list_of_days_are_written_in_the_files_style(
        source_text: str) -> None:
    def change(d: Any) -> None:
        d["timescales"][0]["starts"] = "the complaint being received"
        d["contacts"][1]["hours"] = {"text": "9 to 5", "days": ["Mon", "Tue"],
                                     "opens": "09:00", "closes": "17:00"}
    out = edited(source_text, change)
    assert '      days: [Mon, Tue]\n      opens: "09:00"\n      closes: "17:00"\n' in out
    assert "    starts: the complaint being received\n" in out


@pytest.mark.parametrize("text", [
    "a: 1\nb:\n- x: 1\n  y: 2\nc: [p, q]\n",            # lists at the key's indentation
    "a: 1\nb:\n    - x: 1\n      y: 2\nc:\n    d: 3\n",  # four-space indentation
])
def test_other_consistent_layouts_are_kept_too(text: str) -> None:
    out = edited(text, lambda d: d.update(a=2))
    assert out == "a: 2" + text[4:]


def test_a_layout_the_round_trip_would_change_is_refused_not_rewritten() -> None:
    text = "a: 1\nb:   2\n"
    with pytest.raises(LayoutError, match=r"\(line 2 would be rewritten\); make this change "
                       "in the YAML view instead"):
        rewrite(text, data(text), {"a": 2, "b": 2})
