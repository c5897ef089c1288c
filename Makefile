# The two set-up commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DB     ?= data/wellbeing.duckdb
PORT   ?= 8501

.PHONY: run test demo lint bench clean-db system-packages

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(DB): | $(VENV)/.installed
	WELLBEING_DB=$(DB) $(PY) -m loaders demo

## run: create the environment, build the demo database if missing, start the dashboard
run: $(VENV)/.installed $(DB)
	WELLBEING_DB=$(DB) $(VENV)/bin/streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

## test: install what the tests need (Python dev extra, Debian chromium and fonts-noto-core) and run them all
test: $(VENV)/.installed-dev system-packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

system-packages:
	@bash scripts/system-packages.sh

demo: $(VENV)/.installed
	WELLBEING_DB=$(DB) $(PY) -m loaders demo

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

bench: $(VENV)/.installed-dev
	$(PY) -m benchmarks

clean-db:
	rm -f $(DB) $(DB).wal
	rm -rf $(DB).results
