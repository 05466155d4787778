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

.PHONY: venv lint typecheck contract test run run-platform bench clean distclean translations screenshots
.PHONY: package package-test

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

# `make run` then opens the desktop client in $(DEMO_HOME)/client, signed in as the demo housing
# officer (or DEMO_USER); closing it stops the platform. GUI_ARGS passes options to `doorstep gui`.
DEMO_USER ?= housing.officer
run: $(STAMP) $(DEMO_HOME)/platform.db
	@# A demo database made by an older checkout is brought up to date (a no-op otherwise).
	@$(PLATFORM_ENV) $(BIN)/doorstep-server migrate
	$(PLATFORM_ENV) $(BIN)/python tools/run_demo.py --home $(DEMO_HOME) --port $(DEMO_PORT) \
		--user $(DEMO_USER) -- $(GUI_ARGS)

# The platform alone (no desktop client), until Ctrl+C.
run-platform: $(STAMP) $(DEMO_HOME)/platform.db
	@echo "Doorstep platform (demo council) on http://127.0.0.1:$(DEMO_PORT)/docs - Ctrl+C stops it"
	$(PLATFORM_ENV) $(BIN)/doorstep-server serve --host 127.0.0.1 --port $(DEMO_PORT)

bench: $(STAMP)
	$(BIN)/python -m bench.store
	$(BIN)/python -m bench.server
	$(BIN)/python -m bench.team
	$(BIN)/python -m bench.sync
	$(BIN)/python -m bench.ui
	$(BIN)/python -m bench.ui_start

# --- Desktop app (issue 5) -------------------------------------------------------------------
# Translations: extract every tr() string, fill in the Welsh kept in tools/translate_cy.py,
# compile the .qm the app loads. The .qm is committed, so installing needs no Qt tools.
TS_CY = resources/translations/doorstep_cy.ts
TS_EN = resources/translations/doorstep_en.ts
translations: $(STAMP)
	$(BIN)/pyside6-lupdate app/ui/*.py app/ui/pages/*.py app/ui/team/*.py -ts $(TS_CY) -target-language cy_GB -no-obsolete
	$(BIN)/python tools/translate_cy.py
	$(BIN)/pyside6-lrelease $(TS_CY) -qm resources/translations/doorstep_cy.qm
	$(BIN)/pyside6-lupdate -pluralonly app/ui/*.py app/ui/pages/*.py app/ui/team/*.py -ts $(TS_EN) -target-language en_GB -no-obsolete
	$(BIN)/python tools/translate_en.py
	$(BIN)/pyside6-lrelease $(TS_EN) -qm resources/translations/doorstep_en.qm

# Offscreen renders of the main screens from a seeded demo laptop, shown in the README.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py --out docs/screenshots

# --- Packaging (docs/deployment.md) ---------------------------------------------------------
# `make package`: PyInstaller bundle + .deb in dist/. `make package-test` (root, Debian):
# installs it with dpkg, runs it, removes and purges it, and checks what stays.
PACKAGE_STAMP = $(VENV)/.package-installed

$(PACKAGE_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install -e '.[server,dev,package]'
	touch $@

package: $(PACKAGE_STAMP)
	PY=$(BIN)/python packaging/build-deb.sh

package-test: package
	packaging/test-deb.sh

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

# Also drops the virtualenv and the editable-install metadata.
distclean: clean
	rm -rf $(VENV) *.egg-info $(DEMO_HOME)
