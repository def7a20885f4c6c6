# The two commands of the README: `make demo` and `make test`.
# Needs only Python 3.11, pip and make: uv (pinned) is installed from PyPI into .tools/,
# and every dependency comes from uv.lock into .venv/.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.8
UV := .tools/bin/uv
BIN := .venv/bin
export UV_PYTHON_DOWNLOADS := never

.PHONY: install demo test lint format bench ui docs clean browser app screenshots

install: .venv/.installed target/manifest.json

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet uv==$(UV_VERSION)

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	touch $@

# Dagster loads the dbt models from dbt's manifest: re-parse whenever the project changes.
# Parsed as a run parses (ccw-dbt, the settings' --vars), so runs reuse this parse.
target/manifest.json: .venv/.installed dbt_project.yml profiles.yml $(shell find models macros -type f)
	$(BIN)/ccw-dbt parse --profiles-dir . --quiet --vars "$$($(BIN)/ccw settings --dbt-vars)"
	touch $@

## Command 1: install, generate the demo exports into landing/, and run the pipeline.
demo: install
	$(BIN)/ccw generate --out landing --truth truth --overwrite
	rm -rf warehouse
	$(BIN)/ccw run --landing landing --warehouse warehouse/ccw.duckdb
	@$(MAKE) --no-print-directory docs
	@echo
	@echo "The pipeline writes warehouse/ccw.duckdb (raw, ingest, staging, intermediate, marts)."
	@echo "Readers open warehouse/published/ccw.duckdb, read-only: the marts, safe during a run."
	@echo "Next: .venv/bin/ccw app (or make app), then open http://localhost:8501 for the"
	@echo "      managers' app; docs/analysts.md to query the marts; make ui for the Dagster"
	@echo "      UI; target/docs/static_index.html (open it in a browser) for the dbt docs."

## Command 2: install if needed, then lint and run the whole test suite, on two worker
## processes (CI has two cores; each test file stays on one worker, handed out in the
## order tests/conftest.py gives). Plain `.venv/bin/pytest` runs in one process, easier
## to debug.
TEST_WORKERS ?= 2
test: install lint browser
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

## The browser test drives Debian's Chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser test..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

## The managers' app on http://localhost:8501, reading the published snapshot.
app: install
	$(BIN)/ccw app

## Refresh the screenshots in docs/app.md from the demo's published snapshot.
screenshots: install browser
	$(BIN)/python scripts/screenshots.py docs/images

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# One process per core (24 s in one, 13 s on two); the worker pool's exit
	@# warnings about its semaphores are noise.
	PYTHONWARNINGS="ignore::UserWarning:multiprocessing.resource_tracker" \
		$(BIN)/sqlfluff lint models --disable-progress-bar --processes 0

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Benchmarks at a named scale (demo, 1m, 10m; docs/benchmarks.md): each part 3 times.
## The 10m scale needs about 4 GB of disk in bench/.cache/ and takes hours.
SCALE ?= demo
bench: install
	$(BIN)/python bench/run.py --scale $(SCALE)

## The Dagster UI and daemon (schedule, sensors) on http://localhost:3000, on the run
## history kept beside the warehouse (warehouse/dagster/), `ccw run`'s runs included.
ui: install
	$(BIN)/ccw ui

## The dbt docs site (models, columns, tests, lineage) as one file that opens from disk.
## Reads the warehouse for the catalog, so run it while no pipeline is writing.
docs: install
	CCW_WAREHOUSE=warehouse/ccw.duckdb $(BIN)/dbt docs generate --profiles-dir . --static \
		--target-path target/docs --quiet
	@echo "dbt docs: target/docs/static_index.html (or $(BIN)/dbt docs serve --profiles-dir . --target-path target/docs)"

clean:
	rm -rf landing truth warehouse target .pytest_cache
