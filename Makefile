# The front door: `make run` and `make test` work from a fresh clone.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
# The development profile for local runs and tests (CI adds DATABASE_URL).
export DEBUG ?= 1

.PHONY: run test lint format typecheck pytest messages bench clean system-tools chromium java

$(VENV)/.installed: pyproject.toml build-constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# xstatic-bootstrap's setup.py needs setuptools<81 (pkg_resources).
	PIP_BUILD_CONSTRAINT=$(CURDIR)/build-constraints.txt \
		$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages: flite speaks the audio captcha, Chromium runs browser tests.
system-tools:
	@if ! command -v flite >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq flite sox >/dev/null; \
		else echo "Note: audio captcha needs flite: sudo apt-get install -y flite sox"; fi; \
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

pytest: $(VENV)/.installed node_modules/.installed chromium java system-tools
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# The benchmark (issue 7): gunicorn + PostgreSQL (portal_bench) + Redis, driven by
# wrk; seeds a million reports first if the database has fewer. See README.
bench: $(VENV)/.installed
	$(PY) bench/run.py $(BENCH_ARGS)

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=test-artifacts --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules var staticfiles test-artifacts
