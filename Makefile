# The front door: `make run` serves the demo, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := CONTEST_ENV=development $(BIN)/flask --app wsgi
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

.PHONY: run test lint format e2e lock bench faults fuzz topology bench-bank bench-certificates db-upgrade translations vendor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the lock files (every package pinned, with hashes), never from the
# requirements*.txt inputs: `make lock` turns those into the locks. Each stamp is older than its lock
# after the lock changes, so the next run installs it again.
$(VENV)/.run-installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.run-installed

db-upgrade: $(VENV)/.run-installed
	mkdir -p instance
	$(FLASK) db upgrade

# The web server, and beside it the worker (published certificates, large rounds' reviews), stopped with it.
run: db-upgrade
	$(FLASK) demo
	$(FLASK) work & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -n $(or $(TEST_WORKERS),auto) --dist worksteal $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract every translatable string and merge it into the catalogues; then edit the .po files
# and run `make translations` again to compile them.
translations: $(VENV)/.dev-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o contest/translations/messages.pot --no-location --omit-header .
	$(BIN)/pybabel update -i contest/translations/messages.pot -d contest/translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d contest/translations --statistics

# Load benchmark (CONTRACT §7): gunicorn + PostgreSQL + Redis on this machine.
bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench --profile $(or $(PROFILE),quick)

$(VENV)/.e2e-installed: requirements-e2e.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-e2e.lock
	touch $@ $(VENV)/.dev-installed $(VENV)/.run-installed

# Browser journeys in headless Chromium (Debian's chromium package at /usr/bin/chromium).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

e2e: $(VENV)/.e2e-installed node_modules/axe-core/axe.min.js
	E2E=1 $(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

# Chart.js for the organizers' monitoring page, copied from the npm package pinned in package.json into
# static/vendor/ (committed: serving the app needs no npm and no CDN). Run after changing its version.
vendor: node_modules/axe-core/axe.min.js
	mkdir -p static/vendor
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chart.umd.min.js
	cp node_modules/chart.js/LICENSE.md static/vendor/chart.js-LICENSE.md

# Question-bank speed: import of a 10,000-question xlsx, draws of 30 questions.
# The full fuzz run of the HTTP surface (`make test` runs a short one): 10,000 generated requests.
fuzz: $(VENV)/.dev-installed
	FUZZ_REQUESTS=$(or $(FUZZ_REQUESTS),10000) $(BIN)/python -m pytest tests/fuzz -n 2 --dist worksteal $(PYTEST_ARGS)

# Fault run: saves through gunicorn while workers are killed and PostgreSQL and Redis restart (servers of its own).
faults: $(VENV)/.dev-installed
	$(BIN)/python -m bench.faults $(FAULTS_ARGS)

# The production topology on loopback (nginx, two app servers, PgBouncer, PostgreSQL, Redis), one app server killed
# and started again mid-run: installs nginx and PgBouncer (Debian packages) when missing.
topology: $(VENV)/.dev-installed
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { $(APT_INSTALL) nginx; }
	@command -v pgbouncer >/dev/null 2>&1 || test -x /usr/sbin/pgbouncer || { $(APT_INSTALL) pgbouncer; }
	$(BIN)/python -m bench.topology $(TOPOLOGY_ARGS)

bench-bank: $(VENV)/.dev-installed
	$(BIN)/python -m bench.bank

bench-certificates: $(VENV)/.dev-installed
	$(BIN)/python -m bench.certificates

# Regenerate the locks after editing requirements*.txt (the direct dependencies), for Python 3.11 on
# Linux x86_64: the runtime lock first, then the others constrained to its versions. Pins still allowed
# by the inputs are kept; `make lock LOCK_ARGS=--upgrade` moves everything to the newest versions.
PIP_TOOLS := pip-tools==7.6.2
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: | $(BIN)/python
	@$(BIN)/python -c 'import platform, sys; sys.exit(None if sys.version_info[:2] == (3, 11) and sys.platform == "linux" \
		and platform.machine() == "x86_64" else "make lock: the locks are for Python 3.11 on Linux x86_64; run it there")'
	$(BIN)/pip install --quiet $(PIP_TOOLS)
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt
	$(PIP_COMPILE) --constraint requirements-dev.lock --output-file requirements-e2e.lock requirements-e2e.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
