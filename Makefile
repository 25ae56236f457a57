# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
SERVER_DIR := integration_tests/server
SERVER := $(SERVER_DIR)/node_modules/.package-lock.json
SOURCES := src tests integration_tests examples benchmarks

.PHONY: demo test lint unit integration bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

$(SERVER): $(SERVER_DIR)/package.json $(SERVER_DIR)/package-lock.json
	cd $(SERVER_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(SERVER)

demo: $(INSTALLED)
	$(PY) examples/quickstart.py

test: lint unit integration

lint: $(INSTALLED)
	$(PY) -m black --check --quiet $(SOURCES)
	$(PY) -m flake8 $(SOURCES)
	$(PY) -m mypy --strict src
	$(PY) -m mypy tests integration_tests examples benchmarks

unit: $(INSTALLED)
	$(PY) -m pytest tests --cov --cov-branch --cov-report=term-missing --cov-fail-under=90

integration: $(INSTALLED) $(SERVER)
	$(PY) -m pytest integration_tests

bench: $(INSTALLED) $(SERVER)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) $(SERVER_DIR)/node_modules .coverage .mypy_cache .pytest_cache
