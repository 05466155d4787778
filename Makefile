# Doorstep developer tasks (GNU make). `make test` is what CI runs via .ci/run.

PY ?= python3
VENV = .venv
BIN = $(VENV)/bin
# Stamp, not the directory: its mtime tracks the last install, so editing pyproject.toml
# (new dependency, new extra) triggers a reinstall.
STAMP = $(VENV)/.installed

.DEFAULT_GOAL := test
# A failed recipe must not leave a stamp behind that claims success.
.DELETE_ON_ERROR:

.PHONY: venv lint typecheck contract test run bench clean distclean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[server,dev]'
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

contract: $(STAMP)
	$(BIN)/lint-imports

# pytest exits 5 when it collects no tests; make fails on any non-zero status, so an empty
# suite fails the build instead of passing silently.
test: $(STAMP) lint typecheck contract
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

# `make run`: the platform on its embedded SQLite default, seeded once with a synthetic
# council, served on http://127.0.0.1:8765 (OpenAPI at /docs). The demo users and passwords
# are in the README. DOORSTEP_DEMO_MODE accepts the 999-range test NHS numbers the demo uses.
DEMO_HOME ?= $(CURDIR)/.demo
DEMO_PERSONS ?= 2000
DEMO_PORT ?= 8765
PLATFORM_ENV = DOORSTEP_DATABASE_URL=sqlite:///$(DEMO_HOME)/platform.db DOORSTEP_DEMO_MODE=true

# The database file is the target: if seeding fails, .DELETE_ON_ERROR removes it and the
# next run starts again rather than serving a half-seeded platform.
$(DEMO_HOME)/platform.db: | $(STAMP)
	mkdir -p $(DEMO_HOME)
	$(PLATFORM_ENV) $(BIN)/doorstep-server migrate
	$(PLATFORM_ENV) $(BIN)/doorstep-server seed-demo --persons $(DEMO_PERSONS) --seed 1

run: $(STAMP) $(DEMO_HOME)/platform.db
	@echo "Doorstep platform (demo council) on http://127.0.0.1:$(DEMO_PORT)/docs - Ctrl+C stops it"
	$(PLATFORM_ENV) $(BIN)/doorstep-server serve --host 127.0.0.1 --port $(DEMO_PORT)

bench: $(STAMP)
	$(BIN)/python -m bench.store
	$(BIN)/python -m bench.server
	$(BIN)/python -m bench.sync

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

# Also drops the virtualenv and the editable-install metadata.
distclean: clean
	rm -rf $(VENV) *.egg-info $(DEMO_HOME)
