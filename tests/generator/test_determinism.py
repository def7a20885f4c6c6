"""The same arguments give byte-identical files, however the files are written."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

from ccw.generator import GenerateRequest, generate


def _digests(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_same_arguments_give_byte_identical_files(tmp_path):
    request = GenerateRequest(
        out=tmp_path / "first", start=date(2026, 10, 29), days=6, agents=15, customers=800, seed=3
    )
    generate(request)
    generate(replace(request, out=tmp_path / "second", background_writer=False))
    first, second = _digests(tmp_path / "first"), _digests(tmp_path / "second")
    assert len(first) >= 6 * 8
    assert first == second


def test_another_seed_gives_other_data(tmp_path):
    request = GenerateRequest(
        out=tmp_path / "a", start=date(2026, 3, 2), days=2, agents=10, customers=300, seed=1
    )
    generate(request)
    generate(replace(request, out=tmp_path / "b", seed=2))
    calls = "telephony/calls_2026-03-02.csv"
    assert (tmp_path / "a" / calls).read_bytes() != (tmp_path / "b" / calls).read_bytes()
