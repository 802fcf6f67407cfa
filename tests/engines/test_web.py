"""The web format: the built site holds the whole Code from the source, links
only the formats that exist, and replaces the old site without losing them."""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.engines.web import site as web
from complaints_code.errors import ComplaintsCodeError, RenderError
from complaints_code.publish import publish
from complaints_code.renderers import artifact
from complaints_code.structure import plain
from complaints_code.structure.model import Change, Code
from complaints_code.structure.source import load
from tests.conftest import ROOT, build_web, project_settings

pytestmark = pytest.mark.xdist_group("web")

SETTINGS = project_settings()
PRINT_PDF = "downloads/complaints-code-print.pdf"
DATA_JSON = "data/complaints-code.json"


class _Text(HTMLParser):
    """The visible text of a page's <article>, as one whitespace-collapsed string."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)

    @classmethod
    def of(cls, page: str) -> str:
        parser = cls()
        parser.feed(page)
        return " ".join("".join(parser.parts).split())


def _json_ld(page: str) -> dict[str, object]:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert m, "no JSON-LD on the page"
    data: dict[str, object] = json.loads(m.group(1))
    return data


@pytest.fixture(scope="module")
def built(code: Code, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built with a print PDF and the data export beside it."""
    out = tmp_path_factory.mktemp("web")
    downloads = (
        artifact(PRINT_PDF, b"%PDF" + b"x" * 217_000, label="Standard print", kind="PDF"),
        artifact(DATA_JSON, '{"old": true}\n', label="Stages and timescales as data",
                 kind="JSON"),
    )
    return build_web(code, out, downloads=downloads)


@pytest.fixture(scope="module")
def page(built: Path) -> str:
    return (built / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_build_puts_the_code_at_site_index_beside_the_other_formats(built: Path) -> None:
    assert "<title>" in (built / "index.html").read_text(encoding="utf-8")
    assert (built / PRINT_PDF).read_bytes() == b"%PDF" + b"x" * 217_000
    assert (built / DATA_JSON).read_text() == '{"old": true}\n'
    assert (built / "changes" / "index.html").is_file()
    assert (built / "accessibility" / "index.html").is_file()


def test_every_line_of_the_code_appears_in_the_page(code: Code, page: str) -> None:
    text = _Text.of(page)
    missing = [cell for line in plain.lines(code) for cell in line.split("\t")
               if cell and " ".join(cell.split()) not in text]
    assert not missing


def test_sections_appear_in_order_anchored_by_their_ids(code: Code, page: str) -> None:
    positions = [page.find(f'id="{s.id}"') for s in code.sections]
    assert -1 not in positions
    assert positions == sorted(positions)
    for section in code.sections:
        assert f'href="#{section.id}"' in page  # the contents list


def test_page_shows_version_and_effective_date(code: Code, page: str) -> None:
    meta = code.metadata
    assert f"Version {meta.version}, effective from " \
           f'<time datetime="{meta.effective_date.isoformat()}">25 November 2026</time>' in page


def test_other_formats_link_only_files_that_exist_with_type_and_size(page: str) -> None:
    formats = page[page.index('class="cc-formats"'):page.index("</section>")]
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]*)<span class="cc-filemeta">\(([^)]*)\)',
                       formats)
    assert links == [(PRINT_PDF, "Standard print ", "PDF, 212 KB"),
                     (DATA_JSON, "Stages and timescales as data ", "JSON, 14 bytes")]


def test_without_a_service_url_the_block_gives_the_codes_postal_and_email_routes(
        code: Code) -> None:
    text = web.code_page_markdown(code, SETTINGS, [])
    formats = text[text.index("cc-formats"):text.index("</section>")]
    post = code.contact("post").address
    assert post is not None
    assert ", ".join(post.lines) in formats and post.postcode in formats
    assert f'href="mailto:{code.contact("email").value}"' in formats
    assert "request-copy" not in formats


def test_with_a_service_url_the_block_links_its_request_and_feedback_pages(code: Code) -> None:
    options = project_settings(service_url="https://service.example/")
    text = web.code_page_markdown(code, options, [])
    formats = text[text.index("cc-formats"):text.index("</section>")]
    assert 'href="https://service.example/request-a-copy"' in formats
    assert 'href="https://service.example/feedback"' in formats
    assert "mailto:" not in formats


