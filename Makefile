# `make demo` and `make test` work on a fresh machine with Python 3.11 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench clean system-tools

$(BIN)/transflow: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: $(BIN)/transflow
	$(BIN)/transflow translate   # articles and targets from transflow.yaml
	@echo "Portuguese PO file: locales/pt/LC_MESSAGES/north-korean-refugees.po"

# The programs the tests use beside Python (gettext, zstd, chromium, apertium): installed
# when running as root or with sudo, else the one command to run is printed.
system-tools:
	@$(PYTHON) tests/system_tools.py

test: system-tools $(BIN)/transflow
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

bench: $(BIN)/transflow
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .transflow .pytest_cache
