# devtrack: `make run` serves the app with demo data; `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test test-deps pdf-libs identity-providers lint types pytest-sqlite pytest-postgresql translations extract-messages chromium bench bench-org-sync lighthouse css clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-fund --no-audit --loglevel=error
	touch $@

# DKFDS's stylesheet trimmed to the rules devtrack's templates and scripts use, into the
# gitignored devtrack/static/build/; pages fall back to the whole stylesheet without it.
css: node_modules/.installed
	node tools/build-css.mjs

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d devtrack/translations

# Refresh the message catalogue after changing user-visible strings (then translate en).
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o devtrack/translations/messages.pot .
	$(BIN)/pybabel update -N -i devtrack/translations/messages.pot -d devtrack/translations

run: $(VENV)/.installed node_modules/.installed translations css pdf-libs
	$(BIN)/flask db upgrade
	$(BIN)/flask devtrack demo --if-empty
	@echo "devtrack kører på http://127.0.0.1:5000 (stop med Ctrl+C)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# The browser tests drive Chromium: Playwright's own build where it can be downloaded,
# otherwise Debian's package (installed here when we are root, as on CI).
chromium:
	@if [ -x /usr/bin/chromium ] || [ -n "$$DEVTRACK_CHROMIUM" ]; then exit 0; fi; \
	if $(BIN)/playwright install chromium >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium mangler: kør 'sudo apt-get install chromium' og derefter 'make test' igen." >&2; exit 1; \
	fi

# The plan's PDF (WeasyPrint) needs Pango and a font; Debian's packages, installed here when we
# are root, as on CI.
pdf-libs:
	@if ldconfig -p | grep -q libpangoft2-1.0 && [ -d /usr/share/fonts/truetype/dejavu ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	else \
		echo "Pango mangler til PDF: kør 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core'." >&2; exit 1; \
	fi

# Single sign-on: pysaml2 needs the xmlsec1 program (at run time too); the SSO tests start a
# real SAML identity provider, SimpleSAMLphp (Debian's package, served by PHP's built-in server;
# the OpenID Connect provider comes from npm). Installed here when we are root, as on CI.
IDP_PACKAGES := xmlsec1 simplesamlphp php-cli php-xml php-mbstring
identity-providers: | chromium pdf-libs
	@if command -v xmlsec1 >/dev/null && [ -f /usr/share/simplesamlphp/www/index.php ] \
		&& php -r 'exit(class_exists("DOMDocument") && function_exists("mb_strlen") ? 0 : 1);' 2>/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(IDP_PACKAGES) >/dev/null; \
	else \
		echo "SimpleSAMLphp/xmlsec1 mangler: kør 'sudo apt-get install $(IDP_PACKAGES)' og derefter 'make test' igen." >&2; exit 1; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check devtrack tests

types: $(VENV)/.installed-dev
	$(BIN)/mypy

# Each database's run gets its own temporary folder, so the two can run side by side.
TEST_TMP ?= $(CURDIR)/.pytest-tmp
PYTEST_ARGS ?=

pytest-sqlite: $(VENV)/.installed-dev node_modules/.installed translations css chromium pdf-libs identity-providers
	mkdir -p $(TEST_TMP)
	DEVTRACK_TEST_DATABASE=sqlite $(BIN)/pytest --basetemp=$(TEST_TMP)/sqlite $(PYTEST_ARGS)

pytest-postgresql: $(VENV)/.installed-dev node_modules/.installed translations css chromium pdf-libs identity-providers
	mkdir -p $(TEST_TMP)
	DEVTRACK_TEST_DATABASE=postgresql $(BIN)/pytest --basetemp=$(TEST_TMP)/postgresql $(PYTEST_ARGS)

# The suite runs on both databases at once (one per core); each run's output is shown
# whole when it ends.
# What both runs need, installed one after the other (two apt-gets at once would collide).
test-deps: $(VENV)/.installed-dev node_modules/.installed translations css chromium pdf-libs identity-providers

test: lint types
	@$(MAKE) --no-print-directory test-deps
	@echo "Kører testene på SQLite og PostgreSQL samtidig; hver kørsels resultat vises, når den er færdig."
	@$(MAKE) --no-print-directory -j2 --output-sync=target pytest-sqlite pytest-postgresql

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py

# The organisation sync at 45,000 people: the CSV import against PUT /api/v1/organisation, and
# how long it keeps users' saves waiting (benchmarks/org_sync_results.md). BENCH_DB and
# BENCH_ORG_PEOPLE choose the database and the size.
bench-org-sync: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/org_sync.py

# Lighthouse (mobile) on six pages served by gunicorn; scores to benchmarks/lighthouse.json.
lighthouse: $(VENV)/.installed-dev node_modules/.installed translations css chromium
	$(BIN)/python benchmarks/lighthouse.py

clean:
	rm -rf $(VENV) node_modules devtrack/static/build .pytest_cache .mypy_cache .ruff_cache
