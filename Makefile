# The project's verbs. Every target sets up .venv from the lock when it is missing or stale.
# `make` alone lists the targets.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PARAMS ?=
RUN_ARGS ?=
SWEEP ?= params/sweeps/scenarios.yaml
SWEEP_ARGS ?=
PARAMS_ARGS := $(if $(PARAMS),--params $(PARAMS))

MATHJAX := build/vendor/node_modules/mathjax/es5/tex-mml-chtml.js
VENDOR  := $(if $(shell command -v npm 2>/dev/null),$(MATHJAX))

.DEFAULT_GOAL := help
.PHONY: help setup vendor book pdf run sweep status test test-fast bench lint lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

# The lock installs with uv (pinned here; it downloads in parallel: 26 s against pip's 170 s for this lock on a
# fresh 2-core machine) and falls back to pip where uv cannot be installed. Same pins, same packages.
# Bytecode: where Python may not write .pyc files itself (PYTHONDONTWRITEBYTECODE, set on this machine), the
# install compiles all of them (uv skips them by default; 44 s here): otherwise every process compiled every
# module it imports from source, every time (importing torch, Keras and transformers took over twice as long).
# Where Python may write them, it does so on each module's first import: the report imports 128 of the 343 MB
# of sources installed, so compiling everything up front would be two thirds wasted. CI takes that road.
UV_VERSION := 0.13.9
COMPILE := $(if $(PYTHONDONTWRITEBYTECODE),--compile-bytecode,)
PIP_COMPILE := $(if $(PYTHONDONTWRITEBYTECODE),,--no-compile)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet uv==$(UV_VERSION) || echo "uv not installable here: installing with pip"
	@if [ -x $(BIN)/uv ]; then install="$(BIN)/uv pip install --quiet $(COMPILE) --python $(BIN)/python"; \
	 else install="$(BIN)/python -m pip install --quiet $(PIP_COMPILE)"; fi; \
	 echo "$$install -r requirements.lock"; $$install -r requirements.lock && $$install --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv with the pinned dependencies and the package

$(MATHJAX): book/mathjax/package.json book/mathjax/package-lock.json
	@mkdir -p build/vendor
	cp book/mathjax/package.json book/mathjax/package-lock.json build/vendor/
	npm ci --prefix build/vendor --no-audit --no-fund --silent

vendor: $(VENDOR) ## Fetch MathJax with npm so the site renders math offline (skipped without npm)

book: $(STAMP) $(VENDOR) ## Run the chain (PARAMS=file to overlay) and build the site into _build/html
	$(BIN)/startup-report run $(PARAMS_ARGS) $(RUN_ARGS)
	$(BIN)/startup-report book

# `startup-report book` prints the PDF and checks every page in Chromium where it is installed (else it says so).
pdf: $(STAMP) $(VENDOR) ## Rebuild the site and its PDF (_build/html/startup-report.pdf) from the last run, no chain
	$(BIN)/startup-report book

run: $(STAMP) ## Run the chain only
	$(BIN)/startup-report run $(PARAMS_ARGS) $(RUN_ARGS)

sweep: $(STAMP) $(VENDOR) ## Run the report (PARAMS), the sweep SWEEP=file on Dask (SWEEP_ARGS=--workers N), and the site with its page
	$(BIN)/startup-report run $(PARAMS_ARGS) $(RUN_ARGS)
	$(BIN)/startup-report sweep $(SWEEP) $(PARAMS_ARGS) $(SWEEP_ARGS); status=$$?; \
	$(BIN)/startup-report book && exit $$status

status: $(STAMP) ## Show which stages would rerun and why
	$(BIN)/startup-report status $(PARAMS_ARGS) $(RUN_ARGS)

test: $(STAMP) $(VENDOR) ## Lint (code and notebooks), unit tests, a smoke end-to-end run with the book, the browser test
	$(BIN)/ruff check src tests
	$(BIN)/nbqa ruff notebooks book
	$(BIN)/python -m pytest -ra --durations=15 -n 2 --dist loadfile --no-loadscope-reorder

test-fast: $(STAMP) ## Unit tests only (no notebook chain)
	$(BIN)/python -m pytest -ra -m "not e2e and not browser"

bench: $(STAMP) $(VENDOR) ## Print the speed figures: cold chain, reruns, smoke, fp32 vs bf16, grid on Dask (~30 min)
	$(BIN)/python -m startup_report.devtools.bench $(PARAMS_ARGS)

lint: $(STAMP) ## ruff on the package and tests, nbqa ruff on the notebooks and computing chapters
	$(BIN)/ruff check src tests
	$(BIN)/nbqa ruff notebooks book

lock: $(STAMP) ## Recompile requirements.lock from requirements.in and regenerate environment.yml
	$(BIN)/python -m pip install --quiet pip-tools==7.6.2  # a tool of this target only, not of the report
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --output-file requirements.lock requirements.in
	sed -i 's/^torch==\(.*\)+cpu/torch==\1/' requirements.lock
	$(BIN)/python -m startup_report.devtools.lockfile requirements.lock > environment.yml

clean: ## Remove build products (build/, _build/), keep .venv
	rm -rf build _build
