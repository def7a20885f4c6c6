"""docs/benchmarks.md is written by several benchmarks: each replaces its own section."""

from __future__ import annotations

import re
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Measured by `make bench` (`bench/`); each section is rewritten by its benchmark, do not
edit by hand.
"""


def replace_section(title: str, body: str) -> None:
    """Put `## title` + body in the report, replacing the section of that title."""
    text = REPORT.read_text() if REPORT.exists() else HEADER
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    REPORT.write_text(text)
