"""The ``ccw`` command line: one entry point for generating, loading and serving."""

from __future__ import annotations

import logging
import shutil
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
from ccw.generator.vendor_exports import FORMATS

DEMO_START = "2026-03-02"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ccw")
def main() -> None:
    """Contact-center warehouse: connect operations to what customers and agents do."""


def _timezone(_ctx, _param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise click.BadParameter(
            f"{value!r} is not an IANA time zone, e.g. America/New_York"
        ) from error
    return value


_CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CCW_CONFIG",
    help="The center's settings file (env CCW_CONFIG; default ccw.yml here, if there is "
    "one). `ccw settings` shows the values in force; docs/operations.md lists them.",
)


def _settings_or_exit(config_file: Path | None, overrides: dict[str, str] | None = None):
    """The settings in force, or the reason they cannot be used and exit 2."""
    from ccw.settings import SettingsError, load_settings

    try:
        return load_settings(config_file, overrides)
    except SettingsError as error:
        Console(stderr=True, highlight=False).print(
            f"[red]Nothing was run.[/red] {error}", soft_wrap=True
        )
        sys.exit(2)


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
    default=400_000,
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
    callback=_timezone,
    help="The center's local time zone (intervals and business days); default: the "
    "settings' timezone (ccw.yml, or America/New_York).",
)
@_CONFIG_OPTION
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
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMATS),
    default="native",
    show_default=True,
    help="How the telephony platform delivers the calls: the contract's calls export, "
    "Amazon Connect contact records or Genesys Cloud conversation details "
    "(docs/bring-your-own-data.md). The other sources are the same in every format.",
)
def generate_command(
    out: Path,
    start: datetime,
    days: int,
    agents: int,
    customers: int,
    seed: int,
    timezone: str | None,
    config_file: Path | None,
    truth_dir: Path | None,
    overwrite: bool,
    quiet: bool,
    file_format: str,
) -> None:
    """Write realistic CRM, telephony, survey and HR exports, as the landing contract specifies.

    The defaults are the demo: a mid-size center of 150 agents and 400,000 customers
    over 90 days. See docs/sources.md for the files and the model behind them.
    """  # fmt: skip
    existing = sorted(out.glob("*/*_????-??-??.*")) if out.exists() else []
    vendor_folders = [out / name for name in FORMATS[1:] if (out / name).exists()]
    if vendor_folders and not overwrite:
        raise click.UsageError(
            f"{out} already holds a platform's records ({vendor_folders[0]}); pass "
            "--overwrite to replace them or choose another --out."
        )
    for folder in vendor_folders:
        shutil.rmtree(folder)
    if existing and not overwrite:
        raise click.UsageError(
            f"{out} already holds {len(existing)} export files; pass --overwrite to replace "
            "them or choose another --out."
        )
    for path in existing:  # a shorter run must not leave an older run's days behind
        path.unlink()
    timezone = timezone or _settings_or_exit(config_file)["timezone"]
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
    if file_format != "native":
        from ccw.generator.vendor_exports import convert

        records = convert(out, file_format)
        if not quiet:
            console.print(f"calls written as {records:,} {file_format} records")
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


_LANDING_OPTION = click.option(
    "--landing",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CCW_LANDING_DIR",
    help="Landing folder with crm/, telephony/, survey/ and hr/ (env CCW_LANDING_DIR; "
    "default: the settings' landing_dir, landing).",
)
_WAREHOUSE_OPTION = click.option(
    "--warehouse",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CCW_WAREHOUSE",
    help="DuckDB file to land into (env CCW_WAREHOUSE; default: the settings' "
    "warehouse_path, warehouse/ccw.duckdb).",
)


