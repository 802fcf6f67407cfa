"""What the command line says (issue 17's small things, issue 19's build
arguments): no user text or location is read as console markup; messages
name flags that exist; `--only` that names no format is refused; `doctor`
does not call a database that is not created yet missing; a port in use is
one line naming its setting."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.renderers import formats
from tests.conftest import SOURCE

ORIGINAL = SOURCE.read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["[bold]", ":smile:", "x:100:y"])
def test_no_location_or_text_is_read_as_console_markup(runner: CliRunner, tmp_path: Path,
                                                       folder: str) -> None:
    lines = ORIGINAL.splitlines(keepends=True)
    assert lines[99] == "    amount: 3\n"  # line 100: the timescales the legal team edits
    lines[99] = '    amount: "[bold]x[/bold] :smile: :100:"\n'
    path = tmp_path / folder / "code [red]:100:.yaml"
    path.parent.mkdir()
    path.write_text("".join(lines), encoding="utf-8")
    result = runner.invoke(main, ["check", "--source", str(path)])
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:100:13: timescales[2].amount: ")
    assert "[bold]x[/bold] :smile: :100:" in first
    assert "💯" not in result.stderr and "😄" not in result.stderr


def test_build_only_without_a_format_is_refused_listing_the_formats(runner: CliRunner,
                                                                   tmp_path: Path) -> None:
    listed = ", ".join(formats())
    for only in ("", ",", " , ,"):
        result = runner.invoke(main, ["build", "--only", only, "--out", str(tmp_path)])
        assert result.exit_code == 2
        assert result.stderr == (f'error: --only "{only}" names no format; choose from '
                                 f"{listed}, separated by commas, e.g. --only web,braille\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["service", "purge", "--days", "0"], "settings: service.purge_after_days = 0 (from flag "
     "--days): Input should be greater than or equal to 1; fix the value (complaints-code "
     "config shows the default)\n"),
    (["service", "purge", "--feedback-days", "-3"], "settings: "
     "service.feedback_purge_after_days = -3 (from flag --feedback-days): Input should be "
     "greater than or equal to 1; fix the value (complaints-code config shows the default)\n"),
    (["build", "--wait", "5", "--workers", "0"], "Error: Invalid value for '--workers': 0 is "
     "not in the range 1<=x<=64."),
])
def test_every_message_names_a_flag_that_exists(runner: CliRunner, args: list[str],
                                                message: str) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.slow
def test_doctor_says_a_database_not_created_yet_is_made_by_serve(runner: CliRunner,
                                                                 tmp_path: Path) -> None:
    var = tmp_path / "var"
    result = runner.invoke(main, ["doctor"], env={"COMPLAINTS_CODE_VAR": str(var)})
    assert result.exit_code == 0, result.output
    database = var / "complaints-code.db"
    assert (f"ok       service database: sqlite:///{database}: not created yet — `serve` "
            "creates it\n") in result.stderr
    assert "missing" not in result.stderr.lower()
    assert result.stderr.endswith("All is well.\n")
    assert not var.exists()  # doctor creates nothing


@pytest.mark.slow
def test_doctor_never_says_all_is_well_below_an_absent_piece(runner: CliRunner) -> None:
    with listening() as port:  # a port that speaks no PostgreSQL
        result = runner.invoke(main, ["doctor"], env={
            "COMPLAINTS_CODE_DATABASE_URL": f"postgresql://u@127.0.0.1:{port}/x?connect_timeout=2"})
    assert result.exit_code == 0, result.output
    assert "absent   service database: postgresql://***@127.0.0.1:" in result.stderr
    assert "All is well." not in result.stderr
    assert result.stderr.endswith("Everything the program needs is in place; not in place, and "
                                  "needed only for what it says: service database.\n")


@pytest.fixture
def busy_port() -> Iterator[int]:
    with listening() as port:
        yield port


class listening:
    """A port something listens on, for as long as the block runs."""

    def __enter__(self) -> int:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        port: int = self.sock.getsockname()[1]
        return port

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


@pytest.mark.parametrize(("args", "variable", "message"), [
    (["serve"], "COMPLAINTS_CODE_SERVICE__PORT", "(another service, or the preview?); choose "
     "another with --port or the [service] port setting"),
    (["preview"], "COMPLAINTS_CODE_WEB__PREVIEW_PORT", "(the service, or another preview?); "
     "choose another with --port or the [web] preview_port setting"),
])
def test_a_port_in_use_is_one_line_naming_its_setting(runner: CliRunner, busy_port: int,
                                                      args: list[str], variable: str,
                                                      message: str, tmp_path: Path) -> None:
    result = runner.invoke(main, args, env={variable: str(busy_port),
                                            "COMPLAINTS_CODE_VAR": str(tmp_path)})
    assert (result.exit_code, result.stderr) == (
        2, f"error: port {busy_port} on 127.0.0.1 is in use by another program {message}\n")
    assert not list(tmp_path.iterdir())  # serve did not make its database


def test_the_preview_and_the_service_do_not_share_a_port_by_default(runner: CliRunner) -> None:
    result = runner.invoke(main, ["config", "--json"])
    shown = json.loads(result.stdout)["settings"]
    assert shown["web.preview_port"]["value"] != shown["service.port"]["value"]