@pytest.mark.parametrize("url", ["service.example.org", "ftp://service.example.org", "https://"])
def test_a_service_url_that_is_not_a_web_address_is_refused(code: Code, url: str) -> None:
    options = project_settings(service_url=url)
    with pytest.raises(RenderError) as exc:
        web.code_page_markdown(code, options, [])
    assert str(exc.value) == (f"service URL '{url}' is not a web address; give its base, "
                              "e.g. --service-url https://service.example.org")


@pytest.mark.slow
def test_build_command_passes_the_service_url_from_the_environment(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(main, ["build", "--only", "web", "--out", str(tmp_path)],
                           env={"COMPLAINTS_CODE_SERVICE_URL": "https://copies.example"})
    assert result.exit_code == 0, result.output
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://copies.example/request-a-copy"' in built


def test_contact_methods_are_real_links(code: Code, page: str) -> None:
    assert '<a class="ref ref-phone nowrap" href="tel:+442085458200">020 8545 8200</a>' in page
    assert f'href="mailto:{code.contact("email").value}"' in page
    assert 'href="https://www.opus-telecoms.co.uk/"' in page


def test_stage_table_has_a_caption_and_scoped_headers(code: Code, page: str) -> None:
    table = page[page.index('<table class="cc-stages">'):]
    table = table[:table.index("</table>")]
    assert "<caption" in table and code.section("stages").title in table
    assert table.count('<th scope="col"') == 3
    assert table.count('<th scope="row">') == len(code.stages)


def test_json_ld_gives_the_organisation_and_its_contact_points_with_hours(
        code: Code, page: str) -> None:
    data = _json_ld(page)
    assert data["@type"] == "Organization" and data["name"] == code.metadata.provider
    points = data["contactPoint"]
    assert isinstance(points, list)
    phone = next(p for p in points if "telephone" in p)
    assert phone["telephone"] == "+442085458200"
    hours = phone["hoursAvailable"]
    assert (hours["opens"], hours["closes"]) == ("08:30", "17:30")
    assert hours["dayOfWeek"][0] == "https://schema.org/Monday" and len(hours["dayOfWeek"]) == 5
    assert data["address"] == {"@type": "PostalAddress",
                               "streetAddress": "Unit 4, 50 Windsor Avenue",
                               "addressLocality": "London", "postalCode": "SW19 2TJ",
                               "addressCountry": "GB"}


@pytest.mark.slow
def test_changing_the_phone_number_changes_it_everywhere(
        source_text: str, tmp_path: Path) -> None:
    assert source_text.count("020 8545 8200") == 1
    source = tmp_path / "code.yaml"
    source.write_text(source_text.replace("020 8545 8200", "0300 123 4567"), encoding="utf-8")
    site = build_web(load(source), tmp_path / "out")
    for name in ("index.html", "accessibility/index.html"):
        text = (site / name).read_text(encoding="utf-8")
        assert "8545 8200" not in text and "442085458200" not in text
        assert '<a class="ref ref-phone nowrap" href="tel:+443001234567">0300 123 4567</a>' in text
    index = (site / "index.html").read_text(encoding="utf-8")
    points = _json_ld(index)["contactPoint"]
    assert isinstance(points, list)
    phone = next(p for p in points if "telephone" in p)
    assert phone["telephone"] == "+443001234567"


def test_html_lang_and_site_name_come_from_the_code(code: Code, page: str, built: Path) -> None:
    assert f'<html lang="{code.metadata.language}"' in page
    assert f"<title>{code.metadata.provider} {code.metadata.title}</title>" in page
    assert '<html lang="en-GB"' in (built / "404.html").read_text(encoding="utf-8")


def test_no_fonts_or_scripts_are_fetched_from_other_sites(code: Code, built: Path) -> None:
    own = code.metadata.published_url or "(none)"
    for path in built.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', text):
            assert not url.startswith(("http:", "https:", "//")) or url.startswith(own), url


def test_changes_page_lists_versions_newest_first(code: Code) -> None:
    later = Change(version="1.1", date=code.metadata.effective_date.replace(year=2027),
                   summary="Six weeks to go to the ombudsman.", approved_by="The Board")
    text = web.changes_page_markdown(code.model_copy(update={"changes": (*code.changes, later)}),
                                     SETTINGS)
    assert text.index("Six weeks to go") < text.index(code.changes[0].summary)
    assert '<th scope="row" data-label="Version">1.1</th>' in text


@pytest.mark.parametrize("title", [
    "Costs * and _fees_", "A <b> & C", "#1 priority", "[draft](v2)", "back\\slash {#x}",
])
def test_a_heading_is_never_read_as_markup(code: Code, title: str) -> None:
    section = code.sections[0].model_copy(update={"title": title})
    changed = code.model_copy(update={"sections": (section, *code.sections[1:])})
    converted = markdown.markdown(web.code_page_markdown(changed, SETTINGS, []),
                                  extensions=["attr_list", "toc"])
    heading = re.search(rf'<h2 id="{section.id}">(.*?)</h2>', converted)
    assert heading and html.unescape(heading.group(1)) == title


@pytest.mark.parametrize("section_id", ["other-formats", "contents", "code", "stage-raise",
                                        "contact-email"])
def test_a_section_id_that_clashes_with_a_page_anchor_is_refused(
        code: Code, section_id: str) -> None:
    section = code.sections[0].model_copy(update={"id": section_id})
    changed = code.model_copy(update={"sections": (section, *code.sections[1:])})
    with pytest.raises(RenderError) as exc:
        web.code_page_markdown(changed, SETTINGS, [])
    assert str(exc.value) == (f"section id '{section_id}' is also an anchor the web page uses "
                              "itself; rename the section (its id becomes its web address)")


@pytest.mark.parametrize(("text", "message"), [
    ("{contact:pager}",
     "'{contact:pager}' names no contact in the Code; use an id from the source"),
    ("{adr:fax.hours}", "'{adr:fax.hours}' names no adr in the Code; use an id from the source"),
])
def test_a_hand_written_page_naming_an_unknown_contact_is_refused(
        code: Code, text: str, message: str) -> None:
    with pytest.raises(RenderError) as exc:
        web.substitute_refs(code, f"Call {text} today.")
    assert str(exc.value) == message


@pytest.mark.slow
def test_a_failed_build_leaves_the_previous_site_in_place(code: Code, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project)
    (project / "src").symlink_to(ROOT / "src")
    (project / "templates").symlink_to(ROOT / "templates")
    (project / "code_source").symlink_to(ROOT / "code_source")
    out = tmp_path / "out"
    settings = project_settings(out=out, mkdocs_config=project / "mkdocs.yml")
    publish(code, settings, ["web"])
    before = {p.relative_to(out / "site"): p.read_bytes()
              for p in (out / "site").rglob("*") if p.is_file()}
    (project / "docs" / "broken.md").write_text("# Broken\n\n[a page](missing.md)\n")
    with pytest.raises(ComplaintsCodeError) as exc:
        publish(code, settings, ["web"])
    assert "mkdocs build --strict" in str(exc.value) and "missing.md" in str(exc.value)
    after = {p.relative_to(out / "site"): p.read_bytes()
             for p in (out / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.startswith(".staging-")]


@pytest.mark.parametrize(("size", "words"), [
    (880, "880 bytes"), (217_000, "212 KB"), (1_500_000, "1.4 MB"),
])
def test_file_sizes_read_as_people_say_them(size: int, words: str) -> None:
    assert web.human_size(size) == words


def test_no_comment_or_source_file_name_reaches_a_published_page(built: Path) -> None:
    # docs/*.md keep notes for their editors in HTML comments; the build drops them.
    assert "<!--" in (ROOT / "docs" / "counting-time.md").read_text(encoding="utf-8")
    for page in ("index.html", "changes/index.html", "counting-time/index.html",
                 "accessibility/index.html", "data-files/index.html"):
        html = (built / page).read_text(encoding="utf-8")
        article = html[html.index("<article"):html.index("</article>")]
        assert "<!--" not in article, page
        for internal in ("code_source/", "src/complaints_code", "rules.yaml", "README.md"):
            assert internal not in html, (page, internal)


def test_nothing_of_the_manual_or_the_decision_records_is_published(built: Path) -> None:
    published = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    assert not [p for p in published if p.split("/")[0] in ("manual", "dev")
                or p.startswith("manual") or p.endswith((".yml", ".py", ".pyc"))
                or "__pycache__" in p]
    search = (built / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Customer-service staff" not in search and "decision record" not in search.lower()


def test_the_data_page_links_the_data_files_the_site_holds(built: Path) -> None:
    html = (built / "data-files" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../data/complaints-code.json">Stages and timescales</a>' in html
    assert '<a href="../counting-time/">How we count time</a>' in html
