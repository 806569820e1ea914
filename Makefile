# Two commands for a fresh clone:  make report   and   make test
# Both create .venv from requirements.lock on first run. Nothing here needs the network except
# installing packages and `make data` (refreshing raw files from the publishers).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := schoolclaims

# A mirror folder beside the clone (../shared/mirror) is used when present; set SCHOOLCLAIMS_MIRROR to override.
SCHOOLCLAIMS_MIRROR ?= $(if $(wildcard ../shared/mirror/MANIFEST.csv),$(abspath ../shared/mirror),)
export SCHOOLCLAIMS_MIRROR
export MPLBACKEND := Agg
export PYTHONHASHSEED := 0
# Compiled bytecode is kept, in one git-ignored folder, even where the environment says PYTHONDONTWRITEBYTECODE=1:
# without it every Python process make starts (the test workers, the notebook kernels, each command a test runs)
# compiles pandas, matplotlib and the rest from source again, which was 8 of the 13 s a test worker took to start.
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX := $(abspath .cache/pycache)

.PHONY: help venv lock data build report regen explore lab test bench clean

help:
	@echo "make report  - set up .venv, rebuild data/processed, run the notebooks whose inputs changed, write the site in report/"
	@echo "make test    - set up .venv and run the test suite (offline)"
	@echo "make regen   - regenerate everything made from the claims, the code and the raw files (tables, datapackage.json, notebooks, site, README sections)"
	@echo "make data    - refresh raw files from mirrors or the publishers (online), then rebuild"
	@echo "make build   - rebuild data/processed from the archived raw files"
	@echo "make lab     - open the notebooks in JupyterLab with the project's kernel ($(KERNEL))"
	@echo "make explore - load data/processed and the raw-file manifest into SQLite and browse them with Datasette (127.0.0.1)"
	@echo "make bench   - time the class-size computation on synthetic statewide years (not a test)"
	@echo "make lock    - regenerate requirements.lock and environment.yml from the ranges in pyproject.toml"

# Installs the exact set in requirements.lock with uv when it is on PATH (or, when it is not, uv installed into .venv
# from PyPI with pip), else with pip; USE_PIP=1 forces pip. `pip check` then proves the set is complete and consistent.
# The notebooks' kernel, $(KERNEL), is registered inside .venv.
$(STAMP): requirements.lock pyproject.toml
	rm -rf $(VENV)
	@set -e; uv=$$(command -v uv || true); \
	if [ -z "$(USE_PIP)" ] && [ -z "$$uv" ]; then \
	  $(PYTHON) -m venv $(VENV); \
	  if $(BIN)/python -m pip install --quiet --disable-pip-version-check 'uv>=0.13,<1'; then uv=$(abspath $(BIN))/uv; fi; \
	fi; \
	if [ -z "$(USE_PIP)" ] && [ -n "$$uv" ]; then \
	  [ -x $(BIN)/python ] || $$uv venv --quiet --python $(PYTHON) $(VENV); \
	  $$uv pip install --quiet --python $(BIN)/python -r requirements.lock; \
	  $$uv pip install --quiet --python $(BIN)/python --no-deps -e .; \
	  $$uv pip check --quiet --python $(BIN)/python; \
	else \
	  [ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV); \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock; \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .; \
	  $(BIN)/python -m pip check --disable-pip-version-check >/dev/null; \
	fi
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (schoolclaims)" >/dev/null 2>&1
	touch $(STAMP)

venv: $(STAMP)

# The ranges in pyproject.toml are the source; the lock is regenerated only on purpose (never in CI), keeping every
# pin the ranges still allow (uv prefers the versions already in the output file).
lock:
	$(or $(shell command -v uv),$(BIN)/uv) pip compile pyproject.toml --all-extras --universal --python-version 3.11 -o requirements.lock --custom-compile-command "make lock"
	$(BIN)/python tests/test_pins.py --write-environment

data: $(STAMP)
	$(BIN)/schoolclaims fetch
	$(BIN)/schoolclaims build

build: $(STAMP)
	$(BIN)/schoolclaims build --if-available

# Notebooks run only when their inputs changed (their stamp, notebooks/run-inputs.json, is committed: a fresh clone
# runs none) and the site is rewritten only when its inputs changed (its stamp in .cache/report/), so a second
# `make report` with nothing changed takes about half a second.
report: build
	$(BIN)/schoolclaims site
	@echo "report: report/index.html (the site: a page per claim and per question, sources, downloads), report/claims.txt, report/charts/"

# Everything generated from what a contributor writes by hand (claim files, layout tables, code): the processed
# tables and data/processed/datapackage.json, the notebooks' outputs and charts, the site, the README's
# generated sections and the golden claim records (review their diff: it is the change's effect).
regen: build
	$(BIN)/schoolclaims site
	$(BIN)/cog -r -I tools -p "import readme" README.md
	$(BIN)/schoolclaims claims --format json > tests/golden/claims.json.part && mv tests/golden/claims.json.part tests/golden/claims.json

explore: build
	$(BIN)/schoolclaims explore

lab: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name $(KERNEL) --display-name "Python (schoolclaims)"
	$(BIN)/jupyter lab notebooks/

# The notebooks run under nbval with charts written to a scratch folder, so tests never touch report/.
# Two workers (pytest-xdist) for the two cores; each test's files live in its own temporary folder. --dist loadscope
# keeps a notebook's cells (and a class's tests) on one worker; the browser tests, the longest, are put first
# (tests/conftest.py; --no-loadscope-reorder keeps that order) so that they start at once on both workers instead
# of queueing behind the rest on one.
test: $(STAMP)
	SCHOOLCLAIMS_CHARTS_DIR=$$(mktemp -d) $(BIN)/python -m pytest -n $(or $(JOBS),2) --dist loadscope --no-loadscope-reorder --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks

clean:
	rm -rf $(VENV) .pytest_cache .cache/pycache

bench: $(STAMP)
	$(BIN)/python bench/class_size_bench.py
