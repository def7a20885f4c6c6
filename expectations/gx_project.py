"""GX contexts, the Data Docs folder beside the warehouse, and validating one suite.

GX runs in memory (an ephemeral context): the suites are built from code on every
run, never stored or edited as JSON. During a run, each suite's validation result is
rendered into the static Data Docs site, ``data-docs/`` beside the warehouse (or
``CCW_DATA_DOCS``); when the run ends, the site's index is built once and lists the
suites of that run (GX's own action rebuilt the index after every suite, reading every
result of the run again each time). Tests use a context without a site, which writes
nothing.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from expectations.gx_import import great_expectations
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


# The GX context of each run in this process, newest last: a run's steps share one
# (the main job runs its steps in one process); a process may run a few.
_RUN_CONTEXTS: OrderedDict[tuple[str, str], AbstractDataContext] = OrderedDict()
_KEPT_RUNS = 4
# The pages of the latest suite each context rendered: the index is built with them.
_LATEST_PAGES: dict[int, list] = {}


def run_context(warehouse: Path, run_id: str) -> AbstractDataContext:
    """The run's GX context: in memory, with our Data Docs site beside the warehouse.

    One per run and process, so the Data Docs index lists the suites of this run.
    GX's own file-backed stores would keep every run's results, at several times the
    cost per suite and a growing index.
    """
    key = (str(data_docs_dir(warehouse).resolve()), run_id)
    if key not in _RUN_CONTEXTS:
        _RUN_CONTEXTS[key] = _new_run_context(key[0])
        while len(_RUN_CONTEXTS) > _KEPT_RUNS:
            _, oldest = _RUN_CONTEXTS.popitem(last=False)
            _LATEST_PAGES.pop(id(oldest), None)
    return _RUN_CONTEXTS[key]


def finish_data_docs(warehouse: Path, run_id: str) -> None:
    """At the end of a run: the Data Docs index, listing the suites the run validated.
    Nothing when the run validated none (the previous run's index stays)."""
    context = _RUN_CONTEXTS.pop((str(data_docs_dir(warehouse).resolve()), run_id), None)
    pages = _LATEST_PAGES.pop(id(context), None) if context is not None else None
    if pages:  # GX builds the index with some pages: the latest suite's, written again
        context.build_data_docs(site_names=[DATA_DOCS_SITE], resource_identifiers=pages)


def _new_run_context(docs: str) -> AbstractDataContext:
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
    gx = great_expectations()

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
    """Validate ``frame`` against ``suite``; with ``data_docs``, render its pages in the
    site (the index waits for the end of the run: :func:`finish_data_docs`)."""
    gx = great_expectations()
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    batch_definition = _batch_definition(context, suite.name)
    gx_suite = _added(
        context.suites,
        gx.ExpectationSuite(
            name=suite.name,
            expectations=suite.expectations(),
            meta={"protects": suite.protects, "blocking": suite.blocking},
        ),
    )
    definition = _added(
        context.validation_definitions,
        gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite),
    )
    checkpoint = _added(
        context.checkpoints,
        gx.Checkpoint(
            name=suite.name,
            validation_definitions=[definition],
            actions=[],
            result_format=RESULT_FORMAT,
        ),
    )
    result = checkpoint.run(
        batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_name)
    )
    _forget_frames(context)
    ((identifier, validation),) = result.run_results.items()
    if data_docs:
        pages = [identifier, ExpectationSuiteIdentifier(name=suite.name)]
        context.build_data_docs(
            site_names=[DATA_DOCS_SITE], resource_identifiers=pages, build_index=False
        )
        _LATEST_PAGES[id(context)] = pages
    return outcomes_from(validation.results, frame, suite.locate_by)


def _forget_frames(context: AbstractDataContext) -> None:
    """Let go of the frame just validated. GX's execution engine keeps the last frame
    of every asset it validated until the context goes: on a first load of a year of
    a large center, a million rows for each of the run's raw suites."""
    manager = context.data_sources.get(DATASOURCE).get_execution_engine().batch_manager
    manager.reset_batch_cache()
    manager.batch_data_cache.clear()


def _added(factory, item):
    """``item`` (a suite, validation definition or checkpoint) added to the run's
    context, where it is new unless the run validates that suite again. GX's
    ``add_or_update`` would compare every expectation with the stored ones, and the
    checkpoint's and definition's would do it again for the suite inside them: a
    quarter of the time of the run's checks on a small center."""
    from great_expectations.exceptions import DataContextError

    try:
        return factory.add(item)
    except DataContextError:  # already there: replace it
        return factory.add_or_update(item)


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
