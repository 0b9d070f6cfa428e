# Two commands do all set-up: `make run` (app with demo data) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := governance

.PHONY: run test test-fast install translations db demo clean security bench secret-key screenshots constraints lint

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' -c constraints.txt
	touch $(STAMP)

## Re-resolve the dependencies to their newest allowed versions, in a fresh venv, and pin them
## in constraints.txt; then run `make test` and commit both if it passes.
constraints:
	rm -rf .venv-constraints && $(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/pip install --quiet --upgrade pip
	.venv-constraints/bin/pip install --quiet -e '.[test]'
	( echo "# The versions CI last passed with: make test and .ci/run install within them, so a release"; \
	  echo "# upstream cannot break a clean clone overnight. Refresh with: make constraints"; \
	  .venv-constraints/bin/pip freeze --exclude-editable ) > constraints.txt
	rm -rf .venv-constraints
	touch pyproject.toml

install: $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile -d governance/translations -f >/dev/null

## The app refuses the default SECRET_KEY outside debug mode: unless SECRET_KEY is set, give this
## checkout a random one of its own, once, in instance/config.py (kept across runs, not in git).
INSTANCE_DIR := $(or $(GOVERNANCE_INSTANCE_PATH),instance)
secret-key:
	@if [ -z "$$SECRET_KEY" ] && ! grep -qs '^SECRET_KEY' $(INSTANCE_DIR)/config.py; then \
	  mkdir -p $(INSTANCE_DIR) && ( umask 077 && $(PYTHON) -c \
	    "import secrets; print('SECRET_KEY = ' + repr(secrets.token_urlsafe(48)))" >> $(INSTANCE_DIR)/config.py ) && \
	  echo "Wrote a random SECRET_KEY to $(INSTANCE_DIR)/config.py"; fi

db: install translations secret-key
	$(BIN)/flask db upgrade

## Start the app on SQLite with demo data (loaded only into an empty database).
## `make run PORT=8080 HOST=0.0.0.0`; links in emails follow the address served (BASE_URL).
HOST ?= 127.0.0.1
PORT ?= 5000
run: db
	$(BIN)/flask demo --if-empty
	@echo
	@echo "  Open http://$(HOST):$(PORT)/dashboard?fy=2563&as_of=2020-06-30  (sign in with a demo login above)"
	@echo "  A director (director@) sees their own page: http://$(HOST):$(PORT)/me?as_of=2020-10-05"
	@echo
	BASE_URL=$${BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/flask run --host $(HOST) --port $(PORT)

## Run every test (SQLite; set TEST_DATABASE_URL for PostgreSQL). Browser tests need Debian's chromium.
test: install translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Static security check (bandit over the app code): a high-severity finding fails.
security: install
	$(BIN)/bandit -c pyproject.toml -r governance jobs config.py -lll

## Benchmarks (docs/benchmarks.md): SQLite in a temp dir; BENCH_ARGS="--database-url postgresql+psycopg://..." for PostgreSQL.
bench: install translations
	$(BIN)/python -m bench $(BENCH_ARGS)

## Screenshots of the main pages in Thai at 390 px and 1280 px into docs/screenshots/ (demo data; Debian's chromium).
screenshots: install translations
	$(BIN)/python scripts/screenshots.py

## Lint: ruff (pyflakes, pycodestyle errors, isort, bugbear) and mypy, as pyproject.toml sets them.
lint: install
	$(BIN)/ruff check governance jobs config.py
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache
