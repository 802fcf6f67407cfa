"""The formats a copy can be asked for in: every on-request format of the
renderer registry, posted, and the emailed PDF, the same list for the
command line, batch files and the service."""

from __future__ import annotations

from complaints_code.copies.offers import EMAIL_PDF, offer, offers
from complaints_code.renderers import REGISTRY, copy_formats
from tests.conftest import project_settings

SETTINGS = project_settings()


def test_the_registry_s_copy_formats_then_the_emailed_pdf() -> None:
    names = [o.name for o in offers()]
    assert names == [f.name for f in copy_formats()] + [EMAIL_PDF]
    assert all(o.hint and o.label for o in offers())
    assert [o.name for o in offers() if o.by_email] == [EMAIL_PDF]
    assert offer("vinyl") is None


def test_each_offer_is_made_by_a_registry_renderer_with_its_options_and_file_ending() -> None:
    for o in offers():
        renderer = REGISTRY[o.renderer]
        assert renderer.on_request and o.extension == renderer.extension
    emailed = offer(EMAIL_PDF)
    assert emailed is not None and emailed.renderer == "large-print"
    assert emailed.sizes(SETTINGS) == SETTINGS.print.formats["large-print"].sizes


def test_the_form_asks_only_size_and_grade_and_only_of_the_formats_that_take_them() -> None:
    asked = {o.name: o.asked for o in offers()}
    assert asked["large-print"] == ("size",) and asked["braille"] == ("grade",)
    assert asked["epub"] == () and asked["docx"] == ("size",)
    docx = offer("docx")
    assert docx is not None and docx.default_size(SETTINGS) == SETTINGS.docx.size
