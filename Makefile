# Two commands are the contract: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the product needs, and the extra ones its tests and benchmarks use.
APT_RUN := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils fonts-dejavu-core hunspell-vi
APT_TEST := chromium fonts-dejavu-extra
APT_BENCH := ocrmypdf

export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_HOME ?= $(CURDIR)/warehouse/.prefect

.PHONY: run test setup lint bench system system-test

run: setup
	$(BIN)/chitieu run raw/ --out warehouse/

test: setup system-test
	$(BIN)/python -m pytest -q

setup: system $(VENV)/.installed

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(call apt_install,$(APT_BENCH))
	$(BIN)/chitieu bench ocr
	$(BIN)/chitieu bench restore
	$(BIN)/chitieu bench corpus --times 50

system:
	$(call apt_install,$(APT_RUN))

system-test:
	$(call apt_install,$(APT_TEST))

# Installs only what dpkg does not already have, so a re-run costs nothing.
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || \
		(DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv >/dev/null)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@
