# The two commands of the README: `make demo` and `make test`.
# Needs only Python 3.11, pip and make: uv (pinned) is installed from PyPI into .tools/,
# and every dependency comes from uv.lock into .venv/.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.8
UV := .tools/bin/uv
BIN := .venv/bin
export UV_PYTHON_DOWNLOADS := never

.PHONY: install demo test lint format bench ui clean

install: .venv/.installed target/manifest.json

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet uv==$(UV_VERSION)

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --python $(PYTHON)
	touch $@

# Dagster loads the dbt models from dbt's manifest: re-parse whenever the project changes.
target/manifest.json: .venv/.installed dbt_project.yml profiles.yml $(shell find models macros -type f)
	$(BIN)/dbt parse --profiles-dir . --quiet
	touch $@

## Command 1: install, generate the demo exports into landing/, and run the pipeline.
demo: install
	$(BIN)/ccw generate --out landing --truth truth --overwrite
	rm -rf warehouse
	$(BIN)/ccw run --landing landing --warehouse warehouse/ccw.duckdb
	@echo
	@echo "The demo is in warehouse/ccw.duckdb: schemas raw and ingest (landing), staging and marts (dbt)."
	@echo "Next: make ui for the Dagster UI; docs/operations.md for running it day to day."

## Command 2: install if needed, then lint and run the whole test suite.
test: install lint
	$(BIN)/pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint models --disable-progress-bar

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/bench_generate.py

## The Dagster UI and daemon (schedule, sensor) on http://localhost:3000, history in .dagster/.
ui: install
	mkdir -p .dagster && cp orchestration/dagster.yaml .dagster/dagster.yaml
	PATH=$(CURDIR)/.venv/bin:$$PATH DAGSTER_HOME=$(CURDIR)/.dagster $(BIN)/dagster dev

clean:
	rm -rf landing truth warehouse target .pytest_cache
