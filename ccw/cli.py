"""The ``ccw`` command line: one entry point for generating, loading and serving."""

from __future__ import annotations

import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ccw.generator import GenerateRequest, GenerationSummary, generate

DEMO_START = "2026-03-02"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ccw")
def main() -> None:
    """Contact-center warehouse: connect operations to what customers and agents do."""


def _timezone(_ctx, _param, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise click.BadParameter(
            f"{value!r} is not an IANA time zone, e.g. America/New_York"
        ) from error
    return value


@main.command("generate")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("landing"),
    show_default=True,
    help="Landing folder to write crm/, telephony/, survey/ and hr/ into.",
)
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=DEMO_START,
    show_default=True,
    help="First business day (YYYY-MM-DD).",
)
@click.option(
    "--days",
    type=click.IntRange(1, 3660),
    default=90,
    show_default=True,
    help="Number of consecutive days to generate, one file per table per day.",
)
@click.option(
    "--agents",
    type=click.IntRange(1, 20_000),
    default=150,
    show_default=True,
    help="Frontline agents on the roster (team leads come on top, one per 12).",
)
@click.option(
    "--customers",
    type=click.IntRange(1, 20_000_000),
    default=40_000,
    show_default=True,
    help="Customers in the CRM on the first day.",
)
@click.option(
    "--seed",
    type=int,
    default=42,
    show_default=True,
    help="Random seed: the same arguments always give byte-identical files.",
)
@click.option(
    "--timezone",
    default="America/New_York",
    show_default=True,
    callback=_timezone,
    help="The center's local time zone (intervals and business days).",
)
@click.option(
    "--truth",
    "truth_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the simulation's ground truth per call (resolved or not) here, "
    "outside the landing folder, to validate metrics against.",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Allow writing into an output folder that already holds exports.",
)
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
def generate_command(
    out: Path,
    start: datetime,
    days: int,
    agents: int,
    customers: int,
    seed: int,
    timezone: str,
    truth_dir: Path | None,
    overwrite: bool,
    quiet: bool,
) -> None:
    """Write realistic CRM, telephony, survey and HR exports, as the landing contract specifies.

    The defaults are the demo: a mid-size center of 150 agents and 40,000 customers
    over 90 days. See docs/sources.md for the files and the model behind them.
    """  # fmt: skip
    existing = sorted(out.glob("*/*_????-??-??.*")) if out.exists() else []
    if existing and not overwrite:
        raise click.UsageError(
            f"{out} already holds {len(existing)} export files; pass --overwrite to replace "
            "them or choose another --out."
        )
    for path in existing:  # a shorter run must not leave an older run's days behind
        path.unlink()
    request = GenerateRequest(out=out, start=start.date(), days=days, agents=agents,
                              customers=customers, seed=seed, timezone=timezone,
                              truth_dir=truth_dir)  # fmt: skip
    console = Console(stderr=True)
    began = time.perf_counter()
    if quiet or not console.is_terminal:
        summary = generate(request, on_day=None if quiet else _log_day(console, days))
    else:
        with Progress(TextColumn("generating"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("days · {task.fields[legs]:,} call legs"), TimeRemainingColumn(),
                      console=console) as progress:  # fmt: skip
            task = progress.add_task("days", total=days, legs=0)
            legs_so_far = [0]

            def advance(_index: int, _day: date, legs: int) -> None:
                legs_so_far[0] += legs
                progress.update(task, advance=1, legs=legs_so_far[0])

            summary = generate(request, on_day=advance)
    if not quiet:
        _print_summary(Console(), request, summary, time.perf_counter() - began)


def _log_day(console: Console, days: int):
    """Without a terminal (CI, logs), a plain line every tenth of the run."""
    step = max(1, days // 10)

    def log(index: int, day: date, legs: int) -> None:
        if (index + 1) % step == 0 or index + 1 == days:
            console.print(f"generated {index + 1}/{days} days (through {day})")

    return log


def _print_summary(console: Console, request: GenerateRequest, summary: GenerationSummary,
                   seconds: float) -> None:  # fmt: skip
    table = Table(title=f"Exports written to {request.out}/", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in sorted(summary.rows.items()):
        table.add_row(name, f"{rows:,}")
    console.print(table)
    console.print(
        f"{summary.files:,} files in {seconds:.1f} s "
        f"({summary.call_legs / max(seconds, 1e-9) * 60:,.0f} call legs per minute).\n"
        f"Service level {summary.service_level():.0%} answered within 20 s · "
        f"abandon rate {summary.abandon_rate():.1%} · "
        f"AHT {summary.average_handle_seconds():.0f} s · "
        f"occupancy {summary.occupancy():.0%}"
    )


if __name__ == "__main__":
    sys.exit(main())
