# shakyo-portal: `make run` serves the portal with demo data, `make test` runs the suite.
# Both need only python3 (3.12 or newer) and make; DATABASE_URL switches the database.

PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
AXE := node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-prod run test lint format migrations-check bench a11y-report backup restore clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "Python 3.12 以上が必要です（見つかったのは $$($(PYTHON) --version)）。PYTHON=python3.13 make ... のように指定してください。" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The development environment: runtime plus test and lint tools (requirements-dev.lock).
$(INSTALLED): requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@touch $@

# axe-core for the accessibility tests, from the npm registry at the version
# package-lock.json pins. Without npm the accessibility tests say so and skip.
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm が見つからないため axe-core を入れませんでした（アクセシビリティ検査はスキップされます）。"; fi

install: $(INSTALLED)

# Production: a venv with only what the site runs (requirements.lock), no test or
# lint tools; .venv as in the README's "Running in production", or PROD_VENV=DIR.
# It refuses a venv that `make install` filled, which would keep the dev tools.
PROD_VENV ?= $(VENV)
install-prod:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "Python 3.12 以上が必要です（見つかったのは $$($(PYTHON) --version)）。PYTHON=python3.13 make ... のように指定してください。" >&2; exit 1; }
	@! test -e $(PROD_VENV)/.installed || { \
	  echo "$(PROD_VENV) は make install で開発用のパッケージが入っています。rm -rf $(PROD_VENV) で消してから入れ直すか、PROD_VENV=別のフォルダ を指定してください。" >&2; exit 1; }
	test -x $(PROD_VENV)/bin/python || $(PYTHON) -m venv $(PROD_VENV)
	$(PROD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock

# The mail worker (db_worker) runs beside the server in the recipe's one shell,
# and the trap stops it however runserver ends (Ctrl+C, an error). No autoreload
# for the worker: its reloader would leave a child behind when stopped.
run: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py load_demo
	@echo ""
	@echo "  サイト:   http://$(HOST):$(PORT)/"
	@echo "  管理画面: http://$(HOST):$(PORT)/admin/"
	@echo "  職員のログインを作るには、別の端末で: $(BIN)/python manage.py createsuperuser"
	@echo "  （DEBUG=true で起動しています。止めるには Ctrl+C）"
	@echo "  メールは、一緒に起動したワーカー（manage.py db_worker）が送ります。"
	@echo ""
	DEBUG=$${DEBUG:-true}; export DEBUG; \
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# One worker per CPU (pytest-xdist), each with one live server and one Chromium for
# all the browser tests it runs. worksteal hands each worker half the tests in file
# order and lets an idle one take from the other's tail, so no big file keeps one
# worker busy while the other waits.
test: install $(AXE)
	$(BIN)/python -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

BACKUP_DIR ?= backups

# The whole site (database, public and private uploads) in one archive under
# $(BACKUP_DIR). It holds personal data: see the README's "Backups".
backup: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py backup_site --output $(BACKUP_DIR)

# make restore ARCHIVE=backups/shakyo-backup-….tar.gz (FORCE=1 empties the database first)
restore: install
	@test -n "$(ARCHIVE)" || { echo "ARCHIVE=backups/shakyo-backup-….tar.gz のように、戻すファイルを指定してください。" >&2; exit 1; }
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py restore_site "$(ARCHIVE)" $(if $(FORCE),--force)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/djhtml --check templates

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

migrations-check: install
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	$(BIN)/python bench/run.py

# /accessibility/ shows what the accessibility checks looked at. This runs them
# (axe-core in Chromium: tests/browser; the Nu Html Checker: the *html_validity
# tests) and, only if every test passes, writes docs/accessibility/report.json
# from what they recorded (tests/a11y_report.py). Commit the file with the change
# that needed it: tests/test_accessibility_page.py fails while a page is missing.
A11Y_TESTS := tests/browser $(wildcard tests/test_*html_validity.py tests/*/test_*html_validity.py)
a11y-report: install $(AXE)
	A11Y_REPORT=docs/accessibility/report.json REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q $(A11Y_TESTS)

clean:
	rm -rf $(VENV) node_modules staticfiles .bench
