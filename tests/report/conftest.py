"""What the report tests share: the sample's published snapshot in a warehouse folder
of its own, and a local SMTP server that keeps what it receives."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ccw.dashboard.browser import free_port
from ccw.publish import published_path


@pytest.fixture
def warehouse(sample_marts: Path, tmp_path: Path, monkeypatch) -> Path:
    """A warehouse folder holding only the sample's published snapshot (what a report
    reads); reports/ is written beside it."""
    monkeypatch.delenv("CCW_PUBLISHED", raising=False)
    target = tmp_path / "warehouse" / "ccw.duckdb"
    published_path(target).parent.mkdir(parents=True)
    shutil.copy(published_path(sample_marts), published_path(target))
    return target


@dataclass
class Inbox:
    port: int
    received: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd names it)
        self.received.append(envelope.content)
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """An SMTP server on 127.0.0.1 (``inbox.port``); each message's bytes land in
    ``inbox.received``."""
    from aiosmtpd.controller import Controller

    box = Inbox(free_port())
    server = Controller(box, hostname="127.0.0.1", port=box.port)
    server.start()
    try:
        yield box
    finally:
        server.stop()
