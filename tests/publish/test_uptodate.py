"""The whole-build fast path: a build whose inputs are byte for byte those
of the published site has nothing to do; one byte of difference in any
input, or a change of the rules in force with the date, and it has."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from complaints_code.legal.lint.rules import all_rules, rules_in_force
from complaints_code.publish import buildinfo, uptodate
from complaints_code.publish.buildinfo import BuildInfo, Compliance, FileRecord
from complaints_code.settings import Settings, load_settings
from tests.conftest import ROOT, SOURCE

DAY = dt.date(2026, 6, 1)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project of its own: the config, source, templates (with the fonts)
    and website pages copied, so each test can change one of them."""
    for name in ("complaints-code.toml", "mkdocs.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "code_source").mkdir()
    shutil.copy(SOURCE, tmp_path / "code_source" / SOURCE.name)
    for folder in ("templates", "docs"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def settings_of(project: Path, **flags: object) -> Settings:
    return load_settings(project / "complaints-code.toml", flags=flags, cwd=project, environ={})


def publish_record(settings: Settings, inputs: str, *, warnings: int = 0) -> Path:
    """A published site as a complete build leaves it: one file, and
    build-info.json with the digest of its inputs."""
    site = settings.out / ".site-test"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>Code</title>\n", encoding="utf-8")
    data = (site / "index.html").read_bytes()
    info = BuildInfo(
        code_version="1.0", effective_date=DAY, source_sha256="0" * 64,
        built_at=dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), engines={}, formats={},
        listed=(), inputs=inputs,
        files={"index.html": FileRecord(sha256=hashlib.sha256(data).hexdigest(),
                                        size=len(data))},
        compliance=Compliance(errors=0, warnings=warnings, notes=0, summary=""))
    buildinfo.write(site, info)
    (settings.out / "site").symlink_to(site.name)
    return site


def test_nothing_changed_means_up_to_date(project: Path) -> None:
    settings = settings_of(project)
    publish_record(settings, uptodate.digest(settings, DAY))
    again = settings_of(project)
    info = uptodate.up_to_date(again, uptodate.digest(again, DAY))
    assert info is not None and info.code_version == "1.0"


@pytest.mark.parametrize("change", ["source", "template", "font", "docs page", "mkdocs"])
def test_one_changed_byte_in_any_input_means_a_build(project: Path, change: str) -> None:
    settings = settings_of(project)
    publish_record(settings, uptodate.digest(settings, DAY))
    path = {"source": project / "code_source" / SOURCE.name,
            "template": project / "templates" / "print" / "code.html.j2",
            "font": project / "templates" / "fonts" / "DejaVuSans.ttf",
            "docs page": project / "docs" / "counting-time.md",
            "mkdocs": project / "mkdocs.yml"}[change]
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    assert uptodate.up_to_date(settings, uptodate.digest(settings, DAY)) is None


def test_a_changed_setting_means_a_build_but_more_workers_do_not(project: Path) -> None:
    settings = settings_of(project)
    publish_record(settings, uptodate.digest(settings, DAY))
    cells = settings_of(project, braille={"cells": settings.braille.cells - 2})
    assert uptodate.up_to_date(cells, uptodate.digest(cells, DAY)) is None
    url = settings_of(project, service_url="https://copies.example.org")
    assert uptodate.up_to_date(url, uptodate.digest(url, DAY)) is None
    workers = settings_of(project, build={"workers": 1, "lock_wait": 30})
    assert uptodate.up_to_date(workers, uptodate.digest(workers, DAY)) is not None


def test_another_version_of_the_tool_or_an_engine_means_a_build(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_of(project)
    publish_record(settings, uptodate.digest(settings, DAY))
    versions = dict(uptodate.engine_versions())
    for package in ("complaints-code", "weasyprint", "liblouis"):
        monkeypatch.setattr(uptodate, "engine_versions",
                            lambda p=package: {**versions, p: versions[p] + ".post1"})
        assert uptodate.up_to_date(settings, uptodate.digest(settings, DAY)) is None


def test_the_rules_in_force_today_and_the_calendar_year_are_compared(project: Path) -> None:
    settings = settings_of(project)
    before = dt.date(2026, 4, 7)  # ADR after 8 weeks until this day, 6 weeks from the next
    publish_record(settings, uptodate.digest(settings, before))
    assert uptodate.digest(settings, before) == uptodate.digest(settings, dt.date(2026, 1, 2))
    assert uptodate.digest(settings, dt.date(2026, 4, 8)) != uptodate.digest(settings, before)
    assert uptodate.digest(settings, dt.date(2027, 1, 1)) != \
        uptodate.digest(settings, dt.date(2026, 12, 31))


def test_the_rule_dates_say_which_rules_are_in_force() -> None:
    # The fast path reads the days the rules change from rules.yaml's lines;
    # two days on the same side of every change must have the same rules in
    # force by the lint's own reckoning, and days across a change different.
    changes = uptodate.rule_changes()
    days = sorted({d + dt.timedelta(days=k) for d in changes for k in (-1, 0, 1)}
                  | {dt.date(2000, 1, 1), dt.date(2100, 1, 1)})
    by_key: dict[tuple[dt.date, ...], set[tuple[str, ...]]] = {}
    for day in days:
        key = tuple(c for c in changes if c <= day)
        by_key.setdefault(key, set()).add(tuple(repr(r) for r in rules_in_force(day)))
    assert all(len(sets) == 1 for sets in by_key.values())
    assert len({next(iter(s)) for s in by_key.values()}) == len(by_key)
    dated = [r for r in all_rules() if r.applies_from or r.applies_until]
    assert dated, "rules.yaml has no dated rule left: the test proves nothing"


def test_a_missing_or_changed_file_of_the_site_means_a_build(project: Path) -> None:
    settings = settings_of(project)
    site = publish_record(settings, uptodate.digest(settings, DAY))
    inputs = uptodate.digest(settings, DAY)
    (site / "index.html").write_text("<!doctype html><title>Cut</title>", encoding="utf-8")
    assert uptodate.up_to_date(settings, inputs) is None
    (site / "index.html").unlink()
    assert uptodate.up_to_date(settings, inputs) is None


def test_strict_is_not_satisfied_by_a_site_built_with_warnings(project: Path) -> None:
    settings = settings_of(project)
    inputs = uptodate.digest(settings, DAY)
    publish_record(settings, inputs, warnings=1)
    assert uptodate.up_to_date(settings, inputs) is not None
    assert uptodate.up_to_date(settings, inputs, strict=True) is None


def test_a_site_from_a_partial_build_or_an_older_tool_has_no_fast_path(project: Path) -> None:
    settings = settings_of(project)
    publish_record(settings, "")  # a build with --only records no digest
    assert uptodate.up_to_date(settings, uptodate.digest(settings, DAY)) is None
