# Two commands for a fresh machine (Debian/Ubuntu with Python 3.11+):
#   make demo   set everything up, serve the bundled demo municipality and audit it
#   make test   set everything up and run the whole test suite
VENV    ?= .venv
PYTHON  ?= python3
SUDO    := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
CHROMIUM ?= /usr/lib/chromium/chromium

.PHONY: setup system-deps services demo test bench clean

setup: system-deps $(VENV)/.installed node_modules/.installed

# Playwright cannot download its browsers here: Debian's Chromium is the browser we drive.
system-deps:
	@if [ ! -x "$(CHROMIUM)" ] && [ -z "$$AUDITOR_CHROMIUM" ]; then \
		echo "installing Debian's chromium"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	fi
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "installing Debian's nodejs and npm"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

# data for the consent and tracker checks, pinned in package-lock.json: Ghostery's tracker
# database (CC-BY-NC-SA-4.0) and DuckDuckGo's autoconsent rules (MPL-2.0); no install scripts run
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

demo: setup
	$(VENV)/bin/auditor demo --out results/demo

# Redis and PostgreSQL on 127.0.0.1 for the fleet tests (installed from Debian when missing);
# without them those tests are skipped with the reason (and fail under CI=true).
services:
	bash .ci/start-services

test: setup services
	$(VENV)/bin/pytest -q

# not part of the test suite: our audit, the floor (goto+axe) and pa11y-ci side by side
bench: setup
	$(VENV)/bin/pip install -q -e '.[bench]'
	$(VENV)/bin/python bench/run.py --pages 200

clean:
	rm -rf $(VENV) results .pytest_cache node_modules
