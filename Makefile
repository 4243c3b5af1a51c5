# Two commands set everything up on a fresh machine:
#   make demo   virtualenv, install, index the bundled seeds, run a search
#   make test   virtualenv, install with test extras, run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test test-slow lint typecheck bench effectiveness stemming clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A stamp per install flavour, redone when pyproject.toml changes.
$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.installed-typecheck: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,typecheck]"
	touch $@

# pyright is an npm package: installed once from the npm registry into the virtualenv (node 20
# and npm must be on the machine), then run offline like any local tool. Pinned, so that a new
# release cannot turn a green check red.
PYRIGHT_VERSION = 1.1.414
PYRIGHT = $(VENV)/node/node_modules/.bin/pyright
$(PYRIGHT): | $(BIN)/python
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node pyright@$(PYRIGHT_VERSION)

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,bench]"
	touch $@

demo: $(VENV)/.installed-demo
	$(BIN)/python examples/search_seeds.py

test: $(VENV)/.installed-test
	$(BIN)/ruff check searchlib tests examples benchmarks tools
	$(BIN)/python -m pytest -q

test-slow: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -m "slow or not slow"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check searchlib tests examples benchmarks tools
	$(BIN)/ruff format --check searchlib tests examples benchmarks tools

# A user's script over the public API type-checks clean under mypy --strict and pyright (strict,
# by its header comment), and pyright --verifytypes finds every public symbol typed (exits
# non-zero below 100%). --ignoreexternal: Whoosh ships no annotations, and the analyzer and
# filters subclass its classes by design. The virtualenv's bin goes first on PATH so that
# pyright resolves searchlib and its dependencies from it.
typecheck: $(VENV)/.installed-typecheck $(PYRIGHT)
	$(BIN)/mypy --strict tests/typing/user_script.py
	PATH="$(abspath $(BIN)):$$PATH" $(PYRIGHT) tests/typing/user_script.py
	PATH="$(abspath $(BIN)):$$PATH" $(PYRIGHT) --verifytypes searchlib --ignoreexternal

effectiveness: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/effectiveness.py

stemming: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/stemming.py

# Classic PyPI whoosh 2.7.4 in a virtualenv of its own: the bench's reference row.
WHOOSH27 = $(VENV)/whoosh27
$(WHOOSH27)/bin/python:
	$(PYTHON) -m venv $(WHOOSH27)
	$(WHOOSH27)/bin/pip install --quiet "whoosh==2.7.4" "psutil>=5.9"

# About ten minutes on two cores: every engine on 20,000 articles synthesised from IndoSum.
# Earlier runs at 100k/300k (benchmarks/results/) give the growth table.
bench: $(VENV)/.installed-bench $(WHOOSH27)/bin/python
	$(BIN)/python benchmarks/perf.py --docs 20000 --whoosh27 $(WHOOSH27)/bin/python

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
