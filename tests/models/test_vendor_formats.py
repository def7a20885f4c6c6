"""The same center delivered by Amazon Connect or Genesys Cloud builds the same marts.

One small simulated center, written three ways by `ccw generate --format`: the
contract's calls export, Amazon Connect contact records as Firehose delivers them, and
Genesys Cloud details-job pages. Each is landed and dbt builds every model; every mart
must equal the native build's, row for row (ccw/parity.py names each difference). The
center is the smallest that has every case the converters handle, and the test checks
it does: transfers, callbacks made and still pending, voicemail, abandons, IVR-ended
calls, record versions updated or delivered again, older versions arriving late,
conversations cut by a job's end and completed by the next.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ccw.generator import GenerateRequest, generate
from ccw.generator.vendor_exports import convert
from ccw.landing.warehouse import open_warehouse
from ccw.parity import compare_warehouses
from ccw.vendors import VENDORS, account
from orchestration.dbt_project import REPOSITORY_ROOT
from tests.warehouse_support import land_all, query

CENTER = {"start": date(2026, 3, 3), "days": 3, "agents": 14, "customers": 8_000, "seed": 7}
FORMATS = ("native", "connect", "genesys")
DISPOSITIONS = {
    "answered", "transferred", "abandoned", "ivr_contained", "callback_requested", "voicemail"
}  # fmt: skip


def _dbt_run(warehouse: Path, target: Path) -> None:
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "run", "--profiles-dir", ".",
         "--target-path", str(target)],
        cwd=REPOSITORY_ROOT, env={**os.environ, "CCW_WAREHOUSE": str(warehouse)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("vendor-formats")
    warehouses = {}
    for file_format in FORMATS:
        landing = root / file_format / "landing"
        generate(GenerateRequest(out=landing, **CENTER))
        if file_format != "native":
            convert(landing, file_format)
        warehouse = root / file_format / "ccw.duckdb"
        land_all(landing, warehouse)
        _dbt_run(warehouse, root / file_format / "target")
        warehouses[file_format] = warehouse
    return warehouses


def test_the_center_has_every_case(built):
    dispositions = {
        row[0] for row in query(built["native"], "select distinct disposition from raw.calls")
    }
    assert dispositions == DISPOSITIONS
    callbacks = query(
        built["native"],
        "select count(*) filter (where call_id like '%-callback'), "
        "count(*) filter (where disposition = 'callback_requested') from raw.calls",
    )[0]
    assert 0 < callbacks[0] < callbacks[1]  # some made, some still pending at the end
    assert query(built["native"], "select count(*) from raw.calls where leg > 1")[0][0] > 0
    with open_warehouse(built["connect"]) as con:
        connect = account(con, VENDORS[0])
    # updated after ACW, delivered twice, or an older version arriving late
    assert connect.superseded > connect.current // 2 and connect.balances
    late_older = query(
        built["connect"],
        """select count(*) from raw.connect_contact_records as old
        join raw.connect_contact_records as new using (contact_id)
        where not old._is_current and new._is_current and old._load_id > new._load_id""",
    )[0][0]
    assert late_older > 0
    with open_warehouse(built["genesys"]) as con:
        genesys = account(con, VENDORS[1])
    assert genesys.superseded > 0 and genesys.open_records > 0 and genesys.balances
    assert (
        query(
            built["genesys"],
            "select count(*) from raw.genesys_conversations where not _is_current"
            " and conversation_end is null",
        )[0][0]
        > 0
    )  # cut by a job's end, completed by the next


@pytest.mark.parametrize("vendor", ["connect", "genesys"])
def test_every_mart_equals_the_native_build(built, vendor):
    comparisons = compare_warehouses(built["native"], built[vendor])
    assert comparisons
    different = [c.describe() for c in comparisons if not c.equal and c.mart != "build_settings"]
    assert not different, "\n".join(different)
