"""Which marts a center's sources leave empty or incomplete.

Each mart states the sources it needs to be complete in its dbt meta
(``needs_sources``, in models/marts/*/_*__models.yml): the HR roster for agents, teams
and cost, the CRM for customers and churn, the survey tool for satisfaction. A center
that exports only from its telephony platform gets the service and handling marts;
the run summary and the app say which marts wait for which source.
"""

from __future__ import annotations

import json
from pathlib import Path

# Each source, and what it brings, in a manager's words.
SOURCE_LABELS = {"crm": "CRM", "survey": "survey tool", "hr": "HR", "telephony": "telephony"}
SOURCE_BRINGS = {
    "crm": "customers, churn and the journey around each call",
    "survey": "satisfaction (CSAT, NPS)",
    "hr": "teams, tenure, agents' cost and attrition",
}


def page_notice(waiting: dict[str, list[str]], marts: tuple[str, ...]) -> str | None:
    """What a page reading ``marts`` cannot show, in a sentence; None when nothing."""
    missing = [source for source, needing in waiting.items() if set(needing) & set(marts)]
    if not missing:
        return None
    labels = [SOURCE_LABELS.get(source, source) for source in missing]
    what = "; ".join(
        f"{SOURCE_BRINGS.get(source, source)} need {label} exports"
        for source, label in zip(missing, labels, strict=True)
    )
    return (
        f"This center sends no {' or '.join(labels)} exports (sources in its settings), "
        f"so parts of this page stay empty: {what}."
    )


def mart_needs(manifest_path: Path) -> dict[str, tuple[str, ...]]:
    """Every mart with the sources it needs, from dbt's manifest."""
    manifest = json.loads(manifest_path.read_text())
    return {
        node["name"]: tuple(node["config"].get("meta", {}).get("needs_sources", ()))
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1:2] == ["marts"]
    }


def marts_waiting(needs: dict[str, tuple[str, ...]], sources: list[str]) -> dict[str, list[str]]:
    """For each source the center lacks, the marts that need it (sorted)."""
    waiting: dict[str, list[str]] = {}
    for mart, needed in sorted(needs.items()):
        for source in needed:
            if source not in sources:
                waiting.setdefault(source, []).append(mart)
    return waiting


def describe_waiting(waiting: dict[str, list[str]]) -> list[str]:
    """One sentence per missing source."""
    return [
        f"No {source} exports (sources in the settings): {', '.join(marts)} "
        f"{'is' if len(marts) == 1 else 'are'} empty or partly empty until {source} is added."
        for source, marts in waiting.items()
    ]
