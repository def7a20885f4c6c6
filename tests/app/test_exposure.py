"""The managers' app exposure in the dbt project names exactly the marts the app reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

from orchestration.dbt_project import ccw_dbt_project

REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_app_exposure_lists_the_marts_the_app_reads():
    manifest = json.loads(ccw_dbt_project.manifest_path.read_text())
    (exposure,) = [
        node for node in manifest["exposures"].values() if node["name"] == "managers_app"
    ]
    listed = {node.split(".")[-1] for node in exposure["depends_on"]["nodes"]}
    code = "".join(
        path.read_text()
        for path in [*REPOSITORY.glob("ccw/dashboard/*.py"), *REPOSITORY.glob("app/**/*.py")]
    )
    read_directly = set(re.findall(r"\bmarts\.([a-z_]+)", code)) - {"build_settings"}
    semantic = json.loads(
        ccw_dbt_project.manifest_path.with_name("semantic_manifest.json").read_text()
    )
    through_catalogue = {model["node_relation"]["alias"] for model in semantic["semantic_models"]}
    spines = semantic["project_configuration"]["time_spines"]
    through_catalogue |= {spine["node_relation"]["alias"] for spine in spines}
    assert listed == read_directly | through_catalogue
