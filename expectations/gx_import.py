"""Great Expectations, imported without Spark.

GX imports pyspark whenever it is installed (it is, for `ccw run --engine spark`):
half a second of every run, and pyspark's warnings about pandas printed on a DuckDB
run. The suites validate pandas frames only (after a Spark build too: the marts are
read back from DuckDB), so GX is imported as if pyspark were absent. Only GX's view
changes: a later `import pyspark` (the Spark engine) works as usual.
"""

from __future__ import annotations

import sys
from types import ModuleType


def great_expectations() -> ModuleType:
    """The `great_expectations` package, imported without pyspark the first time."""
    if "great_expectations" not in sys.modules and "pyspark" not in sys.modules:
        sys.modules["pyspark"] = None  # type: ignore[assignment]  # import pyspark fails
        try:
            import great_expectations
        finally:
            del sys.modules["pyspark"]
    import great_expectations

    return great_expectations


def gx_expectations() -> ModuleType:
    """`great_expectations.expectations` (the expectation classes)."""
    great_expectations()
    import great_expectations.expectations as gxe

    return gxe