def _paths(settings, landing: Path | None, warehouse: Path | None) -> tuple[Path, Path]:
    """--landing and --warehouse (or their environment variables), else the settings'."""
    landing = landing or Path(settings["landing_dir"])
    if not landing.is_dir():
        problem = "is not a folder" if landing.exists() else "does not exist"
        raise click.BadParameter(
            f"{landing} {problem} (landing_dir in the settings, or --landing).",
            param_hint="--landing",
        )
    return landing, warehouse or Path(settings["warehouse_path"])


_VERBOSE_OPTION = click.option(
    "--verbose", "-v", is_flag=True, help="One line per file landed, and dbt's own log."
)


@main.command("run")
@_LANDING_OPTION
@_WAREHOUSE_OPTION
@_CONFIG_OPTION
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override one setting for this run, e.g. --var sl_threshold_seconds=30 (repeatable).",
)
@_VERBOSE_OPTION
@click.option(
    "--full-refresh",
    is_flag=True,
    help="Rebuild the incremental marts from all history (after an upgrade, or for late data).",
)
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Publish even if the marts' history now starts later than the published "
    "snapshot's (after deliberately dropping old days from the landing folder).",
)
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="Where dbt builds the models: in the DuckDB warehouse, or on a local Apache Spark "
    "reading the raw tables as Parquet (needs Java 17; docs/scale-out.md).",
)
def run_command(
    landing: Path | None,
    warehouse: Path | None,
    config_file: Path | None = None,
    variables: tuple[str, ...] = (),
    verbose: bool = False,
    full_refresh: bool = False,
    allow_shrink: bool = False,
    engine: str = "duckdb",
) -> None:
    """Run the main job once: land every new file, check it, build and publish the marts.

    Files already landed are skipped, so running twice loads nothing new. Exits
    non-zero when a step or a blocking check failed (then the marts are not published
    and readers keep the previous snapshot) or a file was rejected (the other files'
    data is published). A settings file or --var that cannot be used stops the run
    before anything is loaded.
    """
    import os

    from ccw.settings import CONFIG_ENVIRONMENT, SettingsError, parse_overrides

    try:
        overrides = parse_overrides(variables)
    except SettingsError as error:
        raise click.BadParameter(str(error), param_hint="--var") from None
    settings = _settings_or_exit(config_file, overrides)
    landing, warehouse = _paths(settings, landing, warehouse)
    if config_file is not None:  # what the job's code location reads when it loads
        os.environ[CONFIG_ENVIRONMENT] = str(config_file)
    from ccw.pipeline import run_pipeline

    console = Console(highlight=False)
    console.width = max(console.width, 110)
    _show_landing_progress(console, verbose)
    from ccw.landing.warehouse import WarehouseDamagedError, WarehouseHeldError

    try:
        outcome = run_pipeline(
            landing,
            warehouse,
            echo_dbt_log=verbose,
            full_refresh=full_refresh,
            allow_shrink=allow_shrink,
            engine=engine,
            config_file=config_file,
            overrides=overrides,
        )
    except (WarehouseDamagedError, WarehouseHeldError) as error:
        console.print(f"[red]Nothing was run.[/red] {error}")
        sys.exit(1)
    _print_run_summary(console, outcome, landing, warehouse)
    sys.exit(0 if outcome.ok else 1)


