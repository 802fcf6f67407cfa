"""The small inline markup of Code text."""

from __future__ import annotations

import pytest

from complaints_code.errors import MarkupError
from complaints_code.structure.inline import Link, Ref, Strong, Text, parse_inline


def test_plain_text_is_one_text_node() -> None:
    assert parse_inline("We take all complaints seriously.") == (
        Text("We take all complaints seriously."),)


def test_bold_links_references_and_escapes() -> None:
    assert parse_inline(r"**Free** [copy](https://x.uk/) {contact:fax} {adr:post.hours} \{a\}") \
        == (Strong((Text("Free"),)), Text(" "), Link("copy", "https://x.uk/"), Text(" "),
            Ref("contact", "fax"), Text(" "), Ref("adr", "post", hours=True), Text(" {a}"))


def test_bold_may_hold_a_reference() -> None:
    assert parse_inline("**{timescale:adr-eligible}**") == (
        Strong((Ref("timescale", "adr-eligible"),)),)


@pytest.mark.parametrize(("text", "offset", "message"), [
    ("a **b", 2, "'**' opens bold text that is never closed"),
    ("a ****", 2, "'****' is empty bold text"),
    ("a {phone}", 2, "'{phone}' is not a reference"),
    ("a } b", 2, "'}' closes no reference"),
    ("see [here]", 4, "'[here]' is not a link"),
], ids=["unclosed-bold", "empty-bold", "unknown-reference-kind", "stray-brace", "bare-bracket"])
def test_bad_markup_is_refused_with_its_offset(text: str, offset: int, message: str) -> None:
    with pytest.raises(MarkupError) as info:
        parse_inline(text)
    assert (info.value.offset, info.value.message) == (offset, message)
