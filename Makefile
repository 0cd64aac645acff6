# The two set-up commands of the README:  `make example`  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup example lint test test-all clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-nodeps.txt pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -r requirements-nodeps.txt
	$(PY) -m pip install -q --no-deps -e .
	$(PY) -m compileall -q pipeline  # an editable install compiles nothing: start-up would pay it (PYTHONDONTWRITEBYTECODE)
	touch $@

example: setup
	$(VENV)/bin/mtqa run examples/seed/article.de.txt examples/seed/article.en.mt.txt \
		--ref examples/seed/article.en.ref.txt --src-lang de --tgt-lang en -o out/seed

# ruff (rules chosen in pyproject.toml) over the repository, mypy over pipeline/: zero findings.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: setup lint
	$(PY) -m pytest -q

test-all: setup
	$(PY) -m pytest -q -m "slow or not slow"

clean:
	rm -rf $(VENV) out .pytest_cache
