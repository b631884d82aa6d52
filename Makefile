# Commerce sync: producer + mutator. `make demo` runs the main job end to end; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck producer mutator sandbox bench clean

install: $(STAMP)

# Installs once; a second run reuses the venv without touching the network.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/python -m devtools.demo $(DEMO_ARGS)

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	bash deploy/lint.sh

producer: install
	$(BIN)/python -m producer

mutator: install
	$(BIN)/python -m mutator

sandbox: install
	$(BIN)/python -m sandbox

bench: install
	$(BIN)/python -m devtools.bench

clean:
	rm -rf .run .pytest_cache .mypy_cache .ruff_cache
