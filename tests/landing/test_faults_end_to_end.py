"""A bad night, end to end: rows that break the rules, a row dated years ahead, free
text with personal details, then the next day, and the documented remedy for a file
beyond repair.

On a copy of the seven-day warehouse (the session's ``built``):

1. A second delivery of the last day with rule-breaking rows (in a subfolder, where
   some exporters write), and a file of one valid leg dated five years ahead. The run
   quarantines the bad rows, loads the rest, and publishes.
2. The next day arrives, and the operator follows docs/data-quality.md for the file
   beyond repair: move it out of the landing folder, `ccw replay` its old path. The
   run forgets its rows and loads the new day, and every leg of the new day reaches
   the marts and the published snapshot: the future-dated leg holds no day back.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from ccw.cli import main
from ccw.generator import GenerateRequest, generate
from ccw.pipeline import run_pipeline
from ccw.publish import published_path
from tests.conftest import TINY
from tests.warehouse_support import copy_warehouse, query

HEADER = (
    "call_id,leg,direction,ani,customer_id,queue,ivr_started_at,queued_at,answered_at,"
    "ended_at,agent_id,talk_seconds,hold_seconds,acw_seconds,disposition,wrap_code,ivr_path"
)
ANSWERED = (
    "{call},1,inbound,+15550000001,,billing,{day}T10:00:00-05:00,{day}T10:00:30-05:00,"
    "{day}T10:00:40-05:00,{day}T10:05:00-05:00,{agent},{talk},10,30,answered,{wrap},main"
)
NEXT_DAY = "2026-03-09"


def _write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    return path


def _next_day_files(folder: Path) -> list[Path]:
    """The tiny center's eighth day: the generator writes the same first seven days."""
    generated = folder / "generated"
    generate(GenerateRequest(out=generated, **{**TINY, "days": TINY["days"] + 1}))
    return sorted(generated.rglob(f"*_{NEXT_DAY}.*"))


def test_bad_rows_and_a_future_date_never_stop_a_load_or_hold_back_a_day(built, landing, tmp_path):
    warehouse = copy_warehouse(built, tmp_path / "warehouse")
    agent = query(warehouse, "select agent_id from raw.calls where agent_id is not null")[0][0]
    last_day = "2026-03-08"
    resent = _write(
        landing / "telephony" / "resent" / f"calls_{last_day}.csv",
        [
            ANSWERED.format(call="BAD1", day=last_day, agent=agent, talk=-5, wrap="billing"),
            ANSWERED.format(
                call="BAD2", day=last_day, agent=agent, talk=1_000_000_000, wrap="billing"
            ),
            # Free text an agent typed, with a customer's e-mail and phone number in it.
            ANSWERED.format(
                call="OK1",
                day=last_day,
                agent=agent,
                talk=200,
                wrap='"moved, mail ann.lee@example.com or +1 (555) 010-2345"',
            ),
        ],
    )
    _write(
        landing / "telephony" / "calls_2031-03-08.csv",
        [ANSWERED.format(call="FUTURE1", day="2031-03-08", agent=agent, talk=200, wrap="x")],
    )

    first = run_pipeline(landing, warehouse)
    assert first.ok and first.published, (first.failed_steps, first.failed_checks)
    assert query(
        warehouse,
        "select line_number, column_name from ingest.quarantine "
        "where source_file = 'telephony/resent/calls_2026-03-08.csv' order by 1",
    ) == [(2, "talk_seconds"), (3, "talk_seconds")]
    assert query(
        published_path(warehouse), "select wrap_code from marts.fct_call_legs where call_id = 'OK1'"
    ) == [("moved, mail [email] or [number]",)]
    # ... and the run counts it, as a warning that does not stop anything.
    (redacted,) = [check for check in first.warned_checks if "redacted" in check]
    assert "wrap_code" in redacted and first.check_details[redacted] == ["1 row(s)"]

    for path in _next_day_files(tmp_path):
        target = landing / path.relative_to(tmp_path / "generated")
        shutil.copy2(path, target)
    moved_out = tmp_path / "beyond-repair.csv"
    shutil.move(resent, moved_out)
    replay = CliRunner().invoke(
        main,
        ["replay", str(landing / "telephony" / "resent" / f"calls_{last_day}.csv"),
         "--landing", str(landing), "--warehouse", str(warehouse)],
    )  # fmt: skip
    assert replay.exit_code == 0, replay.output
    said = " ".join(replay.output.split())  # the console wraps long lines
    assert "no longer in the landing folder, so its rows are gone" in said
    assert query(
        warehouse,
        "select status from ingest.manifest where path = 'telephony/resent/calls_2026-03-08.csv'",
    ) == [("forgotten",)]
    assert query(
        warehouse,
        "select count(*) from ingest.quarantine where source_file like 'telephony/resent/%'",
    ) == [(0,)]

    legs_delivered = query(
        warehouse,
        f"select count(*) from raw.calls where _is_current and _file_date = '{NEXT_DAY}'",
    )[0][0]
    assert legs_delivered > 100
    for database in (warehouse, published_path(warehouse)):
        legs = query(
            database,
            "select count(*) from marts.fct_call_legs as legs "
            "where legs.call_id in (select call_id from marts.fct_calls "
            f"  where started_local_date = '{NEXT_DAY}')",
        )[0][0]
        assert legs > 0, database
        assert query(
            database, "select count(*) from marts.fct_call_legs where call_id = 'OK1'"
        ) == [(0,)]
    published_days = query(
        published_path(warehouse),
        "select max(started_local_date) from marts.fct_calls where started_local_date < ?",
        [date(2030, 1, 1)],
    )
    assert published_days == [(date(2026, 3, 9),)]
    # The leg dated 2031 is in its own file's day: loaded, and built like any other.
    assert query(
        warehouse, "select count(*) from marts.fct_call_legs where call_id = 'FUTURE1'"
    ) == [(1,)]
