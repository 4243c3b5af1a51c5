# Two commands set everything up on a fresh machine:
#   make demo   virtualenv, install, index the bundled seeds, run a search
#   make test   virtualenv, install with test extras, run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test test-slow lint bench effectiveness stemming clean

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
