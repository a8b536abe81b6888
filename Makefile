# The two commands of the README, and a few more for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
COMPOSE := $(VENV)/lib/python3.11/site-packages/compose/docker-compose
PORT ?= 8000

.PHONY: run test lint format compose-check install clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Start the whole product: embedded PostgreSQL and Redis, demo data, API, worker, beat (PORT=8000).
run: $(STAMP)
	$(BIN)/samverkan dev --port $(PORT)

## Run the whole test suite (embedded servers unless DATABASE_URL / REDIS_URL are set).
test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Validate docker-compose.yml with Docker Compose v2 (no engine needed).
compose-check: $(STAMP)
	POSTGRES_PASSWORD=check SECRET_KEY=check $(COMPOSE) -f docker-compose.yml config -q

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
