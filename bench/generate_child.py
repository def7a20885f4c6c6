"""Generate one scale's exports (as `ccw generate` does) and write what was made.

Usage: python bench/generate_child.py OUT '{"agents": .., "customers": .., "start":
"YYYY-MM-DD", "days": ..}' SEED RESULT.json
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from ccw.generator import GenerateRequest, generate


def main(out: Path, arguments: dict, seed: int, result_path: Path) -> None:
    summary = generate(
        GenerateRequest(
            out=out,
            start=date.fromisoformat(arguments["start"]),
            days=arguments["days"],
            agents=arguments["agents"],
            customers=arguments["customers"],
            seed=seed,
        )
    )
    result = {"call_legs": summary.call_legs, "rows": sum(summary.rows.values())}
    result_path.write_text(json.dumps(result))


if __name__ == "__main__":
    main(Path(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
