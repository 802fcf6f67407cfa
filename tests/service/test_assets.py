"""The public pages' static files: the web fonts are the shipped TTFs as
WOFF2 (the same glyphs), and every file is served under a name that changes
with its content."""

from __future__ import annotations

import shutil
from pathlib import Path

from fontTools.ttLib import TTFont

from complaints_code.resources import resources
from complaints_code.service.assets import FONTS, Assets
from tests.conftest import TEMPLATES, project_settings


def test_each_web_font_has_the_glyphs_of_the_font_it_is_made_from() -> None:
    res = resources(project_settings())
    for name in FONTS:
        web = TTFont(res.font(name))
        print_font = TTFont(res.font(name.replace(".woff2", ".ttf")))
        assert web.flavor == "woff2"
        assert web.getBestCmap() == print_font.getBestCmap()
        assert web.getGlyphOrder() == print_font.getGlyphOrder()


def test_a_changed_file_gets_a_new_name_and_the_stylesheet_follows_its_fonts(
        tmp_path: Path) -> None:
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    before = Assets(resources(project_settings(templates=tmp_path / "templates")))
    css = before.by_name["service.css"].data.decode()
    assert before.url(FONTS[0]) in css and before.url(FONTS[1]) in css
    font = tmp_path / "templates" / "fonts" / FONTS[0]
    font.write_bytes(font.read_bytes() + b"\0")
    after = Assets(resources(project_settings(templates=tmp_path / "templates")))
    assert after.url(FONTS[0]) != before.url(FONTS[0])
    assert after.url("service.css") != before.url("service.css")  # it names the new font
    assert after.url("service.js") == before.url("service.js")
