# The two commands a new user needs (README): `make run` and `make test`.
# Everything else (the virtual environment, Python packages, Debian packages) is set up here.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# Exact versions of everything installed: what the suite was run on (`make lock` refreshes it).
LOCK   := constraints.txt
LOCK_VENV := .lock-venv

.PHONY: run test lint typecheck contracts pytest lock clean self-test dist dist-test translations

run: $(STAMP)
	@$(PY) -m app.system run
	$(VENV)/bin/packbench demo

test: $(STAMP)
	@$(PY) -m app.system test
	$(MAKE) --no-print-directory lint typecheck contracts self-test pytest

# Every resource and Qt plugin loads, a throwaway database migrates, documents draw (no display).
self-test: $(STAMP)
	$(VENV)/bin/packbench --self-test

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

contracts: $(STAMP)
	$(VENV)/bin/lint-imports

# The suite in one process per core (pytest-xdist); tests marked xdist_group("name") run in
# one process together (they share something made once, e.g. the demo). PYTEST_WORKERS=0: one
# process, as before.
PYTEST_WORKERS ?= auto
pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup

# The one-folder application: dist/packbench-VERSION/packbench (PyInstaller, build.spec).
dist: $(STAMP)
	@$(PY) -m app.system run
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller build.spec
	@du -sh dist/packbench-*/ | sed 's/^/size: /'

# Build, then run the built app's self-test in a clean environment (env -i, a fresh HOME).
dist-test: dist
	QT_QPA_PLATFORM=offscreen PACKBENCH_DIST=$$(ls -d dist/packbench-*/ | head -n 1) \
		$(VENV)/bin/pytest -m dist tests/test_dist.py -q

# The screens' strings refreshed into the German catalogue (then translate what is new in
# it, e.g. with pyside6-linguist); the .qm is compiled from it at run and build time.
# Every screen's strings (lupdate finds tr(), translate() and QT_TRANSLATE_NOOP in them).
TRANSLATED := $(sort $(wildcard ui/*.py ui/*/*.py))
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -locations none -no-obsolete $(TRANSLATED) \
		-ts resources/translations/packbench_de.ts

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Packbench needs Python 3.11 or newer; this is " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): on Debian install python3-venv (sudo apt-get install python3-venv)."; exit 1; }
	$(PY) -m pip install --quiet --constraint $(LOCK) --upgrade pip
	$(PY) -m pip install --quiet --constraint $(LOCK) --editable '.[dev]'
	@touch $(STAMP)

# The newest versions pyproject.toml allows, resolved in a clean virtual environment and
# written to $(LOCK). Then run `make test` (it installs them) and commit both files.
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet --editable '.[dev]'
	{ echo "# Exact versions of every package Packbench and its tests install: the versions the"; \
	  echo "# suite was run on. Made by \`make lock\` with Python $$($(LOCK_VENV)/bin/python -c 'import platform; print(platform.python_version(), platform.system(), platform.machine())')."; \
	  echo "# Used as pip constraints by \`make run\` and \`make test\`; tests/test_lock.py checks .venv against it."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --all --exclude-editable --exclude wheel; \
	} > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf $(LOCK_VENV)

clean:
	rm -rf $(VENV) $(LOCK_VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
