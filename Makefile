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

# The demo keeps its own store under .demo/. Where this machine has no secure keyring, the
# store is keyed with a published demo passphrase: the data is synthetic, and real installs
# never take a passphrase from a file or a Makefile.
DEMO_HOME ?= $(CURDIR)/.demo
DEMO_ENV = DOORSTEP_HOME=$(DEMO_HOME) DOORSTEP_STORE_PASSPHRASE=doorstep-demo-store
DEMO_PERSONS ?= 2000

run: $(STAMP)
	@$(DEMO_ENV) $(BIN)/doorstep store check >/dev/null 2>&1 || \
		$(DEMO_ENV) $(BIN)/doorstep import-demo --persons $(DEMO_PERSONS) --seed 1
	$(DEMO_ENV) $(BIN)/doorstep store check

bench: $(STAMP)
	$(BIN)/python -m bench.store

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

# Also drops the virtualenv and the editable-install metadata.
distclean: clean
	rm -rf $(VENV) *.egg-info $(DEMO_HOME)
