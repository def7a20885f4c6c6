"""The dbt unit tests (`unit_tests:` in the models' YAML) run here, not in the pipeline.

They check each model's formulas on fixed inputs, so they belong with the code's other
tests; a nightly load runs `dbt build --exclude-resource-type unit_test`. dbt needs
the models' parents to exist to type the inputs, so they run on a built warehouse.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from orchestration.dbt_project import DBT_EXECUTABLE, REPOSITORY_ROOT


def test_every_dbt_unit_test_passes(built: Path, tmp_path: Path) -> None:
    warehouse = Path(shutil.copy(built, tmp_path / "ccw.duckdb"))
    target = tmp_path / "target"
    completed = subprocess.run(
        [str(DBT_EXECUTABLE), "test", "--select", "test_type:unit", "--project-dir",
         str(REPOSITORY_ROOT), "--profiles-dir", str(REPOSITORY_ROOT), "--target-path",
         str(target)],
        check=False,
        env={**os.environ, "CCW_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-4000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 18
    assert {r["status"] for r in unit_tests} == {"pass"}