@main.command("replay")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@_LANDING_OPTION
@_WAREHOUSE_OPTION
@_CONFIG_OPTION
@_VERBOSE_OPTION
def replay_command(
    files: tuple[Path, ...],
    landing: Path | None,
    warehouse: Path | None,
    config_file: Path | None = None,
    verbose: bool = False,
) -> None:
    """Forget earlier loads of FILES, then run the job so they load again.

    FILES are paths under the landing folder, e.g. landing/telephony/calls_2026-03-05.csv
    (or telephony/calls_2026-03-05.csv). Their rows, quarantined rows and corrections go
    in one transaction; the run re-reads the files still there. A file moved out of
    the landing folder is forgotten with its rows, and not read again.
    """
    from ccw.landing.replay import forget_deliveries
    from ccw.landing.warehouse import open_warehouse

    console = Console(highlight=False)
    landing, warehouse = _paths(_settings_or_exit(config_file), landing, warehouse)
    with open_warehouse(warehouse) as con:
        for file in files:
            relative = _landing_relative(file, landing)
            forgotten = forget_deliveries(con, relative)
            if forgotten == 0:
                raise click.BadParameter(
                    f"ccw has no delivery recorded under {relative} (ingest.manifest); "
                    "check the path, relative to the landing folder"
                )
            still_there = (landing / relative).exists()
            console.print(
                f"{relative}: forgot {forgotten} earlier delivery(ies)"
                + ("; the run reads it again" if still_there else
                   "; it is no longer in the landing folder, so its rows are gone")
            )  # fmt: skip
    run_command.callback(landing, warehouse, config_file, verbose=verbose)


def _landing_relative(file: Path, landing: Path) -> str:
    """``file`` relative to the landing folder, whether given from here or from there."""
    for candidate in (file, landing / file):
        try:
            return candidate.absolute().relative_to(landing.absolute()).as_posix()
        except ValueError:
            continue
    raise click.BadParameter(f"{file} is not under the landing folder {landing}")


