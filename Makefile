# Two commands on a fresh Debian machine: `make build` and `make test`.
# Each does all set-up first: missing system packages through apt, a .venv,
# and the pinned Python dependencies. A second run skips what is done.

SHELL  := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
VNU_VERSION := 26.9.27
ACE_VERSION := 1.4.6
TOOLS  := .tools/.installed-vnu-$(VNU_VERSION)-ace-$(ACE_VERSION)
PYTEST_WORKERS ?= 2
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup system build test quick lint layers typecheck unit bench preview check schema lock clean

setup: system $(STAMP) $(TOOLS)

system:
	@scripts/ensure-system-packages

$(STAMP): pyproject.toml requirements.lock scripts/link-louis.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.lock
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps -e .
	$(BIN)/python scripts/link-louis.py
	@touch $@

# Test tools from npm, pinned, into .tools/ (only when missing; both in one
# npm call, since a second call would prune what the first installed):
# - the W3C Nu HTML Checker, which runs on the system's Java (its install
#   script, which would download a Java runtime, is skipped);
# - DAISY Ace, the EPUB accessibility checker (--ignore-scripts: its electron
#   and puppeteer would download browsers; the tests run ace-puppeteer on
#   Debian's Chromium instead).
$(TOOLS):
	@command -v npm >/dev/null || { echo "error: npm is needed to install the test tools; install Node.js (apt-get install nodejs npm)" >&2; exit 1; }
	npm install --no-audit --no-fund --ignore-scripts --prefix .tools vnu-jar@$(VNU_VERSION) @daisy/ace@$(ACE_VERSION)
	@touch $@

build: setup  ## Build every format into dist/
	$(BIN)/complaints-code build

test: setup lint layers typecheck unit  ## Lint, check the layering, type check and run every test

quick: $(STAMP)  ## The fast loop: lint, layers, types and every test not marked slow (no builds, browsers or databases)
	$(BIN)/ruff check src tests benchmarks build_formats.py scripts
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not slow" -q

lint: setup
	$(BIN)/ruff check src tests benchmarks build_formats.py scripts

layers: setup  ## The package's layering contract (import-linter; see pyproject.toml)
	$(BIN)/lint-imports --no-cache

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

bench: setup  ## Speed benchmarks; writes bench/RESULTS.md (a subset: make bench BENCH="build growth")
	$(BIN)/python -m benchmarks $(BENCH)

preview: setup  ## Serve the website on http://127.0.0.1:8001/ (the [web] preview_port setting), rebuilt on every save of the source
	$(BIN)/complaints-code preview

check: setup  ## Validate (and lint) the Code source; exits 1 on findings, 2 if it cannot be read
	@$(BIN)/complaints-code check; status=$$?; \
	if [ $$status -eq 1 ]; then echo "The check found errors: see above. Fix them, then run make check again."; \
	elif [ $$status -eq 2 ]; then echo "The file could not be read: see above. Fix it, then run make check again."; fi; \
	exit $$status

schema: setup  ## Regenerate code_source/complaints-code.schema.json
	$(BIN)/complaints-code schema

lock: setup  ## Re-pin the whole dependency tree after editing pyproject.toml
	( sed -n 1,2p requirements.lock; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^louis' ) > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf dist test-artifacts
