# The two commands a newcomer needs: `make run` and `make test`. Everything else is set-up they call.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python

.PHONY: help setup model run test lint typecheck check bench clean

help:
	@echo "make run    - installe ce qui manque et démarre tout (Rasa, actions, API + web) sur http://127.0.0.1:8000"
	@echo "make test   - installe ce qui manque et lance toute la suite de tests"
	@echo "make setup  - crée .venv (Python 3.11) et .venv-rasa (Python 3.10) et entraîne le modèle Rasa si besoin"
	@echo "make lint / make typecheck / make bench / make clean"

setup:
	@bash scripts/setup.sh

model: setup

run: setup
	@$(PY) -m scripts.run

test: setup
	@$(PY) -m ruff check . && $(PY) -m mypy
	@$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	@$(PY) -m ruff check .

typecheck: setup
	@$(PY) -m mypy

bench: setup
	@$(PY) bench/turn_latency.py

clean:
	rm -rf .venv .venv-rasa var bot/models .pytest_cache .mypy_cache .ruff_cache
