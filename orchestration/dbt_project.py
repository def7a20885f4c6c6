"""The dbt project as Dagster sees it, in its own module because loading the dbt
assets needs a manifest (``target/manifest.json``).

``make install`` (and so ``make demo`` and ``make test``) runs ``dbt parse`` whenever
models change; ``dagster dev`` re-parses on start (``prepare_if_dev``); and if the
manifest is missing anyway (a bare checkout), it is prepared here on import.
"""

import sys
from pathlib import Path

from dagster_dbt import DbtProject

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
# The dbt installed beside this Python, so `.venv/bin/ccw run` works without an
# activated virtual environment.
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")

ccw_dbt_project = DbtProject(project_dir=REPOSITORY_ROOT, profiles_dir=REPOSITORY_ROOT)
ccw_dbt_project.prepare_if_dev()
if not ccw_dbt_project.manifest_path.exists():
    ccw_dbt_project.preparer.prepare(ccw_dbt_project)
