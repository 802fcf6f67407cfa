"""'How to ask for a copy' on the Code page: telephone (with its hours), post
and email, every value from the source; the full stop kept with the address."""

from __future__ import annotations

from complaints_code.engines.web.site import ask_for_copy
from complaints_code.structure.model import Code


def test_the_copy_request_offers_telephone_post_and_email_from_the_source(code: Code) -> None:
    assert str(ask_for_copy(code)) == (
        'call <a class="ref ref-phone nowrap" href="tel:+442085458200">020 8545 8200</a> '
        '(<span class="ref ref-hours"><span class="nowrap">0830 – 1730</span> Monday to '
        'Friday excluding bank holidays</span>), write to Opus Telecoms, Unit 4, 50 Windsor '
        'Avenue, London <span class="nowrap">SW19 2TJ</span> or email '
        '<span class="cc-keep"><a class="ref ref-email nowrap" '
        'href="mailto:customerservice@opus-telecoms.co.uk">customerservice@<wbr>'
        'opus-telecoms.co.uk</a>.</span>')


def test_a_new_telephone_number_in_the_source_changes_the_copy_request(code: Code) -> None:
    contacts = tuple(c.model_copy(update={"value": "0330 123 4567"}) if c.id == "telephone"
                     else c for c in code.contacts)
    changed = code.model_copy(update={"contacts": contacts})
    assert 'href="tel:+443301234567">0330 123 4567</a>' in str(ask_for_copy(changed))


def test_without_an_email_the_full_stop_follows_the_postcode(code: Code) -> None:
    contacts = tuple(c for c in code.contacts if c.kind.value != "email")
    text = str(ask_for_copy(code.model_copy(update={"contacts": contacts})))
    assert text.endswith(' or write to Opus Telecoms, Unit 4, 50 Windsor Avenue, London '
                         '<span class="cc-keep"><span class="nowrap">SW19 2TJ</span>.</span>')
