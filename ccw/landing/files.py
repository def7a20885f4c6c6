"""Find the exports in the landing folder and tell what each one is.

The contract names every file ``<table>_<YYYY-MM-DD>.<ext>`` under a folder per source;
``ext`` is csv, jsonl or parquet, optionally followed by ``.gz``. Files in subfolders
of a source folder (``telephony/2026/04/calls_2026-04-01.csv``, as some exporters
write them) are read too: the file's own name says what it is.

A contact-center platform's own records (:mod:`ccw.vendors`) arrive as the platform
writes them: every file under ``connect/contact_records/`` or
``genesys/conversations/``, at any depth and of any name, is one; its business day is
the date in its path or name (Firehose's ``YYYY/MM/DD/HH/`` prefix), else the day it
arrived, and a gzipped one is known by its first bytes.

Everything else under the landing folder is accounted for, never skipped in silence:
a file outside the source folders (``Telephony/``, a file at the top), a link to
nothing, a folder named like an export, a file that cannot be read all come back
with a ``problem``, which the loader records as a rejected delivery with its reason.
Only files still being copied (``.name``, ``*.tmp``, ``*.part``) are left for later.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat as stat_modes
from dataclasses import dataclass
from pathlib import Path

from ccw.contract import SOURCES, TABLES, Table
from ccw.vendors import VENDOR_TABLES

FORMATS = ("csv", "jsonl", "parquet")
_NAME = re.compile(
    r"^(?P<table>[a-z_]+)_(?P<day>\d{4}-\d{2}-\d{2})\.(?P<format>csv|jsonl|parquet)(?P<gz>\.gz)?$"
)
# The top folder of each vendor's records: connect/, genesys/.
VENDOR_FOLDERS = {table.folder.split("/", 1)[0]: table for table in VENDOR_TABLES}
FOLDERS = SOURCES + tuple(VENDOR_FOLDERS)
# A date in a vendor file's path: 2026/03/02 (Firehose's prefix) or 2026-03-02.
_PATH_DATE = re.compile(r"(?<!\d)(\d{4})[/-](\d{2})[/-](\d{2})(?!\d)")
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class LandingFile:
    """One file in the landing folder, as found on disk."""

    path: Path
    relative_path: str  # to the landing folder, with forward slashes
    source: str
    size_bytes: int
    modified_ns: int
    # When the file arrived: the later of its modification and inode-change times, since
    # copies that keep timestamps (cp -p, rsync -t, unzip) backdate only the first.
    delivered_ns: int
    table: Table | None  # None when the name does not follow the contract
    file_date: dt.date | None
    format: str | None
    gzipped: bool
    problem: str | None  # why the file cannot be loaded, from its name alone

    @property
    def signature(self) -> str:
        """What identifies this delivery on disk without reading it."""
        return f"{self.relative_path}:{self.size_bytes}:{self.modified_ns}"

    @property
    def stat_key(self) -> tuple[int, int, int]:
        """What changes whenever the file's content may have: a file rewritten in place
        with the same size and modification time still gets a new inode-change time."""
        return (self.size_bytes, self.modified_ns, self.delivered_ns)


def _is_in_flight(name: str) -> bool:
    """A copy still being written, by the naming convention docs/operations.md gives."""
    return name.startswith(".") or name.endswith((".tmp", ".part"))


def describe(path: Path, landing_dir: Path, problem: str | None = None) -> LandingFile:
    """What ``path`` is; ``problem`` when something about where it lies is already wrong."""
    stat = path.lstat()
    relative = path.relative_to(landing_dir).as_posix()
    source = relative.split("/", 1)[0] if "/" in relative else ""
    if stat_modes.S_ISLNK(stat.st_mode):
        try:
            stat = path.stat()
        except OSError:
            problem = problem or "a link to a file that does not exist (or cannot be reached)"
    base = dict(
        path=path,
        relative_path=relative,
        source=source,
        size_bytes=stat.st_size,
        modified_ns=stat.st_mtime_ns,
        delivered_ns=max(stat.st_mtime_ns, stat.st_ctime_ns),
    )
    unknown = dict(table=None, file_date=None, format=None, gzipped=False)
    if problem is None and stat_modes.S_ISDIR(stat.st_mode):
        problem = "a folder named like an export; exports are files"
    if problem is None and not os.access(path, os.R_OK):
        problem = (
            "the file cannot be read (permission denied): give the user ccw runs as "
            "read access, e.g. chmod o+r, and it loads on the next run"
        )
    if problem:
        return LandingFile(**base, **unknown, problem=problem)
    if source in VENDOR_FOLDERS:
        return _describe_vendor_file(path, relative, base, unknown)
    match = _NAME.match(path.name)
    if match is None:
        expected = "<table>_<YYYY-MM-DD>.<csv|jsonl|parquet>[.gz]"
        return LandingFile(
            **base, **unknown, problem=f"file name does not follow the contract ({expected})"
        )
    known = {t.name: t for t in TABLES if t.source == source}
    table = known.get(match["table"])
    if table is None:
        names = ", ".join(sorted(known))
        return LandingFile(
            **base, **unknown, problem=f"no table {match['table']!r} in source {source} ({names})"
        )
    try:
        file_date = dt.date.fromisoformat(match["day"])
    except ValueError:
        return LandingFile(
            **base, **unknown, problem=f"{match['day']!r} in the file name is not a date"
        )
    return LandingFile(
        **base,
        table=table,
        file_date=file_date,
        format=match["format"],
        gzipped=match["gz"] is not None,
        problem=None,
    )


def _describe_vendor_file(path: Path, relative: str, base: dict, unknown: dict) -> LandingFile:
    table = VENDOR_FOLDERS[base["source"]]
    if not relative.startswith(table.folder + "/"):
        problem = f"{base['source']}/ holds only {table.folder}/; this file is outside it"
        return LandingFile(**base, **unknown, problem=problem)
    file_date = None
    for match in _PATH_DATE.finditer(relative):
        try:
            file_date = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            continue
    if file_date is None:
        arrived = dt.datetime.fromtimestamp(base["delivered_ns"] / 1e9, dt.UTC)
        file_date = arrived.date()
    try:
        with open(path, "rb") as handle:
            gzipped = handle.read(2) == GZIP_MAGIC
    except OSError:
        gzipped = False  # reading it fails again, and is said, when it is loaded
    return LandingFile(
        **base, table=table, file_date=file_date, format="json", gzipped=gzipped, problem=None
    )


def _outside_sources(landing_dir: Path) -> list[LandingFile]:
    """Every file (or link, or export-named folder) not under a source folder."""
    found: list[LandingFile] = []
    if not landing_dir.is_dir():
        return found
    for entry in os.scandir(landing_dir):
        if _is_in_flight(entry.name) or entry.name in FOLDERS:
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            matching = [name for name in FOLDERS if name == entry.name.lower()]
            hint = (
                f"; did you mean {matching[0]}/ (folder names are lower case)?" if matching else ""
            )
            reason = (
                f"the folder {entry.name}/ is not a source folder "
                f"({', '.join(s + '/' for s in FOLDERS)}){hint}"
            )
            found += [describe(inner, landing_dir, reason) for inner in _walk(path)]
        else:
            reason = f"a file outside the source folders ({', '.join(s + '/' for s in FOLDERS)})"
            found.append(describe(path, landing_dir, reason))
    return found


def _walk(folder: Path, vendor: bool = False) -> list[Path]:
    """Every non-folder entry under ``folder`` (links included, not followed), and every
    folder named like an export (not among vendor records, whose names are free);
    in-flight copies left out."""
    paths: list[Path] = []
    for entry in os.scandir(folder):
        if _is_in_flight(entry.name):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            if not vendor and _NAME.match(entry.name):
                paths.append(path)
            else:
                paths += _walk(path, vendor)
        else:
            paths.append(path)
    return paths


def discover(landing_dir: Path, tables: tuple[Table, ...] | None = None) -> list[LandingFile]:
    """Every file under the landing folder, earliest delivery first.

    With ``tables``, only files of those tables are returned, plus the files in their
    source folders that belong to no table, and everything outside the source
    folders, so an operator hears about them (the manifest records each once).
    """
    found: list[LandingFile] = []
    folders = (
        FOLDERS
        if tables is None
        else tuple({(t.folder or t.source).split("/", 1)[0]: None for t in tables})
    )
    for source in folders:
        folder = landing_dir / source
        if not folder.is_dir():
            continue
        for path in _walk(folder, vendor=source in VENDOR_FOLDERS):
            landing_file = describe(path, landing_dir)
            if tables is None or landing_file.table is None or landing_file.table in tables:
                found.append(landing_file)
    found += _outside_sources(landing_dir)
    found.sort(key=lambda f: (f.delivered_ns, f.file_date or dt.date.min, f.relative_path))
    return found
