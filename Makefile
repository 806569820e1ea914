# Two commands for a fresh clone:  make report   and   make test
# Both create .venv from requirements.lock on first run. Nothing here needs the network except
# installing packages and `make data` (refreshing raw files from the publishers).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(wildcard notebooks/*.ipynb)

# A mirror folder beside the clone (../shared/mirror) is used when present; set SCHOOLCLAIMS_MIRROR to override.
SCHOOLCLAIMS_MIRROR ?= $(if $(wildcard ../shared/mirror/MANIFEST.csv),$(abspath ../shared/mirror),)
export SCHOOLCLAIMS_MIRROR
export MPLBACKEND := Agg
export PYTHONHASHSEED := 0

.PHONY: help venv data build report explore test bench clean

help:
	@echo "make report  - set up .venv, rebuild data/processed, run the notebooks whose inputs changed, write the site in report/"
	@echo "make test    - set up .venv and run the test suite (offline)"
	@echo "make data    - refresh raw files from mirrors or the publishers (online), then rebuild"
	@echo "make build   - rebuild data/processed from the archived raw files"
	@echo "make bench   - time the class-size computation on a synthetic statewide year (not a test)"
	@echo "make explore - load data/processed and the raw-file manifest into SQLite and browse them with Datasette (127.0.0.1)"

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

data: $(STAMP)
	$(BIN)/schoolclaims fetch
	$(BIN)/schoolclaims build

build: $(STAMP)
	$(BIN)/schoolclaims build --if-available

# Notebooks run only when their inputs changed and the site is rewritten only when its inputs changed
# (content hashes in .cache/report/), so a second `make report` with nothing changed takes well under 2 s.
report: build
	$(BIN)/schoolclaims site
	@echo "report: report/index.html (the site: a page per claim and per question, sources, downloads), report/claims.txt, report/charts/"

explore: build
	$(BIN)/python -m schoolclaims.report.explore

# The notebooks run under nbval with charts written to a scratch folder, so tests never touch report/.
test: $(STAMP)
	SCHOOLCLAIMS_CHARTS_DIR=$$(mktemp -d) $(BIN)/python -m pytest --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks

clean:
	rm -rf $(VENV) .pytest_cache

bench: $(STAMP)
	$(BIN)/python bench/class_size_bench.py
