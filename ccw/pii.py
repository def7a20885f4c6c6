"""The center's secret key for personal data, and the keyed hash made with it.

Phone numbers and e-mail addresses never leave staging in clear text: they become an
HMAC-SHA256 under a key only this center has, so they still match each other (the
same caller twice) but cannot be recovered by hashing every phone number, as an
unkeyed or publicly salted hash can in seconds.

The key is 32 random bytes, written on first use to ``CCW_PII_KEY_FILE`` (default
``~/.config/ccw/pii.key``), outside the repository, readable by its owner only. It is
never written into SQL: dbt's connections, on DuckDB and on Spark, get a function,
``ccw_pii_hmac(value)``, that holds it (:func:`register_key`), so compiled SQL,
``dbt.log``, view definitions and the manifest name the function, never the key.
Back the key file up with the warehouse: a new key gives every hash a new value, so
callers before and after no longer match.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

KEY_BYTES = 32


def key_path() -> Path:
    configured = os.environ.get("CCW_PII_KEY_FILE")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".config" / "ccw" / "pii.key"


def load_key(path: Path | None = None) -> bytes:
    """The center's key; made (owner-only) on first use. A key file others can read is
    made owner-only again."""
    path = path or key_path()
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _read(path)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(os.urandom(KEY_BYTES).hex() + "\n")
    return _read(path)


def _read(path: Path) -> bytes:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        path.chmod(0o600)
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ValueError(f"{path} does not hold a key (64 hexadecimal characters)") from None
    if len(key) < 16:
        raise ValueError(f"{path} holds a key of {len(key)} bytes; use at least 16")
    return key


def hmac_hex(key: bytes, value: str | None) -> str | None:
    """HMAC-SHA256 of a value, as lowercase hex; what the SQL on every engine computes."""
    if value is None:
        return None
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


FUNCTION = "ccw_pii_hmac"


def register_key(connection) -> None:
    """Add ``ccw_pii_hmac(value)`` to a DuckDB connection: the keyed hash, with the
    center's key held by the function (macros/pii.sql calls it)."""
    import pyarrow as pa
    from duckdb.sqltypes import VARCHAR

    key = load_key()

    def hash_values(values):  # no annotations: DuckDB evaluates them
        return pa.array(
            [None if value is None else hmac_hex(key, value) for value in values.to_pylist()],
            type=pa.string(),
        )

    connection.create_function(FUNCTION, hash_values, [VARCHAR], VARCHAR, type="arrow")
