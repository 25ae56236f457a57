# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_INSTALLED := $(VENV)/.dev-installed
DEMO_INSTALLED := $(VENV)/.demo-installed
SERVER_DIR := integration_tests/server
SERVER := $(SERVER_DIR)/node_modules/.package-lock.json
SOURCES := src tests integration_tests package_tests examples benchmarks

.PHONY: demo test check-npm lint unit package integration bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The demo needs the runtime dependencies and moto only.
$(DEMO_INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[demo]"
	touch $(DEMO_INSTALLED)

$(DEV_INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(DEV_INSTALLED)

$(SERVER): $(SERVER_DIR)/package.json $(SERVER_DIR)/package-lock.json
	cd $(SERVER_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(SERVER)

demo: $(DEMO_INSTALLED)
	$(PY) examples/quickstart.py

test: check-npm lint unit package integration

check-npm:
	@command -v npm >/dev/null 2>&1 || { \
		echo "make test needs Node.js and npm (for the dynalite integration server):"; \
		echo "  Debian/Ubuntu: apt-get install nodejs npm   macOS: brew install node"; \
		exit 1; }

lint: $(DEV_INSTALLED)
	$(PY) -m black --check --quiet $(SOURCES)
	$(PY) -m flake8 $(SOURCES)
	$(PY) -m mypy --strict src
	$(PY) -m mypy tests integration_tests package_tests examples benchmarks

# Each suite runs on both transports of data-path calls (see docs/reference.md,
# "Transports"), then on AsyncDynamoDBService (tests/services.py): the
# default, then the others chosen by the environment.
# Tests that never build a service from the environment's choices (the
# codec and its JSON, signing, the HTTP/1 reader, typing, the configuration,
# the layers and the public methods, what start-up imports; tests that
# build each transport or service themselves: the tracers, the conformance
# suite of tests/conformance) run once, in the first run.
ONCE_UNIT = $(addprefix --ignore=tests/dynamodb/,test_wire.py test_http1.py \
	test_signing.py test_model_typing.py test_dynamodb_models.py \
	test_transport_choice.py test_tracing.py test_async_transport.py \
	test_async_connections.py test_alias.py test_region.py \
	test_botocore_client.py test_shared_models.py test_tracers.py \
	test_async_credentials.py test_documents.py test_one_pass.py test_layers.py \
	test_public_methods.py test_imports.py test_search_wire.py \
	test_search_endpoints.py) \
	--ignore=tests/conformance --ignore=tests/test_demo.py
ONCE_INTEGRATION = $(addprefix --ignore=integration_tests/dynamodb/, \
	test_transport_parity.py test_error_parity.py test_tls_and_proxy.py \
	test_async_transport.py test_cancellation.py)

unit: $(DEV_INSTALLED)
	@echo "unit tests, direct transport, with coverage (about 90 s)"
	SERVICES_DYNAMODB_TRANSPORT=direct $(PY) -m pytest -n 2 tests \
		--cov --cov-branch --cov-report=term-missing --cov-fail-under=90
	@echo "unit tests, botocore transport (about 25 s)"
	SERVICES_DYNAMODB_TRANSPORT=botocore $(PY) -m pytest -q -n 2 tests $(ONCE_UNIT)
	@echo "unit tests, AsyncDynamoDBService (about 30 s)"
	SERVICES_DYNAMODB_SERVICE=async $(PY) -m pytest -q -n 2 tests $(ONCE_UNIT)

package: $(DEV_INSTALLED)
	@echo "package test: the wheel in a fresh venv at the dependency floors, two applications (about 40 s)"
	$(PY) -m pytest package_tests

integration: $(DEV_INSTALLED) $(SERVER)
	@echo "integration tests, direct transport (about 30 s; each worker starts dynalite)"
	SERVICES_DYNAMODB_TRANSPORT=direct $(PY) -m pytest -n 4 integration_tests
	@echo "integration tests, botocore transport (about 25 s)"
	SERVICES_DYNAMODB_TRANSPORT=botocore $(PY) -m pytest -q -n 4 integration_tests \
		$(ONCE_INTEGRATION)
	@echo "integration tests, AsyncDynamoDBService (about 25 s)"
	SERVICES_DYNAMODB_SERVICE=async $(PY) -m pytest -q -n 4 integration_tests \
		$(ONCE_INTEGRATION)

bench: $(DEV_INSTALLED) $(SERVER)
	$(PY) benchmarks/run.py
	$(PY) benchmarks/peers.py
	$(PY) benchmarks/peers.py --large-heap

clean:
	rm -rf $(VENV) $(SERVER_DIR)/node_modules .coverage .mypy_cache .pytest_cache
