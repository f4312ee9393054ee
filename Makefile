# The two commands a new user needs (README): `make run` and `make test`.
# Everything else (the virtual environment, Python packages, Debian packages) is set up here.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck contracts pytest clean

run: $(STAMP)
	@$(PY) -m app.system run
	$(VENV)/bin/packbench demo

test: $(STAMP)
	@$(PY) -m app.system test
	$(MAKE) --no-print-directory lint typecheck contracts pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

contracts: $(STAMP)
	$(VENV)/bin/lint-imports

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Packbench needs Python 3.11 or newer; this is " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): on Debian install python3-venv (sudo apt-get install python3-venv)."; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --editable '.[dev]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
