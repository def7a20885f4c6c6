"""One Dagster asset check per Great Expectations suite, on the asset it guards.

A suite whose critical expectations fail gives an ERROR result; on a blocking suite
(the raw contract rules, the marts) that stops every asset built on it: dbt after a
raw table, the published snapshot after a mart. Failed warnings give a WARN result
and the run goes on. The metadata shows each failing expectation, its unexpected
count and a sample of bad values with where they came from (file and line, day, key),
and the run's data quality page (``latest-run.html`` beside GX's Data Docs).
docs/data-quality.md lists the suites. The raw tables' suites run in one step, the
marts' in another (:func:`build_expectation_checks`).
"""

from collections.abc import Iterator

import dagster as dg

from ccw.landing.warehouse import open_warehouse
from expectations import SUITES, Scope, Suite, SuiteOutcome
from expectations.gx_project import data_docs_dir, run_context
from expectations.report import record_outcome
from expectations.run import run_suite
from expectations.suite import CRITICAL
from orchestration.resources import WarehouseResource

FAILURES = "failures"  # the table the Dagster UI shows
FAILED_EXPECTATIONS = "failed_expectations_list"  # what `ccw run` prints, one a line


def _failures_table(outcome: SuiteOutcome) -> str:
    failed = outcome.failed()
    if not failed:
        return "every expectation passed"
    lines = ["| expectation | severity | unexpected | sample of bad values |", "|---|---|---|---|"]
    for item in failed:
        unexpected = (
            f"{item.unexpected:,} of {item.checked or 0:,}"
            if item.unexpected is not None
            else f"observed {item.observed}"
        )
        sample = "<br>".join(item.sample).replace("|", "\\|") or " "
        lines.append(f"| `{item.expectation}` | {item.severity} | {unexpected} | {sample} |")
    return "\n".join(lines)


def check_result(
    spec: dg.AssetCheckSpec, outcome: SuiteOutcome, report: str
) -> dg.AssetCheckResult:
    failed = outcome.failed()
    severity = (
        dg.AssetCheckSeverity.ERROR
        if any(item.severity == CRITICAL for item in failed)
        else dg.AssetCheckSeverity.WARN
    )
    return dg.AssetCheckResult(
        asset_key=spec.asset_key,
        check_name=spec.name,
        passed=not failed,
        severity=severity,
        metadata={
            "rows_validated": outcome.rows,
            "expectations": len(outcome.outcomes),
            "failed_expectations": len(failed),
            "unexpected_values": sum(item.unexpected or 0 for item in failed),
            FAILURES: dg.MetadataValue.md(_failures_table(outcome)),
            FAILED_EXPECTATIONS: dg.MetadataValue.text(
                "\n".join(
                    f"{item.describe()}; e.g. {item.sample[0]}" if item.sample else item.describe()
                    for item in failed
                )
            ),
            "data_quality_report": dg.MetadataValue.path(report),
        },
    )


def _spec(suite: Suite) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        suite.name,
        asset=dg.AssetKey(list(suite.asset)),
        blocking=suite.blocking,
        description=f"Great Expectations suite {suite.name}: {suite.protects}.",
        additional_deps=[dg.AssetKey(list(key)) for key in suite.reads_assets],
    )


def build_expectation_checks(name: str, suites: list[Suite]) -> dg.AssetChecksDefinition:
    """The suites' checks, each on the asset it guards, run in one step on one
    connection: a step per suite cost about 70 ms of Dagster and connection overhead
    each. A run of a subset of the assets validates the suites of that subset."""
    specs = {spec.key: (spec, suite) for spec, suite in ((_spec(s), s) for s in suites)}

    @dg.multi_asset_check(specs=[spec for spec, _ in specs.values()], can_subset=True, name=name)
    def expectation_checks(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[dg.AssetCheckResult]:
        path = warehouse.warehouse
        run_id = context.run.run_id
        selected = context.selected_asset_check_keys
        with open_warehouse(path) as con:
            gx_context = run_context(path, run_id)
            scope = Scope(run_id, settings=warehouse.settings())
            for key, (spec, suite) in specs.items():
                if key not in selected:
                    continue
                outcome = run_suite(suite, con, scope, gx_context, data_docs=True)
                report = record_outcome(data_docs_dir(path), run_id, outcome)
                yield check_result(spec, outcome, str(report))

    return expectation_checks


# Two steps: the raw tables' suites gate dbt, the marts' suites gate the publish.
EXPECTATION_CHECKS = [
    build_expectation_checks(
        f"{layer}_data_quality_suites", [suite for suite in SUITES if suite.asset[0] == layer]
    )
    for layer in ("raw", "marts")
]
