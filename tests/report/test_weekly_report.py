"""The manager's weekly report, written from the sample's published snapshot by hand
(`ccw report`), by the Dagster job after a nightly run, and e-mailed to a local SMTP
server this test starts."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path

from click.testing import CliRunner

from ccw.cli import main
from ccw.dashboard import queries
from ccw.dashboard.filters import Filters
from ccw.dashboard.snapshot import Snapshot
from ccw.labels import human
from ccw.publish import published_path
from ccw.report.deliver import deliver_weekly_report
from ccw.report.weekly import IsoWeek
from ccw.settings import load_settings

# The sample runs from Mon 2 Mar to Sun 5 Apr 2026: weeks 10 to 14, whole.
LAST_WEEK = IsoWeek(2026, 14)


def test_ccw_report_writes_the_latest_full_week_with_its_alerts(warehouse):
    result = CliRunner().invoke(main, ["report", "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    path = warehouse.parent / "reports" / "weekly-2026-W14.html"
    assert f"Wrote {path}" in " ".join(result.output.split())
    page = path.read_text()
    assert "Mon 30 Mar to Sun 05 Apr 2026" in page
    # The scorecard, every queue by its label, against the week before and 4 weeks earlier.
    assert 'class="ccw-scorecard"' in page
    snapshot = Snapshot(published_path(warehouse))
    queues = [
        queue
        for (queue,) in snapshot.query("select queue_name from marts.dim_queue_targets").itertuples(
            index=False
        )
    ]
    for queue in queues:
        assert f">{human(queue)}</th>" in page
    assert "vs prev." in page and "vs 4 wk ago" in page
    # Every queue-day that missed a target, as the marts say, and nothing else.
    week = Filters(start=LAST_WEEK.start, end=LAST_WEEK.end)
    misses = queries.missed_targets(snapshot, week, 30)
    assert len(misses) > 0
    listed = re.findall(r"<li>([^<]*legs offered\): [^<]*against a target of[^<]*)</li>", page)
    assert len(listed) == len(misses.groupby(["queue_name", "service_date"]))
    assert sum(item.count("against a target of") for item in listed) == len(misses)
    # The day with the lowest service level against its target first.
    levels = misses[misses["figure"] == "service_level"]
    worst = levels.loc[levels["shortfall"].idxmax()]
    assert listed[0].startswith(f"{human(worst['queue_name'])}, {worst['service_date']:%a %d %b}")
    # The charts are inside the file, as PNG images.
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2 and all(image.startswith("iVBORw0KGgo") for image in images)


def test_a_week_the_data_does_not_hold_is_refused_naming_the_latest(warehouse):
    result = CliRunner().invoke(
        main, ["report", "--warehouse", str(warehouse), "--week", "2026-W15"]
    )
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "week 2026-W15" in said and "The latest full week is 2026-W14" in said
    bad = CliRunner().invoke(main, ["report", "--warehouse", str(warehouse), "--week", "14"])
    assert "write it as YYYY-Www" in " ".join(bad.output.split())
    assert not (warehouse.parent / "reports").exists()


def test_the_report_arrives_by_e_mail_with_its_images(warehouse, tmp_path, inbox):
    config = tmp_path / "ccw.yml"
    config.write_text(
        f"smtp_host: 127.0.0.1\nsmtp_port: {inbox.port}\n"
        "report_sender: ccw@center.example\n"
        "report_recipients: [ops@center.example, floor@center.example]\n"
    )
    delivered = deliver_weekly_report(warehouse, load_settings(config), IsoWeek(2026, 13))
    received = inbox.received
    assert delivered.sent_to == ["ops@center.example", "floor@center.example"]
    (mail,) = [message_from_bytes(content, policy=policy.default) for content in received]
    assert mail["Subject"] == delivered.report.subject
    assert mail["Subject"].startswith("Contact center, week 2026-W13: ")
    assert mail["To"] == "ops@center.example, floor@center.example"
    text = mail.get_body(("plain",)).get_content()
    assert delivered.report.alerts[0] in text
    page = mail.get_body(("html",))
    html = page.get_content()
    assert 'class="ccw-scorecard"' in html and 'src="cid:service_level"' in html
    images = {
        part["Content-ID"]: part.get_content()
        for part in mail.walk()
        if part.get_content_type() == "image/png"
    }
    assert set(images) == {"<service_level>", "<offered>"}
    assert all(png.startswith(b"\x89PNG") for png in images.values())


def test_the_report_job_after_a_nightly_run_writes_a_week_once(warehouse, monkeypatch):
    from orchestration.report import week_due, weekly_report_job

    monkeypatch.setenv("CCW_WAREHOUSE", str(warehouse))
    assert week_due() == LAST_WEEK
    result = weekly_report_job.execute_in_process(
        run_config={"ops": {"weekly_report": {"config": {"week": str(LAST_WEEK)}}}}
    )
    assert result.success
    assert Path(result.output_for_node("weekly_report")).name == "weekly-2026-W14.html"
    assert week_due() is None  # written: the sensor asks for nothing more this week
