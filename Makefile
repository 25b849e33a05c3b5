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
.PHONY: help setup vendor book pdf run sweep status test test-fast bench levers lint lock front clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

# The lock installs with uv (pinned; it downloads in parallel) and falls back to pip where uv cannot be
# installed: same pins, same packages. Bytecode: where Python may not write .pyc files itself
# (PYTHONDONTWRITEBYTECODE), the install compiles them, or every process would compile what it imports on every
# start; where Python may, it writes each module's on first import, and the report imports a third of what is
# installed, so compiling everything up front would be mostly wasted.
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

bench: $(STAMP) $(VENDOR) ## Measure speed (cold chain, reruns, smoke, sweeps, Dask; BENCH=--ci adds fresh-clone CI) into docs/performance.md (~30 min)
	$(BIN)/python -m startup_report.devtools.bench $(BENCH) $(PARAMS_ARGS)

# SetFit is left out on the full split: its pairs grow with the square of the data.
levers: $(STAMP) ## Measure the levers at 10, 30 and full per intent and open intent on tuned embeddings (~2 h) into data/levers/
	nice $(BIN)/python -m startup_report.devtools.levers --budget 10
	nice $(BIN)/python -m startup_report.devtools.levers --budget 30
	nice $(BIN)/python -m startup_report.devtools.levers --budget full --tuners supcon finetune
	nice $(BIN)/python -m startup_report.devtools.openlevers

front: $(STAMP) ## After a default `make book`: the README's answer and picture (docs/site.png) from that build
	$(BIN)/python -m startup_report.devtools.front

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
