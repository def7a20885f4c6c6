"""The day's alert: the queues that missed a target on the latest published day, written
by hand (`ccw alert`) and by the Dagster job after a nightly run, and e-mailed to
`alert_recipients` through a local SMTP server this test starts."""

from __future__ import annotations

import re
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

from click.testing import CliRunner

from ccw.cli import main
from ccw.dashboard import queries, sentences
from ccw.dashboard.filters import Filters
from ccw.dashboard.snapshot import Snapshot
from ccw.publish import published_path
from ccw.report.deliver import deliver_daily_alert
from ccw.settings import load_settings

LAST_DAY = date(2026, 4, 5)  # the sample's latest day, a Sunday


def _said(result) -> str:
    return " ".join(result.output.split())


def test_ccw_alert_writes_the_latest_day_s_missed_targets(warehouse):
    result = CliRunner().invoke(main, ["alert", "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    path = warehouse.parent / "reports" / "alerts-2026-04-05.html"
    assert f"Wrote {path}" in _said(result)
    snapshot = Snapshot(published_path(warehouse))
    misses = queries.missed_targets(snapshot, Filters(start=LAST_DAY, end=LAST_DAY), 30)
    expected = sentences.missed_targets(misses)
    assert expected, "the sample's last day has queues below their targets"
    queues = misses["queue_name"].nunique()
    assert f"Contact center, Sun 05 Apr 2026: {queues} queue" in _said(result)
    page = path.read_text()
    listed = re.findall(r"<li>([^<]*)</li>", page)
    assert listed == [sentence.replace("'", "&#x27;") for sentence in expected]
    assert "The day's worst intervals" in page and "Sun 05 Apr" in page


def test_a_day_outside_the_data_or_badly_written_is_refused(warehouse):
    later = CliRunner().invoke(
        main, ["alert", "--warehouse", str(warehouse), "--day", "2026-04-06"]
    )
    assert later.exit_code == 1
    assert "Mon 06 Apr 2026 is not in it" in _said(later)
    bad = CliRunner().invoke(main, ["alert", "--warehouse", str(warehouse), "--day", "5 April"])
    assert "write it as YYYY-MM-DD" in _said(bad)
    assert not (warehouse.parent / "reports").exists()


def test_a_day_with_a_missed_target_is_e_mailed_to_the_alert_recipients(warehouse, tmp_path, inbox):
    config = tmp_path / "ccw.yml"
    config.write_text(
        f"smtp_host: 127.0.0.1\nsmtp_port: {inbox.port}\n"
        "report_recipients: [managers@center.example]\n"
        "alert_recipients: [leads@center.example]\n"
    )
    delivered = deliver_daily_alert(warehouse, load_settings(config))
    assert delivered.sent_to == ["leads@center.example"]
    (mail,) = [message_from_bytes(content, policy=policy.default) for content in inbox.received]
    assert mail["To"] == "leads@center.example"
    assert mail["Subject"] == delivered.report.subject
    text = mail.get_body(("plain",)).get_content()
    assert all(alert in text for alert in delivered.report.alerts[:20])


def test_an_unreachable_mail_server_still_leaves_the_alert_written(warehouse, tmp_path):
    from ccw.dashboard.browser import free_port

    config = tmp_path / "ccw.yml"
    config.write_text(
        f"smtp_host: 127.0.0.1\nsmtp_port: {free_port()}\nalert_recipients: [leads@center.example]\n"
    )
    result = CliRunner().invoke(
        main, ["alert", "--warehouse", str(warehouse), "--config", str(config)]
    )
    assert result.exit_code == 1
    path = warehouse.parent / "reports" / "alerts-2026-04-05.html"
    assert path.exists()
    assert f"Not sent. Wrote {path}, but could not e-mail it" in _said(result)


def test_the_alert_job_after_a_nightly_run_writes_a_day_once(warehouse, monkeypatch):
    from orchestration.report import daily_alert_job, day_due

    monkeypatch.setenv("CCW_WAREHOUSE", str(warehouse))
    assert day_due() == LAST_DAY
    result = daily_alert_job.execute_in_process(
        run_config={"ops": {"daily_alert": {"config": {"day": LAST_DAY.isoformat()}}}}
    )
    assert result.success
    assert Path(result.output_for_node("daily_alert")).name == "alerts-2026-04-05.html"
    assert day_due() is None  # written: the sensor asks for nothing more today