class _ConsoleLines(logging.Handler):
    """Loader log records as plain console lines: warnings in yellow, the rest dim."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        style = "yellow" if record.levelno >= logging.WARNING else "dim"
        self.console.print(f"[{style}]{record.getMessage()}[/{style}]")


def _show_landing_progress(console: Console, verbose: bool) -> None:
    """Print a line per table (per file with ``verbose``) as the run goes."""
    landing_logger = logging.getLogger("ccw.landing")
    for handler in [h for h in landing_logger.handlers if isinstance(h, _ConsoleLines)]:
        landing_logger.removeHandler(handler)
    landing_logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    landing_logger.addHandler(_ConsoleLines(console))
    landing_logger.propagate = False


def _print_run_summary(console: Console, outcome, landing: Path, warehouse: Path) -> None:
    table = Table(title=f"Landed {landing}/ into {warehouse}", title_justify="left")
    for column in ("table", "new files", "duplicates", "rejected", "rows loaded"):
        table.add_column(column, justify="left" if column == "table" else "right")
    table.add_column("quarantined", justify="right")
    table.add_column("current rows", justify="right")
    for row in outcome.tables:
        table.add_row(
            row.table,
            f"{row.files_loaded:,}",
            f"{row.files_duplicate:,}",
            f"{row.files_rejected:,}",
            f"{row.rows_loaded:,}",
            f"{row.rows_quarantined:,}",
            f"{row.current_rows:,}",
        )
    console.print(table)
    for vendor_account in outcome.vendor_accounts:
        console.print(vendor_account.sentence(), style=None if vendor_account.balances else "red")
    from ccw.coverage import describe_waiting

    for sentence in describe_waiting(outcome.marts_waiting):
        console.print(sentence)
    if outcome.settings_changes:
        from ccw.settings import describe_changes

        console.print(describe_changes(outcome.settings_changes), style="yellow")
    if outcome.files_new == 0:
        console.print("Nothing new to load: every file in the landing folder was landed before.")
    if outcome.quarantine_reasons:
        console.print("Quarantined rows (ingest.quarantine), most common reasons:")
        for table_name, column, reason, count in outcome.quarantine_reasons:
            console.print(f"  {count:>6,}  {table_name}.{column}: {reason}")
    if outcome.correction_reasons:
        console.print("Values corrected on the way in (ingest.corrections), most common:")
        for table_name, column, reason, count in outcome.correction_reasons:
            console.print(f"  {count:>6,}  {table_name}.{column}: {reason}")
    for path, message in outcome.rejected_files:
        console.print(f"[red]Rejected {path}:[/red] {message}")
    if outcome.rejected_earlier:
        console.print(
            f"{outcome.rejected_earlier} file(s) rejected by earlier runs are still listed in "
            "ingest.manifest; see docs/operations.md to replay them."
        )
    console.print(
        f"Built {outcome.models_built} dbt model(s); {outcome.checks_passed} check(s) passed "
        f"(landing checks, data quality suites and dbt tests), {len(outcome.failed_checks)} failed"
        + (f", {len(outcome.warned_checks)} warned." if outcome.warned_checks else ".")
    )
    for check in outcome.failed_checks:
        console.print(f"[red]Check failed:[/red] {check}")
        _print_check_details(console, outcome.check_details.get(check, []))
    for check in outcome.warned_checks:
        console.print(f"[yellow]Check warned:[/yellow] {check} (the run goes on)")
        _print_check_details(console, outcome.check_details.get(check, []))
    if outcome.data_quality_page and outcome.data_quality_page.exists():
        console.print(
            f"Data quality of this run: {outcome.data_quality_page}; all Great Expectations "
            f"Data Docs: {outcome.data_docs_path} (docs/data-quality.md explains each suite)."
        )
    for step in outcome.failed_steps:
        reason = outcome.step_errors.get(step)
        console.print(f"[red]Step failed:[/red] {step}" + (f": {reason}" if reason else ""))
    if outcome.published:
        console.print(
            f"Published the marts to {outcome.published_path} "
            "(what the app and analysts read; docs/analysts.md)."
        )
    else:
        console.print(
            "[yellow]The marts were not published:[/yellow] readers keep the previous "
            f"snapshot in {outcome.published_path}."
        )
    verdict = "[green]ok[/green]" if outcome.ok else "[red]needs attention[/red]"
    console.print(f"Run {outcome.run_id[:8]} finished in {outcome.seconds:.1f} s: {verdict}")


def _print_check_details(console: Console, details: list[str]) -> None:
    for line in details:
        console.print(f"    {line}", markup=False, highlight=False)


APP_SCRIPT = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
# Streamlit's own defaults, before any option the user passes through (which win).
# No full garbage collection after every script run: with MetricFlow and Altair
# loaded it holds the interpreter for 0.15 s before a page's last messages reach the
# browser (a page by its address drawn 0.1 to 0.2 s later with it, by the menu ~0.1 s).
# Python's own collector still runs as usual.
APP_DEFAULTS = (
    "--server.headless=true",
    "--browser.gatherUsageStats=false",
    "--client.toolbarMode=minimal",
    "--theme.primaryColor=#1f5f8b",
    "--runner.postScriptGC=false",
)


@main.command("app", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option(
    "--warehouse",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CCW_WAREHOUSE",
    help="The warehouse `ccw run` builds; the app reads the snapshot published beside it "
    "(env CCW_WAREHOUSE, default the settings' warehouse_path; CCW_PUBLISHED names the "
    "snapshot itself).",
)
@_CONFIG_OPTION
@click.argument("streamlit_options", nargs=-1, type=click.UNPROCESSED)
def app_command(
    warehouse: Path | None, config_file: Path | None, streamlit_options: tuple[str, ...]
) -> None:
    """Start the managers' app (Streamlit) on the marts `ccw run` publishes.

    It reads the published snapshot beside the warehouse (or CCW_PUBLISHED), never the
    warehouse itself, so it works while a run is going and shows new data after the
    next publish. Other options go to Streamlit, e.g. `ccw app --server.port 8600`.
    """
    import os

    from ccw.publish import published_path

    warehouse = warehouse or Path(_settings_or_exit(config_file)["warehouse_path"])
    snapshot = published_path(warehouse)
    console = Console()
    console.print(f"Serving the marts published to {snapshot}.")
    if not snapshot.exists():
        console.print("[yellow]Nothing published there yet: run `ccw run` first.[/yellow]")
    port = _option_value(streamlit_options, "--server.port") or "8501"
    console.print(f"Open http://localhost:{port} in a browser (Ctrl+C stops the app).")
    environment = dict(os.environ, CCW_WAREHOUSE=str(warehouse.resolve()))
    environment.setdefault("CCW_PUBLISHED", str(snapshot.resolve()))
    command = [
        sys.executable, "-m", "ccw.dashboard.serve", "run", str(APP_SCRIPT),
        *APP_DEFAULTS, *streamlit_options,
    ]  # fmt: skip
    sys.stdout.flush()
    # Become Streamlit, so a stop signal (a supervisor's, or a test's) reaches the server
    # itself rather than leaving it running without its parent.
    os.execve(sys.executable, command, environment)


@main.command("ui", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@_LANDING_OPTION
@_WAREHOUSE_OPTION
@_CONFIG_OPTION
@click.argument("dagster_options", nargs=-1, type=click.UNPROCESSED)
def ui_command(
    landing: Path | None,
    warehouse: Path | None,
    config_file: Path | None,
    dagster_options: tuple[str, ...],
) -> None:
    """Start the Dagster UI and daemon (the schedule and the sensors) on the warehouse's
    run history.

    Every run of the warehouse is there, `ccw run`'s included: its steps, the assets it
    materialized and its checks. Other options go to `dagster dev`, e.g. `ccw ui -p 3001`.
    """
    import os

    from ccw.run_history import instance_dir, open_instance
    from ccw.settings import CONFIG_ENVIRONMENT

    settings = _settings_or_exit(config_file)
    landing = (landing or Path(settings["landing_dir"])).resolve()
    warehouse = (warehouse or Path(settings["warehouse_path"])).resolve()
    # Created here, once, before the webserver and the daemon open it side by side.
    open_instance(warehouse).dispose()
    history = instance_dir(warehouse)
    environment = dict(
        os.environ,
        DAGSTER_HOME=str(history),
        CCW_WAREHOUSE=str(warehouse),
        CCW_LANDING_DIR=str(landing),
        # dagster-dbt starts the dbt beside this Python.
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    if config_file is not None:
        environment[CONFIG_ENVIRONMENT] = str(config_file.resolve())
    port = _option_value(dagster_options, "-p") or _option_value(dagster_options, "--port")
    console = Console(soft_wrap=True)  # the path on one line
    console.print(f"Run history: {history}")
    console.print(f"Open http://localhost:{port or 3000} in a browser (Ctrl+C stops it).")
    command = [
        sys.executable, "-m", "dagster", "dev", "-m", "orchestration.definitions",
        *dagster_options,
    ]  # fmt: skip
    sys.stdout.flush()
    os.execve(sys.executable, command, environment)


@main.command("report")
@click.option(
    "--week", help="The ISO week, e.g. 2026-W21 (default: the latest full week published)."
)
@_WAREHOUSE_OPTION
@_CONFIG_OPTION
@click.option(
    "--send/--no-send",
    default=None,
    help="E-mail it too (default: when the settings name smtp_host and report_recipients).",
)
def report_command(
    week: str | None, warehouse: Path | None, config_file: Path | None, send: bool | None
) -> None:
    """Write a manager's weekly report (HTML) from the published marts.

    The scorecard against the weeks before, the queues and days that missed a target,
    the worst intervals, bad trades and attrition, into reports/ beside the warehouse;
    the Dagster job after each nightly run does the same for a week just ended.
    """
    from ccw.report.deliver import deliver_weekly_report
    from ccw.report.weekly import IsoWeek

    def deliver(warehouse: Path, settings):
        chosen = IsoWeek.parse(week) if week else None
        return deliver_weekly_report(warehouse, settings, chosen, send)

    _deliver_and_say(deliver, warehouse, config_file, "No report.")


@main.command("alert")
@click.option("--day", help="The day, e.g. 2026-05-30 (default: the latest day published).")
@_WAREHOUSE_OPTION
@_CONFIG_OPTION
@click.option(
    "--send/--no-send",
    default=None,
    help="E-mail it too (default: when a queue missed a target and the settings name "
    "smtp_host and alert_recipients).",
)
def alert_command(
    day: str | None, warehouse: Path | None, config_file: Path | None, send: bool | None
) -> None:
    """Write the day's alert: the queues that missed a target, and the worst intervals.

    Into reports/ beside the warehouse; the Dagster job after each nightly run does the
    same for the latest day it published.
    """
    from ccw.report.deliver import deliver_daily_alert
    from ccw.report.weekly import ReportError

    def deliver(warehouse: Path, settings):
        try:
            chosen = date.fromisoformat(day) if day else None
        except ValueError:
            raise ReportError(f"{day!r} is not a day: write it as YYYY-MM-DD.") from None
        return deliver_daily_alert(warehouse, settings, chosen, send)

    _deliver_and_say(deliver, warehouse, config_file, "No alert.")


def _deliver_and_say(deliver, warehouse: Path | None, config_file: Path | None, failed: str):
    """Run a report's delivery; print its subject, alerts, file and recipients, or
    what stopped it (exit 1)."""
    from ccw.report.deliver import NotSentError
    from ccw.report.mail import MailNotConfiguredError
    from ccw.report.weekly import ReportError

    settings = _settings_or_exit(config_file)
    warehouse = warehouse or Path(settings["warehouse_path"])
    console = Console(highlight=False)
    try:
        delivered = deliver(warehouse, settings)
    except (ReportError, MailNotConfiguredError, OSError) as error:
        heading = "Not sent." if isinstance(error, NotSentError) else failed
        Console(stderr=True, highlight=False).print(f"[red]{heading}[/red] {error}", soft_wrap=True)
        sys.exit(1)
    console.print(delivered.report.subject, soft_wrap=True)
    for alert in delivered.report.alerts[:10]:
        console.print(f"  {alert}", soft_wrap=True)
    if len(delivered.report.alerts) > 10:
        console.print(f"  ... and {len(delivered.report.alerts) - 10} more in the report.")
    console.print(f"Wrote {delivered.path}", soft_wrap=True)
    if delivered.sent_to:
        console.print(f"Sent to {', '.join(delivered.sent_to)}.", soft_wrap=True)


@main.command("settings")
@_CONFIG_OPTION
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE", help="As `ccw run --var`.")
@click.option(
    "--dbt-vars",
    is_flag=True,
    help="Print only the metric parameters, as JSON for `dbt build --vars` (to run dbt "
    "by hand with the center's settings).",
)
def settings_command(config_file: Path | None, variables: tuple[str, ...], dbt_vars: bool) -> None:
    """Show the settings in force: each value and where it comes from.

    Checks the settings file as a run would, so a mistake shows here first.
    """
    from ccw.settings import SettingsError, parse_overrides

    try:
        overrides = parse_overrides(variables)
    except SettingsError as error:
        raise click.BadParameter(str(error), param_hint="--var") from None
    settings = _settings_or_exit(config_file, overrides)
    if dbt_vars:
        click.echo(settings.dbt_vars_argument())
        return
    console = Console(highlight=False)
    table = Table(
        title="Settings in force"
        + (f" (file: {settings.file})" if settings.file else " (no settings file: defaults)"),
        title_justify="left",
    )
    for column in ("setting", "value", "from"):
        table.add_column(column, overflow="fold")
    for name, value in settings.as_rows():
        table.add_row(name, value, settings.origins[name])
    console.print(table)


def _option_value(options: tuple[str, ...], name: str) -> str | None:
    for index, option in enumerate(options):
        if option.startswith(name + "="):
            return option.split("=", 1)[1]
        if option == name and index + 1 < len(options):
            return options[index + 1]
    return None


if __name__ == "__main__":
    sys.exit(main())
