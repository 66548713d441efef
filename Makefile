# Set-up and everyday commands. See README.md, "Quick start", and docs/getting-started.md, "Set-up details".
#
#   make report   system packages + .venv + the package, then the default report into out/
#   make test     the same plus the test extras and LibreOffice, then the whole test suite
#   make clean    remove .venv, out/ and build/test leftovers
#
# Re-running is fast: the venv and the pip installs are recorded by stamp files in .venv
# and redone only when pyproject.toml changes. The package is installed in editable mode,
# so edits to reporting/, templates/, assets/ and data/ take effect without reinstalling.
#
# Variables:
#   PYTHON=/path/to/python3    interpreter for the venv (default: first python3 >= 3.10 with venv)
#   SKIP_SYSTEM_DEPS=1         don't run scripts/install-system-deps.sh (non-Debian machines)
#   PYTEST_ARGS='-k deck -x'   extra pytest arguments for `make test` (both runs)
#   NOX_ARGS='-s quick'        arguments for nox, which runs the tests (noxfile.py)
#   SKIP_MATRIX=1              the whole suite only, without the quick subset on the oldest Python
#   REPORT_ARGS='--lang en'    replace the default `make-report` arguments for `make report`

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV        := .venv
VENV_PY     := $(VENV)/bin/python
SYSDEPS     := scripts/install-system-deps.sh
PIP_INSTALL := $(VENV_PY) -m pip install --quiet --disable-pip-version-check
REPORT_ARGS ?= --format all --out out
PYTEST_ARGS ?=

export PYTHON

# A venv whose interpreter no longer runs (Python upgraded or removed, repository moved) or
# is older than 3.10 is rebuilt: forget its stamps so the rules below run again.
ifneq ($(shell $(VENV_PY) -c 'import sys; print(sys.version_info >= (3, 10))' 2>/dev/null),True)
  $(shell rm -f $(VENV)/.stamp-*)
endif

.PHONY: help report test clean sysdeps sysdeps-test install install-test

help:
	@echo "make report   install everything and build the default report into out/"
	@echo "make test     install everything (with test extras) and run the test suite"
	@echo "make clean    remove .venv, out/ and build leftovers"

report: sysdeps $(VENV)/.stamp-install
	$(VENV)/bin/make-report $(REPORT_ARGS)

# nox (noxfile.py): the whole suite on the newest Python that pyproject.toml declares (or,
# where that is missing, on the venv's) and, beside it, the quick subset on the oldest, its
# output held back until the whole suite is done; each as scripts/test-suite runs it
# (spread over the cores by pytest-xdist, beside the tests that fork from the test
# process). Side by side they keep the cores busy where one run alone leaves gaps.
NOX_TESTS = $(VENV)/bin/nox $(NOX_ARGS)
NOX_POSARGS = $(if $(strip $(PYTEST_ARGS)),-- $(PYTEST_ARGS))
test: sysdeps-test $(VENV)/.stamp-install-test
ifeq ($(SKIP_MATRIX),1)
	$(NOX_TESTS) -s full $(NOX_POSARGS)
else
	@quick_log="$$(mktemp)"; trap 'rm -f "$$quick_log"' EXIT; \
	$(NOX_TESTS) -s quick $(NOX_POSARGS) > "$$quick_log" 2>&1 & quick=$$!; \
	full_status=0; $(NOX_TESTS) -s full $(NOX_POSARGS) || full_status=$$?; \
	quick_status=0; wait $$quick || quick_status=$$?; \
	cat "$$quick_log"; \
	exit $$(( full_status ? full_status : quick_status ))
endif

install: sysdeps $(VENV)/.stamp-install
install-test: sysdeps-test $(VENV)/.stamp-install-test

# The script is quiet and takes well under a second when nothing is missing, so it runs
# every time instead of being stamped: a package removed since is put back.
sysdeps:
ifneq ($(SKIP_SYSTEM_DEPS),1)
	@$(SYSDEPS)
endif

sysdeps-test:
ifneq ($(SKIP_SYSTEM_DEPS),1)
	@$(SYSDEPS) --test
endif

# Order-only on the system packages: python3-venv must be there before the venv is made,
# but installing a system package later must not rebuild the venv.
$(VENV)/.stamp-venv: | sysdeps
	@py="$$($(SYSDEPS) --print-python)"; \
	if [[ -x $(VENV_PY) ]] && $(VENV_PY) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then \
	    echo "Reusing $(VENV) ($$($(VENV_PY) --version))"; \
	else \
	    echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
	    rm -rf $(VENV); \
	    "$$py" -m venv $(VENV); \
	fi
	@touch $@

$(VENV)/.stamp-install: pyproject.toml $(VENV)/.stamp-venv
	@echo "Installing the package and its dependencies into $(VENV) (the first time takes a minute or two)"
	$(PIP_INSTALL) -e .
	@touch $@

# The test extras are a superset of the plain install, so this stamp covers both.
$(VENV)/.stamp-install-test: pyproject.toml $(VENV)/.stamp-venv
	@echo "Installing the package with its test extras into $(VENV) (the first time takes a minute or two)"
	$(PIP_INSTALL) -e '.[test,cluster]'
	@# axe-core: the accessibility rules the HTML edition's browser tests inject (tests/screen_checks.py);
	@# without npm those tests are skipped and say why.
	@if command -v npm >/dev/null 2>&1; then npm install --prefix $(VENV) --no-audit --no-fund --no-save --silent axe-core@4; \
	else echo "npm not found: the axe-core browser tests will be skipped (scripts/install-system-deps.sh --test installs it)"; fi
	@touch $@ $(VENV)/.stamp-install

clean:
	rm -rf $(VENV) .nox out build dist .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -maxdepth 1 -name '*.egg-info' -exec rm -rf {} +
