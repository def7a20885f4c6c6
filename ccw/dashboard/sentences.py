"""Findings said in a sentence, the same in the app and in the weekly report."""

from __future__ import annotations

import pandas as pd

from ccw.labels import human


def bad_trade(trade: pd.Series) -> str:
    """A handle-time cut that cost repeats or churn (a row of marts.fct_bad_trades)."""
    return (
        f"{human(trade['customer_segment'])} · {human(trade['queue_name'])}, "
        f"{trade['month_start']:%B %Y}: AHT {trade['previous_aht_seconds']:.0f} → "
        f"{trade['aht_seconds']:.0f} s, saving ${-trade['cost_per_contact_change']:.2f} a "
        f"contact, while the repeat rate went {trade['previous_answered_repeat_rate']:.1%}"
        f" → {trade['answered_repeat_rate']:.1%} (z = "
        f"{trade['answered_repeat_rate_change_z']:.1f}) and 30-day churn "
        f"{trade['previous_churn_rate_30d']:.2%} → {trade['churn_rate_30d']:.2%}."
    )


FIGURES = {"service_level": "service level", "abandon_rate": "abandon rate", "asa_seconds": "ASA"}


def missed_targets(misses: pd.DataFrame) -> list[str]:
    """One sentence per queue and day that missed a target (rows of
    queries.missed_targets), the day with the lowest service level first."""
    if misses.empty:
        return []
    order = misses.assign(
        service_level_gap=misses["shortfall"].where(misses["figure"] == "service_level", 0)
    )
    worst_first = (
        order.groupby(["queue_name", "service_date"])["service_level_gap"]
        .max()
        .sort_values(ascending=False, kind="stable")
    )
    said = []
    for queue, day in worst_first.index:
        rows = misses[(misses["queue_name"] == queue) & (misses["service_date"] == day)]
        rows = rows.set_index("figure").reindex([f for f in FIGURES if f in set(rows["figure"])])
        figures = "; ".join(_missed(figure, row) for figure, row in rows.iterrows())
        said.append(
            f"{human(queue)}, {day:%a %d %b} ({rows['offered_legs'].iloc[0]:,} legs "
            f"offered): {figures}."
        )
    return said


def _missed(figure: str, row: pd.Series) -> str:
    if figure == "asa_seconds":
        value, target = f"{row['value']:.0f} s", f"{row['target']:.0f} s"
    else:
        value, target = f"{row['value']:.1%}", f"{row['target']:.1%}"
    return f"{FIGURES[figure]} {value} against a target of {target}"
