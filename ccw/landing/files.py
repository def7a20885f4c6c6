"""Find the exports in the landing folder and tell what each one is.

The contract names every file ``<table>_<YYYY-MM-DD>.<ext>`` under a folder per source;
``ext`` is csv, jsonl or parquet, optionally followed by ``.gz``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ccw.contract import SOURCES, TABLES, Table

FORMATS = ("csv", "jsonl", "parquet")
_NAME = re.compile(
    r"^(?P<table>[a-z_]+)_(?P<day>\d{4}-\d{2}-\d{2})\.(?P<format>csv|jsonl|parquet)(?P<gz>\.gz)?$"
)


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


def describe(path: Path, landing_dir: Path) -> LandingFile:
    stat = path.stat()
    relative = path.relative_to(landing_dir).as_posix()
    source = relative.split("/", 1)[0]
    base = dict(
        path=path,
        relative_path=relative,
        source=source,
        size_bytes=stat.st_size,
        modified_ns=stat.st_mtime_ns,
        delivered_ns=max(stat.st_mtime_ns, stat.st_ctime_ns),
    )
    unknown = dict(table=None, file_date=None, format=None, gzipped=False)
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


def discover(landing_dir: Path, tables: tuple[Table, ...] | None = None) -> list[LandingFile]:
    """Every file under the source folders, earliest delivery first.

    Hidden and partial files (``.name``, ``*.tmp``, ``*.part``) are in-flight copies and
    are left for a later run. With ``tables``, only files of those tables are returned,
    plus the misnamed files in their source folders, so an operator hears about them.
    """
    found: list[LandingFile] = []
    sources = SOURCES if tables is None else tuple({t.source: None for t in tables})
    for source in sources:
        folder = landing_dir / source
        if not folder.is_dir():
            continue
        for entry in os.scandir(folder):
            name = entry.name
            if not entry.is_file() or name.startswith(".") or name.endswith((".tmp", ".part")):
                continue
            landing_file = describe(Path(entry.path), landing_dir)
            if tables is None or landing_file.table is None or landing_file.table in tables:
                found.append(landing_file)
    found.sort(key=lambda f: (f.delivered_ns, f.file_date or dt.date.min, f.relative_path))
    return found
