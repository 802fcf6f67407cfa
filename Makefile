# Two commands on a fresh Debian machine: `make build` and `make test`.
# Each does all set-up first: missing system packages through apt, a .venv,
# and the pinned Python dependencies. A second run skips what is done.

SHELL  := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
VNU_VERSION := 26.9.27
VNU    := .tools/node_modules/vnu-jar/build/dist/vnu.jar
PYTEST_WORKERS ?= 2
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup system build test lint layers typecheck unit bench preview check schema lock clean

setup: system $(STAMP) $(VNU)

system:
	@scripts/ensure-system-packages

$(STAMP): pyproject.toml requirements.lock scripts/link-louis.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.lock
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps -e .
	$(BIN)/python scripts/link-louis.py
	@touch $@

# The W3C Nu HTML Checker, for the tests. It runs on the system's Java, so the
# package's install script (which would download a Java runtime) is skipped.
$(VNU):
	@command -v npm >/dev/null || { echo "error: npm is needed to install the Nu HTML Checker; install Node.js (apt-get install npm)" >&2; exit 1; }
	npm install --no-save --no-audit --no-fund --ignore-scripts --prefix .tools vnu-jar@$(VNU_VERSION)

build: setup  ## Build every format into dist/
	$(BIN)/complaints-code build

test: setup lint layers typecheck unit  ## Lint, check the layering, type check and run every test

lint: setup
	$(BIN)/ruff check src tests benchmarks build_formats.py scripts

layers: setup  ## The package's layering contract (import-linter; see pyproject.toml)
	$(BIN)/lint-imports --no-cache

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

bench: setup  ## Speed benchmarks; prints medians and ratios
	$(BIN)/python -m benchmarks

preview: setup  ## Serve the website on http://127.0.0.1:8000/, rebuilt on every save of the source
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

check: setup  ## Validate (and lint) the Code source
	@$(BIN)/complaints-code check; status=$$?; \
	if [ $$status -eq 1 ]; then echo "The check found errors: see above. Fix them, then run make check again."; \
	elif [ $$status -eq 2 ]; then echo "The file could not be read: see above. Fix it, then run make check again."; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

schema: setup  ## Regenerate code_source/complaints-code.schema.json
	$(BIN)/complaints-code schema

lock: setup  ## Re-pin the whole dependency tree after editing pyproject.toml
	( sed -n 1,2p requirements.lock; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^louis' ) > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf dist test-artifacts
