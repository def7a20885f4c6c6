"""The dbt project as Dagster sees it, in its own module because loading the dbt
assets needs a manifest (``target/manifest.json``).

``make install`` (and so ``make demo`` and ``make test``) runs ``dbt parse`` whenever
models change. Under ``dagster dev`` (``ccw ui``) the manifest is re-parsed on start, so
edits to models show up; and if it is missing anyway (a bare checkout) it is parsed
here. Either way as the install parses (``ccw-dbt``, the settings' ``--vars``), so the
runs that follow still reuse that parse rather than parsing the whole project again.
"""

import os
import subprocess
import sys
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
# The dbt installed beside this Python, so `.venv/bin/ccw run` and `.venv/bin/dagster
# dev` work without an activated virtual environment (dagster-dbt's own
# `prepare_if_dev` looks for `dbt` on PATH).
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")
# The dbt a run starts: the same dbt, which stops if the run is killed, and adds the
# project's SQL functions on Spark sessions (ccw/spark/dbt_command.py).
CCW_DBT_EXECUTABLE = Path(sys.executable).with_name("ccw-dbt")

ccw_dbt_project = DbtProject(project_dir=REPOSITORY_ROOT, profiles_dir=REPOSITORY_ROOT)


class CcwDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without the start-up a run does not use.

    Before each build, dagster-dbt asks the executable for its version (``dbt
    --version``: a second dbt process, 2-3 s) and opens a dbt adapter inside the
    run's process (loading the profile and every macro, about 1 s), which only serves
    its ``fetch_row_counts`` and ``fetch_column_metadata``. The dbt every run starts is
    this environment's (``ccw-dbt`` or ``dbt`` beside this Python), so its version is
    the installed dbt-core's; and the dbt asset fetches neither, so no adapter is
    opened. ``tests/orchestration/test_definitions.py`` keeps both true.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def ccw_dbt_resource(executable: Path = CCW_DBT_EXECUTABLE, **options) -> CcwDbtCliResource:
    """The dbt a run starts, on this project (``target`` among ``options``)."""
    return CcwDbtCliResource(project_dir=ccw_dbt_project, dbt_executable=str(executable), **options)


def parse_manifest() -> None:
    """dbt's parse of the project, as `make install` makes it (the Makefile)."""
    from ccw.settings import load_settings

    subprocess.run(
        [str(CCW_DBT_EXECUTABLE), "parse", "--quiet", "--project-dir", str(REPOSITORY_ROOT),
         "--profiles-dir", str(REPOSITORY_ROOT), "--vars", load_settings().dbt_vars_argument()],
        check=True,
    )  # fmt: skip


if os.environ.get("DAGSTER_IS_DEV_CLI") or not ccw_dbt_project.manifest_path.exists():
    parse_manifest()
