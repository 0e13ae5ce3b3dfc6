# Onsite: the few commands people use. `make run` to try it, `make test` to test it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
CATALOGS := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
JS_STAMP := node_modules/.installed

.PHONY: run test test-fast bench lint lint-js format translations extract-messages update-messages clean chromium wrk redis nginx system-deps node

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations -D messages -i $< -o $@ >/dev/null

translations: $(COMPILED)  ## compile the message catalogues

extract-messages: $(STAMP)  ## collect every translatable string into translations/messages.pot
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k gettext -k ngettext:1,2 --no-location --sort-output -o translations/messages.pot .

update-messages: extract-messages  ## merge new strings into each language's catalogue
	$(BIN)/pybabel update -i translations/messages.pot -d translations -D messages --no-fuzzy-matching --ignore-obsolete

run: $(STAMP) translations system-deps  ## migrate, load demo data on first start, serve on ONSITE_HOST:ONSITE_PORT
	$(BIN)/onsite serve --demo

system-deps:  ## Pango for WeasyPrint's PDFs, CJK fonts, poppler-utils for the report page test, pg_dump for backups (apt when missing and root)
	@if ldconfig -p 2>/dev/null | grep -q libpango-1.0.so.0 && command -v pdftoppm >/dev/null && fc-list | grep -q "Noto Sans CJK" && command -v pg_dump >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Pango, CJK fonts, poppler-utils and postgresql-client..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-cjk poppler-utils postgresql-client >/dev/null; \
	else \
		echo "PDFs need Pango and CJK fonts, their test poppler-utils, PostgreSQL backups pg_dump: run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk poppler-utils postgresql-client'."; \
		if [ "$$CI" = "true" ]; then exit 1; fi; \
	fi

chromium:  ## Debian's Chromium for the browser tests (installed with apt when missing and root)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Browser tests need Debian's Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'."; \
		if [ "$$CI" = "true" ]; then exit 1; fi; \
	fi

wrk:  ## Debian's wrk, the benchmarks' HTTP load generator (installed with apt when missing and root)
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's wrk for the benchmarks..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else \
		echo "The benchmarks need wrk: run 'sudo apt-get install wrk'."; \
		exit 1; \
	fi

redis:  ## redis-server for the live-board tests that restart a Redis of their own (apt when missing and root)
	@if command -v redis-server >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing redis-server for the live-board tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	else \
		echo "The Redis live-board tests need redis-server: run 'sudo apt-get install redis-server'."; \
		if [ "$$CI" = "true" ]; then exit 1; fi; \
	fi

node:  ## Node.js and npm for the JavaScript linter (installed with apt when missing and root)
	@if command -v node >/dev/null && command -v npm >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Node.js and npm for the JavaScript linter..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	else \
		echo "The JavaScript linter needs Node.js and npm: run 'sudo apt-get install nodejs npm'."; \
		exit 1; \
	fi

# The linter pinned in package-lock.json, installed again whenever package.json or the lock file changes.
$(JS_STAMP): package.json package-lock.json | node
	npm ci --no-audit --no-fund
	touch $@

lint-js: $(JS_STAMP)  ## ESLint over static/ and sw/ (eslint.config.js)
	npx --no-install eslint static sw eslint.config.js

nginx:  ## Debian's nginx for the deployment test (deploy/nginx in front of two app processes; apt when missing and root)
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's nginx for the deployment test..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	else \
		echo "The deployment test needs nginx: run 'sudo apt-get install nginx'."; \
		if [ "$$CI" = "true" ]; then exit 1; fi; \
	fi

test: $(TEST_STAMP) translations system-deps chromium redis nginx lint-js  ## lint, unit, integration (SQLite + PostgreSQL) and browser tests
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/vulture app --min-confidence 80
	$(BIN)/pytest -n 2 tests/unit tests/integration
	$(BIN)/pytest -n 2 tests/e2e || { echo "Browser tests failed above: running only those once more. A test that passes now is a timing flake to fix, not a pass to forget (README, Tests)."; $(BIN)/pytest -n 2 --last-failed tests/e2e; }

test-fast: $(TEST_STAMP) translations  ## everything but the browser
	$(BIN)/pytest -n 2 tests/unit tests/integration

bench: $(TEST_STAMP) translations chromium wrk  ## performance figures, one `name value unit` line each
	$(BIN)/python -m bench

lint: $(TEST_STAMP) lint-js
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/vulture app --min-confidence 80

format: $(TEST_STAMP)
	$(BIN)/ruff format app tests bench
	$(BIN)/ruff check --fix app tests bench

clean:
	rm -rf $(VENV) node_modules var/*.db var/*.db-* .pytest_cache
