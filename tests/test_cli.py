"""The ``ccw`` command as a user types it."""

from __future__ import annotations

from click.testing import CliRunner

from ccw.cli import main


def test_generate_help_explains_every_option():
    result = CliRunner().invoke(main, ["generate", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--start", "--days", "--agents", "--customers", "--seed", "--timezone"):
        assert option in result.output


def test_bad_arguments_get_a_clear_error(tmp_path):
    runner = CliRunner()
    cases = {
        ("--days", "0"): "0 is not in the range",
        ("--start", "2026-02-30"): "does not match the format",
        ("--timezone", "Mars/Olympus"): "not an IANA time zone",
        ("--agents", "many"): "'many' is not a valid integer",
    }
    for arguments, message in cases.items():
        result = runner.invoke(main, ["generate", "--out", str(tmp_path), *arguments])
        assert result.exit_code == 2
        assert message in result.output


def test_generate_writes_the_four_sources_and_refuses_to_mix_runs(tmp_path):
    runner = CliRunner()
    arguments = ["generate", "--out", str(tmp_path), "--days", "2", "--agents", "8",
                 "--customers", "200", "--quiet"]  # fmt: skip
    assert runner.invoke(main, arguments).exit_code == 0
    assert {path.name for path in tmp_path.iterdir()} == {"crm", "telephony", "survey", "hr"}
    again = runner.invoke(main, arguments)
    assert again.exit_code == 2 and "--overwrite" in again.output
    shorter = runner.invoke(main, [*arguments[:4], "1", *arguments[5:], "--overwrite"])
    assert shorter.exit_code == 0
    assert not list(tmp_path.glob("*/*_2026-03-03.*")), "an older run's days are removed"
