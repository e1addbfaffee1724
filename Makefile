# The two commands of the README: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-pg lint bench messages clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

demo: $(BIN)/.installed
	$(BIN)/gaoxin demo

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks

test: lint
	$(BIN)/pytest

# The same suite on PostgreSQL; .ci/run sets GAOXIN_DATABASE_URL.
test-pg: $(BIN)/.installed
	@test -n "$$GAOXIN_DATABASE_URL" || { echo "GAOXIN_DATABASE_URL is not set"; exit 2; }
	$(BIN)/pytest

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks

messages: $(BIN)/.installed
	cd src/gaoxin && ../../$(BIN)/gaoxin compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
