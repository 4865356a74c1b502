# Set-up contract: `make demo` and `make test` each create .venv idempotently,
# install what they need and run. CPU torch is installed before unbabel-comet so
# pip does not pull several GB of CUDA packages; users with GPUs bring their own.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
TORCH  ?= torch==2.13.0

.PHONY: install demo test lint bench browser postgres clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "setuptools<81" wheel
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e ".[comet,ray,test]"
	touch $(STAMP)

install: $(STAMP)

# Headless Chromium for the HTML report's browser tests (Debian packages; no browser downloads).
browser:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
	  { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) || \
	    echo "warning: could not install chromium/chromium-driver; browser tests will fail" >&2; }

# PostgreSQL server for the history tests (Debian packages; the tests start a temporary
# cluster under /tmp on a local socket and skip only when these binaries are absent).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
	  { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || \
	    echo "warning: could not install postgresql; the PostgreSQL history tests will skip" >&2; }

demo: install
	$(BIN)/evalharness evaluate --ref references/bbc.md --hyp hypotheses/bbc-garbled.txt \
	  --json reports/bbc/report.json --csv reports/bbc/report.csv \
	  --findings-csv reports/bbc/findings.csv --html reports/bbc/report.html

# The whole suite, then the project's own regression gate on the seed pair, as a user's CI runs it.
test: install browser postgres
	$(BIN)/python -m pytest -q
	$(BIN)/evalharness gate --config evalharness.toml --junit reports/gate.xml --markdown reports/gate.md

lint: install
	$(BIN)/ruff check evalharness tests bench
	$(BIN)/mypy

bench: install browser
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info reports/bbc
