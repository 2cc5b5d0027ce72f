# `make run` and `make test` set everything up on a fresh clone.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-chart bench-hardening eval clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# With a token (environment or .env) run the bot; without one, the offline console on the seeds.
run: $(STAMP)
	@if $(PY) -m bot.config; then \
		exec $(VENV)/bin/reportbot run; \
	else \
		echo "TELEGRAM_BOT_TOKEN is not set: opening the offline console (type a query, Ctrl-D to quit)."; \
		exec $(VENV)/bin/reportbot console; \
	fi

test: $(STAMP)
	$(VENV)/bin/ruff check bot handlers tests bench
	$(VENV)/bin/mypy bot handlers
	$(PY) -m pytest -q

eval: $(STAMP)
	$(VENV)/bin/reportbot eval tests/seed-queries.toml --report wuqia-2022

bench: $(STAMP)
	$(PY) bench/search.py

bench-chart: $(STAMP)
	$(PY) bench/chart.py

# Fuzzed queries, floods, SIGTERM, bad uploads and oversized webhook bodies: one table.
bench-hardening: $(STAMP)
	$(PY) bench/hardening.py

clean:
	rm -rf $(VENV) data/*.db data/*.db-*
