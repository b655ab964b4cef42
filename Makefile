# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck bench clean

$(BIN)/localcx: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/localcx

demo: $(BIN)/localcx
	$(BIN)/localcx demo

test: $(BIN)/localcx
	$(BIN)/ruff check localcx commands tests bench
	$(BIN)/mypy localcx commands
	$(BIN)/pytest -n 4

bench: $(BIN)/localcx
	$(BIN)/python bench/apply.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/quota_shared.py
	$(BIN)/python bench/posts.py
	$(BIN)/python bench/rank.py
	$(BIN)/python bench/reviews.py
	$(BIN)/python bench/sentiment.py
	$(BIN)/python bench/insights.py
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache
