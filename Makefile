# The two set-up commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DB     ?= data/wellbeing.duckdb
PORT   ?= 8501

.PHONY: run test demo lint audit bench clean-db system-packages

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(DB): | $(VENV)/.installed
	WELLBEING_DB=$(DB) $(PY) -m loaders demo

## run: create the environment, build the demo database if missing, start the dashboard
run: $(VENV)/.installed $(DB)
	WELLBEING_DB=$(DB) $(PY) -m loaders migrate
	WELLBEING_DB=$(DB) $(VENV)/bin/streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

## test: install what the tests need (Python dev extra, Debian chromium and fonts-noto-core), audit the installed
## packages for known vulnerabilities (reported; fails only with AUDIT_STRICT=1; skipped offline), then ruff and pytest
test: $(VENV)/.installed-dev system-packages audit
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

system-packages:
	@bash scripts/system-packages.sh

demo: $(VENV)/.installed
	WELLBEING_DB=$(DB) $(PY) -m loaders demo

## audit: known vulnerabilities in the installed packages (scripts/audit.py, docs/SECURITY.md)
audit: $(VENV)/.installed-dev
	$(PY) scripts/audit.py

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

bench: $(VENV)/.installed-dev
	$(PY) -m benchmarks

clean-db:
	rm -f $(DB) $(DB).wal
	rm -rf $(DB).results
