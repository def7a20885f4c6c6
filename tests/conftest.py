"""Shared fixtures: one small generated landing folder, made once per test session."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from ccw.generator import GenerateRequest, GenerationSummary, generate

SAMPLE = {"start": date(2026, 3, 2), "days": 35, "agents": 60, "customers": 16_000, "seed": 11}


class Sample:
    """A generated landing folder with its ground truth, queryable with DuckDB."""

    def __init__(self, root: Path, summary: GenerationSummary) -> None:
        self.landing = root / "landing"
        self.truth = root / "truth"
        self.summary = summary
        self.sql = duckdb.connect()
        self.sql.execute("set TimeZone = 'America/New_York'")
        for name, pattern in {
            "calls": "telephony/calls_*.csv",
            "agent_states": "telephony/agent_states_*.csv.gz",
            "customers": "crm/customers_*.csv",
            "orders": "crm/orders_*.csv",
            "cases": "crm/cases_*.csv",
            "agents": "hr/agents_*.csv",
            "engagement": "hr/engagement_*.csv",
        }.items():
            self.sql.execute(
                f"create table {name} as select * from read_csv('{self.landing}/{pattern}', "
                "union_by_name = true, filename = true)"
            )
        for name, pattern in {
            "digital_events": "crm/digital_events_*.jsonl",
            "responses": "survey/responses_*.jsonl",
        }.items():
            self.sql.execute(
                f"create table {name} as select * from read_json('{self.landing}/{pattern}', "
                "format = 'newline_delimited', filename = true)"
            )
        self.sql.execute(
            f"create table outcomes as select * from read_csv('{self.truth}/*.csv', "
            "union_by_name = true)"
        )

    def one(self, query: str):
        return self.sql.execute(query).fetchone()


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Sample:
    root = tmp_path_factory.mktemp("sample")
    request = GenerateRequest(out=root / "landing", truth_dir=root / "truth", **SAMPLE)
    return Sample(root, generate(request))
