# The front door: `make run` and `make test` work from a fresh clone.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
# The development profile for local runs and tests (CI adds DATABASE_URL).
export DEBUG ?= 1

.PHONY: run test lint format typecheck pytest messages icons lock bench clean system-tools chromium java

# Installs exactly what requirements.lock pins (with hashes), then the project itself
# without dependencies; `pip check` fails if pyproject.toml asks for something the
# lock lacks (then run `make lock`).
$(VENV)/.installed: requirements.lock pyproject.toml build-constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# xstatic-bootstrap's setup.py needs setuptools<81 (pkg_resources).
	PIP_BUILD_CONSTRAINT=$(CURDIR)/build-constraints.txt \
		$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m pip check || { echo "requirements.lock is behind pyproject.toml: run make lock"; exit 1; }
	touch $@

# Re-pin every dependency of pyproject.toml (ranges there, exact versions and hashes
# here). Keeps the current pins where they still fit; `make lock LOCK_ARGS=--upgrade`
# moves everything to the newest allowed versions. Hashes come from PyPI itself, not a
# local wheel folder or mirror set in pip's configuration.
lock:
	test -x $(PY) || python3 -m venv $(VENV)
	test -x $(BIN)/pip-compile || $(PY) -m pip install --quiet 'pip-tools>=7.4'
	env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" \
		PIP_BUILD_CONSTRAINT=$(CURDIR)/build-constraints.txt \
		$(BIN)/pip-compile --quiet --generate-hashes --extra dev --strip-extras \
		--allow-unsafe --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock $(LOCK_ARGS) pyproject.toml

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages: flite speaks the audio captcha, libcairo2 lets CairoSVG draw the
# app icons (make icons, and the test that checks the committed PNGs).
system-tools:
	@if ! command -v flite >/dev/null || ! /sbin/ldconfig -p | grep -q libcairo.so.2; then \
		if [ "$$(id -u)" = 0 ]; then \
			(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq flite sox libcairo2 >/dev/null; \
		else echo "Note: the audio captcha and icons need: sudo apt-get install -y flite sox libcairo2"; fi; \
	fi

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Browser tests need Chromium: sudo apt-get install -y chromium"; exit 1; fi; \
	fi

# The W3C Nu HTML checker (vnu.jar from npm) runs on Java.
java:
	@if ! command -v java >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
		else echo "HTML validation needs Java: sudo apt-get install -y default-jre-headless"; exit 1; fi; \
	fi

run: $(VENV)/.installed system-tools
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(VENV)/.installed
	$(BIN)/mypy portal accounts places feedback stats open311

# Every outside tool is installed above, so a test skipped for a missing one fails.
# Two runs: the unit tests spread over one pytest-xdist worker per core (each with
# its own test database), then the browser, server and Redis tests one after
# another in one process (they share ports, a Redis database and the servers'
# database). Each run lists its 15 slowest tests. PYTEST_WORKERS=0: no workers.
# A PYTEST_ARGS selection that leaves one of the runs empty is not a failure.
PYTEST_WORKERS ?= auto
SERIAL_TESTS := browser or server or redis
pytest: $(VENV)/.installed node_modules/.installed chromium java system-tools
	PORTAL_REQUIRE_TOOLS=1 $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not ($(SERIAL_TESTS))" \
		--durations=15 $(PYTEST_ARGS) || [ $$? -eq 5 ]
	PORTAL_REQUIRE_TOOLS=1 $(BIN)/pytest -m "$(SERIAL_TESTS)" \
		--durations=15 $(PYTEST_ARGS) || [ $$? -eq 5 ]

test: lint typecheck pytest

# The benchmark: gunicorn + PostgreSQL (portal_bench) + Redis, driven by
# wrk, then Lighthouse (npm) on the main pages with Debian's Chromium; seeds a
# million reports first if the database has fewer. See README.
bench: $(VENV)/.installed node_modules/.installed chromium
	$(PY) bench/run.py $(BENCH_ARGS)

# The installable app's PNG icons, drawn from static/img/logo.svg (committed).
icons: $(VENV)/.installed system-tools
	$(PY) manage.py make_icons

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=test-artifacts --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules var staticfiles test-artifacts
