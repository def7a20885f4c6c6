"""Every suite runs in the main job and passes, without a warning, on generated data.

The 35-day sample is five weeks of a 60-agent center: enough history for the volume
bands to judge the last two weeks, with the generator's outage, weekends and survey
waves in it.
"""

from __future__ import annotations

import re

from ccw.vendors import VENDOR_TABLES
from expectations import SUITES
from expectations.gx_project import data_docs_index, latest_run_page


def test_every_suite_passes_in_the_main_job_on_the_sample(sample_run):
    warehouse, outcome = sample_run
    evaluated = set(outcome.evaluated_checks)
    for suite in SUITES:
        assert f"{'/'.join(suite.asset)} {suite.name}" in evaluated, suite.name
    assert not outcome.failed_checks and not outcome.warned_checks, outcome.check_details
    index = data_docs_index(warehouse)
    assert index.exists() and index == warehouse.parent / "data-docs" / "index.html"
    pages = {page.parts[-4] for page in (index.parent / "validations").rglob("*.html")}
    # a Data Docs page per suite that validated rows: the sample has no platform records
    platforms = {table.name for table in VENDOR_TABLES}
    assert pages == {suite.name for suite in SUITES if suite.asset[1] not in platforms}
    # The index, built once at the end of the run, links every page of the run.
    linked = re.findall(r"'_table_row_link_path': 'validations/([^/']+)/", index.read_text())
    assert set(linked) == pages
    page = latest_run_page(warehouse).read_text()
    assert f"Data quality of run {outcome.run_id}" in page
    assert page.count('<tr class="passed">') == len(SUITES)
    for suite in SUITES:
        if suite.asset[1] in platforms:  # nothing to validate: listed, with no page
            assert f"<td>{suite.name}</td>" in page
        else:
            assert f">{suite.name}</a>" in page  # linked to its GX validation page
