"""The dbt project as Dagster sees it, in its own module because loading the dbt
assets needs a manifest (``target/manifest.json``).

``make install`` (and so ``make demo`` and ``make test``) runs ``dbt parse`` whenever
models change. Under ``dagster dev`` the manifest is re-parsed on start, so edits to
models show up; and if it is missing anyway (a bare checkout) it is parsed here.
"""

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
# The dbt installed beside this Python, so `.venv/bin/ccw run` and `.venv/bin/dagster
# dev` work without an activated virtual environment (dagster-dbt's own
# `prepare_if_dev` looks for `dbt` on PATH).
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")
# The dbt a run starts: the same dbt, which stops if the run is killed, and adds the
# project's SQL functions on Spark sessions (ccw/spark/dbt_command.py).
CCW_DBT_EXECUTABLE = Path(sys.executable).with_name("ccw-dbt")

ccw_dbt_project = DbtProject(project_dir=REPOSITORY_ROOT, profiles_dir=REPOSITORY_ROOT)


def parse_manifest() -> None:
    subprocess.run(
        [str(DBT_EXECUTABLE), "parse", "--quiet", "--project-dir", str(REPOSITORY_ROOT),
         "--profiles-dir", str(REPOSITORY_ROOT)],
        check=True,
    )  # fmt: skip


if os.environ.get("DAGSTER_IS_DEV_CLI") or not ccw_dbt_project.manifest_path.exists():
    parse_manifest()
