# Two commands on a fresh Debian machine: `make build` and `make test`.
# Each does its own set-up first, and a second run skips what is done:
# - make build: the system packages building, copies and the service need
#   (apt), a .venv with the runtime dependencies (requirements/runtime.lock,
#   with hashes), and `complaints-code` on the PATH (scripts/link-command);
# - make test: the same, then the test tools: more system packages (Chromium,
#   Java, Node, PostgreSQL ...), the development dependencies
#   (requirements/dev.lock, with hashes) and the npm checkers in .tools/.

SHELL  := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check -q
STAMP  := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
VNU_VERSION := 26.9.27
ACE_VERSION := 1.4.6
LIGHTHOUSE_VERSION := 12.8.2
TOOLS  := .tools/.installed-vnu-$(VNU_VERSION)-ace-$(ACE_VERSION)-lighthouse-$(LIGHTHOUSE_VERSION)
PYTEST_WORKERS ?= 2
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup test-setup system test-system link build manual test quick lint layers typecheck unit bench preview check schema lock clean

# What the program needs: building, copies, the service (make build, make check ...).
setup: system $(STAMP)

# What the tests need besides (make test, make quick, make bench).
test-setup: setup test-system $(DEV_STAMP) $(TOOLS)

system:
	@scripts/ensure-system-packages build

test-system:
	@scripts/ensure-system-packages test

$(STAMP): pyproject.toml requirements/runtime.lock scripts/link-louis.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements/runtime.lock
	$(PIP) --no-deps -e .
	$(BIN)/python scripts/link-louis.py
	@touch $@

$(DEV_STAMP): $(STAMP) requirements/dev.lock
	$(PIP) --require-hashes -r requirements/dev.lock
	@touch $@

# `complaints-code` on the PATH: /usr/local/bin as root (or with sudo), else
# ~/.local/bin; `make build BINDIR=/some/folder` chooses the folder.
link: $(STAMP)
	@BINDIR="$(BINDIR)" scripts/link-command

# Test tools from npm, pinned, into .tools/ (only when missing; all in one
# npm call, since a second call would prune what the first installed):
# - the W3C Nu HTML Checker, which runs on the system's Java (its install
#   script, which would download a Java runtime, is skipped);
# - DAISY Ace, the EPUB accessibility checker (--ignore-scripts: its electron
#   and puppeteer would download browsers; the tests run ace-puppeteer on
#   Debian's Chromium instead);
# - Lighthouse, which audits the service's public pages in Debian's Chromium
#   (CHROME_PATH=/usr/bin/chromium; 12.x is the last for Node 20).
$(TOOLS):
	@command -v npm >/dev/null || { echo "error: npm is needed to install the test tools; install Node.js (apt-get install nodejs npm)" >&2; exit 1; }
	npm install --no-audit --no-fund --ignore-scripts --prefix .tools vnu-jar@$(VNU_VERSION) @daisy/ace@$(ACE_VERSION) lighthouse@$(LIGHTHOUSE_VERSION)
	@touch $@

build: setup link  ## Build every format into dist/site/ and the manual into dist/manual/
	$(BIN)/complaints-code build
	@$(MAKE) --no-print-directory manual

manual: setup  ## The internal manual (docs/manual/) as a site in dist/manual/; open dist/manual/index.html
	$(BIN)/mkdocs build --strict --quiet --config-file docs/manual.yml
	@echo "The manual: dist/manual/index.html"

test: test-setup lint layers typecheck unit  ## Lint, check the layering, type check and run every test

quick: $(DEV_STAMP)  ## The fast loop: lint, layers, types and every test not marked slow (no builds, browsers or databases)
	$(BIN)/ruff check src tests benchmarks build_formats.py scripts docs/manual_hooks.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not slow" -q

lint: test-setup
	$(BIN)/ruff check src tests benchmarks build_formats.py scripts docs/manual_hooks.py

layers: test-setup  ## The package's layering contract (import-linter; see pyproject.toml)
	$(BIN)/lint-imports --no-cache

typecheck: test-setup
	$(BIN)/mypy

unit: test-setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

bench: test-setup  ## Speed benchmarks; writes bench/RESULTS.md (a subset: make bench BENCH="build growth")
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

lock: $(DEV_STAMP)  ## Re-pin the whole dependency tree, with hashes, after editing pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --python $(BIN)/python --generate-hashes --quiet \
	    --output-file requirements/runtime.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python $(BIN)/python --generate-hashes --quiet \
	    --constraint requirements/runtime.lock --output-file requirements/dev.lock

clean:
	rm -rf dist test-artifacts
