"""Every Overview tile is the metrics catalogue's number: what an analyst's `mf query`
returns on the published snapshot for the same period and filters.

`mf query` runs in this process (its own command line, through click): the same
command and options an analyst types, without a new interpreter importing MetricFlow
and dbt for each of the eight queries (about 7 s each)."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccw.dashboard import queries
from ccw.dashboard.filters import Filters
from ccw.dashboard.snapshot import Snapshot

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def mf_query(snapshot_path: Path, monkeypatch):
    """`mf query` as docs/analysts.md shows it, on the published snapshot; the dbt
    connections it opened are closed after the test."""
    from dbt.adapters.factory import reset_adapters
    from dbt_metricflow.cli.main import cli

    monkeypatch.chdir(REPOSITORY)
    monkeypatch.setenv("DBT_TARGET", "published")
    monkeypatch.setenv("DBT_PROFILES_DIR", str(REPOSITORY))

    def query(metrics: list[str], where: str, out: Path) -> dict[str, float]:
        arguments = ["query", "--metrics", ",".join(metrics), "--where", where, "--csv", str(out)]
        finished = CliRunner().invoke(cli, arguments)
        assert finished.exit_code == 0, finished.output
        return _first_row(out)

    yield query
    reset_adapters()


def _first_row(out: Path) -> dict[str, float]:
    with out.open() as file:
        (row,) = list(csv.DictReader(file))
    return {name: float(value) if value else float("nan") for name, value in row.items()}


def _days(start, end) -> str:
    return (
        "{{ TimeDimension('metric_time', 'day') }} "
        f"between '{start.isoformat()}' and '{end.isoformat()}'"
    )


def _months(start, end) -> str:
    return (
        "{{ TimeDimension('metric_time', 'month') }} "
        f"between '{start.replace(day=1).isoformat()}' and '{end.isoformat()}'"
    )


@pytest.fixture
def cases(snapshot_path):
    snapshot = Snapshot(snapshot_path)
    first, last = snapshot.query(
        "select min(started_local_date), max(started_local_date) from marts.fct_calls"
    ).iloc[0]
    first, last = first.date(), last.date()
    queue, segment, team = snapshot.query(
        """select first_queue_name, customer_segment, answering_team_name from marts.fct_calls
        where answering_team_name is not null and customer_segment not in ('unknown', 'unidentified')
        group by all order by count(*) desc limit 1"""
    ).iloc[0]
    early = last - timedelta(days=20)
    return [
        (Filters(first, last), "", "", "", ""),
        (
            Filters(first, early, queue=(queue,), segment=(segment,), team=(team,)),
            f" and {{{{ Dimension('daily_calls__first_queue_name') }}}} = '{queue}'"
            f" and {{{{ Dimension('daily_calls__customer_segment') }}}} = '{segment}'"
            f" and {{{{ Dimension('daily_calls__answering_team_name') }}}} = '{team}'",
            f" and {{{{ Dimension('segment_day__customer_segment') }}}} = '{segment}'",
            f" and {{{{ Dimension('agent_month__team_name') }}}} = '{team}'",
            f" and {{{{ Dimension('team_month__team_name') }}}} = '{team}'",
        ),
    ]


def test_every_overview_tile_equals_mf_query(snapshot_path, cases, mf_query, tmp_path):
    snapshot = Snapshot(snapshot_path)
    rates = ["cost_per_contact", "cost_per_resolved_contact", "fcr", "csat_top2", "nps"]
    for number, (filters, calls_where, customers_where, agents_where, teams_where) in enumerate(
        cases
    ):
        attrition = queries.attrition_measures(snapshot, filters)
        # (the app's numbers, the metrics, mf's filter for the same period and filters)
        tiles = [
            (
                queries.customer_measures(snapshot, filters),
                rates,
                _days(filters.start, filters.end)
                + " and {{ Dimension('daily_calls__direction') }} = 'inbound'"
                + calls_where,
            ),
            (
                queries.period_churn(snapshot, filters),
                ["churn_rate"],
                _days(filters.start, filters.end) + customers_where,
            ),
            (
                attrition,
                ["agent_attrition_annualized"],
                _months(filters.start, filters.end) + agents_where,
            ),
            (
                attrition,
                ["agent_attrition_cost"],
                _months(filters.start, filters.end) + teams_where,
            ),
        ]
        for part, (shown, metrics, where) in enumerate(tiles):
            expected = mf_query(metrics, where, tmp_path / f"{number}-{part}.csv")
            for metric in metrics:
                if metric == "fcr":  # the sample has answered calls followed 7 days
                    assert expected[metric] > 0, filters
                assert shown[metric] == pytest.approx(expected[metric], rel=1e-12), (
                    filters,
                    metric,
                )
