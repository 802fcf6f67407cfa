"""A reference that starts a sentence is capitalised in every format: the
words are resolved once (model.Code.resolve), so web, print, braille, plain
text and the redline all read "The Communications Ombudsman is ..."."""

from __future__ import annotations

import pytest

from complaints_code.engines.braille.blocks import code_blocks
from complaints_code.engines.html import inline_html
from complaints_code.engines.web import site as web
from complaints_code.structure import plain
from complaints_code.structure.inline import Ref, parse_inline, starts_sentence
from complaints_code.structure.model import Code


def _renamed(code: Code, name: str = "the Communications Ombudsman") -> Code:
    return code.model_copy(update={"adr": code.adr.model_copy(update={"name": name})})


def test_reference_at_the_start_of_a_paragraph_is_capitalised_in_plain_text(code: Code) -> None:
    renamed = _renamed(code)
    text = "\n".join(plain.lines(renamed))
    assert "The Communications Ombudsman is an independent regulator" in text
    assert "the Communications Ombudsman is an" not in text


def test_reference_inside_a_sentence_keeps_its_own_words(code: Code) -> None:
    renamed = _renamed(code)
    assert renamed.plain(parse_inline("Contact {adr:name} today.")) == \
        "Contact the Communications Ombudsman today."


def test_reference_after_a_full_stop_is_capitalised_on_the_web(code: Code) -> None:
    html = inline_html(_renamed(code), parse_inline("It is free. {adr:name} is independent."))
    assert str(html) == ('It is free. <span class="ref ref-name">The Communications '
                         'Ombudsman</span> is independent.')


def test_reference_at_a_sentence_start_is_capitalised_in_braille(code: Code) -> None:
    texts = [b.text for b in code_blocks(_renamed(code))]
    assert any(t.startswith("The Communications Ombudsman is an independent") for t in texts)
    assert not any("the Communications Ombudsman is an" in t for t in texts)


@pytest.mark.parametrize("markup", [
    "**{adr:name}** decides.", "Done! {adr:name} decides.", "Done. “{adr:name} decides.”",
])
def test_sentence_starts_inside_bold_after_exclamation_and_after_a_quote(code: Code,
                                                                        markup: str) -> None:
    assert "The Communications Ombudsman decides" in _renamed(code).plain(parse_inline(markup))


@pytest.mark.parametrize("markup", [
    "Go to e.g. {adr:name}.", "Write to {adr:name}.", "Our partner, {adr:name}, decides.",
])
def test_no_capital_after_an_abbreviation_or_inside_a_sentence(code: Code, markup: str) -> None:
    assert "the Communications Ombudsman" in _renamed(code).plain(parse_inline(markup))


def test_emails_and_web_addresses_are_never_capitalised(code: Code) -> None:
    email = next(c for c in code.adr.contacts if c.id == "email").display
    assert email[0].islower()
    assert code.plain(parse_inline("Write. {adr:email} answers.")) == f"Write. {email} answers."


def test_capitalised_reference_is_still_the_same_reference() -> None:
    first = parse_inline("{adr:name}")[0]
    assert first == Ref("adr", "name")
    assert isinstance(first, Ref) and first.capital


def test_hand_written_pages_capitalise_a_reference_that_starts_a_sentence(code: Code) -> None:
    page = web.substitute_refs(_renamed(code), "Hello.\n\n{adr:name} is free. Ask {adr:name}.")
    assert page == ('Hello.\n\n<span class="ref ref-name">The Communications Ombudsman</span>'
                    ' is free. Ask <span class="ref ref-name">the Communications '
                    'Ombudsman</span>.')


@pytest.mark.parametrize(("before", "expected"), [
    ("", True), ("Done. ", True), ("Done.) ", True), ("Call ", False), ("e.g. ", False),
    ("Dr. ", False), ("Why? ", True),
])
def test_what_starts_a_sentence(before: str, expected: bool) -> None:
    assert starts_sentence(before) is expected
