# sib — the commands a developer (and CI) needs. `make help` lists them.
#
# Everything runs inside a project virtualenv (.venv) that the first command creates; it is
# reinstalled when pyproject.toml changes, so repeated runs start at once.

PYTHON      ?= python3
VENV        ?= .venv
BIN         := $(VENV)/bin
STAMP       := $(VENV)/.installed
PORT        ?= 8501
PYTEST_ARGS ?=
# The whole suite runs on every core (pytest-xdist); a test is given to whichever worker is free.
# The measured run lists its 25 slowest tests: where the suite's ten minutes go, in CI's log too.
PYTEST_PARALLEL ?= -n logical --dist worksteal

# Debian packages the test suite needs on a fresh machine (installed with apt-get as root):
# chromium for the dashboard's end-to-end test (Playwright drives it; no browser is downloaded).
SYSTEM_PACKAGES ?= chromium

.DEFAULT_GOAL := help
.PHONY: help venv system-deps run lint test coverage validate figures golden bench bench-memory bench-dashboard screenshots docs clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

venv: $(STAMP)  ## create .venv and install sib with its test dependencies

# `python3 -m venv` needs ensurepip; where Debian left it out, make the venv without pip and
# install pip into it with the system's pip.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV) || { $(PYTHON) -m venv --clear --without-pip $(VENV) && \
		$(PYTHON) -m pip --python $(BIN)/python install pip; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# A study of two replications of each reference scenario, in this process: numba compiles
	@# and caches the engine's kernels (the monthly series' too) now, not while the dashboard's
	@# first page (or the first test) waits for them (priced on a small sample: the kernels are
	@# the same, the seconds are not).
	$(BIN)/python -c "import glob, sib; from sib.scenario.edit import with_values; [sib.run(with_values(sib.load_scenario(p), {'contract.pricing.replications': 20}), reps=2, executor='serial') for p in sorted(glob.glob('scenarios/*.yaml'))]"
	touch $@

system-deps:  ## install the Debian packages in SYSTEM_PACKAGES (chromium)
ifneq ($(strip $(SYSTEM_PACKAGES)),)
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
else
	@:
endif

run: $(STAMP)  ## the dashboard on http://localhost:8501 (default scenario: bostad_forst.yaml)
	$(BIN)/streamlit run app.py --server.headless true --server.port $(PORT) \
		--browser.gatherUsageStats false --client.toolbarMode minimal

# The whole suite also measures the line coverage of sib — in the worker processes, the CLI
# and the dashboard the tests start too (pyproject.toml, [tool.coverage.*]) — and fails below
# its fail_under. A part of the suite (PYTEST_ARGS given) runs without coverage and its gate;
# `make coverage PYTEST_ARGS=...` measures a part and reports it without the gate.
# The code's habits, checked before the tests run (and so in CI): ruff's rules and layout, mypy's
# types (pyproject.toml, [tool.ruff] and [tool.mypy]). `ruff format sib tests app.py benchmarks`
# lays the code out; `ruff check --fix` fixes what it safely can.
LINTED := sib tests tools app.py benchmarks
lint: $(STAMP)  ## ruff (rules and layout) and mypy, as CI runs them
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

test: system-deps $(STAMP) lint  ## the whole test suite, failing below 95 % line coverage (pass options with PYTEST_ARGS="-k app")
ifeq ($(strip $(PYTEST_ARGS)),)
	$(call measured,)
else
	$(BIN)/python -m pytest $(PYTEST_ARGS)
endif

coverage: system-deps $(STAMP)  ## the suite (or PYTEST_ARGS's part) with line coverage per module, no gate; htmlcov/
	$(call measured,--fail-under=0)
	$(BIN)/python -m coverage html --fail-under=0 --quiet

# Run pytest under coverage, then combine what every process wrote (.coverage.*) once they have
# all exited (pool workers save theirs as they exit, after pytest's own session has ended) and
# report; $(1): options for `coverage report`.
define measured
	$(BIN)/python -m coverage erase
	$(BIN)/python -m coverage run -m pytest $(PYTEST_PARALLEL) --durations=25 $(PYTEST_ARGS)
	$(BIN)/python -m coverage combine --quiet
	$(BIN)/python -m coverage report $(1)
endef

validate: $(STAMP)  ## the validation suite (docs/validation.md), thousands of property cases, 10,000+ fuzz cases in-process and 10,000 files through the command
	$(BIN)/sib check
	SIB_HYPOTHESIS=full SIB_FUZZ=full $(BIN)/python -m pytest -q tests/product/test_properties.py tests/scenario/test_loader_fuzz.py
	$(BIN)/python tests/fuzz_files.py --files 10000

figures: $(STAMP)  ## the reference scenarios' key figures as the README's tables (1 000 replications each, a few minutes)
	PYTHONPATH=tests $(BIN)/python -m validation.figures

golden: $(STAMP)  ## rewrite the golden set (tests/data/golden.json) after a change that moves numbers on purpose
	PYTHONPATH=tests $(BIN)/python -m tests.product.test_golden

bench: $(STAMP)  ## time the engine and the Monte Carlo pool (benchmarks/)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/montecarlo.py

bench-memory: $(STAMP)  ## also the peak memory of 100,000 replications (a minute or two)
	$(BIN)/python benchmarks/montecarlo.py --memory

bench-dashboard: system-deps $(STAMP)  ## time a 3-scenario comparison in the dashboard, in headless Chromium
	$(BIN)/python benchmarks/dashboard.py

screenshots: system-deps $(STAMP)  ## render the dashboard's main pages into docs/img/ (for the README)
	$(BIN)/python -m tools.screenshots

docs: $(STAMP)  ## regenerate docs/scenario-reference.md from the scenario schema and docs/sources.md from sib/references.yaml
	$(BIN)/python -m tools.scenario_reference
	$(BIN)/python -m tools.sources_page

clean:  ## remove caches and build files (keeps .venv)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
	rm -rf .pytest_cache .hypothesis .ruff_cache .mypy_cache .benchmarks .coverage .coverage.* \
		htmlcov build dist *.egg-info

distclean: clean  ## also remove .venv
	rm -rf $(VENV)
