# `make run` and `make test` set everything up on a fresh clone.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench eval clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/reportbot run

test: $(STAMP)
	$(VENV)/bin/ruff check bot handlers tests bench
	$(PY) -m pytest -q

eval: $(STAMP)
	$(VENV)/bin/reportbot eval tests/seed-queries.toml

bench: $(STAMP)
	$(PY) bench/search.py

clean:
	rm -rf $(VENV) data/*.db data/*.db-*
