"""GX contexts, the Data Docs folder beside the warehouse, and validating one suite.

GX runs in memory (an ephemeral context): the suites are built from code on every
run, never stored or edited as JSON. During a run, each suite's validation result is
rendered into the static Data Docs site, ``data-docs/`` beside the warehouse (or
``CCW_DATA_DOCS``), whose index lists the suites of that run. Tests use a context
without a site, which writes nothing.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from expectations.suite import SAMPLE_SIZE, ExpectationOutcome, Suite, outcomes_from

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.data_context import AbstractDataContext

# GX reports usage to its makers unless told not to; this machine has no internet.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

DATA_DOCS_SITE = "ccw"
DATASOURCE = "ccw"
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}


def data_docs_dir(warehouse: Path) -> Path:
    """`CCW_DATA_DOCS`, else `data-docs/` beside the warehouse."""
    configured = os.environ.get("CCW_DATA_DOCS")
    return Path(configured) if configured else warehouse.parent / "data-docs"


def data_docs_index(warehouse: Path) -> Path:
    return data_docs_dir(warehouse) / "index.html"


def latest_run_page(warehouse: Path) -> Path:
    """The plain-HTML page of the latest run's suites (:mod:`expectations.report`)."""
    from expectations.report import LATEST_RUN_PAGE

    return data_docs_dir(warehouse) / LATEST_RUN_PAGE


def run_context(warehouse: Path, run_id: str) -> AbstractDataContext:
    """The run's GX context: in memory, with our Data Docs site beside the warehouse.

    One per run and process (the main job runs its steps in one process), so the Data
    Docs index lists the suites of this run. GX's own file-backed stores would keep
    every run's results, at several times the cost per suite and a growing index.
    """
    return _run_context(str(data_docs_dir(warehouse).resolve()), run_id)


@lru_cache(maxsize=4)  # a run's steps share one; a process may run a few
def _run_context(docs: str, run_id: str) -> AbstractDataContext:
    context = ephemeral_context()
    context.add_data_docs_site(
        site_name=DATA_DOCS_SITE,
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": docs},
            "site_index_builder": {
                "class_name": "DefaultSiteIndexBuilder",
                "view": _view("SharedJinjaIndexPageView"),
            },
            "site_section_builders": {
                section: {"view": _view("SharedJinjaPageView")}
                for section in ("expectations", "validations", "profiling")
            },
        },
    )
    return context


def _view(class_name: str) -> dict[str, str]:
    return {"module_name": "expectations.gx_views", "class_name": class_name}


def ephemeral_context() -> AbstractDataContext:
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    _quiet(context)
    return context


def _quiet(context: AbstractDataContext) -> None:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context.variables.progress_bars = ProgressBarsConfig(globally=False)


def validate(
    suite: Suite,
    frame: pd.DataFrame,
    context: AbstractDataContext,
    run_name: str | None = None,
    data_docs: bool = False,
) -> list[ExpectationOutcome]:
    """Validate ``frame`` against ``suite``; with ``data_docs``, update the site too."""
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.core.run_identifier import RunIdentifier

    batch_definition = _batch_definition(context, suite.name)
    gx_suite = context.suites.add_or_update(
        gx.ExpectationSuite(
            name=suite.name,
            expectations=suite.expectations(),
            meta={"protects": suite.protects, "blocking": suite.blocking},
        )
    )
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite)
    )
    actions = (
        [UpdateDataDocsAction(name="update_data_docs", site_names=[DATA_DOCS_SITE])]
        if data_docs
        else []
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=suite.name,
            validation_definitions=[definition],
            actions=actions,
            result_format=RESULT_FORMAT,
        )
    )
    result = checkpoint.run(
        batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_name)
    )
    (validation,) = result.run_results.values()
    return outcomes_from(validation.results, frame, suite.locate_by)


def _batch_definition(context: AbstractDataContext, asset_name: str):
    try:
        datasource = context.data_sources.get(DATASOURCE)
    except (KeyError, ValueError):
        datasource = context.data_sources.add_pandas(DATASOURCE)
    try:
        asset = datasource.get_asset(asset_name)
    except LookupError:
        asset = datasource.add_dataframe_asset(asset_name)
    try:
        return asset.get_batch_definition("whole_frame")
    except KeyError:
        return asset.add_batch_definition_whole_dataframe("whole_frame")
